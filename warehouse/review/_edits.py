"""The statements every correction shares: checks, the correction row, its record links, history, refresh."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa

from warehouse.pool.golden import add_to_scope, create_scope, drop_work_tables, refresh_golden
from warehouse.pool.groups import refresh_groups
from warehouse.review.errors import InvalidInput, NotFound
from warehouse.schema import CaseCorrection, CaseHistory, CaseLink, CaseMember, ComplaintCase, table_of
from warehouse.schema.dialect import upsert


def check_reviewer(reviewer: str, reason: str | None, reason_required: bool = True) -> None:
    """A correction names who made it and why."""
    if not (reviewer or "").strip():
        raise InvalidInput("a reviewer (name or account) is required")
    if reason_required and not (reason or "").strip():
        raise InvalidInput("a reason is required")


def open_case(conn: sa.Connection, case_id: str) -> dict[str, Any]:
    """The case row of an open case (a merged case is named with the case that absorbed it)."""
    c = table_of(ComplaintCase)
    row = conn.execute(sa.select(c).where(c.c.case_id == case_id)).mappings().first()
    if row is None:
        raise NotFound(f"no case {case_id!r}")
    if row["status"] == "merged":
        raise InvalidInput(
            f"case {case_id!r} was merged into {row['merged_into']!r}: correct that case instead"
        )
    return dict(row)


def members(conn: sa.Connection, case_id: str) -> dict[str, str]:
    """``record_id -> batch_id`` of the case's members."""
    m = table_of(CaseMember)
    rows = conn.execute(sa.select(m.c.record_id, m.c.batch_id).where(m.c.case_id == case_id))
    return {r: b for r, b in rows.tuples()}


def case_of(conn: sa.Connection, record_id: str) -> tuple[str, str]:
    """``(case_id, batch_id)`` of a pooled record."""
    m = table_of(CaseMember)
    row = conn.execute(sa.select(m.c.case_id, m.c.batch_id).where(m.c.record_id == record_id)).first()
    if row is None:
        raise NotFound(f"record {record_id!r} is not in any case (unknown, or not pooled yet)")
    return str(row[0]), str(row[1])


def add_correction(
    conn: sa.Connection, kind: str, case_id: str, other_case_id: str, record_ids: Sequence[str], reviewer: str,
    reason: str,
) -> int:  # fmt: skip
    """Insert the correction row; returns its id."""
    k = table_of(CaseCorrection)
    values = {"kind": kind, "case_id": case_id, "other_case_id": other_case_id, "record_ids": sorted(record_ids),
              "reviewer": reviewer.strip(), "reason": reason.strip()}  # fmt: skip
    return int(conn.execute(sa.insert(k).values(**values).returning(k.c.correction_id)).scalar_one())


def stamp_correction(conn: sa.Connection, correction_id: int) -> None:
    """Set the correction's time after the cases were refreshed, so it is never earlier than their
    ``updated_at`` (the queue hides a corrected case until it changes again)."""
    k = table_of(CaseCorrection)
    conn.execute(
        sa.update(k)
        .where(k.c.correction_id == correction_id)
        .values(corrected_at=sa.func.current_timestamp())
    )


def link_pairs(
    conn: sa.Connection, left: Iterable[str], right: Iterable[str], link: str, correction_id: int
) -> int:
    """Bind every pair of ``left`` × ``right`` as ``same`` or ``different`` (the latest correction wins)."""
    rows = [
        {"record_id_l": min(a, b), "record_id_r": max(a, b), "link": link, "correction_id": correction_id}
        for a in sorted(set(left))
        for b in sorted(set(right))
        if a != b
    ]
    if rows:
        upsert(conn, table_of(CaseLink), rows, ["record_id_l", "record_id_r"])
    return len(rows)


def place(conn: sa.Connection, record_ids: Sequence[str], case_id: str, correction_id: int) -> None:
    """Move members to ``case_id`` by hand: no match score, the correction named."""
    m = table_of(CaseMember)
    conn.execute(
        sa.update(m)
        .where(m.c.record_id.in_(list(record_ids)))
        .values(case_id=case_id, correction_id=correction_id, match_probability=None, matched_record_id=None)
    )


def history(conn: sa.Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Add history events (``case_id, event, related_id, batch_id, detail``); one already there stays."""
    upsert(conn, table_of(CaseHistory), list(rows), ["case_id", "event", "related_id"], update_columns=[])


def absorb(conn: sa.Connection, keep: str, gone: str, batch_id: str) -> None:
    """Mark ``gone`` merged into ``keep`` (its members already moved); earlier merges into it follow."""
    c = table_of(ComplaintCase)
    conn.execute(
        sa.update(c)
        .where(c.c.case_id == gone)
        .values(
            status="merged",
            merged_into=keep,
            n_records=0,
            updated_batch_id=batch_id,
            updated_at=sa.func.current_timestamp(),
        )  # fmt: skip
    )
    conn.execute(sa.update(c).where(c.c.merged_into == gone).values(merged_into=keep))


def refresh(conn: sa.Connection, cases: dict[str, str]) -> None:
    """Recompute golden records and groups of ``cases`` (``case_id -> batch to credit``), marked touched so
    their ``updated_at`` moves: the alert feed shows them changed and the next alerting run sees them."""
    create_scope(conn)
    for case_id, batch_id in cases.items():
        add_to_scope(conn, "SELECT :c, :b, 1 WHERE 1 = 1", {"c": case_id, "b": batch_id})
    refresh_golden(conn)
    refresh_groups(conn)  # a merged case leaves its group, whose counts follow
    drop_work_tables(conn)
