"""Each case's clocks under its channels' policies, moved by its handling events; vectorised with pandas.

For every channel a case was reported on, the channel's policy (``alerting/config/policies.yaml``) gives
its steps. A step's clock starts at a case time or at the channel's first event of a kind, starts again
at a restarting event (重办), stands still from a send-back (退单) until the re-dispatch, and is pushed back
by approved extensions (延期, capped). The case's binding clock for a step is the strictest of its
channels': the earliest due time. The work runs per policy, step and limit (a handful), each over all cases
at once with array operations; there is no loop over cases or events.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd

from alerting.calendar import SHANGHAI, WorkingCalendar
from alerting.policies import CASE_TIMES, DEFAULT_TYPE, Limit, Policy, PolicySet, PolicyStep

CHANNEL_COLUMNS = ("case_id", "channel", "category", *CASE_TIMES)
EVENT_COLUMNS = ("case_id", "channel", "event", "at", "days")
CLOCK_COLUMNS = ("case_id", "step", "policy", "channel", "started_at", "due_at", "done_at", "state")
STATES = ("on_time", "due_soon", "overdue", "paused", "done", "done_late", "calendar_unknown")
_DAY = np.timedelta64(1, "D")


def _local_days(stamps: pd.Series) -> np.ndarray:
    """The Beijing day of each (aware UTC) time as ``datetime64[D]``."""
    days: np.ndarray = stamps.dt.tz_convert(SHANGHAI).dt.tz_localize(None).to_numpy().astype("datetime64[D]")
    return days


def _midnight_after(days: np.ndarray, index: pd.Index) -> pd.Series:
    """Beijing midnight after each day, as aware UTC (``NaT`` stays ``NaT``)."""
    local = pd.Series(pd.to_datetime(days + _DAY), index=index).dt.tz_localize(SHANGHAI)
    return local.dt.tz_convert("UTC")


def _last_days(due: pd.Series) -> np.ndarray:
    """The last day inside a day-counted limit (the day before its Beijing midnight)."""
    return _local_days(due) - _DAY


def _roll_to_workday(days: np.ndarray, calendar: WorkingCalendar) -> np.ndarray:
    """Each day, or the next working day when it is a day off (民法典 第二百零三条); ``NaT`` when unknown."""
    out = np.full(days.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    known = ~np.isnat(days)
    if known.any():
        out[known] = calendar.add_working_days(days[known] - _DAY, 1, unknown="nat")
    return out


def _add_days(days: np.ndarray, n: np.ndarray | int, unit: str, calendar: WorkingCalendar) -> np.ndarray:
    """``days`` + ``n`` calendar or working days (``n`` per day or one for all), as the last day inside."""
    counts = np.broadcast_to(np.asarray(n, dtype=int), days.shape)
    out = np.full(days.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    for amount in np.unique(counts):
        rows = (counts == amount) & ~np.isnat(days)
        if amount <= 0:
            out[rows] = days[rows]
        elif unit == "calendar_days":
            out[rows] = _roll_to_workday(days[rows] + np.timedelta64(int(amount), "D"), calendar)
        elif rows.any():
            out[rows] = calendar.add_working_days(days[rows], int(amount), unknown="nat")
    return out


def due_after(start: pd.Series, limit: Limit, calendar: WorkingCalendar) -> pd.Series:
    """``start`` + ``limit`` (aware UTC): elapsed minutes or hours, or Beijing midnight after the last day
    of a day-counted limit (the start's own day does not count)."""
    if limit.unit in ("minutes", "hours"):
        return start + pd.to_timedelta(limit.amount, unit="m" if limit.unit == "minutes" else "h")
    last = _add_days(_local_days(start), limit.amount, limit.unit, calendar)
    return _midnight_after(last, start.index)


def _warn_at(due: pd.Series, limit: Limit, soon: Limit, calendar: WorkingCalendar) -> pd.Series:
    """When a running step becomes due soon: ``soon`` before the due time (days: working days before the
    last day of a working-day limit, calendar days otherwise)."""
    if soon.unit != "days":
        return due - pd.to_timedelta(soon.amount, unit="m" if soon.unit == "minutes" else "h")
    if limit.unit != "working_days":
        return due - pd.Timedelta(days=soon.amount)
    before = calendar.working_days_before(_last_days(due), soon.amount)
    return _midnight_after(before, due.index)


def _extend(due: pd.Series, amount: pd.Series, unit: str, calendar: WorkingCalendar) -> pd.Series:
    """Push each due time back by ``amount`` (0: unchanged) hours, calendar days or working days."""
    if unit == "hours":
        return due + pd.to_timedelta(amount, unit="h")
    extended = _midnight_after(
        _add_days(_last_days(due), amount.to_numpy(dtype=int), unit, calendar), due.index
    )
    return extended.where(amount > 0, due)


def _first(events: pd.DataFrame, names: tuple[str, ...], keys: list[str], how: str = "min") -> pd.Series:
    """The earliest (or latest) time of any of ``names`` per ``keys``."""
    chosen = events[events["event"].isin(names)]
    grouped = chosen.groupby(keys)["at"]
    return grouped.min() if how == "min" else grouped.max()


def _lookup(frame: pd.DataFrame, values: pd.Series, keys: list[str]) -> pd.Series:
    """``values`` (indexed by ``keys``) aligned to ``frame``'s rows (``NaT`` where absent)."""
    if values.empty:
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns, UTC]")
    index = pd.MultiIndex.from_frame(frame[keys]) if len(keys) > 1 else pd.Index(frame[keys[0]])
    out = values.reindex(index)
    return pd.Series(out.to_numpy(), index=frame.index)


