"""Scorecards the centre publishes (考评), per district, street and department, per day, week, month, quarter.

Each rate is a numerator over a denominator of cases, computed set-based with pandas from the binding
clocks, the cases' handling events (``v_case_event``) and their reports; the run writes the counts to
``scorecard`` and readers see them with the rate in ``v_scorecard``. Formulas (a case counts once per
period and metric; "in the period" is by the Beijing day of the time named):

===============  =========  ====================================================  ============================================
metric           名称        numerator                                             denominator
===============  =========  ====================================================  ============================================
ack_on_time      按时签收率   acknowledge clocks (签收, 2 h from the dispatch) due  acknowledge clocks due in the period, settled
                             in the period that were ``done``                     (``done``, ``done_late`` or ``overdue``)
close_on_time    按期办结率   resolve clocks due in the period that were ``done``   resolve clocks due in the period, settled
follow_up        回访率       of the denominator, cases followed up (回访) after    cases closed (办结) in the period
                             that closure
satisfaction     群众满意率   of the denominator, rated 满意 or 基本满意            cases whose last rated follow-up is in the
                                                                                  period
repeat           重复投诉率   of the denominator, cases reported again in the       cases reported in the period
                             period a day or more after their first report
                             (the same dispute again, not one call's echoes)
redo             发回重办率   of the denominator, cases reopened (重办) after       cases closed in the period
                             that closure
response         响应率       of the denominator, cases acknowledged (签收) or      cases received in the period
                             contacted by the reference time
resolution       解决率       of the denominator, cases closed and not reopened     cases received in the period
                             since, by the reference time
===============  =========  ====================================================  ============================================

三率 are ``response``, ``resolution`` and ``satisfaction``. A case's department is the unit of its latest
dispatch, re-dispatch or acknowledgement; a case without one has no department row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from alerting.calendar import SHANGHAI

METRICS = {
    "ack_on_time": "按时签收率",
    "close_on_time": "按期办结率",
    "follow_up": "回访率",
    "satisfaction": "群众满意率",
    "repeat": "重复投诉率",
    "redo": "发回重办率",
    "response": "响应率",
    "resolution": "解决率",
}
THREE_RATES = ("response", "resolution", "satisfaction")
PERIOD_KINDS = ("day", "week", "month", "quarter")
DIMENSIONS = ("city", "district", "street", "department")
CITY = "全市"
SATISFIED = ("满意", "基本满意")
SETTLED = ("done", "done_late", "overdue")
REPEAT_AFTER = pd.Timedelta(hours=24)  # a report this long after the case's first is a repeat complaint
SCORE_COLUMNS = (
    "period_kind",
    "period",
    "dimension",
    "district",
    "unit",
    "metric",
    "numerator",
    "denominator",
)
_DEPARTMENT_EVENTS = ("dispatched", "redispatched", "acknowledged")


@dataclass(frozen=True)
class Material:
    """What the scorecards are computed from.

    Attributes:
        cases: ``case_id``, ``district``, ``street``, ``received_at`` (aware UTC).
        reports: ``case_id``, ``reported_at``: every member report.
        events: ``case_id``, ``event``, ``at``, ``unit``, ``satisfaction`` (the clocks' event frame).
        clocks: the binding clocks (``case_id``, ``step``, ``due_at``, ``state``).
    """

    cases: pd.DataFrame
    reports: pd.DataFrame
    events: pd.DataFrame
    clocks: pd.DataFrame


def _day(stamps: pd.Series) -> pd.Series:
    """The Beijing day of each time (midnight, naive), vectorised."""
    return stamps.dt.tz_convert(SHANGHAI).dt.tz_localize(None).dt.normalize()


def _facts(m: Material, as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per case, metric and day: ``hit`` counts in the numerator, every row in the denominator."""
    ev = m.events[m.events["at"] <= as_of]
    frames = []
    for metric, step in (("ack_on_time", "acknowledge"), ("close_on_time", "resolve")):
        k = m.clocks[
            (m.clocks["step"] == step) & m.clocks["state"].isin(SETTLED) & (m.clocks["due_at"] <= as_of)
        ]
        frames.append(_fact(k["case_id"], metric, k["due_at"], k["state"].eq("done")))
    closed = ev[ev["event"] == "closed"][["case_id", "at"]]
    after = closed.merge(ev[["case_id", "event", "at"]], on="case_id", suffixes=("", "_next"))
    after = after[after["at_next"] > after["at"]]
    for metric, later in (("follow_up", "followed_up"), ("redo", "reopened")):
        hit = after[after["event"] == later].groupby(["case_id", "at"]).size()
        rows = closed.assign(hit=pd.MultiIndex.from_frame(closed[["case_id", "at"]]).isin(hit.index))
        frames.append(_fact(rows["case_id"], metric, rows["at"], rows["hit"]))
    rated = ev[(ev["event"] == "followed_up") & ev["satisfaction"].notna()]
    frames.append(_fact(rated["case_id"], "satisfaction", rated["at"], rated["satisfaction"].isin(SATISFIED)))
    reports = m.reports[m.reports["reported_at"] <= as_of]
    first = reports.groupby("case_id")["reported_at"].transform("min")
    again = reports["reported_at"] >= first + REPEAT_AFTER
    frames.append(_fact(reports["case_id"], "repeat", reports["reported_at"], again))
    received = m.cases[m.cases["received_at"] <= as_of]
    answered = set(ev.loc[ev["event"].isin(("acknowledged", "contacted")), "case_id"])
    # Resolved: the case's latest closure or reopening is a closure.
    ends = ev[ev["event"].isin(("closed", "reopened"))].sort_values("at", kind="stable")
    ends = ends.drop_duplicates("case_id", keep="last")
    solved = received["case_id"].isin(ends.loc[ends["event"] == "closed", "case_id"])
    frames.append(
        _fact(received["case_id"], "response", received["received_at"], received["case_id"].isin(answered))
    )
    frames.append(_fact(received["case_id"], "resolution", received["received_at"], solved))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=["case_id", "metric", "at", "day", "hit"])
    facts = pd.concat(frames, ignore_index=True)
    return facts.assign(day=_day(facts["at"].dt.tz_localize("UTC")))


