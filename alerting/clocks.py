"""Time-limit clocks per case and step (contact, dispatch, resolve, follow-up), vectorised with pandas.

A step is ``done`` or ``done_late`` once the earliest of its ``done_by`` timestamps is set (and not after
the reference time), else ``on_time``, ``due_soon`` or ``overdue`` against the reference time: the run's
data interval end, never the wall clock, so a rerun gives the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from alerting.calendar import SHANGHAI, WorkingCalendar

TIME_LIMITS = Path(__file__).with_name("config") / "time_limits.yaml"
# calendar_unknown: the limit runs into a year whose working days nobody has entered yet (the run warns,
# naming alerting/config/calendar_overrides.yaml); that clock waits, every other clock is computed.
STATES = ("on_time", "due_soon", "overdue", "done", "done_late", "calendar_unknown")
CASE_TIMES = ("received_at", "contacted_at", "dispatched_at", "resolved_at", "followed_up_at")
CLOCK_COLUMNS = ("case_id", "step", "started_at", "due_at", "done_at", "state")
_UNITS = ("minutes", "hours", "working_days")


@dataclass(frozen=True)
class Span:
    """A limit or a warning span: an amount of minutes, hours or working days."""

    amount: int
    unit: str

    @classmethod
    def parse(cls, raw: dict[str, int], where: str) -> Span:
        if len(raw) != 1 or next(iter(raw)) not in _UNITS:
            raise ValueError(f"{where}: give exactly one of {_UNITS}, got {raw}")
        unit, amount = next(iter(raw.items()))
        if int(amount) < 0:
            raise ValueError(f"{where}: negative span")
        return cls(int(amount), unit)


@dataclass(frozen=True)
class Step:
    """One time limit: when it starts, how long it runs, when it warns and what shows it done."""

    step: str
    starts: str
    limit: Span
    due_soon: Span
    done_by: tuple[str, ...]


@dataclass(frozen=True)
class TimeLimits:
    """The configured steps (``alerting/config/time_limits.yaml``), validated on load."""

    steps: tuple[Step, ...]
    horizon_days: int

    @classmethod
    def load(cls, path: Path | None = None) -> TimeLimits:
        """Read and validate the time-limit file (default: the shipped one)."""
        raw = yaml.safe_load(Path(path or TIME_LIMITS).read_text(encoding="utf-8"))
        steps = []
        for item in raw["steps"]:
            name = item["step"]
            columns = (item["starts"], *item["done_by"])
            if unknown := [c for c in columns if c not in CASE_TIMES]:
                raise ValueError(f"time limit {name}: unknown timestamp(s) {unknown}; use {CASE_TIMES}")
            limit, soon = Span.parse(item["limit"], name), Span.parse(item["due_soon"], name)
            if soon.unit != limit.unit or soon.amount >= limit.amount:
                raise ValueError(f"time limit {name}: due_soon must be shorter than the limit, in its unit")
            steps.append(Step(name, item["starts"], limit, soon, tuple(item["done_by"])))
        return cls(tuple(steps), int(raw.get("horizon_days", 90)))


def _due(start: pd.Series, span: Span, calendar: WorkingCalendar) -> pd.Series:
    """``start`` + ``span`` (UTC); working days end at Beijing midnight after the Nth working day."""
    if span.unit != "working_days":
        return start + pd.to_timedelta(span.amount, unit="m" if span.unit == "minutes" else "h")
    if span.amount == 0:  # "0 working days before the limit": the limit itself is the caller's
        raise ValueError("a working-day span of 0 has no due time")
    days = start.dt.tz_convert(SHANGHAI).dt.tz_localize(None).to_numpy().astype("datetime64[D]")
    due_days = calendar.add_working_days(days, span.amount, unknown="nat") + np.timedelta64(1, "D")
    local = pd.Series(pd.to_datetime(due_days), index=start.index).dt.tz_localize(SHANGHAI)
    return local.dt.tz_convert("UTC")


def compute_clocks(
    cases: pd.DataFrame,
    as_of: datetime,
    limits: TimeLimits | None = None,
    calendar: WorkingCalendar | None = None,
) -> pd.DataFrame:
    """Every step's clock for every case.

    Args:
        cases: one row per case with ``case_id`` and the ``CASE_TIMES`` columns (aware UTC or NaT).
        as_of: the reference time (aware).
        limits: the steps (default: the shipped file).
        calendar: the working-day calendar (default: the shipped overrides).

    Returns:
        ``CLOCK_COLUMNS`` rows, one per case and step whose start is known and not after ``as_of``.
    """
    limits, calendar = limits or TimeLimits.load(), calendar or WorkingCalendar()
    now = pd.Timestamp(as_of).tz_convert("UTC")
    frames = []
    for step in limits.steps:
        start = cases[step.starts]
        rows = cases[start.notna() & (start <= now)]
        if rows.empty:
            continue
        start = rows[step.starts]
        due = _due(start, step.limit, calendar)
        if step.limit.unit == "working_days":  # due soon from the end of the (N - k)th working day
            warn = _due(start, Span(step.limit.amount - step.due_soon.amount, step.limit.unit), calendar)
        else:
            warn = due - pd.to_timedelta(
                step.due_soon.amount, unit="m" if step.due_soon.unit == "minutes" else "h"
            )
        done = rows[list(step.done_by)].where(rows[list(step.done_by)] <= now).min(axis=1)
        done = done.where(done.isna() | (done >= start), start)  # a step cannot be done before it starts
        state = np.select(
            [due.isna(), done.notna() & (done <= due), done.notna(), now > due, now >= warn],
            ["calendar_unknown", "done", "done_late", "overdue", "due_soon"],
            default="on_time",
        )
        frames.append(
            pd.DataFrame(
                {
                    "case_id": rows["case_id"].array,
                    "step": step.step,
                    "started_at": start.array,
                    "due_at": due.array,
                    "done_at": done.array,
                    "state": state,
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=list(CLOCK_COLUMNS))
    return pd.concat(frames, ignore_index=True)


def overdue_cases(clocks: pd.DataFrame, steps: tuple[str, ...]) -> set[str]:
    """Cases with a running step among ``steps`` past its limit."""
    mask = (clocks["state"] == "overdue") & clocks["step"].isin(steps)
    return set(clocks.loc[mask, "case_id"])


def clock_rows(clocks: pd.DataFrame, as_of: datetime) -> list[dict[str, Any]]:
    """The clocks as rows for ``time_limit_clock`` (aware datetimes, ``None`` for missing), column by column."""
    columns: dict[str, list[Any]] = {
        name: clocks[name].tolist()
        for name in ("case_id", "step", "state", "policy", "channel")
        if name in clocks
    }
    for name in ("started_at", "due_at", "done_at"):
        stamps = pd.to_datetime(clocks[name], utc=True)
        columns[name] = [None if pd.isna(v) else v for v in stamps.dt.to_pydatetime()] if len(stamps) else []
    names = list(columns)
    return [
        {**dict(zip(names, values, strict=True)), "as_of": as_of}
        for values in zip(*columns.values(), strict=True)
    ]
