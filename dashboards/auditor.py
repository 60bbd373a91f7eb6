"""The auditors' dashboard: quarantine and gate trends per source and extraction window."""

from __future__ import annotations

from dashboards import forms
from dashboards.datasets import BATCHES, EXPECTATIONS, GATES, QUARANTINE
from dashboards.model import Chart, Dashboard

QUARANTINE_RATE = Chart(
    "au_quarantine_rate",
    "Quarantine rate by window and source",
    BATCHES,
    "echarts_timeseries_bar",
    forms.bars(
        "window_start",
        ("quarantine_rate",),
        groupby=("source",),
        time_grain="P1D",
        stacked=False,
        y_format=".1%",
    ),
    "Quarantined rows per fetched row, per extraction day and source.",
)
QUARANTINED_BY_SOURCE = Chart(
    "au_quarantined_by_source",
    "Quarantined records by day and source",
    QUARANTINE,
    "echarts_timeseries_bar",
    forms.bars("quarantined_at", ("records",), groupby=("source",), time_grain="P1D"),
    "Records quarantined per day (of quarantine), stacked by source.",
)
FAILING_FIELDS = Chart(
    "au_failing_fields",
    "Failing rows by field and source",
    EXPECTATIONS,
    "echarts_timeseries_bar",
    forms.bars(
        "column_name",
        ("failing_rows",),
        forms.where("column_name IS NOT NULL AND unexpected_count > 0"),
        groupby=("suite",),
        horizontal=True,
    ),
    "Rows failing an expectation, per checked field, stacked by suite (source).",
)
GATE_TREND = Chart(
    "au_gate_trend",
    "Gate verdicts by window",
    GATES,
    "echarts_timeseries_bar",
    forms.bars("window_start", ("verdicts",), groupby=("outcome",), time_grain="P1D"),
    "Batch gates' verdicts per extraction day: passed, or held.",
)
GATE_TABLE = Chart(
    "au_gates",
    "Gates per source",
    GATES,
    "table",
    forms.summary_table(("source", "gate", "outcome"), ("verdicts",)),
    "Each gate's verdicts per source.",
)
HELD = Chart(
    "au_held_batches",
    "Held, released and rejected batches",
    BATCHES,
    "table",
    forms.table(
        ("batch_id", "status", "held_gate", "held_reason", "fetched", "quarantined", "started_at", "note"),
        forms.where("status IN ('held', 'released', 'rejected') OR held_gate IS NOT NULL"),
        order_by=(("started_at", False),),
    ),
    "Batches a gate held, and what became of them.",
)

AUDITOR_DASHBOARD = Dashboard(
    key="auditor",
    title="Data quality (auditors)",
    slug="data-quality",
    description="Quarantine and gate trends per source and extraction window, read as the auditor role.",
    rows=(
        ((QUARANTINE_RATE, 6), (QUARANTINED_BY_SOURCE, 6)),
        ((GATE_TREND, 6), (GATE_TABLE, 6)),
        ((FAILING_FIELDS, 6), (HELD, 6)),
    ),
    heights=(60, 60, 60),
)
