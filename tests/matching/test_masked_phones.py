"""A mobile shown with digits hidden (138****6658): read, keyed, compared, and matched to the whole number."""

from __future__ import annotations

from typing import Any

import pytest

from matching import dedupe, standardise
from matching._masked_phones import masked_mobile, mobile_key

from .conftest import frame, record


@pytest.mark.unit
@pytest.mark.parametrize(
    ("raw", "masked", "key"),
    [
        pytest.param("138****6658", "138****6658", "138*6658", id="the middle four hidden"),
        pytest.param("138 **** 6658", "138****6658", "138*6658", id="spaced"),
        pytest.param("+86 138xxxx6658", "138****6658", "138*6658", id="+86 and x for the hidden digits"),
        pytest.param("138＊＊＊＊6658", "138****6658", "138*6658", id="full-width asterisks"),
        pytest.param("138-××××-6658", "138****6658", "138*6658", id="× and dashes"),
        pytest.param("1984889****", "1984889****", None, id="the last four hidden: compared, not keyed"),
        pytest.param("139*****628", "139*****628", None, id="five hidden"),
        pytest.param("*******6658", None, None, id="four shown say too little"),
        pytest.param("0451-8****342", None, None, id="a landline"),
        pytest.param("138****665", None, None, id="ten places"),
        pytest.param("12*****6658", None, None, id="no mobile begins 12"),
        pytest.param("13870686658", None, "138*6658", id="a whole mobile: keyed only"),
        pytest.param("", None, None, id="empty"),
    ],
)  # fmt: skip
def test_a_masked_mobile_is_read_with_its_places(raw: str, masked: str | None, key: str | None) -> None:
    assert masked_mobile(raw) == masked
    assert mobile_key(masked if masked is not None else raw) == key


@pytest.mark.unit
def test_the_standardiser_writes_the_places_and_the_key(settings: Any) -> None:
    rows = frame([
        record("netizen:1", phone="138****6658"),
        record("hotline:2", phone="+86 138-7068-6658"),
        record("police:3", phone="0931-8123456"),
        record("app:4", phone=None),
    ])  # fmt: skip
    out = standardise(rows, settings).set_index("record_id")
    assert out["phone_masked"].tolist() == ["138****6658", None, None, None]
    assert out["phone_key"].tolist() == ["138*6658", "138*6658", None, None]
    assert out["phone_norm"].tolist() == [None, "13870686658", "09318123456", None]  # as before


@pytest.mark.unit
def test_a_boards_masked_number_joins_the_whole_one_the_hotline_logged(settings: Any) -> None:
    # 郭文 calls the hotline; weeks later she posts under a handle, and the board prints her number
    # masked. A post whose shown digits disagree is another writer's.
    text = "豪景名苑烂尾，首付740000元，开发商广州兴华房地产开发有限公司跑路"
    rows = [
        record("hotline:1", name="郭文", phone="13870686658", category="房产", reported_at="2026-01-05T09:00:00+08:00",
               content=f"来电人反映{text}，要求处理。"),
        record("netizen:2", name="骑手老张1885", phone="138****6658", category="城建",
               reported_at="2026-02-20T21:00:00+08:00", content=f"{text}了吗？我首付740000元！"),
        record("netizen:3", name="无奈的人", phone="138****1234", category="城建",
               reported_at="2026-02-21T21:00:00+08:00", content=f"{text}了吗？我首付740000元！"),
    ]  # fmt: skip
    clusters = dedupe(frame(rows), settings).clusters.set_index("record_id")["cluster_id"]
    assert clusters["hotline:1"] == clusters["netizen:2"]
    assert clusters["netizen:3"] not in {clusters["hotline:1"]}
