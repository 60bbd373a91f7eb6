"""The pool: reading what matching needs, and publishing its decisions as cases, members and history."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from warehouse._dialect import chunks, upsert
from warehouse.models import (
    CaseHistory,
    CaseMember,
    ComplaintCase,
    MatchKey,
    MatchPair,
    ReviewDecision,
    StagedRecord,
    table_of,
)

MATCH_COLUMNS = ("record_id", "source", "reported_at", "name", "phone", "id_number", "address", "district",
                 "street", "community", "category", "content")
CANDIDATE_COLUMNS = (*MATCH_COLUMNS, "case_id", "case_first_reported_at")


def unmatched_records(engine: sa.Engine, batch_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Staged records of these batches that are not yet in any case (what the matcher must place)."""
    r, m = table_of(StagedRecord), table_of(CaseMember)
    query = (sa.select(*[r.c[c] for c in MATCH_COLUMNS], r.c.batch_id)
             .outerjoin(m, m.c.record_id == r.c.record_id)
             .where(r.c.batch_id.in_(list(batch_ids)), m.c.record_id.is_(None))
             .order_by(r.c.record_id))
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def pool_candidates(engine: sa.Engine, keys: Sequence[dict[str, str]]) -> list[dict[str, Any]]:
    """Pooled records sharing at least one blocking key with ``keys``, with their current case.

    Only the records a new batch could match are read, never the whole pool.
    """
    if not keys:
        return []
    r, m, c, k = (table_of(StagedRecord), table_of(CaseMember), table_of(ComplaintCase), table_of(MatchKey))
    probe = sa.Table("tmp_probe_key", sa.MetaData(), sa.Column("rule", sa.String(80)),
                     sa.Column("key", sa.String(200)), prefixes=["TEMPORARY"])
    with engine.begin() as conn:
        probe.create(conn)
        try:
            distinct = list({(row["rule"], row["key"]) for row in keys})
            conn.execute(sa.insert(probe), [{"rule": rule, "key": key} for rule, key in distinct])
            hits = (sa.select(k.c.record_id).join(probe, sa.and_(probe.c.rule == k.c.rule, probe.c.key == k.c.key))
                    .distinct().subquery())
            query = (sa.select(*[r.c[col] for col in MATCH_COLUMNS], m.c.case_id,
                               c.c.first_reported_at.label("case_first_reported_at"))
                     .join(hits, hits.c.record_id == r.c.record_id)
                     .join(m, m.c.record_id == r.c.record_id)
                     .join(c, c.c.case_id == m.c.case_id)
                     .order_by(r.c.record_id))
            return [dict(row) for row in conn.execute(query).mappings()]
        finally:
            probe.drop(conn)


def review_decisions(engine: sa.Engine) -> list[dict[str, Any]]:
    """Every reviewer decision, to override the model."""
    t = table_of(ReviewDecision)
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(sa.select(t.c.record_id_l, t.c.record_id_r, t.c.decision))
                .mappings()]


def record_review(engine: sa.Engine, record_id_l: str, record_id_r: str, decision: str, reviewer: str,
                  reason: str | None = None) -> None:
    """Store a reviewer's same/different verdict (pair order does not matter)."""
    if decision not in ("same", "different"):
        raise ValueError(f"decision must be 'same' or 'different', not {decision!r}")
    left, right = sorted((record_id_l, record_id_r))
    with engine.begin() as conn:
        upsert(conn, table_of(ReviewDecision), [{"record_id_l": left, "record_id_r": right, "decision": decision,
                                                 "reviewer": reviewer, "reason": reason}],
               ["record_id_l", "record_id_r"])