def _paused(
    rows: pd.DataFrame,
    own: pd.DataFrame,
    step: PolicyStep,
    start: pd.Series,
    done: pd.Series,
    now: pd.Timestamp,
) -> tuple[pd.Series, pd.Series]:
    """Per row: how long the clock stood still (send-back to re-dispatch), and whether it stands now."""
    zero = pd.Series(pd.Timedelta(0), index=rows.index)
    if not step.pause_on:
        return zero, pd.Series(False, index=rows.index)
    keyed = rows[["case_id", "channel"]].assign(row=np.arange(len(rows)), start=start.array, done=done.array)
    stops = own[own["event"].isin(step.pause_on)].merge(keyed, on=["case_id", "channel"])
    stops = stops[(stops["at"] >= stops["start"]) & (stops["done"].isna() | (stops["at"] < stops["done"]))]
    if stops.empty:
        return zero, pd.Series(False, index=rows.index)
    resumes = own[own["event"].isin(step.resume_on)][["case_id", "channel", "at"]]
    stops = stops.sort_values("at")
    paired = pd.merge_asof(
        stops,
        resumes.rename(columns={"at": "resumed"}).sort_values("resumed"),
        left_on="at",
        right_on="resumed",
        by=["case_id", "channel"],
        direction="forward",
        allow_exact_matches=False,
    )
    ended = paired["resumed"].where(paired["resumed"] <= now)
    paired["length"] = ended.fillna(now) - paired["at"]
    paired["open"] = ended.isna()
    # Overlapping stops (a second send-back before the re-dispatch) count once: from each stop to its resume,
    # the next stop's time already inside the previous interval is dropped.
    paired = paired.drop_duplicates(["row", "resumed"], keep="first")
    by_row = paired.groupby("row")
    length = by_row["length"].sum().reindex(range(len(rows)), fill_value=pd.Timedelta(0))
    standing = by_row["open"].any().reindex(range(len(rows)), fill_value=False)
    return (
        pd.Series(length.to_numpy(), index=rows.index),
        pd.Series(standing.to_numpy(dtype=bool), index=rows.index),
    )


def _extension_amount(
    rows: pd.DataFrame, own: pd.DataFrame, step: PolicyStep, start: pd.Series, due: pd.Series
) -> pd.Series:
    """Per row: what the approved extensions add (each capped, at most ``max_times``, approved by the due)."""
    ext = step.extension
    if ext is None:
        return pd.Series(0, index=rows.index)
    keyed = rows[["case_id", "channel"]].assign(row=np.arange(len(rows)), start=start.array, due=due.array)
    grants = own[own["event"].isin(ext.on)].merge(keyed, on=["case_id", "channel"])
    grants = grants[
        (grants["at"] >= grants["start"]) & (grants["due"].isna() | (grants["at"] <= grants["due"]))
    ]
    grants = grants.sort_values("at").groupby("row").head(ext.max_times)
    days = pd.to_numeric(grants["days"], errors="coerce").fillna(ext.cap.amount).clip(0, ext.cap.amount)
    total = days.astype(int).groupby(grants["row"]).sum().reindex(range(len(rows)), fill_value=0)
    return pd.Series(total.to_numpy(dtype=int), index=rows.index)


