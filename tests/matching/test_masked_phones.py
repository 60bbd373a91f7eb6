"""A mobile shown with digits hidden (138****6658): read, keyed, compared, and matched to the whole number."""

from __future__ import annotations

from typing import Any

import pytest

from matching import blocking_keys, dedupe, probe_keys, standardise
from matching._masked_phones import masked_mobile, mobile_ends, mobile_head, mobile_key, mobile_tail_shown
from matching.candidates import candidate_pairs

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


@pytest.mark.unit
@pytest.mark.parametrize(
    ("number", "key", "ends", "head"),
    [
        pytest.param("138****6658", "138*6658", None, None, id="the middle four hidden: its key alone"),
        pytest.param("138****5678", "138*5678", None, None, id="another with the middle four hidden"),
        pytest.param("139*****928", None, "139*928", None, id="five hidden: its ends"),
        pytest.param("139***6*928", None, "139*928", None, id="a shown digit among the five: its ends"),
        pytest.param("1381234****", None, None, "1381234*", id="the last four hidden: its head"),
        pytest.param("1381234*5**", None, None, "1381234*", id="a shown digit among the last four: its head"),
        pytest.param("138*****678", None, "138*678", None, id="five hidden, found by its ends not its head"),
        pytest.param("138123*****", None, None, None, id="six shown"),
        pytest.param("139*****92", None, None, None, id="ten places"),
        pytest.param("13932266928", "139*6928", "139*928", "1393226*", id="a whole mobile: every key"),
        pytest.param("13812345678", "138*5678", "138*678", "1381234*", id="another whole mobile"),
        pytest.param(None, None, None, None, id="none"),
    ],
)  # fmt: skip
def test_a_mobile_is_keyed_by_the_digits_its_mask_shows(
    number: str | None, key: str | None, ends: str | None, head: str | None
) -> None:
    # One key per mask (the middle four, five digits, the last four hidden); a whole mobile has all three,
    # so that it meets a masked number of any of these kinds.
    assert (mobile_key(number), mobile_ends(number), mobile_head(number)) == (key, ends, head)


@pytest.mark.unit
def test_the_standardiser_writes_the_ends_of_whole_numbers_and_of_five_hidden(settings: Any) -> None:
    rows = frame([
        record("app:1", phone="139*****928"),
        record("hotline:2", phone="139 3226 6928"),
        record("netizen:3", phone="138****6658"),
        record("police:4", phone="0931-8123456"),
    ])  # fmt: skip
    out = standardise(rows, settings).set_index("record_id")
    assert out["phone_ends"].tolist() == ["139*928", "139*928", None, None]
    assert out["phone_masked"].tolist() == ["139*****928", None, "138****6658", None]


@pytest.mark.unit
def test_five_hidden_digits_pair_the_masked_number_with_the_whole_ones_only(settings: Any) -> None:
    # Six callers whose mobiles share their first and last three digits, and two app users showing them:
    # each app user is compared with every caller, the callers not with each other.
    callers = [record(f"hotline:{i}", phone=f"139{i}{i}{i}{i}{i}928", reported_at="2026-03-01 10:00:00+08:00")
               for i in range(6)]  # fmt: skip
    users = [
        record(f"app:{i}", phone="139*****928", reported_at="2026-05-01 10:00:00+08:00") for i in range(2)
    ]
    pairs, _ = candidate_pairs(frame(callers + users), settings=settings)
    ends = pairs[pairs["rules"].astype(str).str.contains("phone_ends")]
    found = {frozenset(p) for p in zip(ends["record_id_l"], ends["record_id_r"], strict=True)}
    assert found == {frozenset((f"app:{a}", f"hotline:{h}")) for a in range(2) for h in range(6)} | {
        frozenset(("app:0", "app:1"))
    }
    # A new caller reaches back to the pooled app users, not to the pooled callers.
    new = frame([record("hotline:new", phone="13977777928", reported_at="2026-06-01 10:00:00+08:00")])
    pairs, _ = candidate_pairs(new, frame(callers + users), settings=settings)
    assert set(pairs["record_id_l"]) | set(pairs["record_id_r"]) == {"app:0", "app:1", "hotline:new"}


