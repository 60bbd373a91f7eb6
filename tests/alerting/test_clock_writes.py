"""The clocks a run writes: every clock of every open case, exactly as computed, also on the bulk path."""

from __future__ import annotations

import pandas as pd
import pytest
from pool_data import DAY, assign, at, record, rows, stage

from alerting import run_alerts
from alerting.clocks import clock_rows
from alerting.policy_clocks import EVENT_COLUMNS, policy_clocks
from warehouse import make_engine, publish_matches
from warehouse.load.bulk import COPY_THRESHOLD

pytestmark = pytest.mark.integration


def test_a_run_writes_every_clock_as_computed_even_past_the_copy_threshold(migrated_url: str) -> None:
    n = COPY_THRESHOLD // 4 + 50  # four steps a case: past the threshold, so PostgreSQL takes the COPY path
    engine = make_engine(migrated_url)
    stage(
        engine,
        [
            record(
                f"hotline:k{i}",
                reported_at=at(8 + i / n),
                received_at=at(8 + i / n),
                dispatched_at=at(9 + i / n) if i % 2 else None,
                category="邻里纠纷",
                district="城关区",
                phone=f"139{i:08d}",
                status="已派单",
            )
            for i in range(n)
        ],
    )
    publish_matches(engine, [assign(f"hotline:k{i}", f"k{i}") for i in range(n)], [], [], [])
    result = run_alerts(engine, DAY.end, "bulk")
    stored = rows(engine, "SELECT case_id, step, state, due_at, done_at FROM v_time_limit_clock")
    assert len(stored) == sum(result["clocks"].values()) == 4 * n
    odd = {(r["case_id"], r["step"]): r for r in stored}[("k1", "dispatch")]
    assert odd["state"] == "done" and odd["done_at"] is not None
    even = {(r["case_id"], r["step"]): r for r in stored}[("k0", "dispatch")]
    assert even["state"] == "on_time" and even["done_at"] is None and even["due_at"] is not None


def test_clock_rows_keep_missing_times_as_null() -> None:
    clocks = pd.DataFrame(
        {
            "case_id": ["a", "b"],
            "step": ["resolve", "resolve"],
            "started_at": pd.to_datetime(["2026-11-20T01:00:00Z", "2026-11-20T02:00:00Z"], utc=True),
            "due_at": pd.to_datetime(["2026-11-27T16:00:00Z", None], utc=True),
            "done_at": pd.to_datetime([None, None], utc=True),
            "state": ["on_time", "calendar_unknown"],
        }
    )
    out = clock_rows(clocks, DAY.end)
    assert out[1]["due_at"] is None and out[0]["done_at"] is None
    assert out[0]["due_at"].isoformat() == "2026-11-27T16:00:00+00:00" and out[0]["as_of"] == DAY.end
    no_cases = pd.DataFrame(columns=["case_id", "channel", "category", "received_at", "contacted_at"])
    no_cases = no_cases.assign(dispatched_at=None, resolved_at=None, followed_up_at=None)
    assert policy_clocks(no_cases, pd.DataFrame(columns=list(EVENT_COLUMNS)), DAY.end).empty
