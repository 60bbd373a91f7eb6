"""Read contract v2 (migration 0005): the views dashboards, alerting and auditors read. Frozen with 0005.

A later contract version gets a new module and migration; this one must keep producing what 0005 made.
Views named ``v_audit_*`` are for the auditor role only; every other view is the reader's
(``python -m warehouse roles`` grants by that rule). No view exposes a raw phone or id number: they are
masked (``138****1234``, ``620102********123X``) or given as keyed hashes that join without revealing.
"""

from __future__ import annotations

READER_VIEWS = (
    "v_case",
    "v_case_source",
    "v_case_member",
    "v_case_history",
    "v_match_evidence",
    "v_daily_counts",
    "v_time_limit",
    "v_group",
    "v_alert_feed",
)
AUDIT_VIEWS = (
    "v_audit_batch",
    "v_audit_batch_gate",
    "v_audit_batch_decision",
    "v_audit_dq_result",
    "v_audit_validation_run",
    "v_audit_quarantine",
    "v_audit_lineage",
)
VIEWS = READER_VIEWS + AUDIT_VIEWS


def _masks(dialect: str, alias: str) -> dict[str, str]:
    right4 = "right({c}, 4)" if dialect == "postgresql" else "substr({c}, -4)"
    phone, id_number, name = f"{alias}.phone", f"{alias}.id_number", f"{alias}.name"
    return {
        "name_masked": f"CASE WHEN {name} IS NULL THEN NULL ELSE substr({name}, 1, 1) || '**' END",
        "phone_masked": (
            f"CASE WHEN {phone} IS NULL THEN NULL WHEN length({phone}) >= 7 THEN "
            f"substr({phone}, 1, 3) || '****' || {right4.format(c=phone)} ELSE '****' END"
        ),
        "id_number_masked": (
            f"CASE WHEN {id_number} IS NULL THEN NULL WHEN length({id_number}) >= 10 THEN "
            f"substr({id_number}, 1, 6) || '********' || {right4.format(c=id_number)} "
            "ELSE '********' END"
        ),
        "complainant_key": f"coalesce({alias}.phone_hash, {alias}.id_number_hash)",
    }


def _masked(dialect: str, alias: str) -> str:
    return ", ".join(f"{expr} AS {column}" for column, expr in _masks(dialect, alias).items())


def _time(dialect: str) -> dict[str, str]:
    """Beijing day and week of a timestamp, timestamp + minutes, and hours between two timestamps."""
    if dialect == "postgresql":
        return {
            "day": "(({c}) AT TIME ZONE 'Asia/Shanghai')::date",
            "week": "date_trunc('week', ({c}) AT TIME ZONE 'Asia/Shanghai')::date",
            "plus": "({c}) + interval '{m} minutes'",
            "hours": "round(CAST(EXTRACT(EPOCH FROM (({b}) - ({a}))) / 3600.0 AS numeric), 2)",
        }
    return {
        "day": "date({c}, '+8 hours')",
        "week": "date({c}, '+8 hours', 'weekday 0', '-6 days')",
        "plus": "strftime('%Y-%m-%d %H:%M:%f', {c}, '+{m} minutes')",
        "hours": "round((julianday({b}) - julianday({a})) * 24.0, 2)",
    }


_CASE_TIMES = ("received_at", "contacted_at", "dispatched_at", "resolved_at", "followed_up_at")


