"""The centre's four clocks (the `centre` policy, which channels without a legal clock of their own run):
each state, working-day limits, and the reference time instead of the wall clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from alerting.calendar import SHANGHAI, WorkingCalendar
from alerting.clocks import CASE_TIMES, overdue_cases
from alerting.policy_clocks import EVENT_COLUMNS, policy_clocks

pytestmark = pytest.mark.unit

AS_OF = datetime(2026, 11, 20, 12, tzinfo=SHANGHAI)  # a Friday noon


def compute_clocks(
    cases: pd.DataFrame, as_of: datetime, calendar: WorkingCalendar | None = None
) -> pd.DataFrame:
    """The clocks of app reports (the centre's policy) without handling events."""
    events = pd.DataFrame(columns=list(EVENT_COLUMNS))
    return policy_clocks(cases, events, as_of, calendar=calendar)


def _cases(*rows: dict[str, datetime | None]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {
                "case_id": f"c{i}",
                "channel": "app",
                "category": "邻里纠纷",
                **{c: r.get(c) for c in CASE_TIMES},
            }
            for i, r in enumerate(rows)
        ]
    )
    for column in CASE_TIMES:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def _state(clocks: pd.DataFrame, case_id: str, step: str) -> str:
    return str(clocks[(clocks.case_id == case_id) & (clocks.step == step)]["state"].iloc[0])


@pytest.mark.parametrize(
    ("received", "contacted", "state"),
    [
        pytest.param(AS_OF - timedelta(minutes=5), None, "on_time", id="running, 25 minutes left"),
        pytest.param(AS_OF - timedelta(minutes=25), None, "due_soon", id="running, 5 minutes left"),
        pytest.param(AS_OF - timedelta(minutes=45), None, "overdue", id="running past 30 minutes"),
        pytest.param(
            AS_OF - timedelta(hours=2), AS_OF - timedelta(hours=1, minutes=50), "done", id="done in 10 min"
        ),
        pytest.param(
            AS_OF - timedelta(hours=2), AS_OF - timedelta(hours=1), "done_late", id="done after 60 min"
        ),
        pytest.param(
            AS_OF - timedelta(minutes=45),
            AS_OF + timedelta(minutes=5),
            "overdue",
            id="done after the reference time does not count yet",
        ),
    ],
)
def test_contact_clock_states(received: datetime, contacted: datetime | None, state: str) -> None:
    clocks = compute_clocks(_cases({"received_at": received, "contacted_at": contacted}), AS_OF)
    assert _state(clocks, "c0", "contact") == state


def test_dispatch_or_resolution_counts_as_contact_when_no_contact_time_is_recorded() -> None:
    received = AS_OF - timedelta(hours=3)
    clocks = compute_clocks(
        _cases({"received_at": received, "dispatched_at": received + timedelta(minutes=20)}), AS_OF
    )
    assert _state(clocks, "c0", "contact") == "done" and _state(clocks, "c0", "dispatch") == "done"


def test_working_day_limits_follow_the_calendar() -> None:
    # Received Wednesday 30 Sep 2026: resolve (5 working days) is due at the end of 13 Oct, after the
    # National Day week and the swapped working Saturday 10 Oct.
    received = datetime(2026, 9, 30, 15, tzinfo=SHANGHAI)
    as_of = datetime(2026, 10, 13, 9, tzinfo=SHANGHAI)
    clocks = compute_clocks(_cases({"received_at": received}), as_of)
    resolve = clocks[clocks.step == "resolve"].iloc[0]
    assert resolve["due_at"] == pd.Timestamp(datetime(2026, 10, 14, tzinfo=SHANGHAI))
    assert resolve["state"] == "due_soon"  # on its last working day
    assert _state(clocks, "c0", "follow_up") == "on_time"
    later = compute_clocks(_cases({"received_at": received}), datetime(2026, 10, 14, 0, 1, tzinfo=SHANGHAI))
    assert _state(later, "c0", "resolve") == "overdue"
    assert overdue_cases(later, ("resolve",)) == {"c0"}


def test_resolved_late_is_done_late_and_a_case_received_after_the_reference_time_has_no_clock() -> None:
    received = datetime(2026, 11, 9, 10, tzinfo=SHANGHAI)  # Monday: due at the end of Monday 16 Nov
    clocks = compute_clocks(
        _cases(
            {"received_at": received, "resolved_at": datetime(2026, 11, 18, tzinfo=SHANGHAI)},
            {"received_at": AS_OF + timedelta(hours=1)},
        ),
        AS_OF,
    )
    assert _state(clocks, "c0", "resolve") == "done_late"
    assert "c1" not in set(clocks.case_id)


def test_same_reference_time_same_clocks() -> None:
    cases = _cases({"received_at": AS_OF - timedelta(days=3)}, {"received_at": AS_OF - timedelta(minutes=1)})
    pd.testing.assert_frame_equal(compute_clocks(cases, AS_OF), compute_clocks(cases, AS_OF))


def test_a_limit_running_into_an_unknown_year_waits_while_every_other_clock_runs(tmp_path: Path) -> None:
    as_of = datetime(2026, 12, 28, 12, tzinfo=SHANGHAI)
    calendar = WorkingCalendar(tmp_path / "none.yaml")  # chinese-calendar 1.11 stops at 2026
    clocks = compute_clocks(
        _cases(
            {"received_at": as_of - timedelta(hours=1)},
            {"received_at": datetime(2026, 12, 1, 9, tzinfo=SHANGHAI)},
        ),
        as_of,
        calendar=calendar,
    )
    # Received today: the minute and hour limits run; 5 and 10 working days reach into 2027.
    assert _state(clocks, "c0", "contact") == "overdue" and _state(clocks, "c0", "dispatch") == "on_time"
    assert _state(clocks, "c0", "resolve") == "calendar_unknown"
    assert _state(clocks, "c0", "follow_up") == "calendar_unknown"
    assert clocks[(clocks.case_id == "c0") & (clocks.step == "resolve")]["due_at"].isna().all()
    # Received on 1 December: both working-day limits fall inside 2026 and are computed.
    assert _state(clocks, "c1", "resolve") == "overdue" and _state(clocks, "c1", "follow_up") == "overdue"
    assert calendar.missing_years == {2027}
    assert overdue_cases(clocks, ("resolve", "follow_up")) == {"c1"}
