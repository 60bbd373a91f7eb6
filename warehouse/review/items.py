"""One review item in full: a pair's two records side by side with the comparison levels and any verdict,
or a suspect case's members, signals, history and corrections."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from warehouse.review.errors import NotFound
from warehouse.review.queue import LARGE_CASE, parse_item_id
from warehouse.review.records import (
    check_role,
    mask_name,
    mask_number,
    read_records,
    shown_record,
    side_by_side,
)
from warehouse.schema import (
    CaseCorrection,
    CaseHistory,
    CaseLink,
    CaseMember,
    ComplaintCase,
    MatchPair,
    ReviewDecision,
    table_of,
)

_CASE_COLUMNS = (
    "case_id", "status", "merged_into", "category", "district", "street", "community", "topic", "content",
    "current_status", "n_records", "n_channels", "channels", "n_complainants", "first_reported_at",
    "last_reported_at", "group_id", "updated_at",
)  # fmt: skip


def review_item(
    engine: sa.Engine, item_id: str, role: str = "reader", large_case: int = LARGE_CASE
) -> dict[str, Any]:
    """Everything a reviewer needs to decide one item.

    Args:
        engine: the warehouse.
        item_id: ``pair:<record_id>|<record_id>`` (any two staged records, in either order) or
            ``case:<case_id>``.
        role: ``reader``, ``auditor`` or ``clerk`` (how records are masked).
        large_case: the record count from which a case is suspect for its size.

    Returns:
        pair: ``item_id, kind, records`` (left, right) ``same_phone, same_id_number, same_name, case_id_l,
        case_id_r, match_weight, match_probability, decision`` (the model's), ``levels`` ({comparison:
        level}, higher is closer, -1 null; ``None`` when matching never scored the pair), ``verdict``
        (the reviewer's, or ``None``) and ``link`` (a correction's binding, or ``None``).
        case: ``item_id, kind, case`` (status, sizes, golden fields masked), ``signals``, ``members``,
        ``history`` and ``corrections``.

    Raises:
        NotFound: an unknown record or case.
        InvalidInput: a malformed item id or role.
    """
    check_role(role)
    kind, key = parse_item_id(item_id)
    with engine.connect() as conn:
        if kind == "pair":
            return _pair(conn, key[0], key[1], role)
        return _case(conn, key[0], role, large_case)


def _pair(conn: sa.Connection, left: str, right: str, role: str) -> dict[str, Any]:
    records = read_records(conn, [left, right])
    missing = [r for r in (left, right) if r not in records]
    if missing:
        raise NotFound(f"no staged record {', '.join(missing)}")
    if left == right:
        raise NotFound("a pair needs two different records")
    p, d, k = table_of(MatchPair), table_of(ReviewDecision), table_of(CaseLink)
    both = {"record_id_l": left, "record_id_r": right}
    scored = conn.execute(sa.select(p).filter_by(**both)).mappings().first()
    verdict = conn.execute(sa.select(d).filter_by(**both)).mappings().first()
    link = conn.execute(sa.select(k.c.link, k.c.correction_id).filter_by(**both)).mappings().first()
    return {
        "item_id": f"pair:{left}|{right}",
        "kind": "pair",
        **side_by_side(records[left], records[right], role),
        "case_id_l": records[left]["case_id"],
        "case_id_r": records[right]["case_id"],
        "match_weight": scored["match_weight"] if scored else None,
        "match_probability": scored["match_probability"] if scored else None,
        "decision": scored["decision"] if scored else None,
        "levels": dict(scored["levels"]) if scored else None,
        "verdict": _verdict(verdict),
        "link": dict(link) if link else None,
    }


def _verdict(row: Any) -> dict[str, Any] | None:
    if row is None:
        return None
    return {k: row[k] for k in ("decision", "reviewer", "reason", "decided_at")}


def _case(conn: sa.Connection, case_id: str, role: str, large_case: int) -> dict[str, Any]:
    c = table_of(ComplaintCase)
    case = conn.execute(sa.select(c).where(c.c.case_id == case_id)).mappings().first()
    if case is None:
        raise NotFound(f"no case {case_id!r}")
    m = table_of(CaseMember)
    ids = list(conn.execute(sa.select(m.c.record_id).where(m.c.case_id == case_id)).scalars())
    raw = read_records(conn, ids)
    members = sorted((raw[i] for i in ids), key=lambda r: (str(r["reported_at"]), r["record_id"]))
    h, k = table_of(CaseHistory), table_of(CaseCorrection)
    history = conn.execute(
        sa.select(h.c.history_id, h.c.event, h.c.related_id, h.c.batch_id, h.c.detail, h.c.recorded_at)
        .where(h.c.case_id == case_id)
        .order_by(h.c.history_id)
    ).mappings()
    corrections = conn.execute(
        sa.select(k)
        .where(sa.or_(k.c.case_id == case_id, k.c.other_case_id == case_id))
        .order_by(k.c.correction_id)
    ).mappings()
    return {
        "item_id": f"case:{case_id}",
        "kind": "case",
        "case": _case_fields(dict(case), role),
        "signals": case_signals(members, large_case),
        "members": [shown_record(r, role) for r in members],
        "history": [dict(r) for r in history],
        "corrections": [dict(r) for r in corrections],
    }


def _case_fields(case: dict[str, Any], role: str) -> dict[str, Any]:
    """The case row and its golden record, masked as ``role`` may see them."""
    shown = {column: case[column] for column in _CASE_COLUMNS}
    shown["name"] = case["name"] if role == "clerk" else mask_name(case["name"])
    shown["phone"] = mask_number(case["phone"], 3)
    shown["id_number"] = mask_number(case["id_number"], 6)
    if role == "clerk":
        shown["address"] = case["address"]
    return shown


def case_signals(members: list[dict[str, Any]], large_case: int = LARGE_CASE) -> list[str]:
    """The queue's suspect signals of a case from its members' raw rows (see :mod:`warehouse.review.queue`)."""

    def distinct(column: str) -> int:
        return len({r[column] for r in members if r.get(column) is not None})

    signals = []
    if len(members) >= large_case:
        signals.append("large")
    two_people = any(
        a["phone_hash"] and b["phone_hash"] and a["name"] and b["name"]
        and a["phone_hash"] != b["phone_hash"] and a["name"] != b["name"]
        for i, a in enumerate(members) for b in members[i + 1 :]
    )  # fmt: skip
    if distinct("id_number_hash") > 1 or two_people:
        signals.append("guard")
    if distinct("source") >= 3 and distinct("name") >= 3:
        signals.append("names")
    return signals
