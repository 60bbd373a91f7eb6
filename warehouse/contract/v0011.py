"""Read contract addition of migration 0011: a case's handling events, from every member across channels.

Frozen with 0011 (a later change gets a new module and migration). A reader view: the text it shows (actor,
unit, reason, detail) has phones and id numbers masked at staging; actors are officials' roles and work
numbers, never a complainant's identity.
"""

from __future__ import annotations

VIEWS = ("v_case_event",)


def view_sql(dialect: str) -> dict[str, str]:
    """The view's SELECT for ``sqlite`` or ``postgresql`` (only the Beijing day differs)."""
    day = "(e.at AT TIME ZONE 'Asia/Shanghai')::date" if dialect == "postgresql" else "date(e.at, '+8 hours')"
    return {
        "v_case_event": f"""
            SELECT m.case_id,
                   row_number() OVER (PARTITION BY m.case_id
                                      ORDER BY e.at, e.source, e.record_id, e.seq) AS case_seq,
                   e.record_id, e.source AS channel, r.source_record_id, e.seq, e.event_type, e.at,
                   {day} AS event_date, e.actor, e.unit, e.level, e.reason, e.days, e.satisfaction, e.score,
                   e.detail, r.reported_at, c.district, c.street, c.category, e.batch_id
            FROM record_event e
            JOIN case_member m ON m.record_id = e.record_id
            JOIN complaint_record r ON r.record_id = e.record_id
            JOIN complaint_case c ON c.case_id = m.case_id""",
    }


VIEW_DOCS = {
    "v_case_event": "Every handling event of every case, from all its member records across channels (a 12345 "
    "dispatch, acknowledgement, send-back, extension, reminder, closure and follow-up; a petition's "
    "registration, acceptance decision, extension, reply and review; a police transfer), in time order. "
    "Built from record_event (the latest staged version of each record) and case_member.",
}

_DOCS = {
    "case_id": "The case the event's record belongs to.",
    "case_seq": "Order of the event in the case's stream, from 1 (by time, then channel, record and seq).",
    "record_id": "The member record that carries the event (source:source_record_id).",
    "channel": "The record's source: hotline, petition, police, app or netizen.",
    "source_record_id": "The record's id in its source system.",
    "seq": "Order of the event in its record's stream, from 1 (by time).",
    "event_type": "registered, contacted, dispatched, acknowledged, sent_back, redispatched, extension_requested, "
    "extension_approved, extension_denied, reminded, accepted, not_accepted, arrived, transferred, replied, "
    "closed, followed_up, reopened, review_requested or review_decided (connectors/events.py, "
    "docs/data_dictionary.md).",
    "at": "When the event happened (UTC).",
    "event_date": "The Beijing day of the event.",
    "actor": "Who acted, as the source names them (a role and work number, e.g. 话务员1023; a phone or id "
    "number in it masked).",
    "unit": "The acting or receiving unit (e.g. 城关区住建局, 张掖路街道办事处).",
    "level": "The unit's level in the four-level loop: city, district, street, community or grid; NULL if unknown.",
    "reason": "Why: a send-back's or a non-acceptance's reason, an extension's grounds (phones and id numbers "
    "masked).",
    "days": "Days asked for (extension_requested) or granted (extension_approved).",
    "satisfaction": "A follow-up's verdict: 满意, 基本满意 or 不满意 (from the score where only a score was given).",
    "score": "A follow-up's 1-5 score where the channel asks for one (4-5 满意, 3 基本满意, 1-2 不满意).",
    "detail": "Anything else the source said, as JSON: to (transfer target), stage (复查/复核), outcome, note "
    "(phones and id numbers in its text masked).",
    "reported_at": "When the carrying record was reported (UTC).",
    "district": "The case's district.",
    "street": "The case's street (township), where known.",
    "category": "The case's unified category.",
    "batch_id": "The batch that staged the record version the event came with.",
}


def column_doc(view: str, column: str) -> str | None:
    """The description of ``view.column``."""
    return _DOCS.get(column) if view in VIEWS else None
