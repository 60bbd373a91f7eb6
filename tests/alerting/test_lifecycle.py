"""Alert lifecycle on a real pool (SQLite and PostgreSQL): issued once, updated in place, closed, numbered."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
import sqlalchemy as sa
from pool_data import DAY, assign, at, record, rows, stage

from alerting import run_alerts
from alerting.lifecycle import apply_firings, issue_period
from warehouse import make_engine, publish_matches

pytestmark = pytest.mark.integration


def _wage(record_id: str, hour: float, phone: str, day: int = 0) -> dict[str, object]:
    return record(
        record_id,
        reported_at=at(hour, day),
        category="劳资欠薪",
        district="城关区",
        street="雁南街道",
        phone=phone,
        content="来电人反映其在宏泰华府二期项目务工,被拖欠工资",
        status="已派单",
        received_at=at(hour, day),
        dispatched_at=at(hour + 1, day),
    )


def _history(engine: sa.Engine) -> list[tuple[int, str, str, int]]:
    return [
        (r["alert_id"], r["event"], r["list_name"], r["issue_no"])
        for r in rows(
            engine, "SELECT alert_id, event, list_name, issue_no FROM v_alert_history ORDER BY event_id"
        )
    ]


def test_an_open_alert_is_updated_not_issued_again_and_closes_when_it_clears(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    stage(engine, [_wage(f"hotline:w{i}", 9 + i, f"1380000000{i}") for i in range(3)])
    publish_matches(engine, [assign(f"hotline:w{i}", f"c{i}") for i in range(3)], [], [], [])

    first = run_alerts(engine, DAY.end, "run-1")
    (alert,) = rows(engine, "SELECT * FROM v_alert")
    assert (alert["rule_id"], alert["colour"], alert["list_name"], alert["district"], alert["street"]) == (
        "group_forming",
        "yellow",
        "提示单",
        "城关区",
        "雁南街道",
    )
    assert (alert["n_complainants"], alert["issue_period"], alert["issue_no"]) == (3, "2026-11", 1)
    assert first["open"] == {"yellow": 1, "orange": 0, "red": 0}

    again = run_alerts(engine, DAY.end, "run-1-again")  # a rerun for the same reference time changes nothing
    assert again["events"]["unchanged"] == 1 and again["events"]["issued"] == 0
    assert len(rows(engine, "SELECT * FROM v_alert")) == 1 and len(_history(engine)) == 1

    # Next day: a petition visit and another worker: 5 complainants of a hot category with petition → orange.
    stage(
        engine,
        [_wage("petition:w3", 10, "13800000003", day=1), _wage("hotline:w4", 11, "13800000004", day=1)],
        key="next-day",
    )
    publish_matches(engine, [assign("petition:w3", "c3"), assign("hotline:w4", "c4")], [], [], [])
    second = run_alerts(engine, DAY.end + timedelta(days=1), "run-2")
    (updated,) = rows(engine, "SELECT * FROM v_alert")
    assert updated["alert_id"] == alert["alert_id"] and updated["status"] == "open"
    assert (updated["colour"], updated["list_name"], updated["n_complainants"], updated["issue_no"]) == (
        "orange",
        "预警单",
        5,
        1,
    )
    assert second["events"]["escalated"] == 1 and second["events"]["issued"] == 0

    # A week and more without reports: the condition clears and the alert closes; its history stays.
    third = run_alerts(engine, DAY.end + timedelta(days=9), "run-3")
    (closed,) = rows(engine, "SELECT * FROM v_alert")
    assert closed["status"] == "closed" and third["events"]["closed"] == 1
    assert [e[1] for e in _history(engine)] == ["issued", "escalated", "closed"]
    # The clocks were evaluated at the last reference time: dispatched in an hour, never resolved (due at the
    # end of the 5th working day after Friday 20 Nov: Friday 27 Nov).
    states = {(r["case_id"], r["step"]): r["state"] for r in rows(engine, "SELECT * FROM v_time_limit_clock")}
    assert states[("c0", "dispatch")] == "done" and states[("c0", "resolve")] == "overdue"

    # An earlier reference time than one already evaluated is not replayed over newer lists.
    assert "skipped" in run_alerts(engine, DAY.end, "late-rerun")
    engine.dispose()


def _firing(key: str, colour: str = "yellow") -> dict[str, object]:
    return {
        "alert_key": f"r:{key}",
        "rule_id": "r",
        "subject_kind": "case",
        "subject_id": key,
        "colour": colour,
        "list_name": {"yellow": "提示单", "orange": "预警单", "red": "督办单"}[colour],
        "district": "城关区",
        "street": None,
        "category": "其他",
        "topic": None,
        "n_cases": 1,
        "n_complainants": 1,
        "n_reports": 1,
        "evidence": {"case_ids": [key]},
    }


def test_issue_numbers_count_per_list_and_period(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    november, december = DAY.end, DAY.end + timedelta(days=15)
    assert (issue_period(november, "month"), issue_period(december, "month")) == ("2026-11", "2026-12")
    with engine.begin() as conn:
        apply_firings(
            conn, pd.DataFrame([_firing("a"), _firing("b"), _firing("c", "red")]), november, "2026-11"
        )
    with engine.begin() as conn:  # a is gone (closed), b stays, d is new: the numbering restarts in December
        apply_firings(
            conn, pd.DataFrame([_firing("b"), _firing("c", "red"), _firing("d")]), december, "2026-12"
        )
    numbers = {
        r["subject_id"]: (r["status"], r["list_name"], r["issue_period"], r["issue_no"])
        for r in rows(engine, "SELECT * FROM v_alert")
    }
    assert numbers == {
        "a": ("closed", "提示单", "2026-11", 1),
        "b": ("open", "提示单", "2026-11", 2),
        "c": ("open", "督办单", "2026-11", 1),
        "d": ("open", "提示单", "2026-12", 1),
    }
    engine.dispose()


def test_a_run_overtaken_by_a_later_evaluation_writes_nothing(
    migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs at once (the CLI beside the DAG): the one at the earlier reference time must not write
    over the later one's lists once it gets to write, even though it passed the first check."""
    import alerting.run as run_module
    from alerting.feed import read_groups  # the function run_module holds until it is patched

    engine = make_engine(migrated_url)
    stage(engine, [_wage(f"hotline:w{i}", 9 + i, f"1380000000{i}") for i in range(3)])
    publish_matches(engine, [assign(f"hotline:w{i}", f"c{i}") for i in range(3)], [], [], [])
    later = DAY.end + timedelta(days=1)
    overtaken: list[dict[str, object]] = []

    def other_run_commits_meanwhile(pool: sa.Engine) -> pd.DataFrame:
        if not overtaken:
            monkeypatch.setattr(run_module, "read_groups", read_groups)
            overtaken.append(run_alerts(engine, later, "other"))
        return read_groups(pool)

    monkeypatch.setattr(run_module, "read_groups", other_run_commits_meanwhile)
    result = run_alerts(engine, DAY.end, "slow")
    assert overtaken and "skipped" not in overtaken[0]
    assert "skipped" in result
    runs = rows(engine, "SELECT as_of, run_id FROM alert_run")
    assert [r["run_id"] for r in runs] == ["other"]
    (alert,) = rows(engine, "SELECT * FROM v_alert")
    assert alert["status"] == "open" and len(_history(engine)) == 1
    engine.dispose()


