"""Batch-level gates end to end on the warehouse: hold, release, reject, re-run, with the accounting intact."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from hub_fixtures import DAY, load

from connectors.base import SHANGHAI, Window, payload_hash
from connectors.hotline import HotlineConnector
from expectations.batch import check_batch
from warehouse import (
    BatchHeld,
    apply_gates,
    batch_profile,
    land_batch,
    make_engine,
    open_batch,
    read_landed,
    reject_batch,
    release_batch,
    unmatched_records,
)
from warehouse.__main__ import main
from warehouse.schema import RecordEvent, table_of

pytestmark = pytest.mark.integration

TEMPLATE: dict[str, Any] = load("hotline", "workorders_page1.json")["data"]["items"][0]


def _payloads(n: int, start: int = 0, **changes: Any) -> list[dict[str, Any]]:
    rows = []
    for i in range(start, start + n):
        row = {**TEMPLATE, "order_no": f"GD20261120{i:05d}", **changes}
        rows.append(row)
    return rows


def _land(engine: sa.Engine, payloads: list[dict[str, Any]], window: Window = DAY) -> str:
    batch_id = open_batch(engine, "hotline", window.key, window.start, window.end)
    land_batch(engine, batch_id, "hotline", [(p["order_no"], payload_hash(p), p) for p in payloads])
    return batch_id


def _validate(engine: sa.Engine, batch_id: str, window: Window = DAY) -> dict[str, int]:
    """What the DAG's validate task does."""
    profile = batch_profile(engine, batch_id)
    checked = check_batch(
        HotlineConnector, read_landed(engine, batch_id), reference_time=window.end, profile=profile
    )
    return apply_gates(engine, batch_id, checked)


def _state(engine: sa.Engine, batch_id: str) -> dict[str, Any]:
    with engine.connect() as conn:
        batch = dict(
            conn.execute(sa.text("SELECT * FROM batch WHERE batch_id = :b"), {"b": batch_id}).mappings().one()
        )
        counts = {
            t: conn.execute(
                sa.text(f"SELECT count(*) FROM {t} WHERE batch_id = :b"), {"b": batch_id}
            ).scalar_one()
            for t in ("complaint_record", "quarantine_record", "held_record", "batch_gate", "validation_run")
        }
    return batch | counts


def _reconciles(state: dict[str, Any]) -> bool:
    return bool(state["fetched"] == state["landed"] + state["unchanged"] + state["quarantined"])


def _history(engine: sa.Engine, weeks: int, fetched: int) -> None:
    """Published batches of the same weekday and window, ``weeks`` weeks back."""
    for k in range(1, weeks + 1):
        window = Window(DAY.start - timedelta(weeks=k), DAY.end - timedelta(weeks=k))
        batch_id = open_batch(engine, "hotline", window.key, window.start, window.end)
        with engine.begin() as conn:
            conn.execute(
                sa.text("UPDATE batch SET status='staged', fetched=:n, landed=:n WHERE batch_id=:b"),
                {"n": fetched, "b": batch_id},
            )