@pytest.mark.unit
def test_an_apps_number_with_five_hidden_joins_the_whole_one_the_hotline_logged(settings: Any) -> None:
    # 陈师傅 calls about the swimming hall that closed with her card's money; her app report three months on
    # shows 139*****928 under a nickname. A neighbour's app number with other last digits is another's.
    rows = [
        record("hotline:1", name="陈师傅", phone="13932266928", category="消费维权", address="梨园新村33栋1单元501",
               reported_at="2026-03-28T09:00:00+08:00",
               content="来电人称：嘉凯游泳馆跑路了，其卡里还有1.79万冇用。诉求：要求退还卡内余额。"),
        record("app:2", name="武昌一枚623", phone="139*****928", category="投诉", address="梨园新村33栋",
               reported_at="2026-07-10T21:00:00+08:00",
               content="嘉凯游泳馆的老板跑哪去了，我办的游泳卡花了17900元，现在不给退钱！"),
        record("app:3", name="江城居民", phone="139*****111", category="投诉", address="梨园新村33栋",
               reported_at="2026-07-10T22:00:00+08:00",
               content="嘉凯游泳馆的老板跑哪去了，我办的游泳卡花了5000元，现在不给退钱！"),
    ]  # fmt: skip
    clusters = dedupe(frame(rows), settings).clusters.set_index("record_id")["cluster_id"]
    assert clusters["hotline:1"] == clusters["app:2"]
    assert clusters["app:3"] != clusters["hotline:1"]


@pytest.mark.unit
def test_a_boards_number_with_its_end_hidden_meets_the_whole_ones_of_its_head_on_its_topic(
    settings: Any,
) -> None:
    # A board prints 1381234****; the hotline logged 13812345678 four months before about the same unpaid
    # wages, and 13812340000 about a neighbour's noise: the post meets the first, not the second.
    rows = frame([
        record("hotline:1", phone="13812345678", reported_at="2026-02-01 10:00:00+08:00",
               content="来电人反映被拖欠工资，老板不接电话"),
        record("hotline:2", phone="13812340000", reported_at="2026-02-02 10:00:00+08:00",
               content="来电人反映楼上邻居装修噪音扰民"),
        record("netizen:3", phone="1381234****", reported_at="2026-06-01 10:00:00+08:00",
               content="干了一年的活，工资到现在一分没给，老板跑了"),
    ])  # fmt: skip
    out = standardise(rows, settings).set_index("record_id")
    assert out["phone_head"].tolist() == ["1381234*", "1381234*", "1381234*"]
    pairs, _ = candidate_pairs(rows, settings=settings)
    head = pairs[pairs["rules"].astype(str).str.contains("phone_head")]
    assert set(zip(head["record_id_l"], head["record_id_r"], strict=True)) == {("hotline:1", "netizen:3")}


@pytest.mark.unit
def test_a_whole_number_probes_the_pool_for_masked_numbers_only(settings: Any) -> None:
    # The pool stores every whole mobile's ends, and a masked number's twice: under the rule and under the
    # label a whole number probes. So a new call fetches the pooled app users showing its ends, not the
    # pooled callers sharing them; a new app user fetches both.
    pooled = frame([
        record("hotline:1", phone="13911111928", reported_at="2026-03-01 10:00:00+08:00"),
        record("app:2", phone="139*****928", reported_at="2026-03-02 10:00:00+08:00"),
    ])  # fmt: skip
    stored = blocking_keys(pooled, settings)
    stored = stored[stored["rule"].str.startswith("phone_ends")]
    assert set(zip(stored["record_id"], stored["rule"], strict=True)) == {
        ("hotline:1", "phone_ends"), ("app:2", "phone_ends"), ("app:2", "phone_ends@phone_masked")
    }  # fmt: skip

    def fetched(new: dict[str, Any]) -> set[str]:
        probes = probe_keys(frame([new]), settings)
        probes = probes[probes["rule"].str.startswith("phone_ends")]
        wanted = set(zip(probes["rule"], probes["key"], strict=True))
        return {r for r, rule, key in stored.itertuples(index=False) if (rule, key) in wanted}

    call = record("hotline:3", phone="13922222928", reported_at="2026-04-01 10:00:00+08:00")
    post = record("app:4", phone="139*****928", reported_at="2026-04-01 10:00:00+08:00")
    assert fetched(call) == {"app:2"}
    assert fetched(post) == {"hotline:1", "app:2"}


