"""dedupe on hand-written records: one complainant's one dispute is one case, nothing more, nothing less."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd
import pytest

from matching import dedupe

from .conftest import frame, record, wage_case


def _cases(rows: list[dict[str, Any]], settings: Any, **kwargs: Any) -> list[set[str]]:
    clusters = dedupe(frame(rows), settings, **kwargs).clusters
    groups = clusters.groupby("cluster_id")["record_id"].apply(set)
    return sorted(groups.tolist(), key=lambda members: sorted(members))


@pytest.mark.unit
def test_one_dispute_on_four_channels_is_one_case(settings: Any) -> None:
    # homophone name (章伟), +86 and full-width phone, 号院/街 and 甘肃省兰州市 address variants, terse police text
    assert _cases(wage_case(), settings) == [{"app:XL1", "hotline:GD1", "petition:XF1", "police:J1"}]


@pytest.mark.unit
def test_relative_petitions_with_their_own_phone(settings: Any) -> None:
    rows = [
        record("petition:XF9", reported_at="2026-11-20 10:00:00+08:00", name="王秀兰", phone="13993177777",
               id_number="620103196508084418", address="甘肃省兰州市七里河区西湖街道建西东路12号", district="七里河区",
               category="拆迁安置", content="信访人系当事人儿子，代其反映：南岗城中村改造项目补偿款136000元未足额到位。"),
        record("police:J9", reported_at="2026-11-20 19:00:00+08:00", name="王秀兰", phone="13893166666",
               id_number="620103196508084418", address="城关区南岗路55号", district="城关区", category="拆迁安置",
               content="报警称因拆迁补偿问题发生纠纷"),
    ]  # fmt: skip
    assert _cases(rows, settings) == [{"petition:XF9", "police:J9"}]


@pytest.mark.unit
def test_a_proxys_own_phone_home_and_district_do_not_count_against_the_person(settings: Any) -> None:
    # 王玉兰 posts on the app from her phone and home; a month later her son goes to the petition office
    # for her, and the office writes down his phone and his home in another district; a week later he goes
    # again. Her name is in both petitions' name columns (represented_name).
    son = {
        "name": "刘建军",
        "phone": "17557098478",
        "address": "甘肃省兰州市七里河区西湖街道建西东路12号",
        "district": "七里河区",
        "category": "其他",
    }
    words = "信访人系当事人王玉兰的儿子,代为来访。反映西滩片区改造中过渡费已停发多月,请求依法解决。"
    rows = [
        record("app:P1", reported_at="2026-02-17 14:03:00+08:00", name="王玉兰", phone="14764202916",
               address="城关区雁滩路255号", district="城关区", category="拆迁安置",
               content="西滩改造项目过渡费已停发多月,我们等了好几年了,请领导关注"),
        record("petition:P2", reported_at="2026-03-22 16:05:00+08:00", content=words, **son),
        record("petition:P3", reported_at="2026-03-29 09:40:00+08:00", content=words, **son),
    ]  # fmt: skip

    def pair(chosen: Any, left: str, right: str) -> pd.Series:
        pairs = dedupe(frame(rows), chosen).pairs
        return pairs[(pairs["record_id_l"] == left) & (pairs["record_id_r"] == right)].iloc[0]

    her, his = pair(settings, "app:P1", "petition:P2"), pair(settings, "petition:P2", "petition:P3")
    # Her phone, home and district against his: no evidence either way (null), not two people.
    assert (her["gamma_phone"], her["gamma_address"], her["gamma_district"]) == (-1, -1, -1)
    # His two visits share his phone and home: that agreement still counts.
    assert his["gamma_phone"] > 0 and his["gamma_address"] > 0 and his["gamma_district"] > 0
    counted = pair(dataclasses.replace(settings, filer_comparisons=()), "app:P1", "petition:P2")
    assert (counted["gamma_phone"], counted["gamma_district"]) == (0, 0)
    assert (
        her["person_weight"] > counted["person_weight"] + 5
    )  # three disagreements no longer held against her


@pytest.mark.unit
def test_same_person_different_dispute_stays_apart(settings: Any) -> None:
    person = {"name": "李娜", "phone": "13893100001", "id_number": "620104197505053318", "district": "西固区",
              "address": "西固区福利西路12号"}  # fmt: skip
    rows = [
        record("hotline:A1", reported_at="2026-09-02 10:00:00+08:00", category="劳资欠薪",
               content="来电人反映兴富国际二期项目拖欠其2026年5月工资8600元", **person),
        record("police:A2", reported_at="2026-09-02 18:00:00+08:00", category="劳资欠薪",
               content="报警称被拖欠工资", **person),
        # a neighbour quarrel two months later: another category
        record("hotline:A3", reported_at="2026-11-05 20:00:00+08:00", category="邻里纠纷",
               content="来电人反映楼上住户装修噪音已经3个月了", **person),
        # wages again, another employer, another sum, weeks later: same category, other facts
        record("app:A4", reported_at="2026-10-20 09:00:00+08:00", category="劳资欠薪",
               content="我在宏达公司干了2个月，工资15000元没给", **person),
    ]  # fmt: skip
    assert _cases(rows, settings) == [{"app:A4"}, {"hotline:A1", "police:A2"}, {"hotline:A3"}]


@pytest.mark.unit
def test_same_person_same_topic_another_matter_stays_apart(settings: Any) -> None:
    # One tenant's heating and, a week later, her roof's leak: one category, one topic (property),
    # no sums or flats to compare; the matter (heating / leak) tells them apart, however each is worded.
    person = {"name": "王芳", "phone": "13993100002", "district": "城关区", "address": "城关区雁滩路66号"}
    rows = [
        record("hotline:H1", reported_at="2026-01-05 09:00:00+08:00", category="物业纠纷",
               content="来电人反映小区供暖温度不达标，物业不作为", **person),
        record("app:H2", reported_at="2026-01-09 21:00:00+08:00", category="物业纠纷",
               content="家里暖气一点都不热，找物业好几次了都没人管", **person),
        record("hotline:H3", reported_at="2026-01-12 10:00:00+08:00", category="物业纠纷",
               content="来电人反映楼顶漏水，物业不维修", **person),
        record("app:H4", reported_at="2026-01-14 19:00:00+08:00", category="物业纠纷",
               content="顶楼渗水好几天了，物业一直拖着不管", **person),
    ]  # fmt: skip
    assert _cases(rows, settings) == [{"app:H2", "hotline:H1"}, {"app:H4", "hotline:H3"}]


@pytest.mark.unit
def test_a_wife_filing_under_her_own_name_about_her_husbands_wages_joins_his_case(settings: Any) -> None:
    # His petition (his id, no phone) and her app request (her own name and mobile), from their home, quoting
    # the same sum in other words: nothing personal in common but the home and the claim.
    home = {"address": "城关区友谊路267号", "district": "城关区", "category": "劳资欠薪"}
    rows = [
        record("petition:W1", reported_at="2026-04-06 09:20:00+08:00", name="陈平", id_number="62010219820616591X",
               content="反映甘肃利天市政工程有限公司拖欠其半年电焊工工资2.59万块问题，经多次讨要未果，请求协调解决。",
               **home),
        record("app:W2", reported_at="2026-04-06 13:40:00+08:00", name="吕晓娜", phone="18550426704",
               content="我老公在利天公司干电焊工，半年的工资25900元一直没给，请政府帮帮我们", **home),
    ]  # fmt: skip
    assert _cases(rows, settings) == [{"app:W2", "petition:W1"}]


@pytest.mark.unit
def test_a_daughter_with_her_own_id_on_the_family_mobile_joins_her_fathers_case(settings: Any) -> None:
    # 曹海军 at the police (his id) and on the hotline from his mobile; his daughter 曹一婵 on the app from the same
    # mobile with her own id, about his flat: two ids, one household's one case.
    flat = {"address": "城关区西湖街320号辉宏国际", "district": "城关区", "category": "逾期交房"}
    rows = [
        record("police:H1", reported_at="2026-05-11 09:20:00+08:00", name="曹海军", phone="13993185233",
               id_number="620104194503061097", content="报警称辉宏国际项目逾期未交房，已付房款104.88万", **flat),
        record("hotline:H2", reported_at="2026-05-12 10:05:00+08:00", name="曹海军", phone="13993185233",
               content="来电人反映：其于21年购买了辉宏国际10号楼3单元403室的房子，已付房款一百零四万八千八百元，"
                       "至今未交房。", **flat),
        record("app:H3", reported_at="2026-05-12 20:40:00+08:00", name="曹一婵", phone="13993185233",
               id_number="620104197006287187",
               content="我爸是辉宏国际的业主，10号楼3单元403室，房款104.88万都交了，开发商一拖再拖，请求帮助", **flat),
    ]  # fmt: skip
    assert _cases(rows, settings) == [{"police:H1", "hotline:H2", "app:H3"}]


@pytest.mark.unit
def test_two_nameless_reports_of_one_buyers_flat_go_to_a_reviewer(settings: Any) -> None:
    # A netizen message and an app request, neither with a name or phone, about one flat of 龙鑫花园 and its
    # price written two ways: the flat is the buyer's home, so the pair is put to a reviewer. The next
    # flat (2801, a neighbour's) is no one's the first message names.
    rows = [
        record("netizen:N1", reported_at="2026-05-17 02:40:00+08:00", address="兰州新区民乐巷584号龙鑫花园",
               district="兰州新区", category="物业纠纷",
               content="我是龙鑫花园的业主,6号楼3单元2802室,房款116.74万元都交了,开发商一拖再拖,请求帮助"),
        record("app:N2", reported_at="2026-05-19 08:26:00+08:00", district="兰州新区", category="逾期交房",
               content="龙鑫花园6栋3单元2802的房子到现在都不交房,一百一十六万七千四都交了,请政府管管"),
        record("app:N3", reported_at="2026-05-19 09:10:00+08:00", district="兰州新区", category="逾期交房",
               content="龙鑫花园6栋3单元2801的房子到现在都不交房,一百一十六万七千四都交了,请政府管管"),
    ]  # fmt: skip
    pairs = dedupe(frame(rows), settings).pairs
    decision = {
        (str(a), str(b)): str(d)
        for a, b, d in zip(pairs.record_id_l, pairs.record_id_r, pairs.decision, strict=True)
    }
    assert decision[("app:N2", "netizen:N1")] == "review"
    assert decision[("app:N3", "netizen:N1")] == "reject"


@pytest.mark.unit
def test_group_dispute_members_are_separate_cases(settings: Any) -> None:
    names = ["赵强", "钱军", "孙磊", "周杰", "吴涛"]
    rows = [
        record(f"petition:G{i}", reported_at=f"2026-11-20 09:{10 + i}:00+08:00", name=name,
               phone=f"1399312{i:04d}", address="甘肃省兰州市七里河区西津西路203号兴富国际二期项目",
               district="七里河区", category="劳资欠薪",
               content=f"信访人等5人反映兴富国际二期项目拖欠工资，其被拖欠2026年3月至6月工资{30000 + i * 1000}元。")
        for i, name in enumerate(names)
    ]  # fmt: skip
    assert len(_cases(rows, settings)) == len(names)


@pytest.mark.unit
def test_group_members_without_a_shared_phone_or_id_stay_apart(settings: Any) -> None:
    # Two buyers of one stalled project report it the same morning in the same words: the developer, the
    # flat's price, the promised date. Only their given names tell them apart (no phone or id in common); the
    # name_without_contact guard keeps the dispute from merging the two people on its own.
    site = "兰州新区长征巷562号远宇家园"
    words = "远宇家园项目停工,兰州信恒房地产开发有限公司逾期未交房,已付房款186200元,约定2024年7月3日交房"
    rows = [
        record("app:Y1", reported_at="2026-11-20 09:10:00+08:00", name="杨可花", address=site, district="兰州新区",
               category="逾期交房", content=words),
        record("hotline:Y2", reported_at="2026-11-20 10:40:00+08:00", name="杨桂娇", address=site, district="兰州新区",
               category="逾期交房", content="来电人反映" + words),
    ]  # fmt: skip
    assert _cases(rows, settings) == [{"app:Y1"}, {"hotline:Y2"}]
    unguarded = dataclasses.replace(
        settings, guards=tuple(g for g in settings.guards if g != "name_without_contact")
    )
    assert _cases(rows, unguarded) == [{"app:Y1", "hotline:Y2"}]


@pytest.mark.unit
def test_two_reports_naming_one_flat_in_their_addresses_are_compared(settings: Any) -> None:
    # She complains on the app about the heating in their flat; five weeks later her husband posts a
    # message under his own name, with no phone, files it as consumer rights, and gives the same home
    # written his way. Nothing personal is shared but the flat (address_flat: 14号楼5单元1403 =
    # 14栋5单元1403室): blocking on it with the road and number finds the pair (the name rules do not, nor
    # the address with a surname). A neighbour in another flat of the building is not paired by it.
    rows = [
        record("app:H1", reported_at="2026-01-10 20:14:00+08:00", name="于晓姝", phone="17611786483",
               address="甘肃省兰州市安宁区孔家崖路386号名都嘉园14号楼5单元1403", district="安宁区", category="物业纠纷",
               content="小区供暖温度不达标,室内温度只有14度,物业不作为,请相关部门督促"),
        record("netizen:H2", reported_at="2026-02-16 15:37:00+08:00", name="吕强",
               address="孔家崖路386号名都嘉园14栋5单元1403室", district="安宁区", category="消费维权",
               content="名都嘉园小区供暖温度不达标,室内温度只有14度,达隆物业不作为,交了物业费就是这种服务?"),
        record("app:H3", reported_at="2026-02-16 18:02:00+08:00", name="何永安", phone="18093138995",
               address="孔家崖路386号名都嘉园14号楼2单元602", district="安宁区", category="消费维权",
               content="名都嘉园小区供暖温度不达标,室内温度只有14度,达隆物业不作为,请相关部门督促"),
    ]  # fmt: skip
    pairs = dedupe(frame(rows), settings).pairs
    rules = {(str(p.record_id_l), str(p.record_id_r)): str(p.rules) for p in pairs.itertuples()}
    assert rules.get(("app:H1", "netizen:H2")) == "address_flat+address_key"
    assert "address_flat" not in rules.get(("app:H3", "netizen:H2"), "")


@pytest.mark.unit
def test_an_unnamed_caller_quoting_the_same_sum_joins_the_case(settings: Any) -> None:
    # The app user gave her name but no phone; the caller the next day gave a phone but no name, and the
    # operator wrote the site, not the home. Nothing personal is shared: only the sum (77200元 = 7.72万元)
    # finds the pair (blocking on content_sum); the dispute's words then decide it.
    rows = [
        record("app:S1", reported_at="2026-05-11 07:54:20+08:00", name="胡立荣",
               address="兰州市兰州新区友谊街570号中兴物流园", district="兰州新区", category="劳资欠薪",
               content="我在中兴干装卸工，2025年8月至11月的工资一直没给，泰博物流公司说没钱，一共欠了77200元"),
        record("hotline:S2", reported_at="2026-05-12 10:47:47+08:00", phone="17611215764",
               address="友谊街570号中兴物流园", district="兰州新区", category="劳资欠薪",
               content="来电人反映泰博公司拖欠其2025年8月至11月的工资7.72万元，其为装卸工，要求尽快协调支付"),
        # Another dispute quoting the same sum: a named, reachable person's renovation claim.
        record("app:S3", reported_at="2026-05-20 18:02:00+08:00", name="王建军", phone="13919087766",
               address="城关区天水北路12号", district="城关区", category="消费维权",
               content="装修公司收了装修款77200元，工期拖了三个月还没完工，要求退款"),
    ]  # fmt: skip
    result = dedupe(frame(rows), settings)
    pair = result.pairs[
        (result.pairs["record_id_l"] == "app:S1") & (result.pairs["record_id_r"] == "hotline:S2")
    ]
    assert pair["rules"].astype(str).tolist() == ["content_sum"]
    assert _cases(rows, settings) == [{"app:S1", "hotline:S2"}, {"app:S3"}]


@pytest.mark.unit
def test_namesakes_in_one_district_stay_apart(settings: Any) -> None:
    rows = [
        record("hotline:N1", reported_at="2026-10-03 10:00:00+08:00", name="张伟", phone="13893112345",
               address="城关区永昌路88号", district="城关区", category="物业纠纷",
               content="来电人反映小区物业费无故上涨"),
        record("hotline:N2", reported_at="2026-11-21 15:00:00+08:00", name="张伟", phone="13993154321",
               address="城关区天水北路12号", district="城关区", category="物业纠纷",
               content="来电人反映小区电梯长期故障停运"),
    ]  # fmt: skip
    assert _cases(rows, settings) == [{"hotline:N1"}, {"hotline:N2"}]


@pytest.mark.unit
def test_masked_names_and_ids_of_different_people_stay_apart(settings: Any) -> None:
    # An export masked for privacy: every 张 is 张*, every id in the district 620102********1234-like.
    # The masks agree; the people do not. Only the phone still says who is who.
    phones = ("13893112345", "13993154321", "15193167788", "18993120011")
    roads = ("永昌路88号", "天水北路12号", "庆阳路301号", "雁滩路7号")
    rows = [
        record(f"hotline:M{i}", reported_at=f"2026-10-0{i + 1} 10:00:00+08:00", name="张*", phone=phone,
               id_number="620102********1234", address=f"城关区{road}", district="城关区", category="物业纠纷",
               content="来电人反映小区物业费无故上涨")
        for i, (phone, road) in enumerate(zip(phones, roads, strict=True))
    ]  # fmt: skip
    rows.append(
        record("app:M9", reported_at="2026-10-02 18:00:00+08:00", name="张伟（业主）", phone=phones[1],
               address="天水北路12号", category="物业纠纷", content="物业费无故上涨，希望有关部门管一管")
    )  # fmt: skip
    assert _cases(rows, settings) == [
        {"app:M9", "hotline:M1"},
        {"hotline:M0"},
        {"hotline:M2"},
        {"hotline:M3"},
    ]


@pytest.mark.unit
def test_shuffled_input_gives_the_same_clusters(settings: Any) -> None:
    rows = frame(wage_case() + [record("hotline:X", name="李娜", phone="13912345678", category="其他")])
    first = dedupe(rows, settings).clusters
    second = dedupe(rows.sample(frac=1.0, random_state=3), settings).clusters
    pd.testing.assert_frame_equal(first, second)


@pytest.mark.unit
def test_reviewer_different_overrides_the_model(settings: Any) -> None:
    decisions = pd.DataFrame({"record_id_l": ["petition:XF1"], "record_id_r": ["police:J1"],
                              "decision": ["different"]})  # fmt: skip
    cases = _cases(wage_case(), settings, decisions=decisions)
    assert not any({"petition:XF1", "police:J1"} <= members for members in cases)


@pytest.mark.unit
def test_pairs_explain_every_merge(settings: Any) -> None:
    result = dedupe(frame(wage_case()), settings)
    pairs = result.pairs
    gammas = [c for c in pairs.columns if c.startswith("gamma_")]
    assert {"gamma_name", "gamma_phone", "gamma_category"} <= set(gammas)
    assert set(pairs["decision"].astype(str)) <= {"merge", "review", "reject"}
    hotline = pairs[(pairs["record_id_l"] == "hotline:GD1") & (pairs["record_id_r"] == "petition:XF1")].iloc[
        0
    ]
    assert hotline["gamma_name"] == 4  # the homophone level
    assert set(result.stats["timings"]) >= {"standardise", "blocking", "comparisons", "scoring", "clustering"}


@pytest.mark.unit
def test_two_valid_id_numbers_never_end_in_one_case(settings: Any) -> None:
    # Two people with one shared landline (a shop's phone) and one name typed alike: the ids keep them apart.
    rows = [
        record("police:P1", reported_at="2026-11-20 10:00:00+08:00", name="马军", phone="0931-8456789",
               id_number="620102198703151236", district="城关区", category="消费维权", content="报警称购物纠纷"),
        record("police:P2", reported_at="2026-11-20 11:00:00+08:00", name="马军", phone="0931-8456789",
               id_number="62010219900101002X", district="城关区", category="消费维权", content="报警称购物纠纷"),
        record("hotline:P3", reported_at="2026-11-20 12:00:00+08:00", name="马军", phone="0931-8456789",
               district="城关区", category="消费维权", content="来电人投诉购物纠纷"),
    ]  # fmt: skip
    cases = _cases(rows, settings)
    assert not any({"police:P1", "police:P2"} <= members for members in cases)


@pytest.mark.unit
def test_stats_are_plain_json(settings: Any) -> None:
    import json

    stats = dedupe(frame(wage_case()), settings).stats
    assert json.loads(json.dumps(stats))["blocking"]["pairs_per_rule"]["phone_norm"] == 6


@pytest.mark.unit
def test_dedupe_pauses_the_garbage_collector_only_while_it_runs(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from matching import linker

    seen: list[bool] = []
    for name in ("candidate_positions", "guarded_components"):  # blocking, and the guarded clustering
        step = getattr(linker, name)

        def watched(*args: Any, step: Any = step, **kwargs: Any) -> Any:
            seen.append(gc.isenabled())
            return step(*args, **kwargs)

        monkeypatch.setattr(linker, name, watched)
    assert gc.isenabled()
    dedupe(frame(wage_case()), settings)
    assert seen == [False, False] and gc.isenabled()
    # a refused input leaves it on (large_batch puts it back after an error: test_runtime); a caller's own
    # pause is left alone
    with pytest.raises(ValueError, match="record_id must be unique"):
        dedupe(frame(wage_case() * 2), settings)
    assert gc.isenabled()
    gc.disable()
    try:
        dedupe(frame(wage_case()), settings)
        assert not gc.isenabled()
    finally:
        gc.enable()
