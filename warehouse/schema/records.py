"""Intake tables: batches, landing, source files, staged records, quarantine and the quality gates' verdicts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from warehouse.schema.base import Base, JSONType, UtcDateTime


class Batch(Base):
    """One extraction of one source for one window, with its accounting:
    fetched = landed + unchanged + quarantined."""

    __tablename__ = "batch"

    batch_id: Mapped[str] = mapped_column(sa.String(160), primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(40), index=True)
    window_start: Mapped[datetime] = mapped_column(UtcDateTime())
    window_end: Mapped[datetime] = mapped_column(UtcDateTime())
    run_id: Mapped[str | None] = mapped_column(sa.String(250))
    status: Mapped[str] = mapped_column(sa.String(20))
    fetched: Mapped[int] = mapped_column(default=0)
    landed: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    quarantined: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), server_default=sa.func.current_timestamp()
    )
    note: Mapped[str | None] = mapped_column(sa.Text)
    # Set when a batch-level gate holds the batch (status ``held``); kept after the release or rejection.
    held_gate: Mapped[str | None] = mapped_column(sa.String(40))
    held_reason: Mapped[str | None] = mapped_column(sa.Text)
    # Set by the publish that took the batch's staged records into the pool (placed the new ones and
    # refreshed the cases of re-staged ones); cleared when the batch is staged again. A pool run that
    # failed for good leaves it NULL, and the next run catches the batch up.
    pooled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class LandingRecord(Base):
    """The verbatim payload of every version of every source record, with its lineage."""

    __tablename__ = "landing_record"
    __table_args__ = (sa.UniqueConstraint("source", "source_record_id", "version"),)

    landing_id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    source: Mapped[str] = mapped_column(sa.String(40))
    source_record_id: Mapped[str] = mapped_column(sa.String(120))
    version: Mapped[int]
    batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"), index=True)
    payload_hash: Mapped[str] = mapped_column(sa.String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    fetched_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), server_default=sa.func.current_timestamp()
    )


class SourceFile(Base):
    """An export file of a file-drop source, known by its content: loaded once, archived after its commit."""

    __tablename__ = "source_file"

    source: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    file_name: Mapped[str] = mapped_column(sa.String(255))
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    rows: Mapped[int]
    batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"), index=True)
    loaded_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), server_default=sa.func.current_timestamp()
    )
    archived_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    archived_as: Mapped[str | None] = mapped_column(sa.String(255))


class StagedRecord(Base):
    """The canonical record (DESIGN §5), latest valid version per source record."""

    __tablename__ = "complaint_record"

    record_id: Mapped[str] = mapped_column(sa.String(170), primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(40), index=True)
    source_record_id: Mapped[str] = mapped_column(sa.String(120))
    batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"), index=True)
    landing_id: Mapped[int] = mapped_column(sa.ForeignKey("landing_record.landing_id"))
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    name: Mapped[str | None] = mapped_column(sa.String(100))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    id_number: Mapped[str | None] = mapped_column(sa.String(40))
    address: Mapped[str | None] = mapped_column(sa.Text)
    district: Mapped[str | None] = mapped_column(sa.String(40))
    street: Mapped[str | None] = mapped_column(sa.String(80))
    community: Mapped[str | None] = mapped_column(sa.String(80))
    grid: Mapped[str | None] = mapped_column(sa.String(80))
    category: Mapped[str | None] = mapped_column(sa.String(40))
    source_category: Mapped[str | None] = mapped_column(sa.String(80))
    content: Mapped[str | None] = mapped_column(sa.Text)
    status: Mapped[str | None] = mapped_column(sa.String(40))
    received_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    contacted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    dispatched_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    followed_up_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Derived at staging (warehouse.access.hashing, warehouse.derive.topics): keyed hashes so that matching and joins
    # need not read raw identities, and the project, employer or place the description names.
    phone_hash: Mapped[str | None] = mapped_column(sa.String(64))
    id_number_hash: Mapped[str | None] = mapped_column(sa.String(64))
    topic: Mapped[str | None] = mapped_column(sa.String(80))
    topic_rank: Mapped[int | None] = mapped_column(sa.SmallInteger)
    content_masked: Mapped[str | None] = mapped_column(
        sa.Text
    )  # phones and id numbers typed into the text masked


class QuarantineRecord(Base):
    """A fetched record held back, with its original payload and every reason it failed."""

    __tablename__ = "quarantine_record"
    __table_args__ = (sa.UniqueConstraint("batch_id", "source_record_id"),)

    quarantine_id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"), index=True)
    source: Mapped[str] = mapped_column(sa.String(40))
    source_record_id: Mapped[str] = mapped_column(sa.String(120))
    landing_id: Mapped[int] = mapped_column(sa.ForeignKey("landing_record.landing_id"))
    reasons: Mapped[list[str]] = mapped_column(JSONType)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    quarantined_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), server_default=sa.func.current_timestamp()
    )


class DqResult(Base):
    """One expectation's outcome on one batch (what was checked, what failed)."""

    __tablename__ = "dq_result"
    __table_args__ = (sa.UniqueConstraint("batch_id", "suite", "expectation", "column_name"),)

    dq_result_id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"), index=True)
    suite: Mapped[str] = mapped_column(sa.String(80))
    expectation: Mapped[str] = mapped_column(sa.String(120))
    column_name: Mapped[str] = mapped_column(sa.String(80))
    success: Mapped[bool]
    element_count: Mapped[int]
    unexpected_count: Mapped[int]
    unexpected_percent: Mapped[float]
    sample: Mapped[list[Any] | None] = mapped_column(JSONType)
    exception: Mapped[str | None] = mapped_column(sa.Text)
    run_id: Mapped[str | None] = mapped_column(sa.String(64))  # the validation run that last wrote it


