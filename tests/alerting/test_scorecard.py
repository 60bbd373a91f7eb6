"""Scorecards: every formula on a hand-made set of four cases, with exact expected numbers, and the same
numbers read back through the reader view ``v_scorecard`` on both engines."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest
import sqlalchemy as sa

from alerting.calendar import SHANGHAI
from alerting.scorecard import Material, score_rows, scorecards

AS_OF = datetime(2026, 11, 21, tzinfo=SHANGHAI)


def _t(text: str) -> pd.Timestamp:
    return pd.Timestamp(datetime.fromisoformat(f"2026-11-{text}").replace(tzinfo=SHANGHAI)).tz_convert("UTC")


def _material() -> Material:
    cases = pd.DataFrame(
        [
            ("c1", "城关区", "张掖路街道", _t("16 09:00")),
            ("c2", "城关区", "酒泉路街道", _t("16 10:00")),
            ("c3", "七里河区", "西园街道", _t("16 08:00")),
            ("c4", "七里河区", "西园街道", _t("17 09:00")),
        ],
        columns=["case_id", "district", "street", "received_at"],
    )
    reports = pd.DataFrame(
        [
            ("c1", _t("16 09:00")),
            ("c2", _t("16 10:00")),
            ("c2", _t("16 10:30")),  # the same dispute on a second channel the same hour: no repeat
            ("c2", _t("19 15:00")),  # reported again three days after its first report: a repeat complaint
            ("c3", _t("16 08:00")),
            ("c4", _t("17 09:00")),
            ("c4", _t("21 09:00")),  # after the reference time: not yet
        ],
        columns=["case_id", "reported_at"],
    )
    events = pd.DataFrame(
        [
            ("c1", "acknowledged", _t("16 09:10"), "城关区住建局", None),
            ("c1", "closed", _t("18 10:00"), "城关区住建局", None),
            ("c1", "followed_up", _t("19 10:00"), None, "满意"),
            ("c2", "dispatched", _t("16 10:20"), "城关区住建局", None),
            ("c2", "acknowledged", _t("16 11:00"), "酒泉路街道办事处", None),
            ("c2", "closed", _t("17 16:00"), "酒泉路街道办事处", None),
            ("c2", "followed_up", _t("18 10:00"), None, "不满意"),
            ("c2", "reopened", _t("18 12:00"), None, None),
            ("c3", "reminded", _t("17 09:00"), "市12345热线", None),
            ("c4", "acknowledged", _t("17 09:20"), "城关区住建局", None),
            ("c4", "closed", _t("20 17:00"), "城关区住建局", None),
            ("c4", "followed_up", _t("21 10:00"), None, "满意"),  # after the reference time
        ],
        columns=["case_id", "event", "at", "unit", "satisfaction"],
    )
    clocks = pd.DataFrame(
        [
            ("c1", "acknowledge", _t("16 09:30"), "done"),
            ("c2", "acknowledge", _t("16 10:30"), "done_late"),
            ("c3", "acknowledge", _t("16 08:30"), "overdue"),
            ("c4", "acknowledge", _t("17 09:30"), "done"),
            ("c1", "resolve", _t("20 16:00"), "done"),
            ("c2", "resolve", _t("20 16:00"), "done"),
            ("c3", "resolve", _t("20 12:00"), "overdue"),
            ("c4", "resolve", _t("25 00:00"), "on_time"),  # not due yet: not in any period's denominator
        ],
        columns=["case_id", "step", "due_at", "state"],
    )
    return Material(cases, reports, events, clocks)


def _score(
    frame: pd.DataFrame, kind: str, period: str, dimension: str, unit: str
) -> dict[str, tuple[int, int]]:
    rows = frame[
        (frame.period_kind == kind)
        & (frame.period == period)
        & (frame.dimension == dimension)
        & (frame.unit == unit)
    ]
    return {r.metric: (int(r.numerator), int(r.denominator)) for r in rows.itertuples()}


CITY_WEEK = {
    "ack_on_time": (2, 4),  # c1, c4 on time; c2 late; c3 overdue
    "close_on_time": (2, 3),  # c1, c2 closed by their due time; c3 overdue; c4 not due yet
    "follow_up": (2, 3),  # closed: c1, c2, c4; followed up after the closure: c1, c2 (c4's is after as_of)
    "satisfaction": (1, 2),  # rated: c1 满意, c2 不满意
    "repeat": (1, 4),  # reported in the week: c1-c4; c2 again three days later
    "redo": (1, 3),  # closed: c1, c2, c4; reopened after it: c2
    "response": (3, 4),  # received: c1-c4; acknowledged: c1, c2, c4
    "resolution": (2, 4),  # closed and not reopened since: c1, c4
}


def test_every_formula_city_wide_per_week_month_and_quarter() -> None:
    scores = scorecards(_material(), AS_OF)
    assert _score(scores, "week", "2026-W47", "city", "全市") == CITY_WEEK
    assert _score(scores, "month", "2026-11", "city", "全市") == CITY_WEEK
    assert _score(scores, "quarter", "2026-Q4", "city", "全市") == CITY_WEEK


def test_per_day_district_street_and_department() -> None:
    scores = scorecards(_material(), AS_OF)
    assert _score(scores, "day", "2026-11-16", "city", "全市")["ack_on_time"] == (1, 3)
    assert _score(scores, "day", "2026-11-19", "city", "全市")["repeat"] == (1, 1)
    assert _score(scores, "week", "2026-W47", "district", "城关区") == {
        "ack_on_time": (1, 2),
        "close_on_time": (2, 2),
        "follow_up": (2, 2),
        "satisfaction": (1, 2),
        "repeat": (1, 2),
        "redo": (1, 2),
        "response": (2, 2),
        "resolution": (1, 2),
    }
    assert _score(scores, "week", "2026-W47", "district", "七里河区")["close_on_time"] == (0, 1)
    street = scores[
        (scores.dimension == "street") & (scores.unit == "西园街道") & (scores.period == "2026-11")
    ]
    assert set(street.district) == {"七里河区"}
    assert _score(scores, "month", "2026-11", "street", "西园街道")["response"] == (1, 2)
    # Department: the unit of the latest dispatch or acknowledgement (c2 moved to the street office).
    assert _score(scores, "week", "2026-W47", "department", "城关区住建局") == {
        "ack_on_time": (2, 2),
        "close_on_time": (1, 1),
        "follow_up": (1, 2),
        "redo": (0, 2),
        "repeat": (0, 2),
        "response": (2, 2),
        "resolution": (2, 2),
        "satisfaction": (1, 1),
    }
    assert _score(scores, "week", "2026-W47", "department", "酒泉路街道办事处")["redo"] == (1, 1)
    assert scores[(scores.period_kind == "day") & (scores.dimension == "street")].empty


@pytest.mark.integration
def test_the_reader_view_gives_the_same_rates_on_both_engines(migrated_url: str) -> None:
    from warehouse import make_engine
    from warehouse.schema import table_of
    from warehouse.schema.alerts import Scorecard

    engine = make_engine(migrated_url)
    with engine.begin() as conn:
        conn.execute(table_of(Scorecard).insert(), score_rows(scorecards(_material(), AS_OF), AS_OF))
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT metric, metric_name, numerator, denominator, rate FROM v_scorecard "
                "WHERE period_kind = 'week' AND period = '2026-W47' AND dimension = 'city' ORDER BY metric"
            )
        ).all()
    assert {r.metric: (r.numerator, r.denominator) for r in rows} == CITY_WEEK
    rates = {r.metric: round(float(r.rate), 4) for r in rows}
    assert rates["close_on_time"] == 0.6667 and rates["satisfaction"] == 0.5 and rates["repeat"] == 0.25
    assert {r.metric: r.metric_name for r in rows}["close_on_time"] == "按期办结率"
    # The same numbers as the dashboard dataset (`python -m warehouse query scorecard …`).
    from warehouse.queries import run_query

    district = run_query(engine, "scorecard", period_kind="month", period="2026-11", dimension="district")
    assert {(r["unit"], r["metric"]): (r["numerator"], r["denominator"]) for r in district}[
        ("城关区", "close_on_time")
    ] == (2, 2)
    street = run_query(engine, "scorecard", period_kind="quarter", period="2026-Q4", dimension="street")
    assert {r["unit"]: r["district"] for r in street} == {
        "张掖路街道": "城关区",
        "酒泉路街道": "城关区",
        "西园街道": "七里河区",
    }


def test_no_events_yet_gives_rates_over_the_received_cases_only() -> None:
    m = _material()
    quiet = Material(m.cases, m.reports, m.events.iloc[0:0], m.clocks.iloc[0:0])
    week = _score(scorecards(quiet, AS_OF), "week", "2026-W47", "city", "全市")
    assert week == {"repeat": (1, 4), "response": (0, 4), "resolution": (0, 4)}
    assert scorecards(
        Material(m.cases.iloc[0:0], m.reports.iloc[0:0], quiet.events, quiet.clocks), AS_OF
    ).empty
