"""Corrections of the pool that stick: split a case, merge two cases, move a record, confirm a case.

Each is one transaction (serialised with the pool's publishes) that rewrites membership, the golden
records and groups of the cases concerned, and their history, names the reviewer and the reason
(``case_correction``), and binds the record pairs it decided (``case_link``: ``different`` across a
split or a move, ``same`` across a merge or into a move's target). Every later matching pass applies
those links (:func:`warehouse.review.constraints.pass_decisions`), so new reports never join what a
reviewer split, and nothing matching does re-places a pooled record; a backfill re-stages records that
stay in their cases, and a rehash changes hashes only. The cases' ``updated_at`` moves, so the alert feed
shows them changed and the next alerting run evaluates them as they are now.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from warehouse.pool.work_tables import publish_session
from warehouse.review._edits import (
    absorb,
    add_correction,
    case_of,
    check_reviewer,
    history,
    link_pairs,
    members,
    open_case,
    place,
    refresh,
    stamp_correction,
)
from warehouse.review.errors import InvalidInput
from warehouse.schema import ComplaintCase, table_of


def _result(
    correction_id: int, kind: str, case_id: str, other: str, records: Sequence[str]
) -> dict[str, Any]:
    return {"correction_id": correction_id, "kind": kind, "case_id": case_id, "other_case_id": other,
            "record_ids": sorted(records)}  # fmt: skip


def _detail(correction_id: int, reviewer: str, reason: str, records: Sequence[str]) -> dict[str, Any]:
    return {"correction_id": correction_id, "reviewer": reviewer.strip(), "reason": reason.strip(),
            "records": sorted(records)}  # fmt: skip


def split_case(
    engine: sa.Engine, case_id: str, record_ids: Sequence[str], reviewer: str, reason: str
) -> dict[str, Any]:
    """Take ``record_ids`` out of ``case_id`` into a new case.

    The case keeps its id (alerts on it stay); the chosen records get a new case id. History:
    ``split_into`` on the case, ``split_from`` on the new one.

    Returns:
        ``{correction_id, kind: "split", case_id, other_case_id: the new case, record_ids}``.

    Raises:
        NotFound: no such case.
        InvalidInput: a merged case, no records chosen, a record not in the case, every record chosen,
            or no reviewer / reason.
    """
    check_reviewer(reviewer, reason)
    chosen = sorted(set(record_ids))
    if not chosen:
        raise InvalidInput("choose at least one record to split off")
    with engine.begin() as conn:
        publish_session(conn)
        case = open_case(conn, case_id)
        current = members(conn, case_id)
        outside = [r for r in chosen if r not in current]
        if outside:
            raise InvalidInput(f"not members of case {case_id!r}: {', '.join(outside)}")
        rest = sorted(set(current) - set(chosen))
        if not rest:
            raise InvalidInput(
                f"splitting every record of case {case_id!r} leaves it empty: nothing would change"
            )
        new_id = f"case-{uuid.uuid4().hex[:16]}"
        correction = add_correction(conn, "split", case_id, new_id, chosen, reviewer, reason)
        batch = max(current[r] for r in chosen)
        conn.execute(
            sa.insert(table_of(ComplaintCase)).values(
                case_id=new_id,
                status="open",
                n_records=0,
                n_channels=0,
                n_complainants=0,
                created_batch_id=batch,
                updated_batch_id=batch,
                created_at=sa.func.current_timestamp(),
                updated_at=sa.func.current_timestamp(),
            )  # fmt: skip
        )
        place(conn, chosen, new_id, correction)
        link_pairs(conn, chosen, rest, "different", correction)
        detail = _detail(correction, reviewer, reason, chosen)
        history(conn, [
            {"case_id": case_id, "event": "split_into", "related_id": new_id, "batch_id": batch, "detail": detail},
            {"case_id": new_id, "event": "split_from", "related_id": case_id, "batch_id": batch, "detail": detail},
        ])  # fmt: skip
        refresh(conn, {case_id: case["updated_batch_id"], new_id: batch})
        stamp_correction(conn, correction)
    return _result(correction, "split", case_id, new_id, chosen)


def merge_cases(engine: sa.Engine, case_a: str, case_b: str, reviewer: str, reason: str) -> dict[str, Any]:
    """Merge two cases into one; the older survives (earliest first report, then the smaller id).

    Returns:
        ``{correction_id, kind: "merge", case_id: the survivor, other_case_id: the absorbed case,
        record_ids: the absorbed case's records}``.

    Raises:
        NotFound: either case unknown.
        InvalidInput: the same case twice, a merged case, or no reviewer / reason.
    """
    check_reviewer(reviewer, reason)
    if case_a == case_b:
        raise InvalidInput("merging a case with itself changes nothing")
    with engine.begin() as conn:
        publish_session(conn)
        return merge_in(conn, open_case(conn, case_a), open_case(conn, case_b), reviewer, reason)


def merge_in(
    conn: sa.Connection, a: dict[str, Any], b: dict[str, Any], reviewer: str, reason: str
) -> dict[str, Any]:
    """:func:`merge_cases` inside the caller's transaction, on two open case rows."""
    oldest = sorted(
        (a, b), key=lambda c: (c["first_reported_at"] is None, c["first_reported_at"] or 0, c["case_id"])
    )
    keep, gone = oldest[0]["case_id"], oldest[1]["case_id"]
    kept, absorbed = members(conn, keep), members(conn, gone)
    correction = add_correction(conn, "merge", keep, gone, list(absorbed), reviewer, reason)
    batch = max(absorbed.values(), default=oldest[1]["updated_batch_id"])
    place(conn, list(absorbed), keep, correction)
    link_pairs(conn, kept, absorbed, "same", correction)
    absorb(conn, keep, gone, batch)
    detail = _detail(correction, reviewer, reason, list(absorbed))
    history(conn, [
        {"case_id": keep, "event": "merged", "related_id": gone, "batch_id": batch, "detail": detail},
        {"case_id": gone, "event": "merged_into", "related_id": keep, "batch_id": batch, "detail": detail},
    ])  # fmt: skip
    refresh(conn, {keep: batch, gone: batch})
    stamp_correction(conn, correction)
    return _result(correction, "merge", keep, gone, list(absorbed))


def move_record(
    engine: sa.Engine, record_id: str, to_case_id: str, reviewer: str, reason: str
) -> dict[str, Any]:
    """Move one pooled record to another open case.

    History: ``moved_out`` on the case it left, ``moved`` on the case it joined (``related_id``
    ``<record_id>@<correction_id>``). A case left empty is marked merged into the target.

    Returns:
        ``{correction_id, kind: "move", case_id: the case it left, other_case_id: the target,
        record_ids: [record_id]}``.

    Raises:
        NotFound: the record is not pooled, or no such target case.
        InvalidInput: the target is merged or is already the record's case; no reviewer / reason.
    """
    check_reviewer(reviewer, reason)
    with engine.begin() as conn:
        publish_session(conn)
        source, batch = case_of(conn, record_id)
        target = open_case(conn, to_case_id)
        if source == to_case_id:
            raise InvalidInput(f"record {record_id!r} is in case {to_case_id!r} already")
        left = open_case(conn, source)
        stay = sorted(set(members(conn, source)) - {record_id})
        joined = members(conn, to_case_id)
        correction = add_correction(conn, "move", source, to_case_id, [record_id], reviewer, reason)
        place(conn, [record_id], to_case_id, correction)
        link_pairs(conn, [record_id], stay, "different", correction)
        link_pairs(conn, [record_id], joined, "same", correction)
        detail = _detail(correction, reviewer, reason, [record_id])
        related = f"{record_id}@{correction}"
        events = [
            {"case_id": source, "event": "moved_out", "related_id": related, "batch_id": batch,
             "detail": {**detail, "to_case_id": to_case_id}},
            {"case_id": to_case_id, "event": "moved", "related_id": related, "batch_id": batch,
             "detail": {**detail, "from_case_id": source}},
        ]  # fmt: skip
        if not stay:  # the case is empty now: it lives on as merged into the target, so no reference dangles
            absorb(conn, to_case_id, source, batch)
            events += [
                {"case_id": to_case_id, "event": "merged", "related_id": source, "batch_id": batch, "detail": detail},
                {"case_id": source, "event": "merged_into", "related_id": to_case_id, "batch_id": batch,
                 "detail": detail},
            ]  # fmt: skip
        history(conn, events)
        refresh(conn, {source: left["updated_batch_id"], to_case_id: target["updated_batch_id"]})
        stamp_correction(conn, correction)
    return _result(correction, "move", source, to_case_id, [record_id])


def confirm_case(engine: sa.Engine, case_id: str, reviewer: str, reason: str) -> dict[str, Any]:
    """Confirm a suspect case as it is: recorded (kind ``confirm``), and off the queue until it changes.

    Returns:
        ``{correction_id, kind: "confirm", case_id, other_case_id: case_id, record_ids: its members}``.
    """
    check_reviewer(reviewer, reason)
    with engine.begin() as conn:
        open_case(conn, case_id)
        current = members(conn, case_id)
        correction = add_correction(conn, "confirm", case_id, case_id, list(current), reviewer, reason)
    return _result(correction, "confirm", case_id, case_id, list(current))
