"""Work tables of a partitioned matching pass (migration 0007): the pass's records, each partition's
records and each partition's scored pairs, kept from the plan task until the publish task commits.

They hold a snapshot, so every partition (and every retry of one) scores exactly the records the plan
saw, whatever is staged meanwhile; the publish task deletes the pass's rows once its cases are committed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from warehouse.schema.base import Base, JSONType, UtcDateTime


class MatchRun(Base):
    """One planned matching pass: its Airflow run, how many partitions, which batches triggered it."""

    __tablename__ = "match_run"

    run_id: Mapped[str] = mapped_column(sa.String(250), primary_key=True)
    partitions: Mapped[int]
    batch_ids: Mapped[list[str]] = mapped_column(JSONType)
    # The model every partition scores with (m/u per level; migration 0009): fitted once by the plan, from
    # the packaged model and the reviewers' verdicts, so that all partitions of a pass agree.
    parameters: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    # The pool's version (last membership-changing correction) the plan read: a correction since makes the
    # publish match the pass again instead of publishing a stale snapshot.
    pool_version: Mapped[int | None] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"))
    # {column: {value: records}}: how many records of the pool and the pass carry each value the matcher
    # weighs by frequency (migration 0018), counted once by the plan for every partition.
    value_counts: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    planned_at: Mapped[datetime | None] = mapped_column(
        UtcDateTime(), server_default=sa.func.current_timestamp()
    )


class MatchRunRecord(Base):
    """A record of the pass as the plan read it: new (to place) or pooled (with its case at plan time)."""

    __tablename__ = "match_run_record"

    run_id: Mapped[str] = mapped_column(
        sa.ForeignKey("match_run.run_id", ondelete="CASCADE"), primary_key=True
    )
    record_id: Mapped[str] = mapped_column(sa.String(170), primary_key=True)
    is_new: Mapped[bool]
    source: Mapped[str | None] = mapped_column(sa.String(40))
    reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    name: Mapped[str | None] = mapped_column(sa.String(100))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    id_number: Mapped[str | None] = mapped_column(sa.String(40))
    address: Mapped[str | None] = mapped_column(sa.Text)
    district: Mapped[str | None] = mapped_column(sa.String(40))
    street: Mapped[str | None] = mapped_column(sa.String(80))
    community: Mapped[str | None] = mapped_column(sa.String(80))
    category: Mapped[str | None] = mapped_column(sa.String(40))
    content: Mapped[str | None] = mapped_column(sa.Text)
    case_id: Mapped[str | None] = mapped_column(sa.String(40))
    case_first_reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The plan's standardised columns (matching.normalize.standardise with the packaged settings): the
    # partitions and the publish read them instead of standardising the records again.
    name_norm: Mapped[str | None] = mapped_column(sa.Text)
    name_pinyin: Mapped[str | None] = mapped_column(sa.Text)
    name_fuzzy: Mapped[str | None] = mapped_column(sa.Text)
    name_surname: Mapped[str | None] = mapped_column(sa.Text)
    name_handle: Mapped[str | None] = mapped_column(sa.Text)
    phone_norm: Mapped[str | None] = mapped_column(sa.Text)
    phone_mobile: Mapped[bool | None]
    phone_masked: Mapped[str | None] = mapped_column(sa.Text)
    phone_key: Mapped[str | None] = mapped_column(sa.Text)
    phone_ends: Mapped[str | None] = mapped_column(sa.Text)
    phone_head: Mapped[str | None] = mapped_column(sa.Text)
    phone_tail: Mapped[str | None] = mapped_column(sa.Text)
    phone_tail_only: Mapped[str | None] = mapped_column(sa.Text)
    id_norm: Mapped[str | None] = mapped_column(sa.Text)
    id_valid: Mapped[bool | None]
    address_norm: Mapped[str | None] = mapped_column(sa.Text)
    address_key: Mapped[str | None] = mapped_column(sa.Text)
    address_place: Mapped[str | None] = mapped_column(sa.Text)
    address_road: Mapped[str | None] = mapped_column(sa.Text)
    address_district: Mapped[str | None] = mapped_column(sa.Text)
    address_flat: Mapped[str | None] = mapped_column(sa.Text)
    district_norm: Mapped[str | None] = mapped_column(sa.Text)
    category_norm: Mapped[str | None] = mapped_column(sa.Text)
    content_facts: Mapped[str | None] = mapped_column(sa.Text)
    content_sum: Mapped[str | None] = mapped_column(sa.Text)
    content_flat: Mapped[str | None] = mapped_column(sa.Text)
    content_topics: Mapped[str | None] = mapped_column(sa.Text)
    content_matters: Mapped[str | None] = mapped_column(sa.Text)
    content_proxy: Mapped[bool | None]
    content_agent: Mapped[bool | None]
    content_group: Mapped[bool | None]
    reported_days: Mapped[float | None]


class MatchRunMember(Base):
    """Which records one partition reads: every member of the blocks it owns."""

    __tablename__ = "match_run_member"

    run_id: Mapped[str] = mapped_column(
        sa.ForeignKey("match_run.run_id", ondelete="CASCADE"), primary_key=True
    )
    shard: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[str] = mapped_column(sa.String(170), primary_key=True)


class MatchRunPair(Base):
    """A candidate pair one partition scored: which rules found it, each comparison's level, the weights."""

    __tablename__ = "match_run_pair"

    run_id: Mapped[str] = mapped_column(
        sa.ForeignKey("match_run.run_id", ondelete="CASCADE"), primary_key=True
    )
    shard: Mapped[int] = mapped_column(primary_key=True)
    record_id_l: Mapped[str] = mapped_column(sa.String(170), primary_key=True)
    record_id_r: Mapped[str] = mapped_column(sa.String(170), primary_key=True)
    rule_bits: Mapped[int] = mapped_column(sa.BigInteger)
    levels: Mapped[dict[str, Any]] = mapped_column(JSONType)
    person_weight: Mapped[float]
    dispute_weight: Mapped[float]
    match_weight: Mapped[float]
    match_probability: Mapped[float]
