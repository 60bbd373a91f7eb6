"""Reviewers' corrections of the pool (migration 0009): each split, merge or move, and the record-pair links
they leave so that every later matching pass keeps the records apart or together as decided."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from warehouse.schema.base import Base, JSONType, UtcDateTime


class CaseCorrection(Base):
    """One correction a named reviewer made, with the reason: ``split`` (records of ``case_id`` into the new
    case ``other_case_id``), ``merge`` (``other_case_id`` absorbed into ``case_id``) or ``move`` (records
    from ``case_id`` to ``other_case_id``)."""

    __tablename__ = "case_correction"

    correction_id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(sa.String(10))
    case_id: Mapped[str] = mapped_column(sa.String(40), index=True)
    other_case_id: Mapped[str] = mapped_column(sa.String(40), index=True)
    record_ids: Mapped[list[str]] = mapped_column(JSONType)
    reviewer: Mapped[str] = mapped_column(sa.String(80))
    reason: Mapped[str] = mapped_column(sa.Text)
    corrected_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), server_default=sa.func.current_timestamp()
    )


class CaseLink(Base):
    """A record pair a correction bound: ``same`` (must share a case) or ``different`` (may never). The
    latest correction touching a pair decides it; the pool's matching passes apply every link."""

    __tablename__ = "case_link"

    record_id_l: Mapped[str] = mapped_column(sa.String(170), primary_key=True)
    record_id_r: Mapped[str] = mapped_column(sa.String(170), primary_key=True, index=True)
    link: Mapped[str] = mapped_column(sa.String(10))
    correction_id: Mapped[int] = mapped_column(sa.ForeignKey("case_correction.correction_id"), index=True)
