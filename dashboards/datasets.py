"""The dashboards' databases and datasets: the warehouse as its reader and auditor roles, the contract's views.

Physical datasets are read-contract views (``v_*``, columns from the data dictionary); the two virtual
datasets are queries over those views only. Metrics are plain aggregates that run on SQLite and
PostgreSQL alike.
"""

from __future__ import annotations

from dashboards.model import Database, Dataset, Metric

# The committed URIs are the compose stack's (password masked as in any Superset export); `make
# dashboards` and the compose service replace them with the warehouse they are given.
READER = Database(
    key="hub_reader",
    name="Complaint hub (reader)",
    role="reader",
    uri="postgresql+psycopg2://hub_reader:XXXXXXXXXX@postgres:5432/warehouse",
)
AUDITOR = Database(
    key="hub_auditor",
    name="Complaint hub (auditor)",
    role="auditor",
    uri="postgresql+psycopg2://hub_auditor:XXXXXXXXXX@postgres:5432/warehouse",
)
DATABASES = (READER, AUDITOR)

_COUNT = Metric("count", "COUNT(*)", "Rows", "Number of rows.")
# A time-limit step is late when it is overdue (running) or was done late; steps whose working-day
# calendar is unknown count neither way.
_LATE = "CASE WHEN state IN ('overdue', 'done_late') THEN 1 ELSE 0 END"
_JUDGED = "CASE WHEN state = 'calendar_unknown' THEN 0 ELSE 1 END"

DAILY_COUNTS = Dataset(
    key="v_daily_counts",
    database=READER,
    view="v_daily_counts",
    description="Reports and cases per Beijing day, district, category and channel.",
    metrics=(
        Metric("reports", "SUM(n_records)", "Reports", "Source records (reports) received."),
        _COUNT,
    ),
    main_dttm_col="report_date",
)
CASES = Dataset(
    key="v_case",
    database=READER,
    view="v_case",
    description="Cases with their golden record (personal data masked).",
    metrics=(
        Metric("cases", "COUNT(*)", "Cases", "Cases (one complainant's one dispute)."),
        Metric(
            "open_cases",
            "SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END)",
            "Open cases",
            "Cases not merged into another.",
        ),
        Metric("case_reports", "SUM(n_records)", "Reports", "Reports of the cases."),
    ),
    main_dttm_col="first_reported_at",
)
ALERTS = Dataset(
    key="v_alert",
    database=READER,
    view="v_alert",
    description="三色三单 alerts: colour, list, issue number, rule and evidence.",
    metrics=(Metric("alerts", "COUNT(*)", "Alerts", "Alerts."),),
    main_dttm_col="opened_at",
)
CLOCKS = Dataset(
    key="v_time_limit_clock",
    database=READER,
    view="v_time_limit_clock",
    description="Each open case's time-limit steps as of the last alerting run.",
    metrics=(
        Metric("steps", "COUNT(*)", "Steps", "Time-limit steps (one per case and step)."),
        Metric("late", f"SUM({_LATE})", "Late", "Steps overdue or done late."),
        Metric(
            "compliance",
            f"1.0 - SUM({_LATE}) * 1.0 / NULLIF(SUM({_JUDGED}), 0)",
            "Within limit",
            "Share of steps done on time or still within their limit.",
            ".1%",
        ),
    ),
    main_dttm_col="started_at",
)
GROUPS = Dataset(
    key="v_group",
    database=READER,
    view="v_group",
    description="Hotspots: cases of one category naming the same project, employer or place.",
    metrics=(Metric("groups", "COUNT(*)", "Hotspots", "Groups of at least two open cases."),),
    main_dttm_col="last_reported_at",
)
REPEAT_COMPLAINANTS = Dataset(
    key="repeat_complainants",
    database=READER,
    description="Complainants with several open cases (different disputes of one person), by keyed hash.",
    sql=(
        "SELECT complainant_key,\n"
        "       MIN(name_masked) AS name_masked,\n"
        "       MIN(phone_masked) AS phone_masked,\n"
        "       MIN(district) AS district,\n"
        "       COUNT(*) AS n_cases,\n"
        "       COUNT(DISTINCT category) AS n_categories,\n"
        "       SUM(n_records) AS n_reports,\n"
        "       MIN(first_reported_at) AS first_reported_at,\n"
        "       MAX(last_reported_at) AS last_reported_at\n"
        "FROM v_case\n"
        "WHERE status = 'open' AND complainant_key IS NOT NULL\n"
        "GROUP BY complainant_key\n"
        "HAVING COUNT(*) >= 2"
    ),
    columns=(
        ("complainant_key", "VARCHAR(64)", "Keyed hash of the phone, else the id number."),
        ("name_masked", "TEXT", "Complainant's name, masked (张**)."),
        ("phone_masked", "TEXT", "Phone, masked (138****1234)."),
        ("district", "VARCHAR(40)", "A district of the complainant's cases."),
        ("n_cases", "BIGINT", "Open cases of the complainant."),
        ("n_categories", "BIGINT", "Distinct categories of those cases."),
        ("n_reports", "BIGINT", "Reports of those cases."),
        ("first_reported_at", "TIMESTAMP", "Earliest report time (UTC)."),
        ("last_reported_at", "TIMESTAMP", "Latest report time (UTC)."),
    ),
    metrics=(Metric("complainants", "COUNT(*)", "Complainants", "Repeat complainants."),),
    main_dttm_col="last_reported_at",
)
SCORECARDS = Dataset(
    key="v_scorecard",
    database=READER,
    view="v_scorecard",
    description="考评: each scorecard metric's numerator, denominator and rate per period and unit.",
    metrics=(
        Metric("units", "COUNT(*)", "Rows", "Scorecard rows (period, unit, metric)."),
        Metric(
            "pooled_rate",
            "SUM(numerator) * 1.0 / NULLIF(SUM(denominator), 0)",
            "Rate",
            "Numerators over denominators of the rows selected.",
            ".1%",
        ),
    ),
)

