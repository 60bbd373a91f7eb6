"""Publishing matches: new cases, idempotent re-publish, merges keeping the older id, lineage, candidates."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from connectors.base import SHANGHAI, Window, payload_hash
from warehouse import (
    land_batch,
    make_engine,
    open_batch,
    pool_candidates,
    pool_value_counts,
    publish_matches,
    read_landed,
    record_review,
    review_decisions,
    stage_batch,
)
from warehouse.pool.lineage import case_lineage

pytestmark = pytest.mark.integration

DAY = Window(datetime(2026, 11, 20, tzinfo=SHANGHAI), datetime(2026, 11, 21, tzinfo=SHANGHAI))


def _stage(engine: sa.Engine, ids: list[str], hour: int = 9) -> None:
    batch = open_batch(engine, "app", DAY.key, DAY.start, DAY.end)
    rows = [(rid, payload_hash({"id": rid}), {"id": rid}) for rid in ids]
    land_batch(engine, batch, "app", rows)
    landed = read_landed(engine, batch)
    records = [
        {
            "record_id": f"app:{rid}",
            "source": "app",
            "source_record_id": rid,
            "landing_id": lid,
            "reported_at": DAY.start + timedelta(hours=hour + i),
            "category": "劳资欠薪",
            "district": "城关区",
        }
        for i, (lid, rid, _) in enumerate(landed)
    ]
    stage_batch(engine, batch, records, [], [])


def _assign(record: str, case: str, new: bool, prob: float | None = None) -> dict[str, Any]:
    return {
        "record_id": record,
        "case_id": case,
        "is_new_case": new,
        "match_probability": prob,
        "matched_record_id": None,
    }


def _counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t: int(conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one())
            for t in ("complaint_case", "case_member", "case_history", "match_pair", "match_key")
        }


def test_publish_is_idempotent_and_a_bridge_merges_into_the_older_case(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    _stage(engine, ["r1", "r2", "r3", "r4"])
    first = [
        _assign("app:r1", "case-a", True),
        _assign("app:r2", "case-a", True, 0.99),
        _assign("app:r3", "case-b", True),
    ]
    pair = {
        "record_id_l": "app:r1",
        "record_id_r": "app:r2",
        "match_weight": 12.0,
        "match_probability": 0.99,
        "decision": "merge",
        "gamma_name": 3,
        "gamma_phone": 2,
    }
    keys = [
        {"record_id": "app:r1", "rule": "phone", "key": "138"},
        {"record_id": "app:r3", "rule": "phone", "key": "139"},
    ]
    publish_matches(engine, first, [], [pair], keys)
    before = _counts(engine)
    publish_matches(engine, first, [], [pair], keys)
    # A new case's founding records are listed in its 'created' event; later arrivals get 'record_added'.
    assert (
        _counts(engine)
        == before
        == {"complaint_case": 2, "case_member": 3, "case_history": 2, "match_pair": 1, "match_key": 2}
    )

    bridge = [_assign("app:r4", "case-a", False, 0.97)]
    publish_matches(
        engine,
        bridge,
        [{"surviving_case_id": "case-a", "absorbed_case_id": "case-b", "bridging_record_id": "app:r4"}],
        [],
        [],
    )
    with engine.connect() as conn:
        cases: dict[str, str] = dict(
            conn.execute(sa.text("SELECT case_id, status FROM complaint_case")).tuples().all()
        )
        members: dict[str, str] = dict(
            conn.execute(sa.text("SELECT record_id, case_id FROM case_member")).tuples().all()
        )
        n_records = conn.execute(
            sa.text("SELECT n_records FROM complaint_case WHERE case_id='case-a'")
        ).scalar()
    assert cases == {"case-a": "open", "case-b": "merged"}
    assert set(members.values()) == {"case-a"} and n_records == 4

    lineage = case_lineage(engine, "case-b")  # the absorbed id still resolves, to the survivor
    assert lineage["case"]["case_id"] == "case-a" and lineage["followed_from"] == "case-b"
    assert [m["record_id"] for m in lineage["members"]] == ["app:r1", "app:r2", "app:r3", "app:r4"]
    assert lineage["members"][0]["payload"] == {"id": "r1"}
    assert lineage["evidence"][0]["levels"] == {"name": 3, "phone": 2}
    assert {"created", "record_added", "merged"} <= {h["event"] for h in lineage["history"]}
    created = next(h for h in lineage["history"] if h["event"] == "created")
    assert created["detail"] == {"records": ["app:r1", "app:r2"]}
    engine.dispose()


def test_candidates_are_only_records_sharing_a_key(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    _stage(engine, ["r1", "r2"])
    publish_matches(
        engine,
        [_assign("app:r1", "case-a", True), _assign("app:r2", "case-b", True)],
        [],
        [],
        [
            {"record_id": "app:r1", "rule": "phone", "key": "138"},
            {"record_id": "app:r2", "rule": "phone", "key": "139"},
        ],
    )
    found = pool_candidates(
        engine,
        [
            {"record_id": "app:new", "rule": "phone", "key": "138"},
            {"record_id": "app:new", "rule": "id", "key": "138"},
        ],
    )
    assert [(c["record_id"], c["case_id"]) for c in found] == [("app:r1", "case-a")]
    assert found[0]["case_first_reported_at"] is not None
    engine.dispose()


def test_a_windowed_key_fetches_only_records_reported_inside_its_window(migrated_url: str) -> None:
    # r1 at 09:00 and r2 at 10:00 (Shanghai) quote one common sum; a probe reaching back to 09:30 reads r2
    # only, a probe without a bound (a phone) reads both.
    engine = make_engine(migrated_url)
    _stage(engine, ["r1", "r2"])
    publish_matches(
        engine,
        [_assign("app:r1", "case-a", True), _assign("app:r2", "case-b", True)],
        [],
        [],
        [{"record_id": f"app:{r}", "rule": rule, "key": key} for r in ("r1", "r2")
         for rule, key in (("content_sum", "a20000"), ("phone_norm", "13800000001"))],
    )  # fmt: skip
    since = DAY.start + timedelta(hours=9, minutes=30)
    windowed = pool_candidates(engine, [{"record_id": "app:new", "rule": "content_sum", "key": "a20000",
                                         "since": since}])  # fmt: skip
    assert [c["record_id"] for c in windowed] == ["app:r2"]
    both = pool_candidates(engine, [
        {"record_id": "app:new", "rule": "content_sum", "key": "a20000", "since": since},
        {"record_id": "app:old", "rule": "content_sum", "key": "a20000", "since": DAY.start},
    ])  # fmt: skip
    assert [c["record_id"] for c in both] == ["app:r1", "app:r2"]  # the earliest bound of a key holds
    unbounded = pool_candidates(engine, [{"record_id": "app:new", "rule": "phone_norm", "key": "13800000001",
                                          "since": None}])  # fmt: skip
    assert [c["record_id"] for c in unbounded] == ["app:r1", "app:r2"]
    engine.dispose()


def test_a_key_of_a_nearest_rule_fetches_only_the_latest_records_it_can_pair_with(migrated_url: str) -> None:
    # Five claims of one sum on one topic at 09:00 .. 13:00. A new record at 12:30 under a rule pairing it
    # with the 2 latest reported an hour or more before it (until 11:30) can pair with r2 and r3 only, and
    # r5, reported after it, reaches back to it: r1 and r4 are not read. Its phone's key is read in full.
    engine = make_engine(migrated_url)
    _stage(engine, ["r1", "r2", "r3", "r4", "r5"])
    publish_matches(
        engine,
        [_assign(f"app:r{i}", f"case-{i}", True) for i in range(1, 6)],
        [],
        [],
        [
            {"record_id": f"app:r{i}", "rule": "content_sum+content_topics", "key": "a20000|wages"}
            for i in range(1, 6)
        ]
        + [{"record_id": "app:r1", "rule": "phone_norm", "key": "13800000001"}],
    )
    at = DAY.start + timedelta(hours=12, minutes=30)
    probe = {"record_id": "app:new", "rule": "content_sum+content_topics", "key": "a20000|wages",
             "since": DAY.start, "until": at - timedelta(hours=1), "after": at, "nearest": 2}  # fmt: skip
    assert [c["record_id"] for c in pool_candidates(engine, [probe])] == ["app:r2", "app:r3", "app:r5"]
    phone = {"record_id": "app:new", "rule": "phone_norm", "key": "13800000001", "since": None}
    found = pool_candidates(engine, [probe, phone])
    assert [c["record_id"] for c in found] == ["app:r1", "app:r2", "app:r3", "app:r5"]
    # Two new records of one key each read their own latest: one at 09:30 reads r1 (and all after it).
    early = {**probe, "record_id": "app:early", "until": DAY.start + timedelta(hours=9, minutes=30),
             "after": DAY.start + timedelta(hours=9, minutes=30)}  # fmt: skip
    assert len(pool_candidates(engine, [probe, early])) == 5
    engine.dispose()


def test_review_decisions_are_stored_order_free(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    record_review(engine, "hotline:b", "app:a", "different", reviewer="auditor-1", reason="namesakes")
    record_review(engine, "app:a", "hotline:b", "same", reviewer="auditor-2")
    assert review_decisions(engine) == [
        {"record_id_l": "app:a", "record_id_r": "hotline:b", "decision": "same"}
    ]
    with pytest.raises(ValueError):
        record_review(engine, "a", "b", "maybe", reviewer="x")
    engine.dispose()


def test_missing_values_from_frames_are_stored_as_null(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    _stage(engine, ["r1"])
    nan = float("nan")
    publish_matches(
        engine,
        [
            {
                "record_id": "app:r1",
                "case_id": "case-a",
                "is_new_case": True,
                "match_probability": nan,
                "matched_record_id": nan,
            }
        ],
        [],
        [],
        [],
    )
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT match_probability, matched_record_id FROM case_member")).one()
    assert tuple(row) == (None, None)
    engine.dispose()


def test_bad_evidence_found_on_the_helper_thread_publishes_nothing(migrated_url: str) -> None:
    """Keys and pairs are prepared on a helper thread while the records are placed: its failure still
    rolls the whole publish back."""
    engine = make_engine(migrated_url)
    _stage(engine, ["r1", "r2"])
    before = _counts(engine)
    bad_pair = {
        "record_id_l": "app:r1",
        "record_id_r": "app:r2",
        "match_weight": "heavy",
        "match_probability": 0.9,
        "decision": "merge",
    }
    with pytest.raises(ValueError):
        publish_matches(
            engine,
            [_assign("app:r1", "case-a", True), _assign("app:r2", "case-a", True)],
            [],
            [bad_pair],
            [{"record_id": "app:r1", "rule": "phone_norm", "key": "13800000001"}],
        )
    assert _counts(engine) == before
    engine.dispose()


def test_pool_value_counts_counts_the_pooled_records_carrying_each_value(migrated_url: str) -> None:
    # Three pooled reports write one project site; one of them gives a name. The values are stored as
    # keyed hashes like every key, and counted without reading a record.
    engine = make_engine(migrated_url)
    _stage(engine, ["r1", "r2", "r3"])
    site, name = "frequency:address_key", "frequency:name_norm"
    keys = [{"record_id": f"app:r{i}", "rule": site, "key": "静宁路309号"} for i in (1, 2, 3)]
    keys.append({"record_id": "app:r1", "rule": name, "key": "马徽月"})
    assigned = [
        _assign("app:r1", "case-a", True),
        _assign("app:r2", "case-b", True),
        _assign("app:r3", "case-c", True),
    ]
    publish_matches(engine, assigned, [], [], keys)
    with engine.connect() as conn:
        stored = {row[0] for row in conn.execute(sa.text("SELECT key FROM match_key"))}
    assert "静宁路309号" not in stored and "马徽月" not in stored
    asked = [{"rule": site, "key": "静宁路309号"}, {"rule": site, "key": "静宁路309号"},
             {"rule": name, "key": "马徽月"}, {"rule": name, "key": "林涛"}]  # fmt: skip
    counted = sorted((c["rule"], c["key"], c["records"]) for c in pool_value_counts(engine, asked))
    assert counted == [(site, "静宁路309号", 3), (name, "林涛", 0), (name, "马徽月", 1)]
    assert pool_value_counts(engine, []) == []
