"""Handling events of staged records (派单, 签收, 退单, 延期, 催办, 办结, 回访 …), one row per event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from warehouse.schema.base import Base, JSONType, UtcDateTime


class RecordEvent(Base):
    """One handling event of one staged record, as its source recorded it (``connectors.events``).

    The latest staged version of a record owns its events: staging a record again replaces all of them
    (a status update that brings new events supersedes the old list, idempotently). ``seq`` is the
    event's place in the record's stream, in time order from 1. ``reason`` is masked at staging (a
    phone or id typed into it), as it is shown by the read contract.
    """

    __tablename__ = "record_event"
    __table_args__ = (sa.Index("ix_record_event_type_at", "event_type", "at"),)

    record_id: Mapped[str] = mapped_column(sa.ForeignKey("complaint_record.record_id"), primary_key=True)
    seq: Mapped[int] = mapped_column(sa.SmallInteger, primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(40))
    event_type: Mapped[str] = mapped_column(sa.String(30))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str | None] = mapped_column(sa.String(100))
    unit: Mapped[str | None] = mapped_column(sa.String(120))
    level: Mapped[str | None] = mapped_column(sa.String(20))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    days: Mapped[int | None] = mapped_column(sa.SmallInteger)
    satisfaction: Mapped[str | None] = mapped_column(sa.String(10))
    score: Mapped[int | None] = mapped_column(sa.SmallInteger)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"), index=True)