BATCHES = Dataset(
    key="v_audit_batch",
    database=AUDITOR,
    view="v_audit_batch",
    description="Every extraction batch with its accounting and hold.",
    metrics=(
        Metric("batches", "COUNT(*)", "Batches", "Extraction batches."),
        Metric("fetched", "SUM(fetched)", "Fetched", "Rows fetched from the sources."),
        Metric("quarantined", "SUM(quarantined)", "Quarantined", "Rows quarantined."),
        Metric(
            "quarantine_rate",
            "SUM(quarantined) * 1.0 / NULLIF(SUM(fetched), 0)",
            "Quarantine rate",
            "Quarantined rows per fetched row.",
            ".2%",
        ),
    ),
    main_dttm_col="window_start",
)
QUARANTINE = Dataset(
    key="v_audit_quarantine",
    database=AUDITOR,
    view="v_audit_quarantine",
    description="Quarantined source records with their reasons.",
    metrics=(Metric("records", "COUNT(*)", "Records", "Quarantined records."),),
    main_dttm_col="quarantined_at",
)
EXPECTATIONS = Dataset(
    key="v_audit_dq_result",
    database=AUDITOR,
    view="v_audit_dq_result",
    description="Each expectation's outcome on each batch.",
    metrics=(
        Metric("failing_rows", "SUM(unexpected_count)", "Failing rows", "Rows failing an expectation."),
        Metric(
            "failed_expectations",
            "SUM(CASE WHEN success THEN 0 ELSE 1 END)",
            "Failed expectations",
            "Expectations that failed on a batch.",
        ),
    ),
)
GATES = Dataset(
    key="gate_outcomes",
    database=AUDITOR,
    description="Batch gates' verdicts with each batch's source and extraction window.",
    sql=(
        "SELECT g.batch_id,\n"
        "       b.source,\n"
        "       b.window_start,\n"
        "       g.gate,\n"
        "       CASE WHEN g.passed THEN 'passed' ELSE 'held' END AS outcome,\n"
        "       g.reason,\n"
        "       g.checked_at\n"
        "FROM v_audit_batch_gate g\n"
        "JOIN v_audit_batch b ON b.batch_id = g.batch_id"
    ),
    columns=(
        ("batch_id", "VARCHAR(160)", "Extraction batch id: <source>:<window>."),
        ("source", "VARCHAR(40)", "Channel."),
        ("window_start", "TIMESTAMP", "Start of the batch's extraction window."),
        ("gate", "VARCHAR(40)", "Gate name (schema_drift, volume, quarantine_rate, ...)."),
        ("outcome", "VARCHAR(10)", "passed, or held (the gate held the batch)."),
        ("reason", "TEXT", "Why, in words."),
        ("checked_at", "TIMESTAMP", "When the gate was checked."),
    ),
    metrics=(Metric("verdicts", "COUNT(*)", "Verdicts", "Gate verdicts."),),
    main_dttm_col="window_start",
)

DATASETS = (
    DAILY_COUNTS,
    CASES,
    ALERTS,
    CLOCKS,
    GROUPS,
    REPEAT_COMPLAINANTS,
    SCORECARDS,
    BATCHES,
    QUARANTINE,
    EXPECTATIONS,
    GATES,
)
