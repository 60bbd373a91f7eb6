"""Pool tables: cases and their golden records, groups, members, history, match evidence, hash keys, view docs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from warehouse.schema.base import Base, JSONType, UtcDateTime


class ComplaintCase(Base):
    """A case: one complainant's one dispute, however many reports. Ids are stable; a merged case keeps
    its row with ``merged_into`` so downstream references never dangle."""

    __tablename__ = "complaint_case"

    case_id: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(20), index=True)
    merged_into: Mapped[str | None] = mapped_column(sa.String(40))
    category: Mapped[str | None] = mapped_column(sa.String(40))
    district: Mapped[str | None] = mapped_column(sa.String(40))
    first_reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    n_records: Mapped[int] = mapped_column(default=0)
    n_channels: Mapped[int] = mapped_column(default=0)
    created_batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"))
    updated_batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"))
    # The golden record (warehouse/derive/survivorship.yaml says which member supplies each field, and
    # golden_sources records which one did), and what the case carries besides.
    channels: Mapped[str | None] = mapped_column(sa.String(200))
    n_complainants: Mapped[int] = mapped_column(default=0)
    name: Mapped[str | None] = mapped_column(sa.String(100))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    phone_hash: Mapped[str | None] = mapped_column(sa.String(64))
    id_number: Mapped[str | None] = mapped_column(sa.String(40))
    id_number_hash: Mapped[str | None] = mapped_column(sa.String(64))
    address: Mapped[str | None] = mapped_column(sa.Text)
    street: Mapped[str | None] = mapped_column(sa.String(80))
    community: Mapped[str | None] = mapped_column(sa.String(80))
    grid: Mapped[str | None] = mapped_column(sa.String(80))
    content: Mapped[str | None] = mapped_column(sa.Text)  # masked: phones and ids typed into it
    topic: Mapped[str | None] = mapped_column(sa.String(80))
    current_status: Mapped[str | None] = mapped_column(sa.String(40))
    received_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    contacted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    dispatched_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    followed_up_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    golden_sources: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    group_key: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    group_id: Mapped[int | None] = mapped_column(index=True)
    # Set by the publish (SQLite cannot add a column defaulting to CURRENT_TIMESTAMP to a filled table).
    created_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class CaseGroup(Base):
    """A hotspot: open cases of one category naming the same project, employer or place. The id is stable:
    a group is never deleted, so warnings raised on it never dangle."""

    __tablename__ = "case_group"

    group_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    group_key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    category: Mapped[str] = mapped_column(sa.String(40))
    topic: Mapped[str] = mapped_column(sa.String(80))
    district: Mapped[str | None] = mapped_column(sa.String(40))
    n_cases: Mapped[int] = mapped_column(default=0)
    n_records: Mapped[int] = mapped_column(default=0)
    n_complainants: Mapped[int] = mapped_column(default=0)
    first_reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"))
    updated_batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"))
    created_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), server_default=sa.func.current_timestamp()
    )
    updated_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), server_default=sa.func.current_timestamp()
    )


class CaseMember(Base):
    """Which case each source record belongs to, with the match evidence that put it there."""

    __tablename__ = "case_member"

    record_id: Mapped[str] = mapped_column(sa.ForeignKey("complaint_record.record_id"), primary_key=True)
    case_id: Mapped[str] = mapped_column(sa.ForeignKey("complaint_case.case_id"), index=True)
    match_probability: Mapped[float | None]
    matched_record_id: Mapped[str | None] = mapped_column(sa.String(170))
    batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"))
    # The reviewer's correction that last placed the record (warehouse.review.corrections); NULL: matching did.
    correction_id: Mapped[int | None] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"))


class CaseHistory(Base):
    """What happened to a case: created, record_added, merged (absorbed another), merged_into."""

    __tablename__ = "case_history"
    __table_args__ = (sa.UniqueConstraint("case_id", "event", "related_id"),)

    history_id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    case_id: Mapped[str] = mapped_column(sa.String(40), index=True)
    event: Mapped[str] = mapped_column(sa.String(30))
    related_id: Mapped[str] = mapped_column(sa.String(170))
    batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    recorded_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), server_default=sa.func.current_timestamp()
    )


class MatchPair(Base):
    """A scored candidate pair at or above the review band, with each comparison's level (the evidence)."""

    __tablename__ = "match_pair"

    record_id_l: Mapped[str] = mapped_column(sa.String(170), primary_key=True)
    record_id_r: Mapped[str] = mapped_column(sa.String(170), primary_key=True)
    match_weight: Mapped[float]
    match_probability: Mapped[float]
    levels: Mapped[dict[str, int]] = mapped_column(JSONType)
    decision: Mapped[str] = mapped_column(sa.String(20), index=True)
    batch_id: Mapped[str] = mapped_column(sa.ForeignKey("batch.batch_id"))


class ReviewDecision(Base):
    """A reviewer's same/different/unsure verdict on a pair; same and different override the model on every
    later run and teach it (its supervised m)."""

    __tablename__ = "review_decision"

    record_id_l: Mapped[str] = mapped_column(sa.String(170), primary_key=True)
    record_id_r: Mapped[str] = mapped_column(sa.String(170), primary_key=True)
    decision: Mapped[str] = mapped_column(sa.String(20))
    reviewer: Mapped[str] = mapped_column(sa.String(80))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), server_default=sa.func.current_timestamp()
    )


class MatchKey(Base):
    """Blocking keys of pooled records, so a new batch fetches only the pool records it could match.

    ``key`` is a keyed hash (HMAC-SHA256) of the rule's key, never the raw phone, id or name.
    """

    __tablename__ = "match_key"

    rule: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    record_id: Mapped[str] = mapped_column(sa.String(170), primary_key=True)


class MatchModel(Base):
    """The matcher's model as fitted on the pool's own records (migration 0019): the passes that place new
    batches score with the newest fit made under their settings (``settings_digest``), not the packaged
    model; a fit is made again when the pool has grown enough since the last one."""

    __tablename__ = "match_model"

    fit_id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    settings_digest: Mapped[str] = mapped_column(sa.String(64), index=True)
    records: Mapped[int]  # the pooled records it was fitted on (the most recent ones, up to a cap)
    pool_records: Mapped[int]  # the pool's size then: the next fit is due when it has grown enough
    parameters: Mapped[dict[str, Any]] = mapped_column(JSONType)
    # What training could not estimate and kept from the settings, in words (matching.training).
    unreliable: Mapped[list[str]] = mapped_column(JSONType)
    seconds: Mapped[float] = mapped_column(sa.Float)
    fitted_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), server_default=sa.func.current_timestamp()
    )


class HashKey(Base):
    """Fingerprints of the keys the warehouse's keyed hashes were made with; the active one has no
    ``retired_at``. Hashing with another key is refused, so hashes never silently stop joining."""

    __tablename__ = "hash_key"

    fingerprint: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    activated_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), server_default=sa.func.current_timestamp()
    )
    retired_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ViewColumnDoc(Base):
    """The description of every column of the read contract's views (COMMENT ON mirrors it on PostgreSQL);
    written by the migration that defines the view, read by ``python -m warehouse dictionary``."""

    __tablename__ = "view_column_doc"

    view_name: Mapped[str] = mapped_column(sa.String(63), primary_key=True)
    column_name: Mapped[str] = mapped_column(sa.String(63), primary_key=True)
    description: Mapped[str] = mapped_column(sa.Text)
