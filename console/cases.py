"""A case as the console shows it: golden record and where each field came from, members with their
masked payloads, history, match evidence and alerts; all read through the warehouse's reader views."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from console.masking import mask_payload

# The golden record's fields a page shows (v_case's masked columns, never the raw ones).
GOLDEN = (
    "status",
    "current_status",
    "category",
    "district",
    "street",
    "community",
    "topic",
    "name_masked",
    "phone_masked",
    "id_number_masked",
    "content",
    "channels",
    "n_records",
    "first_reported_at",
    "last_reported_at",
    "merged_into",
)
_MEMBER = (
    "record_id",
    "source",
    "source_record_id",
    "reported_at",
    "name_masked",
    "phone_masked",
    "district",
    "category",
    "content",
    "status",
    "match_probability",
    "matched_record_id",
    "batch_id",
)


def _rows(conn: sa.Connection, sql: str, **params: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute(sa.text(sql), params).mappings()]


def find_cases(engine: sa.Engine, text: str, limit: int = 50) -> list[dict[str, Any]]:
    """Cases whose id, a member's record id, the topic or the (masked) description contains ``text``."""
    like = f"%{text.strip()}%"
    with engine.connect() as conn:
        return _rows(
            conn,
            "SELECT DISTINCT c.case_id, c.status, c.category, c.district, c.topic, c.n_records, c.channels "
            "FROM v_case c LEFT JOIN v_case_member m ON m.case_id = c.case_id "
            "WHERE c.case_id LIKE :q OR m.record_id LIKE :q OR c.topic LIKE :q OR c.content LIKE :q "
            "ORDER BY c.case_id LIMIT :n",
            q=like,
            n=limit,
        )


def case_page(engine: sa.Engine, case_id: str) -> dict[str, Any]:
    """Everything the case page shows; a merged case id is followed to the case that absorbed it.

    Raises:
        KeyError: no such case.
    """
    with engine.connect() as conn:
        found = _rows(conn, "SELECT * FROM v_case WHERE case_id = :c", c=case_id)
        if not found:
            raise KeyError(f"no case {case_id!r}")
        case = found[0]
        if case["status"] == "merged" and case.get("merged_into"):
            followed = case_page(engine, case["merged_into"])
            return {**followed, "followed_from": case_id}
        members = _rows(
            conn,
            "SELECT {} FROM v_case_member WHERE case_id = :c ORDER BY reported_at, record_id".format(
                ", ".join(_MEMBER)
            ),
            c=case_id,
        )
        payloads = _payloads(conn, [m["record_id"] for m in members])
        for member in members:
            payload, name = payloads.get(member["record_id"], (None, None))
            member["payload"] = mask_payload(payload, member["source"], (name,) if name else ())
        provenance = {
            r["field"]: r
            for r in _rows(
                conn, "SELECT field, record_id, source FROM v_case_source WHERE case_id = :c", c=case_id
            )
        }
        history = _rows(
            conn,
            "SELECT history_id, event, related_id, batch_id, detail, recorded_at FROM v_case_history "
            "WHERE case_id = :c ORDER BY history_id",
            c=case_id,
        )
        evidence = _evidence(conn, [m["record_id"] for m in members])
        alerts = case_alerts(conn, case_id, case.get("group_id"))
    return {
        "case": case,
        "golden": [
            {"field": f, "value": case.get(f), "from": provenance.get(_source_field(f))} for f in GOLDEN
        ],
        "members": members,
        "history": [{**h, "detail": _json(h["detail"])} for h in history],
        "evidence": [{**e, "levels": _json(e["levels"])} for e in evidence],
        "alerts": alerts,
    }


def case_alerts(conn: sa.Connection, case_id: str, group_id: str | None) -> list[dict[str, Any]]:
    """The 三色三单 alerts on the case itself, on its group, or naming it in their evidence."""
    rows = _rows(
        conn,
        "SELECT alert_id, rule_id, subject_kind, subject_id, colour, list_name, issue_period, issue_no, "
        "status, district, category, topic, evidence FROM v_alert "
        "WHERE subject_id = :c OR subject_id = :g OR CAST(evidence AS TEXT) LIKE :like ORDER BY colour_rank DESC, alert_id",
        c=case_id,
        g=group_id or "",
        like=f'%"{case_id}"%',
    )
    return [{**r, "evidence": _json(r["evidence"])} for r in rows]


def _evidence(conn: sa.Connection, record_ids: list[str]) -> list[dict[str, Any]]:
    """The scored pairs between the case's members (looked up by record id: the pair table's key)."""
    if not record_ids:
        return []
    query = sa.text(
        "SELECT record_id_l, record_id_r, match_weight, match_probability, decision, levels "
        "FROM v_match_evidence WHERE record_id_l IN :ids AND record_id_r IN :ids ORDER BY match_probability DESC"
    ).bindparams(sa.bindparam("ids", expanding=True))
    return [dict(r) for r in conn.execute(query, {"ids": record_ids}).mappings()]


def _payloads(conn: sa.Connection, record_ids: list[str]) -> dict[str, tuple[Any, str | None]]:
    """Each record's current landed payload (lineage: record → landing row) and its standardised name,
    which is only handed to the masking (never shown)."""
    if not record_ids:
        return {}
    query = sa.text(
        "SELECT r.record_id, l.payload, r.name FROM complaint_record r JOIN landing_record l "
        "ON l.landing_id = r.landing_id WHERE r.record_id IN :ids"
    ).bindparams(sa.bindparam("ids", expanding=True))
    return {rid: (_json(payload), name) for rid, payload, name in conn.execute(query, {"ids": record_ids})}


def _source_field(field: str) -> str:
    return field.removesuffix("_masked")


def _json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value
