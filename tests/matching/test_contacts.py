"""A mobile the filer gives in the words of a report sent without a phone (a message board's)."""

from __future__ import annotations

from typing import Any

import pytest

from matching import standardise
from matching._contacts import masked_phone_in_text, name_in_text, phone_in_text

from .conftest import frame, record

OWN = [
    ("实在没办法了才来留言，希望领导管一哈！我的电话18200888902", "18200888902"),
    ("联系电话：182-0088-8902", "18200888902"),
    ("我手机号是139 1234 5678，请回电", "13912345678"),
    ("本人电话:13912345678", "13912345678"),
    ("我的电话13912345678，老婆电话13812345678", "13912345678"),  # hers is not read
    ("房东黑押金，1.8万不退，大家租房注意！有消息联系我13085746335", "13085746335"),
    ("物业太过分了，电动车被偷了，顶起来别沉了，tel:18186915159", "18186915159"),
    ("借给同学3万，1年多了不还，谁管管嘛。求扩散 电话15868086329", "15868086329"),
    ("谁能管管？微信同号13912345678", "13912345678"),
    ("屋裡12度，交了暖氣費就這服務？電話86-15199217797", "15199217797"),
    ("剩两千,说关门就关门,交的钱阿门办?又来反映了, 电话１８７５２８９０４２５", "18752890425"),
    ("到现在没人管了吗电话13912345678", "13912345678"),  # after a sentence's last particle
    ("还欠20950元工资没给，@南宁市政府 管不管？V:19823050378", "19823050378"),  # V: a WeChat id
    ("有冇人管下啊！有知情的加我微信1833  2953134", "18332953134"),  # digits typed apart
    ("安置房到现在没分，气死人了V:1 3905138179", "13905138179"),
    ("退不了卡 VX 13912345678", "13912345678"),
    ("求政府帮忙盘活项目！联系电话一五九三二零二二六五零", "15932022650"),  # spelt digit by digit
    ("我的电话幺三八九三幺幺二三四五", "13893112345"),  # 幺 for 1, as a number is read aloud
    ("退钱！联系电话一三九 二三四五 六七八九", "13923456789"),
]
NONE = [
    "联系电话：131****5628",  # masked: many people's
    "老板电话13912345678一直不接",  # the other side's
    "房东的电话13912345678打不通",  # the other side's, after 的
    "包工头王某电话13912345678换号了",  # a name's
    "我的电话13912345678，我的手机13812345678",  # two of their own: which one is unclear
    "打了12345热线",
    "老板微信13912345678也拉黑我了",  # the other side's WeChat
    "在vivo店买的手机13912345678",  # a phone bought, after 的
    "张三V:13912345678",  # a name's
    "联系电话问了，欠了三万二千元，二〇二四年三月的事",  # sums and a year in characters: no number
    "老板电话一三九一二三四五六七八",  # spelt, but the other side's
    None,
]


@pytest.mark.unit
@pytest.mark.parametrize(("text", "number"), OWN)
def test_the_writers_own_mobile_is_read_from_the_words(text: str, number: str) -> None:
    assert phone_in_text(text) == number


@pytest.mark.unit
@pytest.mark.parametrize("text", NONE)
def test_no_number_or_someone_elses_gives_nothing(text: str | None) -> None:
    assert phone_in_text(text) is None


@pytest.mark.unit
def test_the_words_fill_only_a_report_sent_without_a_phone(settings: Any) -> None:
    rows = frame([
        record("netizen:1", name="成都耙耳朵8278", content="押金6千多也不退。我的电话13131975628"),
        record("app:2", name="胡志萍", phone="13131975628", content="押金6000元都不退"),
        record("hotline:3", name="李娜", phone="13893112345", content="我的电话13131975628"),  # its own field wins
        record("netizen:4", name="网友", content="押金不退"),
    ])  # fmt: skip
    out = standardise(rows, settings).set_index("record_id")
    assert out["phone_norm"].tolist() == ["13131975628", "13131975628", "13893112345", None]
    assert out["phone_mobile"].tolist() == [True, True, True, False]