def view_sql(dialect: str) -> dict[str, str]:
    """Every view's SELECT for ``dialect`` (``sqlite`` or ``postgresql``)."""
    t = _time(dialect)
    day, week = t["day"], t["week"]
    if dialect == "postgresql":
        sources = (
            "SELECT c.case_id, j.key AS field, j.value AS record_id, r.source FROM complaint_case c "
            "CROSS JOIN LATERAL jsonb_each_text(c.golden_sources) j "
            "LEFT JOIN complaint_record r ON r.record_id = j.value"
        )
    else:
        sources = (
            "SELECT c.case_id, j.key AS field, j.value AS record_id, r.source FROM complaint_case c "
            "JOIN json_each(c.golden_sources) j LEFT JOIN complaint_record r ON r.record_id = j.value"
        )
    case_common = (
        "c.case_id, c.status, c.merged_into, c.current_status, c.category, c.district, c.street, "
        "c.community, c.grid, c.topic, c.group_id"
    )
    times = ", ".join(f"c.{c}" for c in _CASE_TIMES)
    hours = {
        name: t["hours"].format(a="c.received_at", b=f"c.{column}")
        for name, column in (
            ("hours_to_contact", "contacted_at"),
            ("hours_to_dispatch", "dispatched_at"),
            ("hours_to_resolve", "resolved_at"),
            ("hours_to_follow_up", "followed_up_at"),
        )
    }
    return {
        "v_case": f"""
            SELECT {case_common}, {_masked(dialect, "c")}, c.content, c.channels,
                   c.n_channels, c.n_records, c.n_complainants, c.first_reported_at, c.last_reported_at,
                   {day.format(c="c.first_reported_at")} AS first_report_date,
                   {week.format(c="c.first_reported_at")} AS first_report_week, {times},
                   c.created_batch_id, c.updated_batch_id, c.created_at, c.updated_at
            FROM complaint_case c""",
        "v_case_source": sources,
        "v_case_member": f"""
            SELECT m.case_id, m.record_id, r.source, r.source_record_id, r.reported_at, {_masked(dialect, "r")},
                   r.district, r.street, r.community, r.grid, r.category, r.topic,
                   r.content_masked AS content, r.status, {", ".join(f"r.{c}" for c in _CASE_TIMES)},
                   m.match_probability, m.matched_record_id, m.batch_id
            FROM case_member m JOIN complaint_record r ON r.record_id = m.record_id""",
        "v_case_history": """
            SELECT h.history_id, h.case_id, h.event, h.related_id, h.batch_id, h.detail, h.recorded_at
            FROM case_history h""",
        "v_match_evidence": """
            SELECT p.record_id_l, p.record_id_r, ml.case_id AS case_id_l, mr.case_id AS case_id_r,
                   p.match_weight, p.match_probability, p.decision, p.levels, p.batch_id
            FROM match_pair p LEFT JOIN case_member ml ON ml.record_id = p.record_id_l
            LEFT JOIN case_member mr ON mr.record_id = p.record_id_r""",
        "v_daily_counts": f"""
            SELECT {day.format(c="r.reported_at")} AS report_date, r.district, r.category, r.source AS channel,
                   count(*) AS n_records, count(DISTINCT m.case_id) AS n_cases
            FROM complaint_record r JOIN case_member m ON m.record_id = r.record_id
            GROUP BY {day.format(c="r.reported_at")}, r.district, r.category, r.source""",
        "v_time_limit": f"""
            SELECT c.case_id, c.current_status, c.category, c.district, c.group_id, {times},
                   {t["plus"].format(c="c.received_at", m=30)} AS contact_due_at,
                   {t["plus"].format(c="c.received_at", m=24 * 60)} AS dispatch_due_at,
                   {", ".join(f"{expr} AS {name}" for name, expr in hours.items())}
            FROM complaint_case c WHERE c.status = 'open'""",
        "v_group": """
            SELECT g.group_id, g.category, g.topic, g.district, g.n_cases, g.n_records, g.n_complainants,
                   g.first_reported_at, g.last_reported_at, g.created_batch_id, g.updated_batch_id,
                   g.created_at, g.updated_at
            FROM case_group g""",
        "v_alert_feed": f"""
            SELECT {case_common},
                   CASE WHEN c.status = 'merged' THEN 'merged'
                        WHEN c.created_batch_id = c.updated_batch_id THEN 'new' ELSE 'updated' END AS change,
                   c.channels, c.n_records, c.n_complainants, c.first_reported_at, c.last_reported_at, {times},
                   g.n_cases AS group_n_cases, g.n_complainants AS group_n_complainants,
                   c.created_batch_id, c.updated_batch_id, b.window_end AS updated_window_end, c.updated_at
            FROM complaint_case c JOIN batch b ON b.batch_id = c.updated_batch_id
            LEFT JOIN case_group g ON g.group_id = c.group_id""",
        **_audit_sql(),
    }


def _audit_sql() -> dict[str, str]:
    """The auditor's views: accounting, checks and lineage, never a payload or a raw identity."""
    return {
        "v_audit_batch": """
            SELECT b.batch_id, b.source, b.window_start, b.window_end, b.run_id, b.status, b.fetched, b.landed,
                   b.unchanged, b.quarantined, b.started_at, b.note, b.held_gate, b.held_reason
            FROM batch b""",
        "v_audit_batch_gate": """
            SELECT g.batch_id, g.gate, g.passed, g.reason, g.detail, g.checked_at FROM batch_gate g""",
        "v_audit_batch_decision": """
            SELECT d.decision_id, d.batch_id, d.decision, d.gate, d.decided_by, d.reason, d.decided_at
            FROM batch_decision d""",
        "v_audit_dq_result": """
            SELECT d.batch_id, d.suite, d.expectation, d.column_name, d.success, d.element_count,
                   d.unexpected_count, d.unexpected_percent, d.sample, d.exception, d.run_id
            FROM dq_result d""",
        "v_audit_validation_run": """
            SELECT v.run_id, v.batch_id, v.suite, v.suite_hash, v.gx_version, v.success, v.expectations,
                   v.failed_expectations, v.rows_checked, v.rows_quarantined, v.started_at, v.finished_at
            FROM validation_run v""",
        "v_audit_quarantine": """
            SELECT q.quarantine_id, q.batch_id, q.source, q.source_record_id, q.landing_id, q.reasons,
                   q.quarantined_at
            FROM quarantine_record q""",
        "v_audit_lineage": """
            SELECT r.record_id, m.case_id, r.source, r.source_record_id, r.batch_id, r.landing_id, l.version,
                   l.payload_hash, l.fetched_at, l.batch_id AS landing_batch_id, b.window_start, b.window_end
            FROM complaint_record r JOIN landing_record l ON l.landing_id = r.landing_id
            JOIN batch b ON b.batch_id = r.batch_id LEFT JOIN case_member m ON m.record_id = r.record_id""",
    }