def _fact(case_id: pd.Series, metric: str, at: pd.Series, hit: Any) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case_id": case_id.to_numpy(),
            "metric": metric,
            # naive UTC datetime64: no Timestamp objects (the day is taken in Beijing time below)
            "at": pd.to_datetime(at, utc=True).dt.tz_localize(None).to_numpy(dtype="datetime64[ns]"),
            "hit": pd.Series(hit).to_numpy(dtype=bool),
        }
    )


def _periods(days: pd.Series) -> dict[str, np.ndarray]:
    """Each day's period labels, computed once per distinct day (a few hundred) and spread by index."""
    unique, at = np.unique(days.to_numpy(dtype="datetime64[D]"), return_inverse=True)
    stamps = pd.Series(pd.to_datetime(unique))
    iso = stamps.dt.isocalendar()
    labels = {
        "day": stamps.dt.strftime("%Y-%m-%d"),
        "week": iso["year"].astype(str) + "-W" + iso["week"].astype(int).map("{:02d}".format),
        "month": stamps.dt.strftime("%Y-%m"),
        "quarter": stamps.dt.year.astype(str) + "-Q" + stamps.dt.quarter.astype(str),
    }
    return {kind: label.to_numpy(dtype=object)[at] for kind, label in labels.items()}


def scorecards(
    m: Material, as_of: datetime, daily_dimensions: tuple[str, ...] = ("city", "district")
) -> pd.DataFrame:
    """Every scorecard count (``SCORE_COLUMNS``) at ``as_of``, for each period the material touches.

    Args:
        m: the cases, reports, events and clocks.
        as_of: the reference time: later events and reports have not happened yet.
        daily_dimensions: the dimensions scored per day (weeks, months and quarters get every dimension).
    """
    now = pd.Timestamp(as_of).tz_convert("UTC")
    facts = _facts(m, now)
    if facts.empty:
        return pd.DataFrame(columns=list(SCORE_COLUMNS))
    # Cases as integer codes, their place and department as arrays indexed by the code.
    facts = facts.sort_values("at", kind="stable").reset_index(drop=True)
    codes, case_ids = pd.factorize(facts["case_id"])
    places = m.cases.drop_duplicates("case_id").set_index("case_id")
    owners = m.events[
        m.events["event"].isin(_DEPARTMENT_EVENTS) & m.events["unit"].notna() & (m.events["at"] <= now)
    ]
    department = owners.sort_values("at").drop_duplicates("case_id", keep="last").set_index("case_id")["unit"]
    units = {
        "city": np.full(len(case_ids), CITY, dtype=object),
        "district": places["district"].reindex(case_ids).to_numpy(dtype=object),
        "street": places["street"].reindex(case_ids).to_numpy(dtype=object),
        "department": department.reindex(case_ids).to_numpy(dtype=object),
    }
    periods = _periods(facts["day"])
    frames = []
    for kind in PERIOD_KINDS:
        # A case counts once per period and metric: a hit if any of its rows is one; for satisfaction, the
        # rating of its last follow-up in the period. One group-by per period kind, on integer codes.
        per_case = pd.DataFrame(
            {"period": periods[kind], "metric": facts["metric"], "case": codes, "hit": facts["hit"]}
        )
        grouped = per_case.groupby(["period", "metric", "case"], sort=False)["hit"]
        hits = grouped.any().where(
            grouped.any().index.get_level_values("metric") != "satisfaction", grouped.last()
        )
        hits = hits.reset_index()
        for dimension in DIMENSIONS:
            if kind == "day" and dimension not in daily_dimensions:
                continue
            f = hits.assign(
                unit=units[dimension][hits["case"]],
                district=units["district"][hits["case"]] if dimension == "street" else None,
            )
            f = f[pd.notna(f["unit"])]
            counted = f.groupby(["period", "metric", "unit", "district"], dropna=False)["hit"].agg(
                numerator="sum", denominator="size"
            )
            frames.append(counted.reset_index().assign(period_kind=kind, dimension=dimension))
    out = pd.concat(frames, ignore_index=True)
    out["numerator"] = out["numerator"].astype(int)
    out["denominator"] = out["denominator"].astype(int)
    out = out.astype({"district": object}).where(out.notna(), None)
    return (
        out[list(SCORE_COLUMNS)]
        .sort_values(list(SCORE_COLUMNS[:6]), na_position="first")
        .reset_index(drop=True)
    )


def rate(numerator: int, denominator: int) -> float | None:
    """numerator / denominator, ``None`` without a denominator (the view's formula)."""
    return numerator / denominator if denominator else None


def score_rows(scores: pd.DataFrame, as_of: datetime) -> list[dict[str, Any]]:
    """The counts as rows for the ``scorecard`` table (``district`` is ``''`` outside the street dimension)."""
    return [{**row, "district": row["district"] or "", "as_of": as_of} for row in scores.to_dict("records")]
