"""The clocks as the run uses them: which cases are overdue, and the rows ``time_limit_clock`` stores.

The clocks themselves are computed by :mod:`alerting.policy_clocks` from the channels' policies
(``alerting/config/policies.yaml``). A step is ``done`` or ``done_late`` once its earliest ``done_by``
evidence is set (and not after the reference time), ``paused`` while a send-back stands, else
``on_time``, ``due_soon`` or ``overdue`` against the reference time: the run's data interval end, never
the wall clock, so a rerun gives the same answer.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd

from alerting.policies import CASE_TIMES
from alerting.policy_clocks import CLOCK_COLUMNS, STATES

__all__ = ["CASE_TIMES", "CLOCK_COLUMNS", "STATES", "clock_rows", "overdue_cases"]


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