def _step_clocks(
    rows: pd.DataFrame,
    events: pd.DataFrame,
    own: pd.DataFrame,
    policy: Policy,
    step: PolicyStep,
    now: pd.Timestamp,
    case_types: pd.Series,
    calendar: WorkingCalendar,
) -> pd.DataFrame:
    if step.starts in CASE_TIMES:
        first_start = rows[step.starts]
    else:
        first_start = _lookup(
            rows, _first(own, (step.starts,), ["case_id", "channel"]), ["case_id", "channel"]
        )
    restarted = _lookup(
        rows, _first(own, step.restarts_on, ["case_id", "channel"], "max"), ["case_id", "channel"]
    )
    restarted = restarted.where(restarted > first_start)
    start = restarted.fillna(first_start)
    running = start.notna() & (start <= now)
    rows, start, restarted, types = rows[running], start[running], restarted[running], case_types[running]
    if rows.empty:
        return pd.DataFrame(columns=list(CLOCK_COLUMNS))
    # Done: the earliest of its events (any channel: one dispute) and case times; after a restart, the
    # earliest at or after it (a closure before the reopening no longer counts).
    fresh = restarted.isna().to_numpy()
    times = [rows[name].where(rows[name] <= now) for name in step.done_by if name in CASE_TIMES]
    candidates = pd.concat(times, axis=1) if times else pd.DataFrame(index=rows.index)
    marks = candidates.where(candidates.ge(restarted, axis=0) | fresh[:, None]).min(axis=1)
    names = [name for name in step.done_by if name not in CASE_TIMES]
    keyed = rows[["case_id"]].assign(row=np.arange(len(rows)), start=start.array, fresh=fresh)
    hits = events[events["event"].isin(names)][["case_id", "at"]].merge(keyed, on="case_id")
    hits = hits[hits["fresh"] | (hits["at"] >= hits["start"])]
    first_hit = hits.groupby("row")["at"].min().reindex(range(len(rows)))
    done = pd.concat([marks, pd.Series(first_hit.to_numpy(), index=rows.index)], axis=1).min(axis=1)
    done = done.where(done.isna() | (done >= start), start)  # a step cannot be done before it starts
    due = pd.Series(pd.NaT, index=rows.index, dtype="datetime64[ns, UTC]")
    warn = due.copy()
    named = [t for t, _ in step.limits if t != DEFAULT_TYPE]
    for case_type, limit in step.limits:
        mask = (types == case_type) if case_type != DEFAULT_TYPE else ~types.isin(named)
        if mask.any():
            due[mask] = due_after(start[mask], limit, calendar)
            extra = _extension_amount(rows[mask], own, step, start[mask], due[mask])
            if step.extension is not None:
                due[mask] = _extend(due[mask], extra, step.extension.cap.unit, calendar)
            warn[mask] = _warn_at(due[mask], limit, step.due_soon, calendar)
    stood, standing = _paused(rows, own, step, start, done, now)
    due, warn = due + stood, warn + stood
    state = np.select(
        [due.isna(), done.notna() & (done <= due), done.notna(), standing, now > due, now >= warn],
        ["calendar_unknown", "done", "done_late", "paused", "overdue", "due_soon"],
        default="on_time",
    )
    return pd.DataFrame(
        {
            "case_id": rows["case_id"].array,
            "step": step.step,
            "policy": policy.id,
            "channel": rows["channel"].array,
            "started_at": start.array,
            "due_at": due.array,
            "done_at": done.array,
            "state": state,
        }
    )


def policy_clocks(
    channels: pd.DataFrame,
    events: pd.DataFrame,
    as_of: datetime,
    policies: PolicySet | None = None,
    calendar: WorkingCalendar | None = None,
) -> pd.DataFrame:
    """Every case's binding clock per step: the strictest of its channels' clocks.

    Args:
        channels: one row per case and channel it was reported on (``CHANNEL_COLUMNS``): the channel's first
            receipt as ``received_at``, the case's other times, the case's unified category.
        events: the cases' handling events (``EVENT_COLUMNS``: ``days`` is an extension's length, else NULL).
        as_of: the reference time (aware); events after it have not happened yet.
        policies: the policies (default: the shipped file).
        calendar: the working-day calendar (default: the shipped overrides).

    Returns:
        ``CLOCK_COLUMNS``: one row per case and step whose start has happened, from the binding channel.
    """
    policies, calendar = policies or PolicySet.load(), calendar or WorkingCalendar()
    now = pd.Timestamp(as_of).tz_convert("UTC")
    events = events[pd.to_datetime(events["at"], utc=True) <= now] if len(events) else events
    events = events.assign(at=pd.to_datetime(events["at"], utc=True)) if len(events) else _no_events()
    policy_of = channels["channel"].map(lambda c: policies.policy_of(c).id)
    case_types = channels["category"].map(policies.case_types).fillna(DEFAULT_TYPE)
    frames = []
    for policy in policies.policies:
        mine = policy_of == policy.id
        if not mine.any():
            continue
        rows = channels[mine]
        # The policy's own channel's events: what pauses, extends or restarts its clocks.
        own = events.merge(rows[["case_id", "channel"]].drop_duplicates(), on=["case_id", "channel"])
        for step in policy.steps:
            frames.append(_step_clocks(rows, events, own, policy, step, now, case_types[mine], calendar))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=list(CLOCK_COLUMNS))
    every = pd.concat(frames, ignore_index=True)
    # Strictest first: the earliest due time; an unknown due time only binds when no channel knows one.
    every["_unknown"] = every["due_at"].isna()
    every = every.sort_values(["case_id", "step", "_unknown", "due_at", "policy"], kind="stable")
    binding = every.drop_duplicates(["case_id", "step"], keep="first")
    return binding[list(CLOCK_COLUMNS)].reset_index(drop=True)


def _no_events() -> pd.DataFrame:
    frame = pd.DataFrame(columns=list(EVENT_COLUMNS))
    frame["at"] = pd.to_datetime(frame["at"], utc=True)
    return frame
