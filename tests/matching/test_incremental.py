"""Incremental matching: stable case ids, new records joining cases, bridges merging them (older id
survives), reviewer verdicts, the review queue."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from matching import case_id_for, dedupe, match_incremental

from .conftest import frame, record, wage_case


def _pool(rows: list[dict[str, Any]], cases: dict[str, str], first: dict[str, str]) -> pd.DataFrame:
    pool = frame(rows)
    pool["case_id"] = pool["record_id"].map(cases)
    pool["case_first_reported_at"] = pool["case_id"].map(first)
    return pool


@pytest.mark.unit
def test_new_report_joins_its_existing_case_and_others_start_new_ones(settings: Any) -> None:
    case = wage_case()
    existing = frame(case[:3])
    clusters = dedupe(existing, settings).clusters
    (case_id,) = set(clusters["cluster_id"])
    pool = existing.assign(case_id=case_id, case_first_reported_at="2026-11-20 09:31:02+08:00")
    stranger = record("hotline:S1", reported_at="2026-11-21 09:00:00+08:00", name="马军", phone="18993100000",
                      address="安宁区培黎街道安宁西路328号", district="安宁区", category="消费维权",
                      content="来电人投诉健身卡退款2000元")  # fmt: skip
    result = match_incremental(frame([case[3], stranger]), pool, settings)
    got = result.assignments.set_index("record_id")
    assert got.loc["police:J1", "case_id"] == case_id
    assert not got.loc["police:J1", "is_new_case"]
    assert got.loc["police:J1", "matched_record_id"] in set(pool["record_id"])
    assert got.loc["police:J1", "match_probability"] >= settings.merge_threshold
    assert got.loc["hotline:S1", "case_id"] == case_id_for("hotline:S1")
    assert got.loc["hotline:S1", "is_new_case"]
    assert result.merges.empty


@pytest.mark.unit
def test_existing_case_ids_never_change(settings: Any) -> None:
    case = wage_case()
    pool = _pool(
        case[:2], {"petition:XF1": "case-old", "hotline:GD1": "case-old"}, {"case-old": "2026-11-20"}
    )
    result = match_incremental(frame(case[2:]), pool, settings)
    assert set(result.assignments["case_id"]) == {"case-old"}


@pytest.mark.unit
def test_bridging_record_merges_two_cases_and_the_older_survives(settings: Any) -> None:
    # The pool holds one dispute as two cases: a police report (id, own phone) and an app report (phone only).
    # A new petition carries the id of one and the phone of the other: it bridges them.
    police = record(
        "police:B1",
        reported_at="2026-11-18 21:00:00+08:00",
        name="刘洋",
        phone="13893155555",
        id_number="620105198802281123",
        address="安宁区银滩路12号",
        district="安宁区",
        category="医疗纠纷",
        content="报警称与医院因治疗问题发生纠纷",
    )
    app = record(
        "app:B2",
        reported_at="2026-11-19 08:00:00+08:00",
        name="刘洋",
        phone="18893166666",
        address="兰州市安宁区银滩路12号",
        district="安宁区",
        category="医疗纠纷",
        content="2026年11月1日在医院做手术后感染，花了53000元，医院不认账",
    )
    petition = record("petition:B3", reported_at="2026-11-19 10:00:00+08:00", name="刘洋", phone="18893166666",
                      id_number="620105198802281123", address="甘肃省兰州市安宁区银滩路12号", district="安宁区",
                      category="医疗纠纷", content="反映2026年11月1日手术后感染，花费53000元，要求医院赔偿。")  # fmt: skip
    pool = _pool([police, app], {"police:B1": "case-b", "app:B2": "case-a"},
                 {"case-b": "2026-11-18 21:00:00+08:00", "case-a": "2026-11-19 08:00:00+08:00"})  # fmt: skip
    result = match_incremental(frame([petition]), pool, settings)
    assert result.merges.to_dict("records") == [
        {"surviving_case_id": "case-b", "absorbed_case_id": "case-a", "bridging_record_id": "petition:B3"}
    ]
    assert result.assignments.loc[0, "case_id"] == "case-b"


@pytest.mark.unit
def test_reviewer_different_keeps_a_new_record_out(settings: Any) -> None:
    case = wage_case()
    pool = _pool(
        case[:3],
        dict.fromkeys(["petition:XF1", "hotline:GD1", "app:XL1"], "case-w"),
        {"case-w": "2026-11-20"},
    )
    decisions = pd.DataFrame({"record_id_l": ["petition:XF1", "hotline:GD1", "app:XL1"],
                              "record_id_r": ["police:J1"] * 3, "decision": ["different"] * 3})  # fmt: skip
    result = match_incremental(frame(case[3:]), pool, settings, decisions=decisions)
    assert result.assignments.loc[0, "case_id"] != "case-w"
    assert result.pairs["reviewed"].sum() == 3


@pytest.mark.unit
def test_reviewer_same_merges_what_the_model_would_not(settings: Any) -> None:
    pool = _pool([record("hotline:R1", name="王女士", phone="09318123456", category="其他", content="反映噪音")],
                 {"hotline:R1": "case-r"}, {"case-r": "2026-11-01"})  # fmt: skip
    new = frame([record("app:R2", name="王芳", phone="13912345678", category="其他", content="投诉噪音")])
    decisions = pd.DataFrame({"record_id_l": ["app:R2"], "record_id_r": ["hotline:R1"], "decision": ["same"]})
    result = match_incremental(new, pool, settings, decisions=decisions)
    assert result.assignments.loc[0, "case_id"] == "case-r"


@pytest.mark.unit
def test_review_band_pairs_are_queued(settings: Any) -> None:
    case = wage_case()
    pool = _pool(case[:1], {"petition:XF1": "case-w"}, {"case-w": "2026-11-20"})
    result = match_incremental(frame(case[1:]), pool, settings)
    band = result.pairs[(result.pairs["match_probability"] >= settings.review_threshold)
                        & (result.pairs["match_probability"] < settings.merge_threshold)]  # fmt: skip
    assert len(result.review) == len(band)
    assert {"record_id_l", "record_id_r", "match_probability"} <= set(result.review.columns)


@pytest.mark.unit
def test_an_updated_record_keeps_its_case(settings: Any) -> None:
    case = wage_case()
    pool = _pool(case[:2], {"petition:XF1": "case-w", "hotline:GD1": "case-w"}, {"case-w": "2026-11-20"})
    updated = dict(case[1], content=case[1]["content"] + "（已派单）")
    result = match_incremental(frame([updated]), pool, settings)
    assert result.assignments.to_dict("records")[0]["case_id"] == "case-w"
    assert not result.assignments.loc[0, "is_new_case"]


def _site_reports() -> list[dict[str, Any]]:
    """Sixteen buyers of one stalled project (a group dispute) writing its site; the last calls from the
    first one's phone."""
    names = ["马徽月", "李建国", "王秀兰", "赵志强", "刘桂英", "陈明", "杨丽", "黄海", "周伟", "吴敏", "徐强",
             "孙丽娟", "胡军", "朱红", "高峰", "林涛"]  # fmt: skip
    reports = [
        record(
            f"app:G{i:02d}",
            reported_at=f"2026-0{1 + i % 9}-1{i % 10} 10:00:00+08:00",
            name=name,
            phone=f"1399310{i:04d}",
            address="城关区静宁路309号天远名邸三期项目",
            district="城关区",
            category="房产物业",
            content="天远名邸三期项目逾期不交房，开发商拒不退还购房款。",
        )  # fmt: skip
        for i, name in enumerate(names)
    ]
    reports[-1]["phone"] = reports[0]["phone"]
    return reports