def publish_matches(engine: sa.Engine, assignments: Sequence[dict[str, Any]], merges: Sequence[dict[str, Any]],
                    pairs: Sequence[dict[str, Any]], keys: Sequence[dict[str, str]]) -> dict[str, int]:
    """Apply one matching pass to the pool in a single transaction: a reader sees all of it or none.

    Args:
        engine: the warehouse.
        assignments: ``{record_id, case_id, match_probability, matched_record_id, is_new_case}`` per record.
        merges: ``{surviving_case_id, absorbed_case_id, bridging_record_id}``; the surviving case is the older.
        pairs: scored pairs to keep as evidence (``record_id_l, record_id_r, match_weight,
            match_probability, decision`` and a ``gamma_<comparison>`` level per comparison).
        keys: ``{record_id, rule, key}`` blocking keys of the assigned records.

    Returns:
        Counts of what was written.
    """
    if not assignments:
        return {"records": 0, "new_cases": 0, "merges": 0}
    # Frames hand over missing values as NaN; the warehouse (and JSON on PostgreSQL) wants NULL.
    assignments, merges, pairs = _nulls(assignments), _nulls(merges), _nulls(pairs)
    r = table_of(StagedRecord)
    with engine.begin() as conn:
        batch_of: dict[str, str] = {}
        for part in chunks([a["record_id"] for a in assignments]):
            query = sa.select(r.c.record_id, r.c.batch_id).where(r.c.record_id.in_(part))
            batch_of.update((rid, bid) for rid, bid in conn.execute(query))
        new_cases = {a["case_id"]: batch_of[a["record_id"]] for a in assignments if a["is_new_case"]}
        upsert(conn, table_of(ComplaintCase),
               [{"case_id": case_id, "status": "open", "created_batch_id": b, "updated_batch_id": b}
                for case_id, b in sorted(new_cases.items())], ["case_id"], update_columns=[])
        upsert(conn, table_of(CaseMember),
               [{"record_id": a["record_id"], "case_id": a["case_id"], "batch_id": batch_of[a["record_id"]],
                 "match_probability": a.get("match_probability"), "matched_record_id": a.get("matched_record_id")}
                for a in assignments], ["record_id"])
        history = [{"case_id": cid, "event": "created", "related_id": cid, "batch_id": b, "detail": None}
                   for cid, b in new_cases.items()]
        history += [{"case_id": a["case_id"], "event": "record_added", "related_id": a["record_id"],
                     "batch_id": batch_of[a["record_id"]],
                     "detail": {"match_probability": a.get("match_probability"),
                                "matched_record_id": a.get("matched_record_id")}} for a in assignments]
        touched_by: dict[str, str] = {a["case_id"]: batch_of[a["record_id"]] for a in assignments}
        for merge in merges:
            history += _apply_merge(conn, merge, batch_of[merge["bridging_record_id"]])
            touched_by[merge["surviving_case_id"]] = batch_of[merge["bridging_record_id"]]
        affected = set(touched_by)
        for batch_id in sorted(set(touched_by.values())):
            cases = sorted(c for c, b in touched_by.items() if b == batch_id)
            for part in chunks(cases):
                conn.execute(sa.update(ComplaintCase).where(ComplaintCase.case_id.in_(part))
                             .values(updated_batch_id=batch_id))
        upsert(conn, table_of(CaseHistory), history, ["case_id", "event", "related_id"], update_columns=[])
        upsert(conn, table_of(MatchKey), [{"rule": k["rule"], "key": k["key"], "record_id": k["record_id"]}
                                          for k in keys], ["rule", "key", "record_id"], update_columns=[])
        some_batch = next(iter(batch_of.values()))
        upsert(conn, table_of(MatchPair), [_pair_row(p, batch_of.get(p["record_id_r"]) or
                                                     batch_of.get(p["record_id_l"], some_batch)) for p in pairs],
               ["record_id_l", "record_id_r"])
        refresh_cases(conn, sorted(affected))
    return {"records": len(assignments), "new_cases": len(new_cases), "merges": len(merges)}


def _nulls(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: None if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()} for row in rows]


def _pair_row(pair: dict[str, Any], batch_id: str) -> dict[str, Any]:
    # Each comparison's level travels as a gamma_<name> column (Splink's convention); keep them all.
    levels = {k.removeprefix("gamma_"): int(v) for k, v in pair.items() if k.startswith("gamma_")}
    return {"record_id_l": pair["record_id_l"], "record_id_r": pair["record_id_r"],
            "match_weight": float(pair["match_weight"]), "match_probability": float(pair["match_probability"]),
            "levels": levels, "decision": pair["decision"], "batch_id": batch_id}


def _apply_merge(conn: sa.Connection, merge: dict[str, Any], batch_id: str) -> list[dict[str, Any]]:
    keep, gone = merge["surviving_case_id"], merge["absorbed_case_id"]
    conn.execute(sa.update(CaseMember).where(CaseMember.case_id == gone).values(case_id=keep))
    conn.execute(sa.update(ComplaintCase).where(ComplaintCase.case_id == gone)
                 .values(status="merged", merged_into=keep, n_records=0, updated_batch_id=batch_id))
    # Earlier merges into the absorbed case now point at the survivor, so no alert ever dangles.
    conn.execute(sa.update(ComplaintCase).where(ComplaintCase.merged_into == gone).values(merged_into=keep))
    detail = {"bridging_record_id": merge["bridging_record_id"]}
    return [{"case_id": keep, "event": "merged", "related_id": gone, "batch_id": batch_id, "detail": detail},
            {"case_id": gone, "event": "merged_into", "related_id": keep, "batch_id": batch_id, "detail": detail}]


def refresh_cases(conn: sa.Connection, case_ids: Sequence[str]) -> None:
    """Recompute the summary columns of ``case_ids`` from their members, set-based."""
    c, m, r = table_of(ComplaintCase), table_of(CaseMember), table_of(StagedRecord)

    def member_agg(expr: Any) -> Any:
        return (sa.select(expr).select_from(m.join(r, r.c.record_id == m.c.record_id))
                .where(m.c.case_id == c.c.case_id).scalar_subquery())

    def earliest(column: Any) -> Any:
        return (sa.select(column).select_from(m.join(r, r.c.record_id == m.c.record_id))
                .where(m.c.case_id == c.c.case_id, column.is_not(None))
                .order_by(r.c.reported_at, r.c.record_id).limit(1).scalar_subquery())

    for part in chunks(list(case_ids)):
        conn.execute(sa.update(c).where(c.c.case_id.in_(part), c.c.status != "merged").values(
            n_records=member_agg(sa.func.count()),
            n_channels=member_agg(sa.func.count(sa.distinct(r.c.source))),
            first_reported_at=member_agg(sa.func.min(r.c.reported_at)),
            last_reported_at=member_agg(sa.func.max(r.c.reported_at)),
            category=earliest(r.c.category),
            district=earliest(r.c.district),
        ))
