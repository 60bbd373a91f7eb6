"""Clustering: components over merge edges, guards against chaining two people, stable case ids."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matching import case_id_for
from matching._address import village_house
from matching.clustering import (
    HOME_NAMES,
    MONTH_DAYS,
    GuardData,
    _facts_may_conflict,
    claims_at_one_home,
    connected_components,
    guarded_components,
    home_flats,
    name_without_contact,
    shared_anchors,
)


def _guard_data(ids: list[str | None], mobiles: list[str | None], names: list[str | None]) -> GuardData:
    return GuardData(
        np.array(ids, dtype=object), np.array(mobiles, dtype=object), np.array(names, dtype=object)
    )


@pytest.mark.unit
def test_connected_components_label_by_smallest_member() -> None:
    labels = connected_components(6, np.array([4, 1, 2]), np.array([5, 2, 3]))
    assert labels.tolist() == [0, 1, 1, 1, 4, 4]


@pytest.mark.unit
def test_two_valid_id_numbers_never_share_a_cluster() -> None:
    # 0 and 2 hold different valid ids; 1 (no id) links to both. The stronger edge wins, the other is refused.
    data = _guard_data(["620102198703151236", None, "62010219900101002X"], [None] * 3, ["zanwei"] * 3)
    labels, _ = guarded_components(3, np.array([0, 1]), np.array([1, 2]), np.array([30.0, 20.0]), data)
    assert labels.tolist() == [0, 0, 2]


@pytest.mark.unit
def test_two_id_numbers_on_one_mobile_or_at_one_home_are_a_household() -> None:
    # 曹海军 (his id, his mobile) and his daughter 曹一婵 filing for his flat with her own id and mobile, then
    # from his mobile: the two ids stay apart until her cluster holds his mobile or names his flat.
    ids: list[str | None] = ["620104194503061097", "620104197006287187"]

    def family(mobiles: list[str | None], names: list[str | None]) -> GuardData:
        data = _guard_data(ids, mobiles, names)
        data.pinyin, data.phone = np.array(names, dtype=object), np.array(mobiles, dtype=object)
        data.id_number = np.array(ids, dtype=object)
        return data

    edge = (np.array([0]), np.array([1]), np.array([30.0]))
    data = family(["13993185233", "13993114177"], ["caohaijun", "caoyichan"])
    assert guarded_components(2, *edge, data)[0].tolist() == [0, 1]
    assert guarded_components(2, *edge, data, households=np.array([True]))[0].tolist() == [0, 0]
    data.homes = [np.array([4, 4])]  # 辉宏国际10号楼3单元403室 in both
    assert guarded_components(2, *edge, data)[0].tolist() == [0, 0]
    data = family(["13993185233", "13993185233"], ["caohaijun", "caoyichan"])
    assert guarded_components(2, *edge, data)[0].tolist() == [0, 0]
    # Two 张丽 with two ids are two namesakes, whatever they share: a mobile that a false merge of one of them
    # brought, or a flat number two buyers of one project both wrote.
    data = family(["13814779350", "13814779350"], ["zhangli", "zhangli"])
    assert guarded_components(2, *edge, data)[0].tolist() == [0, 1]
    data.homes = [np.array([4, 4])]
    assert guarded_components(2, *edge, data)[0].tolist() == [0, 1]
    # A landline shared by two ids (a shop's phone) is no household: test_two_valid_id_numbers_never_end_in_one_case.


@pytest.mark.unit
def test_weaker_link_loses_whatever_the_edge_order() -> None:
    data = _guard_data(["620102198703151236", None, "62010219900101002X"], [None] * 3, ["zanwei"] * 3)
    labels, _ = guarded_components(3, np.array([1, 0]), np.array([2, 1]), np.array([40.0, 20.0]), data)
    assert labels.tolist() == [0, 1, 1]


@pytest.mark.unit
def test_different_mobile_and_different_name_do_not_chain() -> None:
    # 1 shares a mobile with 0 and a name with 2; 0 and 2 share nothing: no chain from 0 to 2.
    data = _guard_data([None] * 3, ["13893112345", "13893112345", "13993154321"], ["zanwei", "lina", "lina"])
    labels, _ = guarded_components(3, np.array([0, 1]), np.array([1, 2]), np.array([25.0, 10.0]), data)
    assert labels.tolist() == [0, 0, 2]


@pytest.mark.unit
def test_one_name_at_one_address_chains_through_a_family_mobile() -> None:
    # 黄素菊 on the app from the family's mobile, her son 黄泽 on the hotline from it; 黄素菊 at the police from
    # her own mobile. Her two reports give one name at one road and number: one person, so her police report
    # joins, though her son's name and mobile differ from it in both.
    data = _guard_data(
        [None] * 3, ["15395374650", "15395374650", "15193178433"], ["huanshuju", "huanze", "huanshuju"]
    )
    left, right, weight = np.array([0, 0]), np.array([1, 2]), np.array([25.0, 10.0])
    assert guarded_components(3, left, right, weight, data)[0].tolist() == [0, 0, 2]
    data.residents = np.array(["huanshuju@和平路196号", None, "huanshuju@和平路196号"], dtype=object)
    assert guarded_components(3, left, right, weight, data)[0].tolist() == [0, 0, 0]
    data.residents = np.array(["huanshuju@和平路196号", None, "huanshuju@金城路8号"], dtype=object)
    assert guarded_components(3, left, right, weight, data)[0].tolist() == [0, 0, 2]


@pytest.mark.unit
def test_cannot_link_holds_through_a_chain() -> None:
    data = _guard_data([None] * 3, [None] * 3, ["zanwei"] * 3)
    data.cannot_link = [(0, 2)]
    labels, _ = guarded_components(3, np.array([0, 1]), np.array([1, 2]), np.array([25.0, 10.0]), data)
    assert labels[0] != labels[2]


@pytest.mark.unit
def test_forced_edges_go_first_and_skip_the_id_guard() -> None:
    data = _guard_data(["620102198703151236", "62010219900101002X"], [None] * 2, ["zanwei"] * 2)
    forced = np.array([True])
    labels, _ = guarded_components(2, np.array([0]), np.array([1]), np.array([np.inf]), data, forced)
    assert labels.tolist() == [0, 0]


@pytest.mark.unit
def test_case_id_is_a_stable_hash_of_the_smallest_record_id() -> None:
    assert case_id_for("petition:XF1") == case_id_for("petition:XF1")
    assert case_id_for("petition:XF1").startswith("case-")
    assert case_id_for("petition:XF1") != case_id_for("petition:XF2")


@pytest.mark.unit
def test_clusters_quoting_different_sums_do_not_chain() -> None:
    # One person's two wage disputes of one day: 0 and 2 quote different sums; 1 quotes none and links both.
    data = _guard_data([None] * 3, ["13893112345"] * 3, ["zanwei"] * 3)
    data.guards = ("id_number", "mobile_and_name", "facts")
    data.facts = np.array(["a32000 d202603", None, "a15000"], dtype=object)
    labels, _ = guarded_components(3, np.array([0, 1]), np.array([1, 2]), np.array([25.0, 20.0]), data)
    assert labels.tolist() == [0, 0, 2]


@pytest.mark.unit
def test_one_sum_said_exactly_and_rounded_is_one_sum() -> None:
    # 25630元 in one report and 2.56万 in the other (or 5700 for 5720): one sum, the chain holds; 31000 is
    # another sum and is refused as before.
    data = _guard_data([None] * 3, ["13893112345"] * 3, ["zanwei"] * 3)
    data.guards = ("id_number", "mobile_and_name", "facts")
    left, right, weight = np.array([0, 1]), np.array([1, 2]), np.array([25.0, 20.0])
    data.facts = np.array(["a25630", None, "a25600"], dtype=object)
    assert guarded_components(3, left, right, weight, data)[0].tolist() == [0, 0, 0]
    for other in ("a31000", "a25700", "a25610"):  # another sum; 25630 said to the hundred is 25600
        data.facts = np.array(["a25630", None, other], dtype=object)
        assert guarded_components(3, left, right, weight, data)[0].tolist() == [0, 0, 2]
    for said in ("a5700", "a25000"):  # rounded, or the rest dropped: 5720 as 5700, 二万五 for 25630 (2.5%)
        data.facts = np.array(["a5720" if said == "a5700" else "a25630", None, said], dtype=object)
        assert guarded_components(3, left, right, weight, data)[0].tolist() == [0, 0, 0]


@pytest.mark.unit
def test_a_crews_total_is_not_held_against_the_workers_own_sum() -> None:
    # One worker: his own 26900元 on one channel, the crew's 331000元 (及13名工友) on another, and a third
    # report quoting no sum between them. Read from the frame, the crew's text keeps no guarded sum.
    frame = pd.DataFrame({
        "name_fuzzy": ["wanshijie"] * 3, "content_facts": ["a26900 p荣源", None, "a331000 p荣源"],
        "content_group": [False, None, True],
    })  # fmt: skip
    data = GuardData.from_frame(frame, ("id_number", "mobile_and_name", "facts"))
    assert data.facts is not None and data.facts.tolist() == ["a26900 p荣源", None, "p荣源"]
    left, right, weight = np.array([0, 1]), np.array([1, 2]), np.array([25.0, 20.0])
    assert guarded_components(3, left, right, weight, data)[0].tolist() == [0, 0, 0]
    # Without the flag the two sums are two disputes', as before.
    data = GuardData.from_frame(
        frame.drop(columns="content_group"), ("id_number", "mobile_and_name", "facts")
    )
    assert guarded_components(3, left, right, weight, data)[0].tolist() == [0, 0, 2]


@pytest.mark.unit
def test_clusters_naming_different_projects_do_not_chain() -> None:
    # One buyer's two stalled flats: 0 names 德新华府, 2 names 富源国际; 1 (他买的房子, no project) links both.
    data = _guard_data([None] * 3, ["13993174134"] * 3, ["weiyuehao"] * 3)
    data.guards = ("id_number", "mobile_and_name", "facts")
    data.facts = np.array(["p德新 d202408", None, "a221400 p富源"], dtype=object)
    left, right, weight = np.array([0, 1]), np.array([1, 2]), np.array([25.0, 20.0])
    labels, _ = guarded_components(3, left, right, weight, data)
    assert labels.tolist() == [0, 0, 2]
    # One project whose name was cut two ways (碧桂园: 碧桂 and 桂园) is one project: the chain holds.
    data.facts = np.array(["p碧桂", None, "a221400 p桂园"], dtype=object)
    labels, _ = guarded_components(3, left, right, weight, data)
    assert labels.tolist() == [0, 0, 0]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("first", "second", "weeks", "one_case"),
    [
        ("t7m", "t3m", 8, False),  # 7 months in April, 3 in June: it began in September, then in March
        ("t3m", "t5m", 8, True),  # 3 months, then 5 two months later: one dispute going on
        ("t6m", "t7m", 4, True),  # 拖了半年, then 7个月 a month later
        ("t4m", "t4m", 24, True),  # a forwarded order repeats its text half a year later
        ("t90d", "t5m", 8, True),  # 90天 then 5个月: days and months on one calendar
        ("t1m", "t12m", 1, False),  # a month against a year, in one week
        ("t2.5m", "t4.5m", 8, True),  # 两个半月, then 四个半月 two months later
        ("t2.5m", "t9.5m", 4, False),  # 两个半月 against 九个半月 a month later
    ],
)
def test_clusters_quoting_durations_that_began_apart_do_not_chain(
    first: str, second: str, weeks: int, one_case: bool
) -> None:
    # One woman's quarrels with her neighbour's dog: 0 and 2 say how long it has gone on; 1 (邻里纠纷, the
    # police line, nothing quoted) links both by her phone.
    data = _guard_data([None] * 3, ["13928626009"] * 3, ["linyan"] * 3)
    data.guards = ("id_number", "mobile_and_name", "facts")
    data.facts = np.array([first, None, second], dtype=object)
    day = 20_560.0
    data.days = np.array([day, day, day + 7 * weeks])
    labels, _ = guarded_components(3, np.array([0, 1]), np.array([1, 2]), np.array([25.0, 20.0]), data)
    assert labels.tolist() == ([0, 0, 0] if one_case else [0, 0, 2])
    data.days = None  # undated, a duration agrees only with itself
    labels, _ = guarded_components(3, np.array([0, 1]), np.array([1, 2]), np.array([25.0, 20.0]), data)
    assert labels.tolist() == ([0, 0, 0] if first == second else [0, 0, 2])


@pytest.mark.unit
def test_month_days_is_a_mean_calendar_month() -> None:
    assert MONTH_DAYS * 12 == pytest.approx(365.25)


@pytest.mark.unit
def test_a_report_naming_no_topic_does_not_chain_two_disputes_about_different_things() -> None:
    # One caller's wage claim (0) and, weeks later, his neighbour complaint (2); a police line 纠纷求助 (1)
    # names no topic, so the model pairs it with both on the phone alone.
    data = _guard_data([None] * 3, ["13893112345"] * 3, ["zanwei"] * 3)
    data.guards = ("id_number", "mobile_and_name", "facts", "topics")
    data.topics = np.array(["wages", None, "neighbours"], dtype=object)
    left, right, weight = np.array([0, 1]), np.array([1, 2]), np.array([25.0, 20.0])
    labels, _ = guarded_components(3, left, right, weight, data)
    assert labels.tolist() == [0, 0, 2]
    # Reports that share a topic chain through it (a stalled project: wages and the flat, then wages).
    data.topics = np.array(["housing wages", None, "wages"], dtype=object)
    labels, _ = guarded_components(3, left, right, weight, data)
    assert labels.tolist() == [0, 0, 0]
    # An edge whose two reports both name topics was judged on them by the model: it joins.
    data.topics = np.array(["wages", "neighbours", "neighbours"], dtype=object)
    labels, _ = guarded_components(3, left, right, weight, data)
    assert labels.tolist() == [0, 0, 0]


@pytest.mark.unit
def test_a_report_naming_no_matter_does_not_chain_two_disputes_on_one_topic() -> None:
    # 陈冬韵's two quarrels with neighbours: the stairwell clutter (0), the leaking bathroom above (2); the
    # police's 邻里纠纷 (1) names the topic and no matter, so it pairs with both on her phone.
    data = _guard_data([None] * 3, ["17723524344"] * 3, ["cendonyun"] * 3)
    data.guards = ("id_number", "mobile_and_name", "facts", "topics", "matters")
    data.topics = np.array(["neighbours"] * 3, dtype=object)
    data.matters = np.array(["clutter", None, "leak"], dtype=object)
    left, right, weight = np.array([0, 1]), np.array([1, 2]), np.array([25.0, 20.0])
    labels, _ = guarded_components(3, left, right, weight, data)
    assert labels.tolist() == [0, 0, 2]
    # Without the guard they chain, and with one matter shared (the leak came with the renovation) they join.
    data.matters = None
    assert guarded_components(3, left, right, weight, data)[0].tolist() == [0, 0, 0]
    data.matters = np.array(["works leak", None, "leak"], dtype=object)
    assert guarded_components(3, left, right, weight, data)[0].tolist() == [0, 0, 0]


@pytest.mark.unit
def test_an_honorific_does_not_chain_two_named_people_without_a_shared_contact() -> None:
    # 张跃庆 and 张朝义 (two members of one group dispute), and an operator's 张先生 matched to both.
    data = _guard_data([None] * 3, [None] * 3, ["zanyueqin", None, "zanchaoyi"])
    data.guards = ("id_number", "mobile_and_name", "facts", "name_without_contact")
    data.pinyin = np.array(["zhangyueqing", None, "zhangchaoyi"], dtype=object)
    data.phone = np.array([None, "13993100001", None], dtype=object)
    data.id_number = np.array([None] * 3, dtype=object)
    left, right, weight = np.array([0, 1]), np.array([1, 2]), np.array([30.0, 20.0])
    labels, _ = guarded_components(3, left, right, weight, data)
    assert labels.tolist() == [0, 0, 2]
    # The same phone on both named records: one person after all (a name typed two ways), one cluster.
    data.phone = np.array(["13993100001", "13993100001", "13993100001"], dtype=object)
    labels, _ = guarded_components(3, left, right, weight, data)
    assert labels.tolist() == [0, 0, 0]


@pytest.mark.unit
def test_a_cluster_naming_no_one_new_joins_despite_a_typo_already_in_the_other() -> None:
    # 吴庆荣 and his name mistyped 昊庆荣 are one cluster (they share a phone); his report from another phone
    # names him again: it brings no new person, and the typo must not keep it out.
    data = _guard_data([None] * 3, [None] * 3, ["wuqinlong", "haoqinlong", "wuqinlong"])
    data.guards = ("id_number", "mobile_and_name", "facts", "name_without_contact")
    data.pinyin = np.array(["wuqingrong", "haoqingrong", "wuqingrong"], dtype=object)
    data.phone = np.array(["13993100001", "13993100001", "18093100002"], dtype=object)
    data.id_number = np.array([None] * 3, dtype=object)
    left, right, weight = np.array([0, 1]), np.array([1, 2]), np.array([30.0, 20.0])
    labels, _ = guarded_components(3, left, right, weight, data)
    assert labels.tolist() == [0, 0, 0]
    # Another person's name on the third report: refused, as before.
    data.pinyin[2] = "wangjianjun"
    labels, _ = guarded_components(3, left, right, weight, data)
    assert labels.tolist() == [0, 0, 2]


@pytest.mark.unit
def test_a_household_phone_joins_two_names_but_a_shared_name_alone_does_not() -> None:
    # 石鑫 from his phone and from another; his wife 孙舒 from his phone. Her cluster brings no new number.
    data = _guard_data([None] * 3, ["17677241895", "17677241895", "19520313230"], ["sunsu", "sixin", "sixin"])
    labels, _ = guarded_components(3, np.array([1, 0]), np.array([2, 1]), np.array([30.0, 20.0]), data)
    assert labels.tolist() == [0, 0, 0]
    # A third number on her side: the clusters each bring a number the other lacks, and differ in name.
    data = _guard_data([None] * 4, ["17677241895", "17677241895", "19520313230", "13393100003"],
                       ["sunsu", "sixin", "sixin", "sunsu"])  # fmt: skip
    left, right, weight = np.array([0, 1, 0]), np.array([3, 2, 1]), np.array([40.0, 30.0, 20.0])
    labels, _ = guarded_components(4, left, right, weight, data)
    assert labels.tolist() == [0, 1, 1, 0]


@pytest.mark.unit
def test_a_span_of_days_is_no_duration_of_the_dispute() -> None:
    # 崔波's smoke from the scrap yard: 在门口圪蹴了一天 (a day waiting at the door) in March, 持续一年 in April.
    # The day is how long he waited, not how long the dispute has gone on; 90 days would be.
    data = _guard_data([None] * 3, ["15114518301"] * 3, ["cuibo"] * 3)
    data.guards = ("id_number", "mobile_and_name", "facts")
    data.days = np.array([20_500.0, 20_500.0, 20_530.0])
    for first, one_case in (("t1d", True), ("t15d", True), ("t90d", False)):
        data.facts = np.array([first, None, "t12m"], dtype=object)
        labels, _ = guarded_components(3, np.array([0, 1]), np.array([1, 2]), np.array([25.0, 20.0]), data)
        assert labels.tolist() == ([0, 0, 0] if one_case else [0, 0, 2]), first


@pytest.mark.unit
def test_a_masked_number_agreeing_with_the_others_mobile_is_a_phone_in_common() -> None:
    # 凤岭小蚂蚁 posts with tel 139****7369; 罗俊杰 called from 13989577369. Names disagree, no whole phone is
    # shared, but every digit the board shows is his: not two strangers. A masked number that disagrees
    # (masked_phone 0) or none (-1) leaves them strangers.
    gammas = {"name": np.array([0, 0, 0]), "phone": np.array([-1, -1, -1]), "id": np.array([-1, -1, -1]),
              "masked_phone": np.array([1, 0, -1])}  # fmt: skip
    exact = {"phone": 2, "id": 3, "masked_phone": 1}
    assert name_without_contact(gammas, exact).tolist() == [False, True, True]


@pytest.mark.unit
def test_an_honorific_with_another_phone_quoting_the_same_sum_is_not_a_stranger() -> None:
    # Levels: name 1 = surname only (an operator's 陈先生), 0 = names disagree; phone 0 = differ; exact = 2.
    gammas = {"name": np.array([1, 1, 0]), "phone": np.array([0, 0, 0]), "id": np.array([-1, -1, -1])}
    exact = {"phone": 2, "id": 3}
    assert name_without_contact(gammas, exact).tolist() == [True, True, True]
    # The first pair quotes one sum (230万 = 2300000元), the third too: two full names stay two people.
    anchored = np.array([True, False, True])
    assert name_without_contact(gammas, exact, anchored).tolist() == [False, True, True]


@pytest.mark.unit
def test_share_anchor_reads_the_largest_sum_and_the_flat() -> None:
    records = pd.DataFrame({"content_sum": ["a2300000", "a2300000", None, None],
                            "content_flat": [None, "r7-5-902", None, "r7-5-902"]})  # fmt: skip
    left, right = np.array([0, 1, 2]), np.array([1, 3, 3])
    shared, household = shared_anchors(records, left, right)
    assert shared.tolist() == [True, True, False]
    assert household.tolist() == [False, True, False]  # one flat, down to its unit: one home
    shared, household = shared_anchors(pd.DataFrame({"name": ["a", "b"]}), np.array([0]), np.array([1]))
    assert shared.tolist() == household.tolist() == [False]


@pytest.mark.unit
def test_a_flat_named_in_one_address_and_in_the_other_words_is_one_household() -> None:
    # 0's address names 14号楼5单元1403 (address_flat), 1's complaint names it (content_flat); 2 and 3 quote
    # one office room (1501室: no unit) in their words; 4 names another flat.
    records = pd.DataFrame({"address_flat": ["r14-5-1403", None, None, None, "r14-5-1404"],
                            "content_flat": [None, "r14-5-1403", "r1501", "r1501", None],
                            "content_sum": [None] * 5})  # fmt: skip
    left, right = np.array([0, 2, 0]), np.array([1, 3, 4])
    anchored, household = shared_anchors(records, left, right)
    assert household.tolist() == [True, False, False]
    assert anchored.tolist() == [True, True, False]  # the office room still anchors an honorific


@pytest.mark.unit
def test_an_honorific_without_a_phone_at_a_groups_site_is_a_stranger() -> None:
    # 马先生 on the hotline (no phone taken) against 马徽月 on the app: their addresses agree only at the
    # fund's office, which many records write (crowded). Every 马 of that group would agree as much.
    gammas = {"name": np.array([1, 1, 1]), "phone": np.array([-1, -1, -1]), "id": np.array([-1, -1, -1])}
    exact = {"phone": 2, "id": 3}
    crowded = np.array([True, True, False])  # the third: the same home, not a group's site
    anchored = np.array([False, True, False])  # the second quotes her sum
    assert name_without_contact(gammas, exact, anchored, None, crowded).tolist() == [True, False, False]
    assert name_without_contact(gammas, exact).tolist() == [False, False, False]


@pytest.mark.unit
def test_a_near_spelling_at_a_groups_site_without_a_phone_in_common_is_a_stranger() -> None:
    # 王娅 and 王燕 (Jaro-Winkler level 2, not a homophone): at the compound every member of a heating
    # dispute writes (crowded) with no phone in common they are two members; at one home they may be one
    # woman's name written twice; with her phone on both, one person.
    gammas = {"name": np.array([2, 2, 2]), "phone": np.array([-1, -1, 2]), "id": np.array([-1, -1, -1])}
    exact = {"phone": 2, "id": 3}
    near = np.array([True, True, True])
    crowded = np.array([True, False, True])
    result = name_without_contact(gammas, exact, None, None, crowded, near)
    assert result.tolist() == [True, False, False]


@pytest.mark.unit
def test_two_full_names_naming_one_flat_are_a_household_not_strangers() -> None:
    # Levels: name 0 = names disagree, 1 = surname only; phone -1 = one has none, 0 = differ; exact = 2.
    gammas = {"name": np.array([0, 0, 1]), "phone": np.array([-1, 0, 0]), "id": np.array([-1, -1, -1])}
    exact = {"phone": 2, "id": 3}
    household = np.array([True, False, True])
    anchored = np.array([True, True, True])  # the second quotes one sum only: group members do
    assert name_without_contact(gammas, exact, anchored, household).tolist() == [False, True, False]


@pytest.mark.unit
def test_only_components_quoting_two_facts_of_a_kind_go_to_the_facts_guard() -> None:
    # Component 0: one sum, once with the project and once without; one project. Nothing to refuse.
    # Component 3: two sums. Component 5: two projects. Component 7: no facts at all.
    labels = np.array([0, 0, 0, 3, 3, 5, 5, 7])
    facts = np.array(
        ["a53400 p博金", "p博金", None, "a100", "a200 r7-5-902", "p博金", "p通德", None], dtype=object
    )
    assert np.flatnonzero(_facts_may_conflict(labels, facts)).tolist() == [3, 5]
    assert not _facts_may_conflict(labels, np.full(8, None, dtype=object)).any()


@pytest.mark.unit
def test_two_named_clusters_naming_one_home_are_a_household() -> None:
    # 王敏 on the app (no phone) and 张喜 on the hotline, both at 兰石花园5栋4单元403 (one flat code, 7),
    # about her neighbour's noise: two names, no phone in common, but one home. The pair-level check lets
    # such a pair merge; the cluster-level check must not then keep their clusters apart.
    data = _guard_data([None] * 2, [None, "19116302005"], ["wanmin", "zanxi"])
    data.guards = ("id_number", "mobile_and_name", "facts", "name_without_contact")
    data.pinyin = np.array(["wangmin", "zhangxi"], dtype=object)
    data.phone = np.array([None, "19116302005"], dtype=object)
    data.id_number = np.array([None] * 2, dtype=object)
    edge = (np.array([0]), np.array([1]), np.array([30.0]))
    assert guarded_components(2, *edge, data)[0].tolist() == [0, 1]
    data.homes = [np.array([7, 7])]
    assert guarded_components(2, *edge, data)[0].tolist() == [0, 0]
    data.homes = [np.array([7, 8])]  # two flats: two homes, two people
    assert guarded_components(2, *edge, data)[0].tolist() == [0, 1]


@pytest.mark.unit
def test_one_sum_from_one_home_few_people_write_is_one_households_claim() -> None:
    # 0/1: 陈平's petition and his wife 吕晓娜 on the app, 25900块 owed, from their home at 友谊路267号.
    # 2/3: two buyers at the stalled project's site quote its price (the words name 远宇, the address holds it).
    # 4/5: one sum at 东岗西路7号, which four names write: a building's many homes, not one.
    # 6/7: one home, two sums. 8/9: the same sum, the addresses agree at none of the home levels.
    records = pd.DataFrame({
        "content_sum": ["a25900", "a25900", "a186200", "a186200", "a5000", "a5000", "a300", "a400", "a1", "a1"],
        "content_facts": ["a25900 t6m", "a25900 o利天", "a186200 p远宇", "a186200", "a5000", "a5000", "a300",
                          "a400", "a1", "a1"],
        "address_key": ["友谊路267号", "友谊路267号", "长征巷562号", "长征巷562号", "东岗西路7号", "东岗西路7号",
                        "东岗西路7号", "东岗西路7号", "雁滩路1号", "雁滩路2号"],
        "address_norm": ["友谊路267号", "友谊路267号", "长征巷562号远宇家园", "长征巷562号远宇家园", "东岗西路7号",
                         "东岗西路7号", "东岗西路7号", "东岗西路7号", "雁滩路1号", "雁滩路2号"],
        "name_pinyin": ["chenping", "lvxiaona", "yangkehua", "yangguijiao", "a", "b", "c", "d", "e", "f"],
    })  # fmt: skip
    left, right = np.array([0, 2, 4, 6, 8]), np.array([1, 3, 5, 7, 9])
    agrees = np.array([True, True, True, True, False])
    assert claims_at_one_home(records, left, right, agrees).tolist() == [True, False, False, False, False]
    assert not claims_at_one_home(records.drop(columns="content_sum"), left, right, agrees).any()
    nameless = records.assign(name_pinyin=None)  # no full name at any address: no one to count
    assert claims_at_one_home(nameless, left, right, agrees).tolist() == [True, False, True, False, False]


@pytest.mark.unit
def test_a_households_claim_joins_two_named_clusters_without_a_contact_in_common() -> None:
    # 陈平 (his id, no phone) and 吕晓娜 (her own mobile): two names, nothing personal in common. Refused, unless
    # the edge is one household's claim (the same sum from their home).
    data = _guard_data([None] * 2, [None, "18550426704"], ["cenpin", "lvxiaola"])
    data.guards = ("id_number", "mobile_and_name", "facts", "name_without_contact")
    data.pinyin = np.array(["chenping", "lvxiaona"], dtype=object)
    data.phone = np.array([None, "18550426704"], dtype=object)
    data.id_number = np.array(["62010219820616591X", None], dtype=object)
    edge = (np.array([0]), np.array([1]), np.array([30.0]))
    assert guarded_components(2, *edge, data)[0].tolist() == [0, 1]
    assert guarded_components(2, *edge, data, households=np.array([True]))[0].tolist() == [0, 0]


@pytest.mark.unit
def test_two_mobiles_and_two_names_at_one_home_are_a_household() -> None:
    # 孙舒 and her husband 石鑫, each from their own mobile, reporting one flat's leaking pipe.
    data = _guard_data([None] * 2, ["17677241895", "19520313230"], ["sunsu", "sixin"])
    edge = (np.array([0]), np.array([1]), np.array([30.0]))
    assert guarded_components(2, *edge, data)[0].tolist() == [0, 1]
    data.homes = [np.array([-1, 3]), np.array([3, -1])]  # one in her address, the other in his words
    assert guarded_components(2, *edge, data)[0].tolist() == [0, 0]


@pytest.mark.unit
def test_a_proxys_phone_does_not_keep_the_person_it_filed_for_from_his_own_reports() -> None:
    # 魏敏 on the app from her mobile; at the petition office from the same mobile for her husband 秦世琦
    # (信访人系当事人秦世琦的妻子: a proxy report, read under his name); he called from his own mobile; a
    # stranger 李娜 called from a third.
    mobiles: list[str | None] = ["15393177411", "15393177411", "18793167911", "13893100004"]
    data = _guard_data([None] * 4, mobiles, ["weimin", "qinsiqi", "qinsiqi", "lina"])
    left, right, weight = np.array([0, 1, 2]), np.array([1, 2, 3]), np.array([40.0, 30.0, 20.0])
    assert guarded_components(4, left, right, weight, data)[0].tolist() == [0, 0, 2, 3]
    data.proxy = np.array([False, True, False, False])
    # Her mobile acts for him: his cluster joins hers. The stranger still differs from him in both.
    assert guarded_components(4, left, right, weight, data)[0].tolist() == [0, 0, 0, 3]


@pytest.mark.unit
def test_one_village_house_is_one_household() -> None:
    # 曹雨生 on the hotline and 曹雨 on the app (a dropped character), both at 五一村1社60号 (folded address
    # and village as the standardiser writes them); 2 at another house of that group, 3 at the group alone.
    records = pd.DataFrame({"address_norm": ["五一村1社60号", "五一村1社60号", "五一村1社61号", "五一村1社"],
                            "address_place": ["五一村"] * 4, "address_flat": [None] * 4})  # fmt: skip
    left, right = np.array([0, 0, 0, 2]), np.array([1, 2, 3, 3])
    anchored, household = shared_anchors(records, left, right)
    assert household.tolist() == [True, False, False, False]
    assert anchored.tolist() == household.tolist()


@pytest.mark.unit
@pytest.mark.parametrize(
    ("norm", "place", "house"),
    [
        pytest.param("五一村11社118号", "五一村", "v五一村-11-118", id="社"),
        pytest.param("向阳村9组91号", "向阳村", "v向阳村-9-91", id="组"),
        pytest.param("朝阳村3小组7号", "朝阳村", "v朝阳村-3-7", id="小组"),
        pytest.param("华林村9社", "华林村", None, id="a group alone: many households"),
        pytest.param("雁滩路193号锦绣家园", "锦绣家园", None, id="a town address"),
        pytest.param(None, None, None, id="no address"),
    ],
)
def test_village_house_is_read_down_to_its_number(
    norm: str | None, place: str | None, house: str | None
) -> None:
    assert village_house(norm, place) == house


@pytest.mark.unit
def test_a_flat_said_without_its_unit_is_the_flat_said_with_it() -> None:
    # 华鸿新城29号楼1501室 in the app, 29栋1单元1501 on the hotline: one flat as far as the first says, so the
    # chain through a report naming none holds; 29栋1单元1601 is another flat and is refused as before.
    data = _guard_data([None] * 3, ["17364548623"] * 3, ["liping"] * 3)
    data.guards = ("id_number", "mobile_and_name", "facts")
    left, right, weight = np.array([0, 1]), np.array([1, 2]), np.array([25.0, 20.0])
    data.facts = np.array(["r29-1501", None, "r29-1-1501"], dtype=object)
    assert guarded_components(3, left, right, weight, data)[0].tolist() == [0, 0, 0]
    for other in ("r29-1-1601", "r30-1-1501", "r29-1601"):
        data.facts = np.array(["r29-1501", None, other], dtype=object)
        assert guarded_components(3, left, right, weight, data)[0].tolist() == [0, 0, 2]


@pytest.mark.unit
def test_one_persons_reports_on_one_employer_quote_two_sums_of_one_dispute() -> None:
    # 付明月 on the app (花了5000元 at 新城优品瑜伽馆) and to the police (余额3170元 there), a report quoting no
    # sum between them: one dispute, as one mobile and one employer say. Two members of the gym's group
    # (each their own mobile) quoting their own sums stay apart, as do one person's sums at two employers.
    frame = pd.DataFrame({
        "id_norm": [None] * 3, "id_valid": [False] * 3, "phone_norm": ["18168722999"] * 3,
        "phone_mobile": [True] * 3, "name_fuzzy": ["humingyue"] * 3,
        "content_facts": ["a5000 o新城优品瑜伽馆", None, "a3170 o新城优品瑜伽馆"],
    })  # fmt: skip
    guards = ("id_number", "mobile_and_name", "facts", "name_without_contact")
    left, right, weight = np.array([0, 1]), np.array([1, 2]), np.array([25.0, 20.0])

    def labels(frame: pd.DataFrame) -> list[int]:
        frame = frame.assign(name_pinyin=frame["name_fuzzy"])
        found: list[int] = guarded_components(3, left, right, weight, GuardData.from_frame(frame, guards))[
            0
        ].tolist()
        return found

    assert labels(frame) == [0, 0, 0]
    members = frame.assign(phone_norm=["18168722999", None, "13912345678"], name_fuzzy=[None] * 3)
    assert labels(members) == [0, 0, 2]
    two_employers = frame.assign(content_facts=["a5000 o新城优品瑜伽馆", None, "a3170 o天腾保安"])
    assert labels(two_employers) == [0, 0, 2]
    # How long it has gone on, said in June and in December: 3 months and 16 months began a year apart,
    # two disputes to the guard unless one person names one employer in both.
    durations = frame.assign(
        content_facts=["t3m o通建服装", None, "t16m o通建服装"], reported_days=[20600.0, None, 20780.0]
    )
    assert labels(durations) == [0, 0, 0]
    assert labels(durations.assign(content_facts=["t3m o通建服装", None, "t16m o成旺牛仔"])) == [0, 0, 2]


def _chained_labels(
    frame: pd.DataFrame,
    guards: tuple[str, ...] = ("id_number", "mobile_and_name", "facts", "name_without_contact"),
) -> list[int]:
    """Labels of three records chained 0-1-2 (the middle one quoting nothing) under the facts and name guards
    (or ``guards``)."""
    data = GuardData.from_frame(frame, guards)
    left, right, weight = np.array([0, 1]), np.array([1, 2]), np.array([25.0, 20.0])
    found: list[int] = guarded_components(3, left, right, weight, data)[0].tolist()
    return found


@pytest.mark.unit
def test_one_persons_sums_within_a_tenth_are_one_sum() -> None:
    # 朱杰 lent his neighbour 28100 as the hotline wrote it and 30000 as the petition office did, with a
    # report quoting no sum between them: one sum remembered two ways, as one mobile says. Sums a fifth
    # apart, or as near but from two mobiles (two lenders to one borrower), stay apart.
    frame = pd.DataFrame({
        "id_norm": [None] * 3, "id_valid": [False] * 3, "phone_norm": ["15332119551"] * 3,
        "phone_mobile": [True] * 3, "name_fuzzy": ["zujie"] * 3, "name_pinyin": ["zhujie"] * 3,
        "content_facts": ["a28100", None, "a30000"],
    })  # fmt: skip
    assert _chained_labels(frame) == [0, 0, 0]
    assert _chained_labels(frame.assign(content_facts=["a25000", None, "a30000"])) == [0, 0, 2]
    two_lenders = frame.assign(phone_norm=["15332119551", None, "13912345678"], name_fuzzy=[None] * 3)
    assert _chained_labels(two_lenders) == [0, 0, 2]


@pytest.mark.unit
def test_one_persons_reports_quoting_one_sum_are_one_dispute_whatever_estate_and_duration() -> None:
    # 郭晓斌 to the police (嘉隆 owes him 2.4w at the 华宇丽景 site, 14 months) and at the petition office, which
    # writes where he lives (住太行小区13幢) and how long he says (快两年半), a report quoting nothing between
    # them: one mobile and one sum say one dispute. Another sum from that mobile, or the same sum from
    # another mobile (a group's member at the same site), stays apart.
    frame = pd.DataFrame({
        "id_norm": [None] * 3, "id_valid": [False] * 3, "phone_norm": ["13030622061"] * 3,
        "phone_mobile": [True] * 3, "name_fuzzy": ["guoxiaobin"] * 3, "name_pinyin": ["guoxiaobin"] * 3,
        "content_facts": ["a24000 p华宇 t14m", None, "a24000 p太行 t30m"],
        "reported_days": [19950.0, None, 19600.0],
    })  # fmt: skip
    assert _chained_labels(frame) == [0, 0, 0]
    another_sum = frame.assign(content_facts=["a24000 p华宇 t14m", None, "a51200 p太行 t30m"])
    assert _chained_labels(another_sum) == [0, 0, 2]
    member = frame.assign(phone_norm=["13030622061", None, "13912345678"], name_fuzzy=[None] * 3)
    assert _chained_labels(member) == [0, 0, 2]
    # No sum, but one employer named in both: the estate the petition office wrote is where he lives.
    one_employer = frame.assign(content_facts=["o嘉隆 p华宇", None, "o嘉隆 p太行"])
    assert _chained_labels(one_employer) == [0, 0, 0]
    two_employers = one_employer.assign(content_facts=["o嘉隆 p华宇", None, "o恒昌 p太行"])
    assert _chained_labels(two_employers) == [0, 0, 2]


@pytest.mark.unit
def test_one_persons_reports_naming_one_employer_are_one_dispute_whatever_flats_they_name() -> None:
    # 张德福 posts that he worked on a flat at the 万嘉国际 site (14栋2802) for 丽景 and is owed; the petition
    # office writes where he lives (住宏源新村14-2-3105) and the same employer, a report quoting nothing
    # between them: one mobile and one employer say one dispute, whichever flats the two reports name (a
    # worker's site and his home are flats as much as the dispute's own). Two employers, or one employer
    # from two mobiles (a group's members), stay apart.
    frame = pd.DataFrame({
        "id_norm": [None] * 3, "id_valid": [False] * 3, "phone_norm": ["15068556013"] * 3,
        "phone_mobile": [True] * 3, "name_fuzzy": ["zandefu"] * 3, "name_pinyin": ["zhangdefu"] * 3,
        "content_facts": ["o丽景 r14-2802", None, "o丽景 r14-2-3105"],
    })  # fmt: skip
    assert _chained_labels(frame) == [0, 0, 0]
    assert _chained_labels(frame.assign(content_facts=["o丽景 r14-2802", None, "o恒昌 r14-2-3105"])) == [
        0,
        0,
        2,
    ]
    two_mobiles = frame.assign(phone_norm=["15068556013", None, "13912345678"], name_fuzzy=[None] * 3)
    assert _chained_labels(two_mobiles) == [0, 0, 2]
    # One sum owed, said in both, does as one employer does.
    one_sum = frame.assign(content_facts=["a16200 r14-2802", None, "a16200 r14-2-3105"])
    assert _chained_labels(one_sum) == [0, 0, 0]
    # One estate is not one dispute: an owner's estate is her home, and her leaking roof at one flat and the
    # heating at another are two.
    one_estate = frame.assign(content_facts=["p恒大 r2-4-404", None, "p恒大 r21-3-303"])
    assert _chained_labels(one_estate) == [0, 0, 2]


@pytest.mark.unit
def test_one_persons_whole_debt_is_what_was_paid_and_what_is_left() -> None:
    # 张忠军 calls in June (拖欠22900元, three months) and posts in July (已付6800元，剩余16100, four months),
    # a report quoting nothing between them: the whole debt is the part paid and the part left, as one
    # mobile says. Sums that add to no sum of the other, or add up but from two mobiles (a group's members),
    # stay apart.
    frame = pd.DataFrame({
        "id_norm": [None] * 3, "id_valid": [False] * 3, "phone_norm": ["18529085615"] * 3,
        "phone_mobile": [True] * 3, "name_fuzzy": ["zanzonjun"] * 3, "name_pinyin": ["zhangzhongjun"] * 3,
        "content_facts": ["a22900 t3m", None, "a16100 a6800 t4m"],
        "reported_days": [20000.0, None, 20030.0],
    })  # fmt: skip
    assert _chained_labels(frame) == [0, 0, 0]
    # 共计4万 with 中途给了一万七 in one report, 57100 in the other: the total within 1% of the two added.
    assert _chained_labels(frame.assign(content_facts=["a40000 a17000", None, "a57100"])) == [0, 0, 0]
    assert _chained_labels(frame.assign(content_facts=["a22900 t3m", None, "a16100 a5200 t4m"])) == [0, 0, 2]
    two_mobiles = frame.assign(phone_norm=["18529085615", None, "13912345678"], name_fuzzy=[None] * 3)
    assert _chained_labels(two_mobiles) == [0, 0, 2]


@pytest.mark.unit
def test_one_persons_reports_on_one_topic_are_one_dispute_whatever_sums_they_quote() -> None:
    # 郭海龙 calls in June (彩礼18.8万 not returned) and petitions in October (7.11万, after part came back),
    # a report quoting nothing between them: one mobile, one topic, one matter, no company named. Another
    # matter on that topic (a divorce's property, then the betrothal gifts), a company each that disagree,
    # or one topic from two mobiles (a group's members) stay apart.
    frame = pd.DataFrame({
        "id_norm": [None] * 3, "id_valid": [False] * 3, "phone_norm": ["15266296111"] * 3,
        "phone_mobile": [True] * 3, "name_fuzzy": ["guohailon"] * 3, "name_pinyin": ["guohailong"] * 3,
        "content_facts": ["a188000", None, "a71100"], "content_topics": ["family", None, "family"],
        "content_matters": ["betrothal", None, "betrothal"],
    })  # fmt: skip
    guards = ("id_number", "mobile_and_name", "facts", "name_without_contact", "topics", "matters")
    left, right, weight = np.array([0, 1]), np.array([1, 2]), np.array([25.0, 20.0])

    def labels(frame: pd.DataFrame) -> list[int]:
        data = GuardData.from_frame(frame, guards)
        found: list[int] = guarded_components(3, left, right, weight, data)[0].tolist()
        return found

    assert labels(frame) == [0, 0, 0]
    assert labels(frame.assign(content_matters=["divorce", None, "betrothal"])) == [0, 0, 2]
    two_shops = frame.assign(
        content_facts=["a9600 o瑞诚", None, "a8300 o腾天"], content_topics=["consumer", None, "consumer"],
        content_matters=[None] * 3,
    )  # fmt: skip
    assert labels(two_shops) == [0, 0, 2]
    assert labels(two_shops.assign(content_facts=["a9600 o瑞诚", None, "a8300 o瑞诚"])) == [0, 0, 0]
    assert labels(frame.assign(content_topics=["family", None, "family debt"])) == [0, 0, 2]
    members = frame.assign(phone_norm=["15266296111", None, "13912345678"], name_fuzzy=[None] * 3)
    assert labels(members) == [0, 0, 2]
    # Durations still guard: a dog barking for 7 months in April and for 3 in June began half a year apart.
    dogs = frame.assign(
        content_facts=["t7m", None, "t3m"], content_topics=["neighbours", None, "neighbours"],
        content_matters=["pets", None, "pets"], reported_days=[20545.0, None, 20606.0],
    )  # fmt: skip
    assert labels(dogs) == [0, 0, 2]


@pytest.mark.unit
def test_a_masked_number_is_a_phone_in_common_with_the_mobile_it_shows() -> None:
    # 张富贵 calls from 16638056637 (李卫国 borrowed 54000), and the same morning an operator logs 张先生 at
    # 166****6637 (53000), a report quoting nothing between them: the masked number shows the mobile's
    # first three and last four digits, so the two sums within a tenth are one person's one sum. A masked
    # number showing other digits is no phone in common, and the sums keep the two apart.
    frame = pd.DataFrame({
        "id_norm": [None] * 3, "id_valid": [False] * 3, "phone_norm": ["16638056637", None, None],
        "phone_key": ["166*6637", None, "166*6637"], "phone_mobile": [True, False, False],
        "name_fuzzy": ["zanfugui", None, None], "name_pinyin": ["zhangfugui", None, None],
        "content_facts": ["a54000", None, "a53000"],
    })  # fmt: skip
    guards = ("id_number", "mobile_and_name", "facts", "name_without_contact")
    left, right, weight = np.array([0, 1]), np.array([1, 2]), np.array([25.0, 20.0])

    def labels(frame: pd.DataFrame) -> list[int]:
        found: list[int] = guarded_components(3, left, right, weight, GuardData.from_frame(frame, guards))[
            0
        ].tolist()
        return found

    assert labels(frame) == [0, 0, 0]
    assert labels(frame.assign(phone_key=["166*6637", None, "166*2637"])) == [0, 0, 2]


@pytest.mark.unit
def test_a_flat_more_names_write_than_a_familys_is_no_home() -> None:
    # Seven people write 1-1-101 at 华府家园 (a form's default, an office): no home of theirs. Two write
    # 5-2-1403 there, and two 1-1-101 at 龙湖半岛: a family each.
    crowded = [(f"name{k}", "r1-1-101", "华府家园") for k in range(HOME_NAMES + 1)]
    family = [("zhangwei", "r5-2-1403", "华府家园"), ("liyan", "r5-2-1403", "华府家园")]
    elsewhere = [("wangfang", "r1-1-101", "龙湖半岛"), ("zhaolei", "r1-1-101", "龙湖半岛")]
    rows = crowded + family + elsewhere
    frame = pd.DataFrame(
        {
            "name_pinyin": [name for name, _, _ in rows],
            "address_flat": [flat for _, flat, _ in rows],
            "address_place": [place for _, _, place in rows],
        }
    )
    homes = home_flats(frame)[0]
    assert (homes[: len(crowded)] == -1).all()
    assert homes[len(crowded)] == homes[len(crowded) + 1] >= 0
    assert homes[-2] == homes[-1] >= 0


@pytest.mark.unit
def test_one_persons_two_accidents_with_two_plates_are_two_disputes() -> None:
    # 张敏 reports a rear-ending by 吉AH4096 in March (11600 of medical bills) and a pedestrian accident
    # with 吉AH8001 in October (4200), a report quoting nothing between them: one mobile, one topic, but
    # two vehicles, two accidents. The same plate with a character misheard is one accident.
    frame = pd.DataFrame({
        "id_norm": [None] * 3, "id_valid": [False] * 3, "phone_norm": ["13184380966"] * 3,
        "phone_mobile": [True] * 3, "name_fuzzy": ["zanmin"] * 3, "name_pinyin": ["zhangmin"] * 3,
        "content_facts": ["a11600 v吉AH4096", None, "a4200 v吉AH8001"], "content_topics": ["traffic", None, "traffic"],
        "content_matters": [None] * 3,
    })  # fmt: skip
    guards = ("id_number", "mobile_and_name", "facts", "name_without_contact", "topics", "matters")
    assert _chained_labels(frame, guards) == [0, 0, 2]
    assert _chained_labels(frame.assign(content_facts=["a11600 v吉AH4096", None, "a4200"]), guards) == [
        0,
        0,
        0,
    ]
    misheard = frame.assign(content_facts=["a11600 v吉AH4096", None, "a11600 v吉AH4O96"])
    assert _chained_labels(misheard, guards) == [0, 0, 0]