def test_a_clean_batch_is_staged_with_its_run_and_gates_recorded(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    batch_id = _land(engine, _payloads(30))
    assert _validate(engine, batch_id) == {"fetched": 30, "landed": 30, "unchanged": 0, "quarantined": 0}
    state = _state(engine, batch_id)
    assert (state["status"], state["complaint_record"], state["batch_gate"], state["validation_run"]) == (
        "staged",
        30,
        3,
        1,
    )
    with engine.connect() as conn:
        volume = conn.execute(sa.text("SELECT passed, reason FROM batch_gate WHERE gate='volume'")).one()
        run_ids = set(
            conn.execute(sa.text("SELECT run_id FROM dq_result WHERE batch_id=:b"), {"b": batch_id}).scalars()
        )
    assert volume[0] and "not judged" in volume[1]  # no history yet: the gate passes and says so
    assert len(run_ids) == 1 and None not in run_ids
    engine.dispose()


def test_schema_drift_holds_and_reject_quarantines_every_row(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    renamed = [{("content_text" if k == "content" else k): v for k, v in p.items()} for p in _payloads(30)]
    batch_id = _land(engine, renamed)
    with pytest.raises(BatchHeld, match=r"schema_drift gate: .*'content'.*renamed to 'content_text'") as held:
        _validate(engine, batch_id)
    assert "python -m warehouse batch release" in str(held.value) and "batch reject" in str(held.value)
    state = _state(engine, batch_id)
    assert state["status"] == "held" and "schema_drift" in state["held_gate"]
    assert (state["complaint_record"], state["quarantine_record"], state["held_record"]) == (0, 0, 30)
    assert unmatched_records(engine, [batch_id]) == []  # a held batch stages nothing: matching skips it

    counts = reject_batch(engine, batch_id, "auditor-1", "source renamed a column; re-export requested")
    assert counts == {"fetched": 30, "landed": 0, "unchanged": 0, "quarantined": 30}
    state = _state(engine, batch_id)
    assert state["status"] == "rejected" and _reconciles(state) and state["held_record"] == 0
    with engine.connect() as conn:
        reasons = conn.execute(sa.text("SELECT reasons FROM quarantine_record LIMIT 1")).scalar_one()
        decision = conn.execute(
            sa.text("SELECT decision, decided_by, reason, decided_at FROM batch_decision")
        ).one()
    assert "batch rejected: source renamed a column; re-export requested" in str(reasons)
    assert decision[:2] == ("rejected", "auditor-1") and decision[3] is not None

    # A re-run of the DAG keeps the rejection, and changes nothing.
    assert _validate(engine, batch_id) == counts
    assert _state(engine, batch_id)["status"] == "rejected"
    engine.dispose()


def test_volume_anomaly_holds_and_release_publishes_for_matching(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    _history(engine, weeks=4, fetched=200)
    flow = [{"node": "派单", "time": "2026-11-20 20:00:00", "dept": "城关区人社局", "dept_level": "区县"}]
    batch_id = _land(engine, _payloads(25, flow=flow))  # held rows wait as JSON, their events too
    with pytest.raises(BatchHeld, match="far below the Friday average of 200"):
        _validate(engine, batch_id)
    assert _state(engine, batch_id)["held_gate"] == "volume"

    counts = main(
        [
            "--url",
            migrated_url,
            "batch",
            "release",
            batch_id,
            "--by",
            "ops-2",
            "--reason",
            "holiday: the hotline was closed in the afternoon",
        ]
    )
    assert counts == 0
    state = _state(engine, batch_id)
    assert state["status"] == "released" and _reconciles(state) and state["complaint_record"] == 25
    with engine.connect() as conn:
        t = table_of(RecordEvent)
        events = conn.execute(sa.select(t.c.event_type, t.c.at, t.c.level).distinct()).all()
    assert events == [("dispatched", datetime(2026, 11, 20, 20, 0, tzinfo=SHANGHAI), "district")]
    assert len(unmatched_records(engine, ["a later run's batch"])) == 25  # the next run's matching takes them
    assert _validate(engine, batch_id)["landed"] == 25  # a re-run keeps it released
    assert _state(engine, batch_id)["status"] == "released"
    engine.dispose()


def test_quarantine_rate_holds_and_release_keeps_row_failures_quarantined(
    migrated_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(migrated_url)
    batch_id = _land(engine, _payloads(20) + _payloads(10, start=100, caller_phone="1389311"))
    with pytest.raises(BatchHeld, match=r"quarantine_rate gate: 10 of 30 rows \(33.3%\)"):
        _validate(engine, batch_id)
    assert main(["--url", migrated_url, "batch", "held"]) == 0
    assert batch_id in capsys.readouterr().out
    assert main(["--url", migrated_url, "batch", "show", batch_id]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["held_rows"] == 30 and shown["batch"]["held_gate"] == "quarantine_rate"
    assert [g["gate"] for g in shown["gates"] if not g["passed"]] == ["quarantine_rate"]
    assert main(["--url", migrated_url, "batch", "release", batch_id, "--by", " ", "--reason", "x"]) == 1
    counts = release_batch(
        engine, batch_id, "qa-lead", "phone switch bug, fixed upstream; rows stay quarantined"
    )
    assert counts == {"fetched": 30, "landed": 20, "unchanged": 0, "quarantined": 10}
    state = _state(engine, batch_id)
    assert _reconciles(state) and (state["complaint_record"], state["quarantine_record"]) == (20, 10)
    with pytest.raises(LookupError, match="not held"):
        reject_batch(engine, batch_id, "someone", "too late")
    engine.dispose()


def test_history_is_the_same_weekday_window_and_too_little_is_not_judged(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    _history(engine, weeks=2, fetched=1000)
    other_day = Window(DAY.start - timedelta(days=1), DAY.end - timedelta(days=1))
    _land(engine, _payloads(5, start=500), other_day)
    batch_id = _land(engine, _payloads(30))
    profile = batch_profile(engine, batch_id)
    assert profile["history"] == [1000, 1000] and profile["window_start"].weekday() == 4
    _validate(engine, batch_id)  # 30 against 1000 would be far below, but two weeks are too few to judge
    with engine.connect() as conn:
        reason = conn.execute(
            sa.text("SELECT reason FROM batch_gate WHERE gate='volume' AND batch_id=:b"), {"b": batch_id}
        ).scalar_one()
    assert reason == "only 2 earlier Friday batch(es), 3 needed: volume not judged"
    engine.dispose()
