"""Read contract additions of migration 0009: reviewers' decisions and corrections, for auditors; the
corrections' mark on ``v_case_member``. Frozen with 0009 (a later change gets a new module and migration).

Auditors see who decided what, when and why; readers see the corrections in ``v_case_history`` (events
``split_into`` / ``split_from``, ``merged`` / ``merged_into``, ``moved`` / ``moved_out`` with the
reviewer and reason in ``detail``) and, per member, the correction that placed it.
"""

from __future__ import annotations

from warehouse.contract.v0005 import view_sql as v0005_sql

VIEWS = ("v_audit_review_decision", "v_audit_case_correction")


def view_sql(dialect: str) -> dict[str, str]:
    """The new views' SELECTs (the same text on ``sqlite`` and ``postgresql``)."""
    del dialect
    return {
        "v_audit_review_decision": """
            SELECT d.record_id_l, d.record_id_r, ml.case_id AS case_id_l, mr.case_id AS case_id_r, d.decision,
                   d.reviewer, d.reason, d.decided_at
            FROM review_decision d LEFT JOIN case_member ml ON ml.record_id = d.record_id_l
            LEFT JOIN case_member mr ON mr.record_id = d.record_id_r""",
        "v_audit_case_correction": """
            SELECT k.correction_id, k.kind, k.case_id, k.other_case_id, k.record_ids, k.reviewer, k.reason,
                   k.corrected_at
            FROM case_correction k""",
    }


def case_member_sql(dialect: str, with_correction: bool = True) -> str:
    """``v_case_member`` of 0005, with ``correction_id`` appended (a column added at the end lets
    PostgreSQL replace the view in place, keeping its grants and comments)."""
    body = v0005_sql(dialect)["v_case_member"]
    if not with_correction:
        return body
    head, tail = body.split("FROM case_member m", 1)
    return f"{head.rstrip()}, m.correction_id\n            FROM case_member m{tail}"


VIEW_DOCS = {
    "v_audit_review_decision": "Every reviewer verdict on a record pair (same, different or unsure): who "
    "decided, when and why, with the case each record is in now.",
    "v_audit_case_correction": "Every correction of the pool (split, merge, move): who made it, when and why, "
    "and which cases and records it concerned.",
}

_DOCS = {
    ("v_audit_review_decision", "record_id_l"): "One record of the pair (the smaller id).",
    ("v_audit_review_decision", "record_id_r"): "The other record of the pair.",
    ("v_audit_review_decision", "case_id_l"): "The case record_id_l is in now (NULL if not pooled).",
    ("v_audit_review_decision", "case_id_r"): "The case record_id_r is in now (NULL if not pooled).",
    ("v_audit_review_decision", "decision"): "same, different or unsure; the latest verdict on the pair.",
    ("v_audit_review_decision", "reviewer"): "Who decided (name or account).",
    ("v_audit_review_decision", "reason"): "Why, in the reviewer's words.",
    ("v_audit_review_decision", "decided_at"): "When the pair was first decided (database time).",
    ("v_audit_case_correction", "correction_id"): "Order of corrections (increasing).",
    ("v_audit_case_correction", "kind"): "split, merge or move.",
    (
        "v_audit_case_correction",
        "case_id",
    ): "split and move: the case the records left; merge: the surviving case.",
    ("v_audit_case_correction", "other_case_id"): "split: the new case; merge: the absorbed case; move: the "
    "case the records joined.",
    ("v_audit_case_correction", "record_ids"): "The records split off or moved (JSON list); merge: the "
    "absorbed case's records.",
    ("v_audit_case_correction", "reviewer"): "Who made the correction (name or account).",
    ("v_audit_case_correction", "reason"): "Why, in the reviewer's words.",
    ("v_audit_case_correction", "corrected_at"): "When (database time).",
    (
        "v_case_member",
        "correction_id",
    ): "The correction (v_audit_case_correction) that last placed this record "
    "by hand; NULL when matching placed it.",
}
HISTORY_EVENT_DOC = (
    "created, record_added, merged, merged_into, status_changed, grouped; by a reviewer's correction also "
    "split_into / split_from (the new case / the case split), merged / merged_into, moved / moved_out "
    "(related_id: the record and @correction id)."
)
HISTORY_DETAIL_DOC = (
    "Details as JSON (founding records, match score, from/to status, bridge; for a correction its "
    "correction_id, reviewer, reason and records)."
)


def column_doc(view: str, column: str) -> str | None:
    """The description of ``view.column``."""
    return _DOCS.get((view, column))
