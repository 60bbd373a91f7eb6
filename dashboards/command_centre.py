"""The command centre's dashboard: reports and cases, the open 三色三单 lists, time limits, hotspots, repeat complainants."""

from __future__ import annotations

from dashboards import forms
from dashboards.datasets import ALERTS, CASES, CLOCKS, DAILY_COUNTS, GROUPS, REPEAT_COMPLAINANTS, SCORECARDS
from dashboards.model import Chart, Dashboard

OPEN_CASE = forms.where("status = 'open'")
OPEN_ALERT = forms.where("status = 'open'")

REPORTS = Chart(
    "cc_reports",
    "Reports",
    DAILY_COUNTS,
    "big_number_total",
    forms.big_number("reports", "reports on every channel"),
    "Source records received on every channel (v_daily_counts).",
)
OPEN_CASES = Chart(
    "cc_open_cases",
    "Open cases",
    CASES,
    "big_number_total",
    forms.big_number("cases", "disputes, duplicates merged", OPEN_CASE),
    "Cases not merged into another: one complainant's one dispute, however many reports.",
)
OPEN_ALERTS = Chart(
    "cc_open_alerts",
    "Open 三色三单 alerts",
    ALERTS,
    "big_number_total",
    forms.big_number("alerts", "提示单 · 预警单 · 督办单", OPEN_ALERT),
    "Alerts open on the three lists.",
)
HOTSPOT_COUNT = Chart(
    "cc_hotspot_count",
    "Hotspots",
    GROUPS,
    "big_number_total",
    forms.big_number("groups", "projects, employers, places", forms.where("n_cases >= 2")),
    "Groups of two or more open cases naming the same project, employer or place.",
)
REPEAT_COUNT = Chart(
    "cc_repeat_count",
    "Repeat complainants",
    REPEAT_COMPLAINANTS,
    "big_number_total",
    forms.big_number("complainants", "with two or more open cases"),
    "Complainants (by keyed hash) with several different open disputes.",
)
REPORTS_BY_DAY = Chart(
    "cc_reports_by_day",
    "Reports by day and channel",
    DAILY_COUNTS,
    "echarts_timeseries_bar",
    forms.bars("report_date", ("reports",), groupby=("channel",), time_grain="P1D"),
    "Reports per Beijing-time day, stacked by channel.",
)
REPORTS_BY_DISTRICT = Chart(
    "cc_reports_by_district",
    "Reports by district and category",
    DAILY_COUNTS,
    "echarts_timeseries_bar",
    forms.bars("district", ("reports",), forms.where("district IS NOT NULL"), groupby=("category",)),
    "Reports per district, stacked by dispute category.",
)
CASES_BY_CATEGORY = Chart(
    "cc_cases_by_category",
    "Open cases by category",
    CASES,
    "pie",
    forms.pie("cases", "category", OPEN_CASE),
    "Open cases per unified dispute category.",
)
REPORTS_BY_CHANNEL = Chart(
    "cc_reports_by_channel",
    "Reports by channel",
    DAILY_COUNTS,
    "pie",
    forms.pie("reports", "channel"),
    "Reports per channel (petition, police, hotline, app, netizen).",
)
STEP_STATES = Chart(
    "cc_step_states",
    "Time-limit steps by state",
    CLOCKS,
    "echarts_timeseries_bar",
    forms.bars("step", ("steps",), groupby=("state",), horizontal=True),
    "Each open case's contact / dispatch / resolve / follow-up step: on time, due soon, overdue, done, done late.",
)
COMPLIANCE = Chart(
    "cc_compliance",
    "Time-limit compliance per step",
    CLOCKS,
    "table",
    forms.summary_table(("step",), ("steps", "late", "compliance"), sort_by="steps"),
    "Per step: steps, steps overdue or done late, and the share within its limit.",
)
ALERTS_BY_DISTRICT = Chart(
    "cc_alerts_by_district",
    "Open alerts by district and colour",
    ALERTS,
    "echarts_timeseries_bar",
    forms.bars("district", ("alerts",), OPEN_ALERT, groupby=("colour",)),
    "Open alerts per responsible district, stacked by colour.",
)
ALERT_LISTS = Chart(
    "cc_alert_lists",
    "Open 三色三单 lists",
    ALERTS,
    "table",
    forms.table(
        (
            "list_name",
            "colour",
            "issue_period",
            "issue_no",
            "rule_id",
            "district",
            "street",
            "category",
            "topic",
            "n_cases",
            "n_complainants",
            "n_reports",
            "opened_at",
        ),
        OPEN_ALERT,
        order_by=(("colour_rank", False), ("n_complainants", False), ("alert_id", True)),
        row_limit=500,
    ),
    "Open alerts, 督办单 (red) first: list, 第N期, rule, responsible district and street, evidence counts.",
)
HOTSPOTS = Chart(
    "cc_hotspots",
    "Hotspots",
    GROUPS,
    "table",
    forms.table(
        ("category", "topic", "district", "n_cases", "n_complainants", "n_records", "last_reported_at"),
        forms.where("n_cases >= 2"),
        order_by=(("n_complainants", False), ("n_cases", False), ("group_id", True)),
        row_limit=50,
    ),
    "The largest groups: cases of one category naming the same project, employer or place.",
)
REPEATS = Chart(
    "cc_repeat_complainants",
    "Repeat complainants",
    REPEAT_COMPLAINANTS,
    "table",
    forms.table(
        (
            "name_masked",
            "phone_masked",
            "district",
            "n_cases",
            "n_categories",
            "n_reports",
            "last_reported_at",
        ),
        order_by=(("n_cases", False), ("complainant_key", True)),
        row_limit=500,
    ),
    "Complainants with several open cases, recognised by keyed hash and shown masked.",
)
SCORECARD_BY_DISTRICT = Chart(
    "cc_scorecard_districts",
    "考评: districts by month",
    SCORECARDS,
    "table",
    forms.table(
        ("period", "unit", "metric_name", "numerator", "denominator", "rate"),
        forms.where("dimension = 'district' AND period_kind = 'month'"),
        order_by=(("period", False), ("unit", True), ("metric", True)),
        row_limit=500,
    ),
    "按时签收率, 按期办结率, 回访率, 群众满意率, 重复投诉率, 发回重办率 and 三率 per district and month "
    "(v_scorecard; formulas in docs/alerting.md).",
)

COMMAND_CENTRE = Dashboard(
    key="command_centre",
    title="Command centre",
    slug="command-centre",
    description="Reports, cases, 三色三单 alerts, time limits, hotspots and scorecards from the complaint hub's read contract.",
    rows=(
        ((REPORTS, 2), (OPEN_CASES, 2), (OPEN_ALERTS, 3), (HOTSPOT_COUNT, 2), (REPEAT_COUNT, 3)),
        ((REPORTS_BY_DAY, 6), (REPORTS_BY_DISTRICT, 6)),
        ((CASES_BY_CATEGORY, 4), (REPORTS_BY_CHANNEL, 4), (ALERTS_BY_DISTRICT, 4)),
        ((ALERT_LISTS, 12),),
        ((STEP_STATES, 7), (COMPLIANCE, 5)),
        ((HOTSPOTS, 6), (REPEATS, 6)),
        ((SCORECARD_BY_DISTRICT, 12),),
    ),
    heights=(22, 60, 60, 70, 50, 70, 70),
)
