"""Tracing: from a pool case to its member records, their raw payloads and batches, its handling events
across channels, and its history."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from warehouse.schema import (
    Batch,
    CaseHistory,
    CaseMember,
    ComplaintCase,
    LandingRecord,
    MatchPair,
    QuarantineRecord,
    RecordEvent,
    StagedRecord,
)


def case_lineage(engine: sa.Engine, case_id: str) -> dict[str, Any]:
    """Everything behind one case: its row, members with raw payload and batch, evidence, the handling
    events of all its members in time order (what ``v_case_event`` shows), and its history.

    A merged (absorbed) case id is followed to the case that absorbed it, so old references still resolve.

    Raises:
        KeyError: if no such case exists.
    """
    with engine.connect() as conn:
        case = (
            conn.execute(sa.select(ComplaintCase).where(ComplaintCase.case_id == case_id)).mappings().first()
        )
        if case is None:
            raise KeyError(f"no case {case_id!r}")
        if case["status"] == "merged" and case["merged_into"]:
            followed = case_lineage(engine, case["merged_into"])
            followed["followed_from"] = case_id
            return followed
        members = (
            conn.execute(
                sa.select(
                    CaseMember.record_id,
                    CaseMember.match_probability,
                    CaseMember.matched_record_id,
                    StagedRecord.source,
                    StagedRecord.reported_at,
                    StagedRecord.batch_id,
                    LandingRecord.landing_id,
                    LandingRecord.version,
                    LandingRecord.payload_hash,
                    LandingRecord.payload,
                    Batch.window_start,
                    Batch.window_end,
                )
                .join(StagedRecord, StagedRecord.record_id == CaseMember.record_id)
                .join(LandingRecord, LandingRecord.landing_id == StagedRecord.landing_id)
                .join(Batch, Batch.batch_id == StagedRecord.batch_id)
                .where(CaseMember.case_id == case_id)
                .order_by(StagedRecord.reported_at, CaseMember.record_id)
            )
            .mappings()
            .all()
        )
        ids = [m["record_id"] for m in members]
        evidence = (
            conn.execute(
                sa.select(MatchPair)
                .where(sa.or_(MatchPair.record_id_l.in_(ids), MatchPair.record_id_r.in_(ids)))
                .order_by(MatchPair.match_probability.desc())
            )
            .mappings()
            .all()
        )
        history = (
            conn.execute(
                sa.select(
                    CaseHistory.event,
                    CaseHistory.related_id,
                    CaseHistory.batch_id,
                    CaseHistory.detail,
                    CaseHistory.recorded_at,
                )
                .where(CaseHistory.case_id == case_id)
                .order_by(CaseHistory.history_id)
            )
            .mappings()
            .all()
        )
        events = (
            conn.execute(
                sa.select(RecordEvent)
                .where(RecordEvent.record_id.in_(ids))
                .order_by(RecordEvent.at, RecordEvent.source, RecordEvent.record_id, RecordEvent.seq)
            )
            .mappings()
            .all()
        )
    return {
        "case": dict(case),
        "members": [dict(m) for m in members],
        "events": [dict(e) for e in events],
        "evidence": [dict(e) for e in evidence if e["record_id_l"] in ids and e["record_id_r"] in ids],
        "history": [dict(h) for h in history],
    }


def quarantined_row(engine: sa.Engine, source: str, source_record_id: str) -> list[dict[str, Any]]:
    """Every quarantine entry of one source record: reasons, raw payload, batch and window."""
    with engine.connect() as conn:
        rows = (
            conn.execute(
                sa.select(
                    QuarantineRecord.batch_id,
                    QuarantineRecord.reasons,
                    QuarantineRecord.payload,
                    QuarantineRecord.landing_id,
                    Batch.window_start,
                    Batch.window_end,
                )
                .join(Batch, Batch.batch_id == QuarantineRecord.batch_id)
                .where(
                    QuarantineRecord.source == source, QuarantineRecord.source_record_id == source_record_id
                )
                .order_by(QuarantineRecord.quarantine_id)
            )
            .mappings()
            .all()
        )
    return [dict(r) for r in rows]
