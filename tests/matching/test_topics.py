"""What a complaint is about, from its words, whichever category its channel filed it under."""

from __future__ import annotations

import pytest

from matching._topics import TOPICS, dispute_topics


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "topics"),
    [
        pytest.param("报警称劳资纠纷", "wages", id="police terse wages"),
        pytest.param("包工头拖欠我们三个月工钱", "wages", id="工钱"),
        pytest.param("举报拖欠农民工工资,我的工资4万多元到现在没发", "wages", id="app wages"),
        pytest.param("远宇家园到现在都不交房!我们每个月还在还房贷", "housing", id="undelivered flat"),
        pytest.param("供暖温度不达标,室内只有14度,多次联系物业未解决", "property", id="heating"),
        pytest.param("家门口的餐馆白天噪音太严重了", "noise", id="noise"),
        pytest.param("饭店油烟直排,异味很大", "pollution", id="cooking fumes"),
        pytest.param("天宇投资涉嫌非法集资,其投资血本无归", "investment", id="illegal fund-raising"),
        pytest.param("培训学校拒不退款,8000块", "consumer", id="refund"),
        pytest.param("在西固区人民医院妇产科手术后多收费用", "medical", id="hospital"),
        pytest.param("报警称被车撞伤,腿部骨折", "traffic injury", id="traffic with an injury"),
        pytest.param("小区门口道路破损,请相关部门管一下", "road", id="road damage"),
        pytest.param("邻里纠纷,现场已调解", "neighbours", id="police terse neighbours"),
        pytest.param("拆迁补偿款至今未发放", "land", id="demolition compensation"),
        pytest.param("离婚后对方不给抚养费", "family", id="family"),
        pytest.param("退休后养老金一直没有到账", "welfare", id="pension"),
        pytest.param("网上被骗走两万元", "fraud", id="fraud"),
        pytest.param("开发商停工,工人工资也没发,买的房子交不了房", "wages housing", id="two topics"),
        pytest.param("纠纷求助", None, id="no topic"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="missing"),
    ],
)
def test_dispute_topics(text: str | None, topics: str | None) -> None:
    assert dispute_topics(text) == topics


@pytest.mark.unit
def test_every_topic_is_named_and_ordered() -> None:
    assert len(set(TOPICS)) == len(TOPICS) <= 63  # token_overlap gives each a bit of an int64


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "topics"),
    [
        pytest.param("報警稱勞資糾紛", "wages", id="traditional police line"),
        pytest.param("開發商逾期交房，工資也沒發", "wages housing", id="traditional, two topics"),
        pytest.param("ＡＰＰ反映：小区供暖不达标", "property", id="full-width latin and punctuation"),
    ],
)
def test_dispute_topics_in_traditional_characters(text: str, topics: str) -> None:
    assert dispute_topics(text) == topics
