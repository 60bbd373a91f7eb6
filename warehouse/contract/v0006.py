"""Read contract additions of migration 0006: the alert lists, their history and the time-limit clocks.

Frozen with 0006 (a later change gets a new module and migration). They are reader views, like the rest
of the non-audit contract; subjects are cases, groups or complainants' keyed hashes, never raw identities.
"""

from __future__ import annotations

VIEWS = ("v_alert", "v_alert_history", "v_time_limit_clock")

_LIST_NAMES = "CASE a.colour WHEN 'red' THEN 3 WHEN 'orange' THEN 2 ELSE 1 END"


def view_sql(dialect: str) -> dict[str, str]:
    """The views' SELECTs (the same text on ``sqlite`` and ``postgresql``)."""
    del dialect  # nothing dialect-specific: times are read as stored (UTC)
    return {
        "v_alert": f"""
            SELECT a.alert_id, a.alert_key, a.rule_id, a.subject_kind, a.subject_id, a.colour, a.list_name,
                   {_LIST_NAMES} AS colour_rank, a.district, a.street, a.category, a.topic, a.n_cases,
                   a.n_complainants, a.n_reports, a.evidence, a.issue_period, a.issue_no, a.status,
                   a.opened_at, a.changed_at, a.last_seen_at, a.closed_at
            FROM alert a""",
        "v_alert_history": """
            SELECT e.event_id, e.alert_id, a.alert_key, a.rule_id, a.subject_kind, a.subject_id, a.district,
                   a.street, a.category, e.as_of, e.event, e.colour, e.list_name, e.issue_period, e.issue_no,
                   e.evidence, e.run_id
            FROM alert_event e JOIN alert a ON a.alert_id = e.alert_id""",
        "v_time_limit_clock": """
            SELECT k.case_id, k.step, c.category, c.district, c.street, c.group_id, k.started_at, k.due_at,
                   k.done_at, k.state, k.as_of
            FROM time_limit_clock k JOIN complaint_case c ON c.case_id = k.case_id""",
    }


VIEW_DOCS = {
    "v_alert": "三色三单 alerts (yellow 提示单 notice, orange 预警单 warning, red 督办单 supervision order), one row "
    "per alert; an open alert is updated while its rule still fires and closed when it clears.",
    "v_alert_history": "Every change of every alert, in order: issued, updated, escalated, downgraded, closed, "
    "with the colour, list, issue number and evidence at that time.",
    "v_time_limit_clock": "Each open case's time-limit steps (contact 30 min, dispatch 24 h, resolve 5 working "
    "days, follow-up 10 working days) as of the last alerting run.",
}

_SHARED = {
    "alert_id": "Alert id (stable; a condition that clears and fires again is a new alert).",
    "alert_key": "rule_id:subject_id; at most one open alert per key.",
    "rule_id": "The rule that fired (alerting/config/rules.yaml).",
    "subject_kind": "What the rule watches: case, complainant or group.",
    "subject_id": "The case id, the group id, or the complainant's keyed hash.",
    "colour": "yellow, orange or red.",
    "list_name": "The list the colour puts it on: 提示单 (yellow), 预警单 (orange), 督办单 (red).",
    "district": "The responsible district (of the case, the complainant's latest case, or most of the group).",
    "street": "The responsible street (township) where known, else NULL.",
    "category": "Unified dispute category.",
    "evidence": "Evidence as JSON: case ids, counts, channels, petition involvement, overdue cases.",
    "issue_period": "The period the issue number counts in (Beijing month, YYYY-MM).",
    "issue_no": "Issue number on its list in its period (第N期).",
    "as_of": "Reference time of the alerting run (the pool's data interval end, UTC).",
    "run_id": "The Airflow run (or CLI run) that evaluated it.",
    "case_id": "Case id.",
    "group_id": "The case's group (hotspot), if any.",
}

_OWN = {
    ("v_alert", "colour_rank"): "1 yellow, 2 orange, 3 red (for sorting).",
    ("v_alert", "topic"): "The project, employer or place of a group alert; else the case's topic.",
    ("v_alert", "n_cases"): "Cases in the evidence.",
    ("v_alert", "n_complainants"): "Distinct complainants in the evidence.",
    ("v_alert", "n_reports"): "Reports (source records) in the rule's window.",
    ("v_alert", "status"): "open or closed.",
    ("v_alert", "opened_at"): "As-of time of the run that issued it (UTC).",
    ("v_alert", "changed_at"): "As-of time of its last change of colour or evidence (UTC).",
    ("v_alert", "last_seen_at"): "As-of time of the last run in which its rule still fired (UTC).",
    (
        "v_alert",
        "closed_at",
    ): "As-of time of the run in which its condition had cleared (UTC); NULL while open.",
    ("v_alert_history", "event_id"): "Order of events (increasing).",
    ("v_alert_history", "event"): "issued, updated, escalated, downgraded or closed.",
    ("v_alert_history", "colour"): "The colour after the event.",
    ("v_alert_history", "list_name"): "The list after the event.",
    ("v_alert_history", "issue_no"): "The issue number after the event (a new one when the list changes).",
    ("v_alert_history", "evidence"): "The evidence at that time, as JSON.",
    (
        "v_time_limit_clock",
        "step",
    ): "contact, dispatch, resolve or follow_up (alerting/config/time_limits.yaml).",
    ("v_time_limit_clock", "started_at"): "When the clock started: the case's first receipt (UTC).",
    (
        "v_time_limit_clock",
        "due_at",
    ): "When the step is due (UTC); working-day limits end at Beijing midnight "
    "after the Nth working day of the official calendar; NULL while that "
    "calendar is unknown (state calendar_unknown).",
    (
        "v_time_limit_clock",
        "done_at",
    ): "When the step was done (UTC), by the earliest evidence; NULL if not yet.",
    ("v_time_limit_clock", "state"): "on_time, due_soon, overdue (running), done or done_late; "
    "calendar_unknown when the limit runs into a year without a working-day calendar.",
}


def column_doc(view: str, column: str) -> str | None:
    """The description of ``view.column``: its own text, else the shared text for that column name."""
    return _OWN.get((view, column)) or _SHARED.get(column)
