"""Blocking: vectorised candidate pairs, de-duplicated across rules, capped blocks reported, keys for the store."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import pandas as pd
import pytest

from matching import blocking_keys, candidate_pairs, probe_keys
from matching.blocking import block_on

from .conftest import frame, record, wage_case


@pytest.mark.unit
def test_pairs_are_unique_ordered_and_name_their_rules(settings: Any) -> None:
    pairs, stats = candidate_pairs(frame(wage_case()), settings=settings)
    assert len(pairs) == 6  # four reports of one dispute: all C(4, 2) pairs found
    assert (pairs["record_id_l"] < pairs["record_id_r"]).all()
    assert not pairs.duplicated(["record_id_l", "record_id_r"]).any()
    rules = dict(
        zip(zip(pairs["record_id_l"], pairs["record_id_r"], strict=True), pairs["rules"], strict=True)
    )
    assert (
        "phone_norm" in rules[("petition:XF1", "police:J1")]
        and "id_norm" in rules[("petition:XF1", "police:J1")]
    )
    assert stats.total_pairs == 6
    assert stats.pairs_per_rule["phone_norm"] == 6  # +86, separators and full-width digits all fold


@pytest.mark.unit
def test_nulls_never_block_together(settings: Any) -> None:
    rows = frame([record("hotline:1", category="其他"), record("hotline:2", category="其他")])
    pairs, _ = candidate_pairs(rows, settings=settings)
    assert pairs.empty


@pytest.mark.unit
def test_exploding_block_is_capped_and_reported(settings: Any, caplog: pytest.LogCaptureFixture) -> None:
    # A switchboard number typed into 30 work orders must not become 435 pairs.
    rows = frame(record(f"hotline:{i:02d}", phone="0931-12345678", reported_at=f"2026-11-{1 + i % 28:02d} 10:00:00+08:00")
                 for i in range(30))  # fmt: skip
    capped = dataclasses.replace(settings, max_block_size=10, capped_block_window=2)
    with caplog.at_level(logging.WARNING, logger="matching.blocking"):
        pairs, stats = candidate_pairs(rows, settings=capped)
    assert stats.capped_blocks == [{"rule": "phone_norm", "key": "093*******78", "size": 30, "window": 2}]
    assert len(pairs) <= 30 * 2
    assert "compared by time window" in caplog.text
    assert "12345678" not in caplog.text  # keys are personal information: only a masked form is logged


@pytest.mark.unit
def test_incremental_pairs_skip_existing_against_existing(settings: Any) -> None:
    case = wage_case()
    pairs, _ = candidate_pairs(frame(case[3:]), frame(case[:3]), settings=settings)
    assert len(pairs) == 3
    assert all("police:J1" in pair for pair in zip(pairs["record_id_l"], pairs["record_id_r"], strict=True))


@pytest.mark.unit
def test_blocking_keys_list_every_record_under_every_rule(settings: Any) -> None:
    keys = blocking_keys(frame(wage_case()), settings)
    phone = keys[keys["rule"] == "phone_norm"]
    assert set(phone["key"]) == {"13893112345"}
    assert set(keys.loc[keys["rule"] == "id_norm", "record_id"]) == {"petition:XF1", "police:J1"}
    assert set(keys.loc[keys["rule"] == "name_fuzzy+category_norm", "key"]) == {"zanwei|劳资欠薪"}


@pytest.mark.unit
def test_block_on_names_the_rule() -> None:
    assert block_on("name_pinyin", "district_norm").name == "name_pinyin+district_norm"
    with pytest.raises(ValueError):
        block_on()


@pytest.mark.unit
def test_time_window_rules_pair_only_close_reports(settings: Any) -> None:
    # Same homophone name and category but no shared phone: the name rule pairs reports 90 days apart at most.
    rows = frame([
        record("hotline:W1", name="张伟", category="物业纠纷", reported_at="2026-01-05 10:00:00+08:00"),
        record("app:W2", name="章伟", category="物业纠纷", reported_at="2026-02-20 10:00:00+08:00"),
        record("police:W3", name="张伟", category="物业纠纷", reported_at="2026-09-01 10:00:00+08:00"),
    ])  # fmt: skip
    pairs, _ = candidate_pairs(rows, settings=settings)
    assert list(zip(pairs["record_id_l"], pairs["record_id_r"], strict=True)) == [("app:W2", "hotline:W1")]


@pytest.mark.unit
def test_a_report_with_no_time_is_paired_with_its_whole_block(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # A channel that sent no report times: the window cannot be checked, and leaving the record out would
    # leave only a phone or an id to find it by. Its block mates with times keep their own window.
    rows = frame([
        record("hotline:W1", name="张伟", category="物业纠纷", reported_at="2026-01-05 10:00:00+08:00"),
        record("police:W2", name="章伟", category="物业纠纷"),
        record("app:W3", name="张伟", category="物业纠纷", reported_at="2026-09-01 10:00:00+08:00"),
        record("police:W4", name="张伟", category="物业纠纷", reported_at=""),
    ])  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="matching"):
        pairs, stats = candidate_pairs(rows, settings=settings)
    found = set(zip(pairs["record_id_l"], pairs["record_id_r"], strict=True))
    assert found == {
        ("hotline:W1", "police:W2"), ("hotline:W1", "police:W4"), ("app:W3", "police:W2"),
        ("app:W3", "police:W4"), ("police:W2", "police:W4"),
    }  # fmt: skip
    assert "2 of 4 records have no reported_at" in caplog.text


@pytest.mark.unit
def test_a_report_with_no_time_in_a_block_over_the_cap_is_not_paired_and_is_counted(settings: Any) -> None:
    rows = frame([record(f"app:{i:02d}", name="王芳", category="物业纠纷", reported_at="2026-03-01 10:00:00+08:00")
                  for i in range(6)] + [record("police:X", name="王芳", category="物业纠纷")])  # fmt: skip
    pairs, stats = candidate_pairs(rows, settings=dataclasses.replace(settings, max_block_size=4))
    assert "police:X" not in set(pairs["record_id_l"]) | set(pairs["record_id_r"])
    assert stats.undated_left_out["name_fuzzy+category_norm"] == 1


@pytest.mark.unit
def test_windowed_block_over_the_cap_is_reported(settings: Any) -> None:
    rows = frame(record(f"app:{i:02d}", name="王芳", category="物业纠纷", reported_at="2026-03-01 10:00:00+08:00")
                 for i in range(12))  # fmt: skip
    pairs, stats = candidate_pairs(rows, settings=dataclasses.replace(settings, max_block_size=4))
    assert [entry["rule"] for entry in stats.capped_blocks] == ["name_fuzzy+category_norm"]
    assert len(pairs) < 12 * 11 // 2


@pytest.mark.unit
def test_a_name_alone_pairs_reports_filed_under_other_categories_and_districts(settings: Any) -> None:
    # One complainant: the app request under 劳资欠薪 in 城关区 (the site), the petition under 其他 from
    # home in 永登县, three weeks apart, no phone or id in common: only the name is shared.
    rows = frame([
        record("app:W1", name="王茂彬", category="劳资欠薪", district="城关区", reported_at="2026-01-14 09:00:00+08:00"),
        record("petition:W2", name="王茂彬", category="其他", district="永登县", phone="19070759251",
               reported_at="2026-02-06 10:00:00+08:00"),
        record("petition:W3", name="王茂彬", category="其他", district="永登县", reported_at="2026-06-20 10:00:00+08:00"),
    ])  # fmt: skip
    pairs, _ = candidate_pairs(rows, settings=settings)
    found = set(zip(pairs["record_id_l"], pairs["record_id_r"], strict=True))
    assert ("app:W1", "petition:W2") in found  # 23 days apart: inside the name rule's 30 days
    assert ("app:W1", "petition:W3") not in found  # five months apart, nothing else shared


@pytest.mark.unit
def test_a_name_and_the_dispute_topic_pair_reports_filed_weeks_apart_under_other_categories(
    settings: Any,
) -> None:
    # One complainant: the app request about her allowance under 消费维权 in 西固区, the hotline call two
    # months later under 邻里纠纷 with no district, another phone: the name and what the words are about
    # (welfare) are all the two share. Her noise complaint of the same weeks is about something else.
    rows = frame([
        record("app:L1", name="吴玲", category="消费维权", district="西固区", content="低保申请未批,请相关部门管一下",
               reported_at="2026-01-03 09:00:00+08:00"),
        record("hotline:L2", name="吴玲", category="邻里纠纷", phone="13393103161",
               content="来电人反映:低保申请一直未批", reported_at="2026-03-15 21:00:00+08:00"),
        record("hotline:L3", name="吴玲", category="环境污染", phone="13393103161",
               content="来电人反映:楼下烧烤店噪音扰民", reported_at="2026-03-16 21:00:00+08:00"),
    ])  # fmt: skip
    pairs, stats = candidate_pairs(rows, settings=settings)
    found = set(zip(pairs["record_id_l"], pairs["record_id_r"], strict=True))
    assert ("app:L1", "hotline:L2") in found  # 71 days apart: past the name rule's 30, inside 120
    assert stats.pairs_per_rule["name_fuzzy+content_topics"] == 1
    assert ("app:L1", "hotline:L3") not in found  # another topic, past every window but the topic rule's


@pytest.mark.unit
def test_one_name_in_one_district_on_one_topic_pairs_reports_months_apart(settings: Any) -> None:
    # 李华勇 calls about the site's night work in January, May and September, the first from no phone, and
    # petitions in November, under one district: the name, the district and the topic (noise) are what
    # January and September share. Each report meets only the two just before it, so November meets May
    # and September, not January.
    rows = frame([
        record("hotline:H1", name="李华勇", district="桥西区", content="前庞家营村工地夜间施工严重，影响居民休息",
               reported_at="2024-01-17 09:00:00+08:00"),
        record("hotline:H2", name="李华勇", district="桥西区", content="工地噪音扰民，晚上睡不着",
               reported_at="2024-05-10 09:00:00+08:00"),
        record("hotline:H3", name="李华勇", district="桥西区", phone="13917315624",
               content="前庞家营村附近工地夜间施工严重，凌晨两三点都有", reported_at="2024-09-03 09:00:00+08:00"),
        record("petition:H4", name="李华勇", district="桥西区", content="工地夜间施工扰民，多次反映未解决",
               reported_at="2024-11-20 09:00:00+08:00"),
    ])  # fmt: skip
    pairs, stats = candidate_pairs(rows, settings=settings)
    found = set(zip(pairs["record_id_l"], pairs["record_id_r"], strict=True))
    assert ("hotline:H1", "hotline:H3") in found  # 230 days apart: past every other name rule's window
    assert stats.pairs_per_rule["name_fuzzy+district_norm+content_topics"] == 5  # each with its 2 before
    assert ("hotline:H1", "petition:H4") not in found  # 308 days apart, and H4 meets only H3 and H2


@pytest.mark.unit
def test_a_block_an_earlier_rule_already_expanded_is_not_expanded_again(settings: Any) -> None:
    # Twelve 王芳 reports all under 物业纠纷: the name block *is* the name + category block; expanding it
    # again under the name alone would add no pair and report the same capped block twice.
    rows = frame(record(f"app:{i:02d}", name="王芳", category="物业纠纷", reported_at="2026-03-01 10:00:00+08:00")
                 for i in range(12))  # fmt: skip
    capped = dataclasses.replace(settings, max_block_size=4)
    _, stats = candidate_pairs(rows, settings=capped)
    assert stats.pairs_per_rule["name_fuzzy"] == 0
    # One report under another category: the name block now holds more than any name + category block.
    rows.loc[11, "category"] = "邻里纠纷"
    _, stats = candidate_pairs(rows, settings=capped)
    assert stats.pairs_per_rule["name_fuzzy"] > 0
    assert [entry["rule"] for entry in stats.capped_blocks] == ["name_fuzzy+category_norm", "name_fuzzy"]


def _sum_rule(settings: Any, nearest: int | None) -> Any:
    """The packaged rules, the sum rule keeping ``nearest`` (None: every report within its window)."""
    rules = tuple(
        block_on("content_sum", within_days=90, nearest=nearest) if rule.columns == ("content_sum",) else rule
        for rule in settings.blocking_rules
    )
    return dataclasses.replace(settings, blocking_rules=rules)


@pytest.mark.unit
def test_a_common_sum_pairs_each_report_with_its_nearest_earlier_ones(settings: Any) -> None:
    # Ten unrelated wage claims of 20000元 over ten days (no name, phone or address in common).
    rows = frame(record(f"hotline:{i:02d}", content=f"来电人反映被拖欠工资20000元，第{i}号",
                        reported_at=f"2026-03-{1 + i:02d} 10:00:00+08:00") for i in range(10))  # fmt: skip
    everything, _ = candidate_pairs(rows, settings=_sum_rule(settings, None))
    assert len(everything) == 10 * 9 // 2
    pairs, stats = candidate_pairs(rows, settings=_sum_rule(settings, 3))
    found = set(zip(pairs["record_id_l"], pairs["record_id_r"], strict=True))
    assert found == {
        (f"hotline:{i:02d}", f"hotline:{j:02d}") for j in range(10) for i in range(max(0, j - 3), j)
    }
    assert stats.capped_blocks == []  # the rule's own limit is no cap to warn about
    assert stats.beyond_nearest == {"content_sum": 45 - len(found)}  # the report says what it left out


@pytest.mark.unit
def test_a_new_report_reaches_back_to_the_nearest_earlier_reports_of_its_sum(settings: Any) -> None:
    existing = frame(record(f"app:{i:02d}", content="工资20000元没给", reported_at=f"2026-03-{1 + i:02d} 10:00:00+08:00")
                     for i in range(8))  # fmt: skip
    batch = frame([record("hotline:new", content="拖欠工资2万元", reported_at="2026-03-20 10:00:00+08:00")])
    pairs, _ = candidate_pairs(batch, existing, settings=_sum_rule(settings, 3))
    assert set(pairs["record_id_l"]) == {"app:05", "app:06", "app:07"}
    assert set(pairs["record_id_r"]) == {"hotline:new"}


@pytest.mark.unit
@pytest.mark.parametrize("nearest", [0, -2, 2.5, True])
def test_nearest_must_be_a_positive_whole_number(nearest: Any) -> None:
    with pytest.raises(ValueError, match="nearest"):
        block_on("content_sum", within_days=90, nearest=nearest)
    with pytest.raises(ValueError, match="nearest"):
        block_on("content_sum", nearest=3)  # only on a rule with a time window


@pytest.mark.unit
def test_a_rule_beyond_another_window_pairs_only_the_older_reports_of_its_key(settings: Any) -> None:
    # One wage claim of 20000元 every 30 days for most of a year (no name, phone or address): the sum rule
    # (90 days) pairs each with the three before it; the rule on sum and topic beyond 90 days gives each
    # the 3 just older than that (a board post months after the call), not the ones the sum rule found.
    start = pd.Timestamp("2026-01-05 10:00:00+08:00")
    rows = frame(record(f"hotline:{i:02d}", content=f"来电人反映被拖欠工资20000元，第{i}次",
                        reported_at=str(start + pd.Timedelta(days=30 * i))) for i in range(12))  # fmt: skip
    # The same sum on another topic, half a year after the first claim: another dispute's block.
    fee = record(
        "app:fee", content="物业说我家欠物业费20000元", reported_at=str(start + pd.Timedelta(days=181))
    )
    pairs, stats = candidate_pairs(pd.concat([rows, frame([fee])], ignore_index=True), settings=settings)
    by_rule = pairs.groupby(pairs["rules"].astype(str), observed=True)
    steps = {rule: sorted(int(r[-2:]) - int(left[-2:]) if left.startswith("hotline") and r.startswith("hotline")
                          else -1 for left, r in zip(group["record_id_l"], group["record_id_r"], strict=True))
             for rule, group in by_rule}  # fmt: skip
    beyond = by_rule.get_group("content_sum+content_topics")
    found = set(zip(beyond["record_id_l"], beyond["record_id_r"], strict=True))
    assert found == {(f"hotline:{i:02d}", f"hotline:{j:02d}") for j in range(12) for i in (j - 4, j - 5, j - 6)
                     if i >= 0}  # fmt: skip
    assert set(steps["content_sum"]) == {-1, 1, 2, 3}  # the sum rule's own: up to 90 days, the fee too
    assert -1 not in steps["content_sum+content_topics"]  # the fee is not the wage's older report
    assert stats.beyond_nearest == {"content_sum+content_topics": 36 - len(found)}  # 4 to 11 steps back


@pytest.mark.unit
@pytest.mark.parametrize("beyond", [-1, 90, 120, True, "30"])
def test_beyond_days_must_be_a_number_of_days_below_the_window(beyond: Any) -> None:
    with pytest.raises(ValueError, match="beyond_days"):
        block_on("content_sum", within_days=90, nearest=3, beyond_days=beyond)
    with pytest.raises(ValueError, match="beyond_days"):
        block_on("content_sum", within_days=365, beyond_days=30)  # only on a rule with nearest


@pytest.mark.unit
def test_probe_keys_say_how_far_back_each_rule_reaches(settings: Any) -> None:
    keys = probe_keys(frame(wage_case()[:1]), settings)
    since = dict(zip(keys["rule"], keys["since"], strict=True))
    reported = pd.Timestamp("2026-11-20 09:31:02+08:00")
    assert since["phone_norm"] is None and since["id_norm"] is None  # no window: any time
    assert since["name_fuzzy+category_norm"] == reported - pd.Timedelta(days=90)
    assert since["content_sum"] == reported - pd.Timedelta(days=90)
    assert since["name_fuzzy"] == reported - pd.Timedelta(days=30)


@pytest.mark.unit
def test_an_anchor_another_field_writes_is_standardised_for_blocking(settings: Any) -> None:
    # A city anchoring the ends rule on the matters a report names instead: blocking standardises that
    # field too (no rule reads its column), and pairs only the records naming one with the rest.
    ends = block_on("phone_ends", within_days=365, anchor="content_matters")
    rules = tuple(ends if rule.columns == ("phone_ends",) else rule for rule in settings.blocking_rules)
    custom = dataclasses.replace(settings, blocking_rules=rules)
    rows = frame([
        record("hotline:1", phone="13911111928", reported_at="2026-03-01 10:00:00+08:00"),
        record("hotline:2", phone="13922222928", reported_at="2026-03-02 10:00:00+08:00"),
        record("hotline:3", phone="13933333928", content="家里暖气不热，室温只有十度",
               reported_at="2026-03-03 10:00:00+08:00"),
    ])  # fmt: skip
    pairs, _ = candidate_pairs(rows, settings=custom)
    pairs = pairs[pairs["rules"].astype(str) == "phone_ends"]
    assert set(zip(pairs["record_id_l"], pairs["record_id_r"], strict=True)) == {
        ("hotline:1", "hotline:3"), ("hotline:2", "hotline:3")
    }  # fmt: skip


@pytest.mark.unit
def test_a_grid_workers_line_pairs_none_of_the_residents_reports_filed_on_it(settings: Any) -> None:
    # One grid worker files for three residents from her line; the third resident calls from his own. The
    # line pairs nobody's reports: the phone rule leaves the agent's reports out (their names still pair
    # them), and neither the pairs nor the store's keys hold them under it.
    worker = {"name": "王文霞", "phone": "13997112345"}
    rows = frame([
        record("hotline:1", **worker, content="来电人系城北区网格员，代辖区居民刘亮反映：刘亮借给吴强10300元"),
        record("hotline:2", **worker, content="来电人系城北区网格员，代辖区居民马秀英反映：楼上漏水"),
        record("hotline:3", **worker, content="来电人系城北区网格员，代辖区居民张明反映：物业不管"),
        record("app:4", name="张明", phone="13997112345", content="物业一直不管"),
        record("app:5", name="张明", phone="13997112345", content="物业一直不管，再次反映"),
    ])  # fmt: skip
    pairs, stats = candidate_pairs(rows, settings=settings)
    by_phone = {(a, b) for a, b, rule in zip(pairs["record_id_l"], pairs["record_id_r"], pairs["rules"], strict=True)
                if "phone_norm" in rule}  # fmt: skip
    assert by_phone == {("app:4", "app:5")}
    keys = blocking_keys(rows, settings)
    assert set(keys.loc[keys["rule"] == "phone_norm", "record_id"]) == {"app:4", "app:5"}
    # The rule as settings write it, and back.
    from matching.settings import settings_from_dict, settings_to_dict

    again = settings_from_dict(settings_to_dict(settings))
    assert again.blocking_rules[0] == block_on("phone_norm", unless="content_agent")
