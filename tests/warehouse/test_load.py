"""Landing and staging: versions, unchanged rows, re-runs, and accounting that always reconciles."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from connectors.base import SHANGHAI, Window, payload_hash
from warehouse import AccountingError, land_batch, make_engine, open_batch, read_landed, stage_batch

pytestmark = pytest.mark.integration

DAY = Window(datetime(2026, 11, 20, tzinfo=SHANGHAI), datetime(2026, 11, 21, tzinfo=SHANGHAI))
NEXT_DAY = Window(DAY.end, DAY.end + timedelta(days=1))


def _rows(payloads: list[dict[str, Any]]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(p["id"], payload_hash(p), p) for p in payloads]


def _count(engine: sa.Engine, table: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())


def _record(rid: str, landing_id: int) -> dict[str, Any]:
    return {
        "record_id": f"hotline:{rid}",
        "source": "hotline",
        "source_record_id": rid,
        "landing_id": landing_id,
        "reported_at": datetime(2026, 11, 20, 9, tzinfo=SHANGHAI),
        "name": "张伟",
        "content": "拖欠工资",
    }


def test_rerun_of_a_batch_reproduces_it_and_a_later_batch_sees_unchanged(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    payloads = [{"id": "A", "v": 1}, {"id": "B", "v": 1}]
    batch = open_batch(engine, "hotline", DAY.key, DAY.start, DAY.end)
    first = land_batch(engine, batch, "hotline", _rows(payloads))
    again = land_batch(
        engine, open_batch(engine, "hotline", DAY.key, DAY.start, DAY.end), "hotline", _rows(payloads)
    )
    assert (first.fetched, first.pending, first.unchanged) == (2, 2, 0)
    assert (again.fetched, again.pending, again.unchanged, again.new_versions) == (2, 2, 0, 0)
    assert _count(engine, "landing_record") == 2

    later = open_batch(engine, "hotline", NEXT_DAY.key, NEXT_DAY.start, NEXT_DAY.end)
    stats = land_batch(engine, later, "hotline", _rows([{"id": "A", "v": 1}, {"id": "B", "v": 2}]))
    assert (stats.fetched, stats.pending, stats.unchanged, stats.new_versions) == (2, 1, 1, 1)
    with engine.connect() as conn:
        versions = (
            conn.execute(
                sa.text("SELECT version FROM landing_record WHERE source_record_id='B' ORDER BY version")
            )
            .scalars()
            .all()
        )
    assert versions == [1, 2]  # the change adds a version; the old payload is kept
    assert [rid for _, rid, _ in read_landed(engine, later)] == ["B"]
    engine.dispose()


def test_a_record_repeated_within_one_fetch_is_landed_once(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    batch = open_batch(engine, "hotline", DAY.key, DAY.start, DAY.end)
    stats = land_batch(engine, batch, "hotline", _rows([{"id": "A"}, {"id": "A"}, {"id": "B"}]))
    assert (stats.fetched, stats.pending, stats.unchanged) == (3, 2, 1)
    assert _count(engine, "landing_record") == 2
    engine.dispose()


def test_stage_reconciles_and_is_idempotent(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    batch = open_batch(engine, "hotline", DAY.key, DAY.start, DAY.end)
    land_batch(engine, batch, "hotline", _rows([{"id": "A"}, {"id": "B"}, {"id": "C"}]))
    landed = {rid: lid for lid, rid, _ in read_landed(engine, batch)}
    good = [_record("A", landed["A"]), _record("B", landed["B"])]
    bad = [
        {
            "source_record_id": "C",
            "landing_id": landed["C"],
            "payload": {"id": "C"},
            "reasons": ["phone: ExpectColumnValuesToBeValidPhone"],
        }
    ]
    with pytest.raises(AccountingError):
        stage_batch(engine, batch, good, [], [])  # C would be lost: refused, nothing committed
    assert _count(engine, "complaint_record") == 0
    counts = stage_batch(engine, batch, good, bad, [])
    assert counts == {"fetched": 3, "landed": 2, "unchanged": 0, "quarantined": 1}
    before = {
        t: _count(engine, t) for t in ("complaint_record", "quarantine_record", "landing_record", "batch")
    }
    assert stage_batch(engine, batch, good, bad, []) == counts
    assert {t: _count(engine, t) for t in before} == before
    with engine.connect() as conn:
        reported = conn.execute(
            sa.text("SELECT reported_at FROM complaint_record WHERE record_id='hotline:A'")
        )
        value = reported.scalar_one()
    assert value is not None
    engine.dispose()


def test_a_rerun_that_now_passes_a_quarantined_row_takes_it_out_of_quarantine(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    batch = open_batch(engine, "hotline", DAY.key, DAY.start, DAY.end)
    land_batch(engine, batch, "hotline", _rows([{"id": "A"}, {"id": "B"}, {"id": "C"}]))
    landed = {rid: lid for lid, rid, _ in read_landed(engine, batch)}
    bad = [
        {"source_record_id": rid, "landing_id": landed[rid], "payload": {"id": rid}, "reasons": ["phone: x"]}
        for rid in ("B", "C")
    ]
    stage_batch(engine, batch, [_record("A", landed["A"])], bad, [])
    assert _count(engine, "quarantine_record") == 2
    # The rules were fixed: B passes on the re-run, C still fails.
    counts = stage_batch(engine, batch, [_record("A", landed["A"]), _record("B", landed["B"])], bad[1:], [])
    assert counts == {"fetched": 3, "landed": 2, "unchanged": 0, "quarantined": 1}
    with engine.connect() as conn:
        held = conn.execute(sa.text("SELECT source_record_id FROM quarantine_record")).scalars().all()
    assert held == ["C"]
    assert _count(engine, "complaint_record") == 2
    engine.dispose()


def test_large_batches_take_the_bulk_path_with_identical_results(migrated_url: str) -> None:
    from warehouse.load.bulk import COPY_THRESHOLD

    engine = make_engine(migrated_url)
    n = COPY_THRESHOLD + 500
    payloads = [
        {"id": f"R{i:05d}", "text": "含\t制表符\n和换行\\反斜杠" if i == 7 else "普通"} for i in range(n)
    ]
    batch = open_batch(engine, "hotline", DAY.key, DAY.start, DAY.end)
    land_batch(engine, batch, "hotline", _rows(payloads))
    landed = read_landed(engine, batch)
    records = [_record(rid, lid) | {"content": payload["text"]} for lid, rid, payload in landed]
    stage_batch(engine, batch, records, [], [])
    stage_batch(engine, batch, records, [], [])  # the same batch again: upserts, no duplicates
    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT payload FROM landing_record WHERE source_record_id='R00007'"))
        payload = stored.scalar_one()
        content = conn.execute(
            sa.text("SELECT content, reported_at FROM complaint_record WHERE record_id='hotline:R00007'")
        ).one()
    assert (payload if isinstance(payload, dict) else __import__("json").loads(payload))["text"] == payloads[
        7
    ]["text"]
    assert content[0] == payloads[7]["text"]
    assert _count(engine, "complaint_record") == n and _count(engine, "landing_record") == n
    engine.dispose()


def test_repeats_across_chunks_are_counted_once_without_remembering_ids(
    migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import warehouse.load.batches

    monkeypatch.setattr(warehouse.load.batches, "LAND_CHUNK", 2)  # every repeat below falls in a later chunk
    engine = make_engine(migrated_url)
    # B changes while the fetch pages (it comes again, as its new version); A is repeated by an overlap.
    fetch = _rows(
        [
            {"id": "A", "v": 1},
            {"id": "B", "v": 1},
            {"id": "A", "v": 1},
            {"id": "C", "v": 1},
            {"id": "B", "v": 2},
        ]
    )
    batch = open_batch(engine, "hotline", DAY.key, DAY.start, DAY.end)
    first = land_batch(engine, batch, "hotline", fetch)
    assert (first.fetched, first.pending, first.unchanged, first.new_versions) == (5, 3, 2, 4)
    # A re-run meets the source's current state (B changed once, A repeated by an overlapping page).
    again = land_batch(
        engine,
        batch,
        "hotline",
        _rows([{"id": "A", "v": 1}, {"id": "C", "v": 1}, {"id": "B", "v": 2}, {"id": "A", "v": 1}]),
    )
    assert (again.fetched, again.pending, again.unchanged, again.new_versions) == (4, 3, 1, 0)
    assert sorted(rid for _, rid, _ in read_landed(engine, batch)) == ["A", "B", "C"]
    assert _count(engine, "landing_record") == 4
    engine.dispose()


def test_a_rerun_keeps_rows_its_fetch_no_longer_returns_and_still_reconciles(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    batch = open_batch(engine, "hotline", DAY.key, DAY.start, DAY.end)
    land_batch(engine, batch, "hotline", _rows([{"id": "A"}, {"id": "B"}, {"id": "C"}]))
    stats = land_batch(engine, batch, "hotline", _rows([{"id": "A"}, {"id": "B"}]))
    assert (stats.fetched, stats.pending, stats.unchanged, stats.carried) == (3, 3, 0, 1)
    landed = read_landed(engine, batch)
    stage_batch(engine, batch, [_record(rid, lid) for lid, rid, _ in landed], [], [])  # counts add up
    engine.dispose()


def test_a_backfill_does_not_hand_superseded_versions_to_validation(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    day = open_batch(engine, "hotline", DAY.key, DAY.start, DAY.end)
    land_batch(engine, day, "hotline", _rows([{"id": "A", "v": 1}, {"id": "B", "v": 1}]))
    stage_batch(engine, day, [_record(rid, lid) for lid, rid, _ in read_landed(engine, day)], [], [])
    later = open_batch(engine, "hotline", NEXT_DAY.key, NEXT_DAY.start, NEXT_DAY.end)
    land_batch(
        engine, later, "hotline", _rows([{"id": "B", "v": 2}])
    )  # B was updated: it moved to the next day
    stats = land_batch(engine, day, "hotline", _rows([{"id": "A", "v": 1}]))  # backfill the first day
    assert (stats.fetched, stats.pending, stats.carried) == (1, 1, 0)
    assert [rid for _, rid, _ in read_landed(engine, day)] == ["A"]  # B's first version is history now
    engine.dispose()
