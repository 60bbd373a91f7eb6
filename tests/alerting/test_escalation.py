"""The four-level loop: an alert names the lowest level its cases name; unacted within its list's limit it
moves up a level, recorded in its history; acting in time keeps it where it is."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest
import sqlalchemy as sa

from alerting.calendar import SHANGHAI, WorkingCalendar
from alerting.escalation import EscalationPolicy, due_to_raise, raise_levels, responsible
from alerting.lifecycle import apply_firings

ISSUED = datetime(2026, 11, 16, 9, tzinfo=SHANGHAI)  # a Monday
POLICY = EscalationPolicy.load()


def _places(**named: str | None) -> pd.DataFrame:
    return pd.DataFrame([{c: named.get(c) for c in ("grid", "community", "street", "district")}])


@pytest.mark.unit
@pytest.mark.parametrize(
    ("named", "level", "unit"),
    [
        (
            {
                "grid": "永昌路第3网格",
                "community": "永昌路社区",
                "street": "张掖路街道",
                "district": "城关区",
            },
            "grid",
            "永昌路第3网格",
        ),
        (
            {"community": "永昌路社区", "street": "张掖路街道", "district": "城关区"},
            "community",
            "永昌路社区",
        ),
        ({"street": "张掖路街道", "district": "城关区"}, "street", "张掖路街道"),
        ({"district": "城关区"}, "district", "城关区"),
        ({}, "city", POLICY.city_unit),
    ],
)
def test_the_responsible_level_is_the_lowest_the_cases_name(
    named: dict[str, str], level: str, unit: str
) -> None:
    found = responsible(_places(**named), POLICY.city_unit).iloc[0]
    assert (found["level"], found["unit"]) == (level, unit)


def _alert(colour: str = "red", level: str = "street", **places: str | None) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "alert_id": 1,
                "colour": colour,
                "level": level,
                "level_since": pd.Timestamp(ISSUED),
                "case_ids": ["c1", "c2"],
                **{
                    c: places.get(c, v)
                    for c, v in (
                        ("grid", None),
                        ("community", None),
                        ("street", "张掖路街道"),
                        ("district", "城关区"),
                    )
                },
            }
        ]
    )


def _actions(*rows: tuple[str, datetime] | tuple[str, datetime, str]) -> pd.DataFrame:
    frame = pd.DataFrame([(*r, None)[:3] for r in rows], columns=["case_id", "at", "level"])
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return frame


@pytest.mark.unit
def test_an_unacted_red_alert_moves_up_one_level_after_24_hours() -> None:
    calendar = WorkingCalendar()
    assert due_to_raise(_alert(), _actions(), ISSUED + timedelta(hours=23), POLICY, calendar).empty
    moved = due_to_raise(_alert(), _actions(), ISSUED + timedelta(hours=24), POLICY, calendar).iloc[0]
    assert (moved["from_level"], moved["level"], moved["unit"]) == ("street", "district", "城关区")
    # A level the cases do not name is skipped: from the community straight to the district.
    skip = due_to_raise(
        _alert(level="community", community="永昌路社区", street=None),
        _actions(),
        ISSUED + timedelta(days=1),
        POLICY,
        calendar,
    )
    assert skip.iloc[0]["level"] == "district"
    # At city level it stays.
    assert due_to_raise(_alert(level="city"), _actions(), ISSUED + timedelta(days=9), POLICY, calendar).empty


@pytest.mark.unit
def test_acting_on_one_of_its_cases_in_time_keeps_the_alert_at_its_level() -> None:
    calendar = WorkingCalendar()
    acted = _actions(("c2", ISSUED + timedelta(hours=5)))
    assert due_to_raise(_alert(), acted, ISSUED + timedelta(hours=30), POLICY, calendar).empty
    before = _actions(("c2", ISSUED - timedelta(hours=1)))  # before it reached this level: does not count
    assert len(due_to_raise(_alert(), before, ISSUED + timedelta(hours=30), POLICY, calendar)) == 1
    # The street must act: its own or a community's action counts, a district department's does not.
    for level, raised in (("community", 0), ("street", 0), ("district", 1)):
        acted = _actions(("c1", ISSUED + timedelta(hours=2), level))
        assert len(due_to_raise(_alert(), acted, ISSUED + timedelta(hours=30), POLICY, calendar)) == raised


@pytest.mark.unit
def test_yellow_alerts_get_five_working_days() -> None:
    calendar = WorkingCalendar()
    # Monday 16 November + 5 working days: the end of Monday 23 November.
    assert due_to_raise(
        _alert("yellow"), _actions(), datetime(2026, 11, 23, 23, tzinfo=SHANGHAI), POLICY, calendar
    ).empty
    assert (
        len(
            due_to_raise(
                _alert("yellow"), _actions(), datetime(2026, 11, 24, 0, tzinfo=SHANGHAI), POLICY, calendar
            )
        )
        == 1
    )


@pytest.mark.integration
def test_the_raise_is_recorded_in_the_alert_history(migrated_url: str) -> None:
    from warehouse import make_engine

    engine = make_engine(migrated_url)
    firing = {
        "alert_key": "multi_channel:c1",
        "rule_id": "multi_channel",
        "subject_kind": "case",
        "subject_id": "c1",
        "colour": "red",
        "list_name": "督办单",
        "district": "城关区",
        "street": "张掖路街道",
        "community": "永昌路社区",
        "grid": None,
        "category": "劳资欠薪",
        "topic": "某项目",
        "n_cases": 1,
        "n_complainants": 1,
        "n_reports": 3,
        "evidence": {"rule": "同一纠纷多渠道反映", "case_ids": ["c1"]},
    }
    with engine.begin() as conn:
        apply_firings(conn, pd.DataFrame([firing]), ISSUED, "2026-11", "r1", POLICY.city_unit)
    calendar = WorkingCalendar()
    for hours in (12, 24, 48, 72, 96):
        with engine.begin() as conn:
            raise_levels(conn, _actions(), ISSUED + timedelta(hours=hours), POLICY, calendar, f"r{hours}")
    with engine.connect() as conn:
        alert = conn.execute(sa.text("SELECT level, unit FROM v_alert")).one()
        history = conn.execute(
            sa.text("SELECT event, level, unit, run_id FROM v_alert_history ORDER BY event_id")
        ).all()
    assert tuple(alert) == ("city", POLICY.city_unit)
    assert [tuple(h) for h in history] == [
        ("issued", "community", "永昌路社区", "r1"),
        ("level_raised", "street", "张掖路街道", "r24"),
        ("level_raised", "district", "城关区", "r48"),
        ("level_raised", "city", POLICY.city_unit, "r72"),
    ]


@pytest.mark.integration
def test_an_alert_opened_before_the_loop_existed_is_placed_then_runs_its_time(migrated_url: str) -> None:
    from warehouse import make_engine

    engine = make_engine(migrated_url)
    firing = {
        "alert_key": "multi_channel:c9",
        "rule_id": "multi_channel",
        "subject_kind": "case",
        "subject_id": "c9",
        "colour": "red",
        "list_name": "督办单",
        "district": "西固区",
        "street": None,
        "category": "劳资欠薪",
        "topic": None,
        "n_cases": 1,
        "n_complainants": 1,
        "n_reports": 3,
        "evidence": {"case_ids": ["c9"]},
    }
    with engine.begin() as conn:
        apply_firings(conn, pd.DataFrame([firing]), ISSUED, "2026-11")
        conn.execute(sa.text("UPDATE alert SET level = NULL, unit = NULL, level_since = NULL"))
    calendar = WorkingCalendar()
    with engine.begin() as conn:
        assert raise_levels(conn, _actions(), ISSUED + timedelta(days=5), POLICY, calendar) == 0
    with engine.begin() as conn:
        assert raise_levels(conn, _actions(), ISSUED + timedelta(days=6), POLICY, calendar) == 1
    with engine.connect() as conn:
        assert tuple(conn.execute(sa.text("SELECT level, unit FROM v_alert")).one()) == (
            "city",
            POLICY.city_unit,
        )


@pytest.mark.unit
def test_an_alert_whose_cases_are_all_closed_is_not_raised() -> None:
    calendar = WorkingCalendar()
    later = ISSUED + timedelta(hours=30)
    assert due_to_raise(_alert(), _actions(), later, POLICY, calendar, frozenset({"c1", "c2"})).empty
    assert len(due_to_raise(_alert(), _actions(), later, POLICY, calendar, frozenset({"c1"}))) == 1
