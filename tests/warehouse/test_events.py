"""Handling events in the warehouse: staged with their record, superseded by a later version, and streamed
per case across channels by ``v_case_event``, on both engines."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from connectors.base import SHANGHAI, Window, payload_hash
from warehouse import land_batch, make_engine, open_batch, publish_matches, read_landed, stage_batch
from warehouse.load.events import stage_events
from warehouse.pool.lineage import case_lineage
from warehouse.schema import RecordEvent, table_of

pytestmark = pytest.mark.integration

DAY = Window(datetime(2026, 11, 20, tzinfo=SHANGHAI), datetime(2026, 11, 21, tzinfo=SHANGHAI))
NEXT = Window(DAY.end, DAY.end + timedelta(days=1))
T0 = datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)


def event(kind: str, hours: float, **extra: Any) -> dict[str, Any]:
    base = {"type": kind, "at": T0 + timedelta(hours=hours), "actor": "派单员1023", "unit": "城关区人社局"}
    return (
        {"level": "district", "reason": None, "days": None, "satisfaction": None, "score": None}
        | base
        | extra
    )


def record(source: str, key: str, landing_id: int, events: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "record_id": f"{source}:{key}",
        "source": source,
        "source_record_id": key,
        "landing_id": landing_id,
        "reported_at": T0,
        "phone": "13893112345",
        "district": "城关区",
        "category": "劳资欠薪",
        "content": "拖欠工资",
        "events": events,
    }


def stage(engine: sa.Engine, source: str, window: Window, key: str, events: list[dict[str, Any]]) -> str:
    batch = open_batch(engine, source, window.key, window.start, window.end)
    payload = {"k": key, "n": len(events)}
    land_batch(engine, batch, source, [(key, payload_hash(payload), payload)])
    ((landing_id, _, _),) = read_landed(engine, batch)
    stage_batch(engine, batch, [record(source, key, landing_id, events)], [], [])
    return batch


def stream(engine: sa.Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(sa.text(sql))]


def test_a_later_version_supersedes_the_events_and_a_rerun_changes_nothing(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    first = [event("registered", 0), event("dispatched", 0.5)]
    stage(engine, "hotline", DAY, "H1", first)
    assert stream(engine, "SELECT seq, event_type FROM record_event ORDER BY seq") == [
        (1, "registered"),
        (2, "dispatched"),
    ]
    # The next day's fetch brings the order again with its whole flow: sent back, re-dispatched, closed.
    later = [
        *first,
        event("sent_back", 3, reason="非本单位职责范围，来电人电话13893112345"),
        event("redispatched", 5, unit="张掖路街道办事处", level="street"),
        event("closed", 30),
        event("followed_up", 40, satisfaction="不满意"),
    ]
    batch = stage(engine, "hotline", NEXT, "H1", later)
    rows = stream(
        engine, "SELECT seq, event_type, reason, level, satisfaction, batch_id FROM record_event ORDER BY seq"
    )
    assert [r[:2] for r in rows] == [
        (1, "registered"),
        (2, "dispatched"),
        (3, "sent_back"),
        (4, "redispatched"),
        (5, "closed"),
        (6, "followed_up"),
    ]
    assert rows[2][2] == "非本单位职责范围，来电人电话138****2345"  # shown by the read contract: masked
    assert rows[3][3] == "street" and rows[5][4] == "不满意"
    assert {r[5] for r in rows} == {batch}
    # Staging the same records again (a re-run) leaves the same rows.
    with engine.begin() as conn:
        written = stage_events(conn, [record("hotline", "H1", 0, later)], batch)
    assert written == 6 and len(stream(engine, "SELECT * FROM record_event")) == 6
    # A record without events (a source that has none, an old fixture) stays valid and clears nothing else.
    stage(engine, "police", DAY, "J1", [])
    assert stream(engine, "SELECT count(*) FROM record_event WHERE record_id = 'police:J1'") == [(0,)]
    engine.dispose()


def test_the_case_stream_joins_every_member_across_channels_in_time_order(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    stage(engine, "hotline", DAY, "H1", [event("registered", 0), event("reminded", 50), event("closed", 80)])
    stage(
        engine,
        "petition",
        DAY,
        "P1",
        [event("registered", 2, unit="城关区信访局"), event("accepted", 26, unit="城关区信访局")],
    )
    publish_matches(
        engine,
        [
            {"record_id": "hotline:H1", "case_id": "case-1", "is_new_case": True,
             "match_probability": None, "matched_record_id": None},
            {"record_id": "petition:P1", "case_id": "case-1", "is_new_case": False,
             "match_probability": 0.97, "matched_record_id": "hotline:H1"},
        ],
        [], [], [],
    )  # fmt: skip
    rows = stream(
        engine,
        "SELECT case_seq, channel, event_type, event_date, district FROM v_case_event "
        "WHERE case_id = 'case-1' ORDER BY case_seq",
    )
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (1, "hotline", "registered"),
        (2, "petition", "registered"),
        (3, "petition", "accepted"),
        (4, "hotline", "reminded"),
        (5, "hotline", "closed"),
    ]
    # 80 hours after 09:00 on the 20th is 17:00 on the 23rd, Beijing time.
    assert str(rows[-1][3]) == "2026-11-23" and rows[0][4] == "城关区"
    # `python -m warehouse case case-1` traces the same stream.
    lineage = case_lineage(engine, "case-1")
    assert [(e["source"], e["event_type"]) for e in lineage["events"]] == [(r[1], r[2]) for r in rows]
    engine.dispose()


def test_a_large_batch_goes_by_copy_and_reads_back_the_same(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    n = 420  # 420 records x 6 events: past the COPY threshold on PostgreSQL
    batch = open_batch(engine, "hotline", DAY.key, DAY.start, DAY.end)
    land_batch(engine, batch, "hotline", [(f"H{i}", payload_hash({"i": i}), {"i": i}) for i in range(n)])
    landed = {rid: lid for lid, rid, _ in read_landed(engine, batch)}
    flow = [
        event("registered", 0),
        event("dispatched", 1),
        event("extension_requested", 20, days=5, reason="需现场核查\t取证"),
        event("extension_approved", 22, days=5, detail={"note": "同意"}),
        event("closed", 90),
        event("followed_up", 100, satisfaction="满意", score=5),
    ]
    records = [record("hotline", f"H{i}", landed[f"H{i}"], flow) for i in range(n)]
    stage_batch(engine, batch, records, [], [])
    assert stream(engine, "SELECT count(*) FROM record_event") == [(6 * n,)]
    with engine.connect() as conn:
        cased = conn.execute(sa.text("SELECT count(*) FROM v_case_event")).scalar_one()  # no case yet
        t = table_of(RecordEvent)
        sample = conn.execute(
            sa.select(t).where(t.c.record_id == "hotline:H7", t.c.seq.in_([3, 4, 6])).order_by(t.c.seq)
        ).all()
    assert cased == 0
    assert [(e.days, e.reason, e.score, e.detail) for e in sample] == [
        (5, "需现场核查\t取证", None, None),
        (5, None, None, {"note": "同意"}),
        (None, None, 5, None),
    ]
    assert sample[0].at == T0 + timedelta(hours=20)
    engine.dispose()