@pytest.mark.unit
@pytest.mark.parametrize(
    ("raw", "tail"),
    [
        pytest.param("*******6658", "6658", id="the last four shown"),
        pytest.param("＊＊＊＊＊＊＊6658", "6658", id="full-width asterisks"),
        pytest.param("+86 ***-****-6658", "6658", id="+86 and dashes"),
        pytest.param("xxxxxxx6658", "6658", id="x for the hidden digits"),
        pytest.param("138****6658", None, id="more shown: masked_mobile reads it"),
        pytest.param("******6658", None, id="ten places: no mobile"),
        pytest.param("********658", None, id="three shown"),
        pytest.param("13870686658", None, id="a whole mobile"),
        pytest.param("", None, id="no number"),
    ],
)
def test_a_mobile_shown_by_its_last_four_alone_is_read_as_them(raw: str, tail: str | None) -> None:
    assert mobile_tail_shown(raw) == tail


@pytest.mark.unit
def test_the_standardiser_writes_the_tail_of_whole_numbers_and_of_the_last_four_shown(settings: Any) -> None:
    rows = frame([
        record("netizen:1", phone="*******6658"),
        record("hotline:2", phone="13870686658"),
        record("app:3", phone="138****6658"),
        record("police:4", phone="0931-8123456"),
    ])  # fmt: skip
    out = standardise(rows, settings)
    assert out["phone_tail"].tolist() == ["6658", "6658", None, None]
    assert out["phone_tail_only"].tolist() == ["6658", None, None, None]
    assert out["phone_masked"].tolist() == [None, None, "138****6658", None]  # as before


@pytest.mark.unit
def test_a_number_shown_by_its_last_four_joins_the_whole_one_on_its_topic(settings: Any) -> None:
    # 吴超杰 called about the decorator that botched his flat; a week later an app report with no name shows
    # *******8652, about the same firm and sum: only its last four digits find his call. A caller whose
    # mobile ends 8652 too, about a neighbour's dog, is another's.
    rows = frame([
        record("hotline:1", name="吴超杰", phone="18530188652", category="消费维权", address="鼓楼区景绿A区",
               reported_at="2024-08-14T09:00:00+08:00",
               content="来电人称：其在南京汇月家居有限公司消费2360元，装修质量差拒不整改。请市场监管部门处理。"),
        record("app:2", phone="*******8652", category="消费维权", reported_at="2024-08-22T10:00:00+08:00",
               content="汇月家居装修质量差拒不整改，2360元协商无果。要求退款并赔偿。"),
        record("hotline:3", name="王女士", phone="13900008652", category="邻里纠纷", address="秦淮区瑞金路",
               reported_at="2024-08-20T10:00:00+08:00", content="楼上邻居养狗不拴绳，吓到小孩"),
    ])  # fmt: skip
    pairs, _ = candidate_pairs(rows, settings=settings)
    tail = pairs[pairs["rules"].astype(str).str.contains("phone_tail")]
    assert set(zip(tail["record_id_l"], tail["record_id_r"], strict=True)) == {("app:2", "hotline:1")}
    clusters = dedupe(rows, settings).clusters.set_index("record_id")["cluster_id"]
    assert clusters["hotline:1"] == clusters["app:2"]
    assert clusters["hotline:3"] != clusters["app:2"]


@pytest.mark.unit
def test_a_whole_number_probes_the_pool_for_numbers_shown_by_their_last_four(settings: Any) -> None:
    pooled = frame([
        record("hotline:1", phone="13911116658", reported_at="2026-03-01 10:00:00+08:00", content="被拖欠工资"),
        record("app:2", phone="*******6658", reported_at="2026-03-02 10:00:00+08:00", content="老板欠工资不给"),
    ])  # fmt: skip
    stored = blocking_keys(pooled, settings)
    stored = stored[stored["rule"].str.startswith("phone_tail")]
    assert set(zip(stored["record_id"], stored["rule"], strict=True)) == {
        ("hotline:1", "phone_tail+content_topics"), ("app:2", "phone_tail+content_topics"),
        ("app:2", "phone_tail+content_topics@phone_tail_only"),
    }  # fmt: skip
    call = frame([record("hotline:3", phone="13922226658", reported_at="2026-04-01 10:00:00+08:00",
                         content="工地拖欠工资")])  # fmt: skip
    probes = probe_keys(call, settings)
    wanted = set(zip(probes["rule"], probes["key"], strict=True))
    assert {r for r, rule, key in stored.itertuples(index=False) if (rule, key) in wanted} == {"app:2"}