def test_a_run_whose_limits_reach_an_unknown_year_still_raises_alerts_and_names_the_file(
    migrated_url: str, tmp_path: object
) -> None:
    from pathlib import Path

    from alerting.calendar import WorkingCalendar
    from alerting.run import AlertSettings

    engine = make_engine(migrated_url)
    late = 38  # days after the test day: 28 December, whose 5- and 10-working-day limits reach 2027
    stage(engine, [_wage(f"hotline:w{i}", 9 + i, f"1380000000{i}", day=late) for i in range(3)])
    publish_matches(engine, [assign(f"hotline:w{i}", f"c{i}") for i in range(3)], [], [], [])
    calendar = WorkingCalendar(Path(str(tmp_path)) / "calendar_overrides.yaml")
    result = run_alerts(engine, DAY.end + timedelta(days=late), "run", AlertSettings(calendar=calendar))
    assert result["open"]["yellow"] == 1  # the group still forms an alert
    assert result["clocks"]["calendar_unknown"] == 6  # resolve and follow-up of three cases
    warning, ending = result["warnings"]
    assert "2027" in warning and "calendar_overrides.yaml" in warning
    # and, as every run within 60 days of the calendar's end, the flag and the warning that it ends
    assert result["calendar_ending"] is True and result["calendar_known_until"] == "2026-12-31"
    assert "ends on 2026-12-31" in ending and "2027年部分节假日安排" in ending
    states = {r["state"] for r in rows(engine, "SELECT state FROM v_time_limit_clock")}
    assert "calendar_unknown" in states
