"""What the alerting layer reads from the pool: only the read-contract views, as any downstream system would.

Times come back as aware UTC pandas timestamps on both engines (SQLite views return text).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pandas as pd
import sqlalchemy as sa

from alerting.policies import CASE_TIMES

WINDOW_COLUMNS = (
    "case_id",
    "record_id",
    "source",
    "reported_at",
    "complainant_key",
    "category",
    "district",
    "street",
    "topic",
    "group_id",
    "community",
    "grid",
)


def _at(engine: sa.Engine, when: datetime) -> object:
    """A time as the dialect compares it: stored naive-UTC text on SQLite, timestamptz on PostgreSQL."""
    utc = when.astimezone(UTC)
    return utc.strftime("%Y-%m-%d %H:%M:%S.%f") if engine.dialect.name == "sqlite" else utc


def _utc(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return frame


def _read(engine: sa.Engine, sql: str, columns: tuple[str, ...], **params: object) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(sa.text(sql), params)
        return pd.DataFrame(result.fetchall(), columns=list(columns))


def read_window(engine: sa.Engine, start: datetime, end: datetime) -> pd.DataFrame:
    """Every report in ``[start, end)`` of an open case, with the case's golden fields (``v_case_member``
    joined to ``v_case``): the material of the rules."""
    frame = _read(
        engine,
        """
        SELECT m.case_id, m.record_id, m.source, m.reported_at, c.complainant_key, c.category, c.district,
               c.street, c.topic, c.group_id, c.community, c.grid
        FROM v_case_member m JOIN v_case c ON c.case_id = m.case_id
        WHERE c.status = 'open' AND m.reported_at >= :start AND m.reported_at < :end""",
        WINDOW_COLUMNS,
        start=_at(engine, start),
        end=_at(engine, end),
    )
    frame = _utc(frame, ("reported_at",))
    frame["group_id"] = frame["group_id"].astype("Int64")
    return frame


def read_groups(engine: sa.Engine) -> pd.DataFrame:
    """The pool's groups (hotspots) from ``v_group``: their category, topic and district."""
    frame = _read(
        engine,
        "SELECT group_id, category, topic, district FROM v_group",
        ("group_id", "category", "topic", "district"),
    )
    frame["group_id"] = frame["group_id"].astype("Int64")
    return frame


def pool_as_of(engine: sa.Engine) -> datetime | None:
    """The end of the latest extraction window published in the pool (``v_alert_feed``): what an
    asset-triggered run evaluates at, so that the time comes from the data, not from the wall clock."""
    with engine.connect() as conn:
        value = conn.execute(sa.text("SELECT max(updated_window_end) FROM v_alert_feed")).scalar_one_or_none()
    if value is None:
        return None
    stamp = pd.Timestamp(value)
    utc = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    moment: datetime = utc.to_pydatetime()
    return moment


def read_channels(engine: sa.Engine, as_of: datetime, horizon_days: int) -> pd.DataFrame:
    """One row per open case and channel it was reported on (``alerting.policy_clocks.CHANNEL_COLUMNS``
    and the case's place): the channel's first report as its ``received_at``, the case's category, place
    and other handling times. Cases received within the horizon, and older ones still being followed up."""
    others = [c for c in CASE_TIMES if c != "received_at"]
    case_columns = ("category", "district", "street", *others)
    columns = ("case_id", "channel", *case_columns, "received_at")
    frame = _read(
        engine,
        f"""
        SELECT c.case_id, m.source, {", ".join(f"c.{x}" for x in case_columns)}, min(m.reported_at)
        FROM v_case c JOIN v_case_member m ON m.case_id = c.case_id
        WHERE c.status = 'open' AND c.received_at <= :as_of
          AND (c.received_at >= :since OR c.followed_up_at IS NULL) AND m.reported_at <= :as_of
        GROUP BY c.case_id, m.source, {", ".join(f"c.{x}" for x in case_columns)}""",
        columns,
        as_of=_at(engine, as_of),
        since=_at(engine, as_of - timedelta(days=horizon_days)),
    )
    return _utc(frame, CASE_TIMES)


def read_reports(engine: sa.Engine, since: datetime, as_of: datetime) -> pd.DataFrame:
    """Every report (``case_id``, ``reported_at``) of an open case from ``since`` up to ``as_of``."""
    frame = _read(
        engine,
        """
        SELECT m.case_id, m.reported_at FROM v_case_member m JOIN v_case c ON c.case_id = m.case_id
        WHERE c.status = 'open' AND m.reported_at >= :since AND m.reported_at <= :as_of""",
        ("case_id", "reported_at"),
        since=_at(engine, since),
        as_of=_at(engine, as_of),
    )
    return _utc(frame, ("reported_at",))


EVENT_READ = ("case_id", "channel", "event", "at", "days", "unit", "level", "satisfaction", "stage")


def read_events(engine: sa.Engine, as_of: datetime, since: datetime) -> pd.DataFrame:
    """The handling events (``v_case_event``) up to ``as_of`` of the cases :func:`read_channels` reads
    (received since ``since``, or still being followed up), in the clocks' vocabulary: a petition's
    review request or decision whose stage is 复核 becomes ``recheck_requested`` / ``recheck_decided``."""
    frame = _read(
        engine,
        """
        SELECT e.case_id, e.channel, e.event_type, e.at, e.days, e.unit, e.level, e.satisfaction, e.detail
        FROM v_case_event e
        WHERE e.at <= :as_of AND e.case_id IN (
            SELECT c.case_id FROM v_case c
            WHERE c.status = 'open' AND (c.received_at >= :since OR c.followed_up_at IS NULL))""",
        EVENT_READ,
        as_of=_at(engine, as_of),
        since=_at(engine, since),
    )
    stage = frame["stage"].map(_stage)
    recheck = frame["event"].isin(("review_requested", "review_decided")) & stage.eq("复核")
    frame["event"] = frame["event"].where(~recheck, frame["event"].str.replace("review_", "recheck_"))
    frame["stage"] = stage
    frame["days"] = pd.to_numeric(frame["days"], errors="coerce")
    return _utc(frame, ("at",))


def _stage(detail: object) -> str | None:
    """A review's stage (复查 or 复核) from the event's detail (JSON text on SQLite)."""
    if isinstance(detail, str):
        detail = json.loads(detail)
    return detail.get("stage") if isinstance(detail, dict) else None