MASKED = [
    ("暖气一点都不热，有没有人管？联系电话131****5628", "131****5628"),
    ("我的手机：138 **** 6658", "138****6658"),
    ("本人电话139＊＊＊＊1234，盼回复", "139****1234"),
    ("我的电话1984889****", "1984889****"),
    ("楼上天天半夜打麻将，实在受不了了 联系方式173xxxx9234", "173****9234"),
    ("交付遥遥无期，相关部门管不管希望领导看到 联系方式158****6329", "158****6329"),
    ("联系电话13131975628", None),  # whole: phone_in_text reads it
    ("老板电话131****5628一直不接", None),  # the other side's
    ("我的电话131****5628，我的手机139****1234", None),  # two of their own
    ("联系电话：1**********", None),  # too little shown to say anything
    (None, None),
]


@pytest.mark.unit
@pytest.mark.parametrize(("text", "masked"), MASKED)
def test_the_writers_masked_mobile_is_read_from_the_words(text: str | None, masked: str | None) -> None:
    assert masked_phone_in_text(text) == masked


@pytest.mark.unit
def test_a_masked_number_in_the_words_keys_only_a_report_without_a_phone(settings: Any) -> None:
    rows = frame([
        record("netizen:1", name="冻透了", content="暖气不热，有人管没有。联系电话131****5628"),
        record("app:2", name="胡志萍", phone="13131975628", content="暖气不热 我的电话131****5628"),
        record("netizen:3", name="网友", phone="138****1234", content="联系电话131****5628"),  # the field's wins
        record("netizen:4", name="网友", content="我的电话13131975628，联系电话131****5628"),  # the whole one wins
    ])  # fmt: skip
    out = standardise(rows, settings).set_index("record_id")
    assert out["phone_masked"].tolist() == ["131****5628", None, "138****1234", None]
    assert out["phone_key"].tolist() == ["131*5628", "131*5628", "138*1234", "131*5628"]


OWN_NAMES = [
    ("…7个月未付，涉及人数较多，实在没办法了，请支付拖欠工资。我叫白霞。", "白霞"),
    ("押金一直不退，联系人：李生鹏，电话13685769351", "李生鹏"),
    ("本人姓名：马珍，借款9万不还", "马珍"),
    ("我叫拉毛卓玛，家住多巴镇，补偿款没到位", "拉毛卓玛"),  # a Tibetan name, four characters
    ("署名：欧阳晓东", "欧阳晓东"),
    ("我的名字叫王丽，在富强花园干活", "王丽"),
    ("我叫了120，老板一直不管", None),  # no name
    ("我是张三的女儿，替她反映", None),  # a relative's words: proxies.represented_person reads them
    ("署名：一个老百姓", None),
    ("我叫白霞，我叫白雪", None),  # two names: whose is unclear
    (None, None),
]


@pytest.mark.unit
@pytest.mark.parametrize(("text", "name"), OWN_NAMES)
def test_the_writers_own_name_is_read_from_the_words(text: str | None, name: str | None) -> None:
    assert name_in_text(text) == name


@pytest.mark.unit
def test_the_words_name_only_a_report_sent_without_a_name(settings: Any) -> None:
    rows = frame([
        record("netizen:1", name="湟水河畔", content="河湟建工拖欠工资41000，请支付拖欠工资。我叫白霞。"),
        record("hotline:2", name="白霞", phone="15177557909", content="河湟建工拖欠其工资四万一千块"),
        record("app:3", name="李娜", phone="13893112345", content="我叫白霞"),  # its own field wins
        record("netizen:4", name="匿名网友", content="工资不给。我叫了120"),
    ])  # fmt: skip
    out = standardise(rows, settings).set_index("record_id")
    assert out["name_norm"].tolist() == ["白霞", "白霞", "李娜", None]
    assert out["name_surname"].tolist() == ["bai", "bai", "li", None]
