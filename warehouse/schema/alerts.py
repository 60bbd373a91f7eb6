"""The alerting layer's tables (migrations 0006, 0010): alert lists, their history, issue numbers, time-limit
clocks, and the delivery log of alert events to the districts.

Written by the reference alerting system (``python -m alerting run``, DAG ``complaint_alerts``), which
reads the pool only through the read contract; readers see these tables through ``v_alert``,
``v_alert_history`` and ``v_time_limit_clock``; auditors read the delivery log through
``v_audit_alert_delivery``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from warehouse.schema.base import Base, JSONType, UtcDateTime


class Alert(Base):
    """One 三色三单 alert: a rule firing on one subject (a case, a complainant or a group) until it clears.

    An open alert is updated in place while its condition holds; it closes (``status = 'closed'``) when
    the condition clears, and a later firing is a new alert. ``alert_event`` keeps every change.
    """

    __tablename__ = "alert"
    __table_args__ = (sa.Index("ix_alert_alert_key_status", "alert_key", "status"),)

    alert_id: Mapped[int] = mapped_column(primary_key=True)
    alert_key: Mapped[str] = mapped_column(sa.String(200))
    rule_id: Mapped[str] = mapped_column(sa.String(60))
    subject_kind: Mapped[str] = mapped_column(sa.String(20))
    subject_id: Mapped[str] = mapped_column(sa.String(120))
    colour: Mapped[str] = mapped_column(sa.String(10))
    list_name: Mapped[str] = mapped_column(sa.String(20))
    district: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    street: Mapped[str | None] = mapped_column(sa.String(80))
    community: Mapped[str | None] = mapped_column(sa.String(80))  # migration 0012
    grid: Mapped[str | None] = mapped_column(sa.String(80))  # migration 0012
    category: Mapped[str | None] = mapped_column(sa.String(40))
    topic: Mapped[str | None] = mapped_column(sa.String(80))
    n_cases: Mapped[int] = mapped_column(default=0)
    n_complainants: Mapped[int] = mapped_column(default=0)
    n_reports: Mapped[int] = mapped_column(default=0)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONType)
    issue_period: Mapped[str] = mapped_column(sa.String(10))
    issue_no: Mapped[int]
    status: Mapped[str] = mapped_column(sa.String(10), index=True)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime())
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The four-level loop (migration 0012): the level that must act (city, district, street, community or
    # grid), its unit, and since when; an alert not acted on within its list's limit moves up a level.
    level: Mapped[str | None] = mapped_column(sa.String(20))
    unit: Mapped[str | None] = mapped_column(sa.String(120))
    level_since: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AlertEvent(Base):
    """An alert's history: issued, updated, escalated, downgraded, closed (with the evidence at the time)."""

    __tablename__ = "alert_event"

    event_id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(sa.ForeignKey("alert.alert_id"), index=True)
    as_of: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    event: Mapped[str] = mapped_column(sa.String(20))
    colour: Mapped[str] = mapped_column(sa.String(10))
    list_name: Mapped[str] = mapped_column(sa.String(20))
    issue_period: Mapped[str] = mapped_column(sa.String(10))
    issue_no: Mapped[int]
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONType)
    run_id: Mapped[str | None] = mapped_column(sa.String(250))
    level: Mapped[str | None] = mapped_column(sa.String(20))  # migration 0012: the responsible level after it
    unit: Mapped[str | None] = mapped_column(sa.String(120))


class AlertDelivery(Base):
    """One alert event to one address of one channel: delivered at least once, retried until it is.

    ``delivery_key`` is the idempotency key (a hash of event, channel and address): the row is created once
    per key, and every attempt sends the key along (HTTP header, e-mail Message-ID) so a receiver can
    drop a repeat. ``address`` is kept as configured, with ``${VAR}`` references unexpanded, so that no
    bot token is ever stored.
    """

    __tablename__ = "alert_delivery"

    delivery_id: Mapped[int] = mapped_column(primary_key=True)
    delivery_key: Mapped[str] = mapped_column(sa.String(64), unique=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("alert_event.event_id"), index=True)
    channel: Mapped[str] = mapped_column(sa.String(40))
    address: Mapped[str] = mapped_column(sa.String(400))
    recipient: Mapped[str] = mapped_column(sa.String(160))
    status: Mapped[str] = mapped_column(sa.String(12), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AlertIssue(Base):
    """The last issue number (第N期) given on each list in each period."""

    __tablename__ = "alert_issue"

    list_name: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    period: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    last_no: Mapped[int]


class AlertRun(Base):
    """One evaluation of the rules, by its reference time (the data interval end it covers)."""

    __tablename__ = "alert_run"

    as_of: Mapped[datetime] = mapped_column(UtcDateTime(), primary_key=True)
    run_id: Mapped[str | None] = mapped_column(sa.String(250))
    counts: Mapped[dict[str, Any]] = mapped_column(JSONType)


class TimeLimitClock(Base):
    """Each open case's time-limit steps as of the last evaluation: due time, completion and state."""

    __tablename__ = "time_limit_clock"

    case_id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    step: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)  # NULL: calendar_unknown
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    state: Mapped[str] = mapped_column(sa.String(20))
    as_of: Mapped[datetime] = mapped_column(UtcDateTime())
    policy: Mapped[str | None] = mapped_column(sa.String(40))  # migration 0012: the binding channel's policy
    channel: Mapped[str | None] = mapped_column(sa.String(40))


class Scorecard(Base):
    """Scorecard counts (migration 0012): per period, dimension, unit and metric, the numerator and the
    denominator of each rate as of the last alerting run (``alerting/scorecard.py`` has the formulas)."""

    __tablename__ = "scorecard"

    period_kind: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    period: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    dimension: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    unit: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    metric: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    # A street's district ('' for the other dimensions: two districts may have streets of one name).
    district: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    numerator: Mapped[int]
    denominator: Mapped[int]
    as_of: Mapped[datetime] = mapped_column(UtcDateTime())