class ValidationRun(Base):
    """One run of one suite over one batch: which suite version, when, and what it found.

    Re-running the same suite version on the same batch overwrites its row (idempotent); a changed
    suite (another ``suite_hash``) adds a row, so the audit shows every version a batch was judged by.
    """

    __tablename__ = "validation_run"
    __table_args__ = (sa.UniqueConstraint("batch_id", "suite", "suite_hash"),)

    run_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"), index=True)
    suite: Mapped[str] = mapped_column(sa.String(80))
    suite_hash: Mapped[str] = mapped_column(sa.String(64))
    gx_version: Mapped[str] = mapped_column(sa.String(20))
    success: Mapped[bool]
    expectations: Mapped[int]
    failed_expectations: Mapped[int]
    rows_checked: Mapped[int]
    rows_quarantined: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime] = mapped_column(UtcDateTime())
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONType)  # GX's result, samples masked


class BatchGate(Base):
    """A batch-level gate's verdict on a batch (schema drift, volume, quarantine rate), pass or fail."""

    __tablename__ = "batch_gate"

    batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"), primary_key=True)
    gate: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    passed: Mapped[bool]
    reason: Mapped[str] = mapped_column(sa.Text)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    checked_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), server_default=sa.func.current_timestamp()
    )


class HeldRecord(Base):
    """A row of a held batch, kept out of staging until someone releases or rejects the batch.

    ``record`` is the canonical record when the row passed its row-level checks, ``reasons`` the
    reasons it failed otherwise; the raw payload stays in ``landing_record``.
    """

    __tablename__ = "held_record"

    batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"), primary_key=True)
    source_record_id: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    landing_id: Mapped[int] = mapped_column(sa.ForeignKey("landing_record.landing_id"))
    record: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    reasons: Mapped[list[str] | None] = mapped_column(JSONType)


class BatchDecision(Base):
    """Who released or rejected a held batch, why and when."""

    __tablename__ = "batch_decision"

    decision_id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"), index=True)
    decision: Mapped[str] = mapped_column(sa.String(20))
    gate: Mapped[str | None] = mapped_column(sa.String(40))
    decided_by: Mapped[str] = mapped_column(sa.String(80))
    reason: Mapped[str] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), server_default=sa.func.current_timestamp()
    )