def _address_level(result: Any, settings: Any, pair: tuple[str, str]) -> str:
    labels = settings.comparison_objects[[c.name for c in settings.comparisons].index("address")].labels
    gamma = int(result.pairs.set_index(["record_id_l", "record_id_r"]).loc[pair, "gamma_address"])
    return str(labels[len(labels) - 1 - gamma])


@pytest.mark.unit
def test_the_pools_counts_make_a_batch_weigh_a_groups_site_as_dedupe_of_the_whole_pool_does(
    settings: Any,
) -> None:
    from matching.frequencies import counts_by_column, frequency_keys

    reports = _site_reports()
    pair = ("app:G00", "app:G15")
    assert _address_level(dedupe(frame(reports), settings), settings, pair) == "crowded"
    # The pass fetches only the pooled report sharing a key with the new one (the phone) ...
    fetched = _pool(reports[:1], {"app:G00": "case-g"}, {"case-g": "2026-01-10"})
    new = frame(reports[-1:])
    assert _address_level(match_incremental(new, fetched, settings), settings, pair) == "exact"
    # ... and, asking the pool how many of its records write each of the new one's values, reads the site
    # as the whole pool's dedupe does.
    keys = frequency_keys(frame(reports[:-1]), settings)
    counts = counts_by_column(keys.groupby(["rule", "key"]).size().rename("records").reset_index())
    result = match_incremental(new, fetched, settings, pooled_counts=counts)
    assert _address_level(result, settings, pair) == "crowded"
