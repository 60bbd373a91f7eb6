"""One alerting run: read the pool's views, compute the clocks, evaluate the rules, update the alert lists.

The reference time ``as_of`` is the pool's data interval end (never the wall clock), so a rerun for the
same ``as_of`` over the same pool leaves the warehouse as it was.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from alerting.calendar import SHANGHAI, WorkingCalendar
from alerting.clocks import clock_rows, overdue_cases
from alerting.escalation import EscalationPolicy, raise_levels
from alerting.feed import pool_as_of, read_channels, read_events, read_groups, read_reports, read_window
from alerting.lifecycle import apply_firings, issue_period
from alerting.policies import PolicySet
from alerting.policy_clocks import policy_clocks
from alerting.rules import COLOURS, RuleSet, evaluate
from alerting.scorecard import Material, score_rows, scorecards
from warehouse.load.bulk import bulk_upsert
from warehouse.schema import table_of
from warehouse.schema.alerts import AlertRun, Scorecard, TimeLimitClock

log = logging.getLogger(__name__)

CLOCK, RUN, SCORE = table_of(TimeLimitClock), table_of(AlertRun), table_of(Scorecard)
CALENDAR_WARN_DAYS = 60  # warn this long before the working-day calendar runs out
_ALERT_LOCK = 7_202_606  # pg_advisory_xact_lock id of an alerting run's write transaction


@dataclass(frozen=True)
class AlertSettings:
    """What a run is configured with: the rules, the channels' time-limit policies, the four-level loop's
    escalation limits and the working-day calendar."""

    rules: RuleSet = field(default_factory=RuleSet.load)
    policies: PolicySet = field(default_factory=PolicySet.load)
    escalation: EscalationPolicy = field(default_factory=EscalationPolicy.load)
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)


def as_of_for_run(
    engine: sa.Engine,
    explicit: str | datetime | None = None,
    triggered: bool = False,
    logical_date: datetime | None = None,
) -> datetime:
    """The reference time of an alerting run, never the wall clock.

    Args:
        engine: the warehouse (for the pool's latest window end).
        explicit: a time the operator gave (ISO 8601 with offset), used as is.
        triggered: the run was triggered by a pool update (an asset event): it evaluates at the end of the
            latest extraction window published in the pool.
        logical_date: a manual or scheduled run's logical date, used when not triggered.

    Raises:
        ValueError: a naive time, or no time at all (an empty pool and none given).
    """
    if isinstance(explicit, str) and explicit:
        explicit = datetime.fromisoformat(explicit)
    candidates = (explicit or None, None if triggered else logical_date, pool_as_of(engine))
    for candidate in candidates:
        if candidate is not None:
            if candidate.tzinfo is None:
                raise ValueError(f"naive reference time {candidate!r}: give a UTC offset")
            return candidate
    raise ValueError("nothing to evaluate: the pool is empty and no reference time was given")


def run_alerts(
    engine: sa.Engine, as_of: datetime, run_id: str | None = None, settings: AlertSettings | None = None
) -> dict[str, Any]:
    """Evaluate every rule at ``as_of`` and write the clocks and the alert lists in one transaction.

    Args:
        engine: the warehouse.
        as_of: the reference time (aware): the end of the pool's data interval.
        run_id: the Airflow run (recorded with the events).
        settings: rules, time limits and calendar (default: the shipped configuration).

    Returns:
        ``{"as_of", "open": {colour: n}, "events": {...}, "clocks": {state: n}}``; ``skipped`` is set
        when a later ``as_of`` was evaluated already (the lists only move forwards).
    """
    settings = settings or AlertSettings()
    if as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware")
    with engine.connect() as conn:
        latest = conn.execute(sa.select(sa.func.max(RUN.c.as_of))).scalar_one_or_none()
    if latest is not None and latest > as_of:
        return {
            "as_of": as_of.isoformat(),
            "skipped": f"alerts were already evaluated at {latest.isoformat()}",
        }
    horizon = as_of - timedelta(days=settings.policies.horizon_days)
    channels = read_channels(engine, as_of, settings.policies.horizon_days)
    events = read_events(engine, as_of, horizon)
    clocks = policy_clocks(channels, events, as_of, settings.policies, settings.calendar)
    overdue = overdue_cases(clocks, settings.rules.overdue_steps)
    cases = channels.sort_values("received_at").drop_duplicates("case_id")
    scores = scorecards(Material(cases, read_reports(engine, horizon, as_of), events, clocks), as_of)
    actions = events[events["event"].isin(settings.escalation.action_events)][["case_id", "at", "level"]]
    ends = events[events["event"].isin(("closed", "reopened"))].sort_values("at", kind="stable")
    ends = ends.drop_duplicates("case_id", keep="last")
    settled = frozenset(ends.loc[ends["event"] == "closed", "case_id"])
    reports = read_window(engine, as_of - timedelta(days=settings.rules.max_window_days), as_of)
    fired = evaluate(settings.rules, reports, read_groups(engine), overdue, as_of)
    period = issue_period(as_of, settings.rules.issue_period)
    with engine.begin() as conn:
        # Another run may have written since the check above (the CLI beside the DAG, a manual run): wait
        # for it, then check again, so that the lists never move backwards and no key is issued twice.
        _serialise(conn)
        latest = conn.execute(sa.select(sa.func.max(RUN.c.as_of))).scalar_one_or_none()
        if latest is not None and latest > as_of:
            return {
                "as_of": as_of.isoformat(),
                "skipped": f"alerts were already evaluated at {latest.isoformat()}",
            }
        conn.execute(CLOCK.delete())
        # COPY on PostgreSQL (a city's open cases make a million clocks), executemany on SQLite.
        bulk_upsert(conn, CLOCK, clock_rows(clocks, as_of), ["case_id", "step"])
        changes = apply_firings(conn, fired, as_of, period, run_id, settings.escalation.city_unit)
        changes["level_raised"] = raise_levels(
            conn, actions, as_of, settings.escalation, settings.calendar, run_id, settled
        )
        conn.execute(SCORE.delete())
        bulk_upsert(
            conn,
            SCORE,
            score_rows(scores, as_of),
            ["period_kind", "period", "dimension", "unit", "metric", "district"],
        )
        open_counts: dict[str, int] = dict(
            conn.execute(sa.text("SELECT colour, count(*) FROM alert WHERE status = 'open' GROUP BY colour"))
            .tuples()
            .all()
        )
        summary: dict[str, Any] = {
            "as_of": as_of.isoformat(),
            "open": {c: int(open_counts.get(c, 0)) for c in reversed(COLOURS)},
            "events": changes,
            "clocks": {s: int(n) for s, n in clocks["state"].value_counts().sort_index().items()},
        }
        warnings = [calendar_warning(settings.calendar)] if settings.calendar.missing_years else []
        summary["calendar_known_until"] = settings.calendar.known_until.isoformat()
        if ending := calendar_ending(settings.calendar, as_of):
            summary["calendar_ending"] = True
            warnings.append(ending)
        if warnings:
            summary["warnings"] = warnings
            for warning in warnings:
                log.warning(warning)
        _record_run(conn, as_of, run_id, summary)
    return summary


def calendar_warning(calendar: WorkingCalendar) -> str:
    """What operators must do when some limits run into a year nobody has entered yet."""
    years = ", ".join(str(y) for y in sorted(calendar.missing_years))
    return (
        f"working days of {years} are unknown (neither chinese-calendar nor {calendar.overrides_path} "
        f"has them): the clocks whose limits run into {years} are 'calendar_unknown' and raise no "
        f"overdue warning until that year's holidays and swapped working days are added to that file"
    )


def calendar_ending(calendar: WorkingCalendar, as_of: datetime) -> str | None:
    """A warning once the working-day calendar ends within ``CALENDAR_WARN_DAYS`` of ``as_of``, else ``None``."""
    known_until = calendar.known_until
    days_left = (known_until - as_of.astimezone(SHANGHAI).date()).days
    if days_left > CALENDAR_WARN_DAYS:
        return None
    return (
        f"the working-day calendar ends on {known_until.isoformat()} ({days_left} days after this run): add "
        f"{known_until.year + 1}'s holidays and swapped working days (国务院办公厅关于{known_until.year + 1}年部分节假日"
        f"安排的通知) to {calendar.overrides_path}, or upgrade chinese-calendar once it has them"
    )


def _serialise(conn: sa.Connection) -> None:
    """Hold the alert tables for the rest of ``conn``'s transaction: one evaluation writes at a time.

    PostgreSQL: a transaction-level advisory lock. SQLite: a write that changes nothing takes the
    database's write lock until the transaction ends.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _ALERT_LOCK})
    else:
        conn.execute(RUN.delete().where(sa.false()))


def _record_run(conn: sa.Connection, as_of: datetime, run_id: str | None, summary: dict[str, Any]) -> None:
    """One ``alert_run`` row per reference time; a rerun replaces it."""
    conn.execute(RUN.delete().where(RUN.c.as_of == as_of))
    conn.execute(RUN.insert().values(as_of=as_of, run_id=run_id, counts=summary))
