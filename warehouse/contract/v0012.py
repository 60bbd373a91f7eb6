"""Read contract changes of migration 0012: channel policies on the clocks, the four-level loop on the alerts,
and the scorecards.

Frozen with 0012. ``v_alert``, ``v_alert_history`` and ``v_time_limit_clock`` are 0006's views with the new
columns appended (their other columns unchanged); ``v_scorecard`` is new. Reader views, like the rest.
"""

from __future__ import annotations

from warehouse.contract import v0006

VIEWS = ("v_alert", "v_alert_history", "v_time_limit_clock", "v_scorecard")
CHANGED = ("v_alert", "v_alert_history", "v_time_limit_clock")

_METRIC_NAMES = (
    "CASE s.metric WHEN 'ack_on_time' THEN '按时签收率' WHEN 'close_on_time' THEN '按期办结率' "
    "WHEN 'follow_up' THEN '回访率' WHEN 'satisfaction' THEN '群众满意率' WHEN 'repeat' THEN '重复投诉率' "
    "WHEN 'redo' THEN '发回重办率' WHEN 'response' THEN '响应率' WHEN 'resolution' THEN '解决率' END"
)


def view_sql(dialect: str) -> dict[str, str]:
    """The views' SELECTs (the same text on ``sqlite`` and ``postgresql``)."""
    old = v0006.view_sql(dialect)
    return {
        "v_alert": old["v_alert"].replace(
            "a.closed_at\n", "a.closed_at, a.community, a.grid, a.level, a.unit, a.level_since\n"
        ),
        "v_alert_history": old["v_alert_history"].replace("e.run_id\n", "e.run_id, e.level, e.unit\n"),
        "v_time_limit_clock": old["v_time_limit_clock"].replace(
            "k.as_of\n", "k.as_of, k.policy, k.channel\n"
        ),
        "v_scorecard": f"""
            SELECT s.period_kind, s.period, s.dimension, NULLIF(s.district, '') AS district, s.unit, s.metric,
                   {_METRIC_NAMES} AS metric_name, s.numerator, s.denominator,
                   CASE WHEN s.denominator > 0 THEN 1.0 * s.numerator / s.denominator END AS rate, s.as_of
            FROM scorecard s""",
    }


VIEW_DOCS = {
    **v0006.VIEW_DOCS,
    "v_time_limit_clock": "Each open case's binding time-limit steps as of the last alerting run: per step, the "
    "strictest clock of the channels it was reported on (alerting/config/policies.yaml).",
    "v_scorecard": "Scorecards (考评) per period (day, week, month, quarter), dimension (city, district, street, "
    "department) and unit: each metric's numerator, denominator and rate as of the last alerting run. Formulas: "
    "docs/alerting.md#scorecards.",
}

_OWN = {
    ("v_alert", "community"): "The responsible community (village) where known, else NULL.",
    ("v_alert", "grid"): "The responsible grid (网格) where known, else NULL.",
    (
        "v_alert",
        "level",
    ): "The level that must act now: community (or grid), street, district or city; it moves up a "
    "level when the alert is not acted on within its list's limit (alerting/config/escalation.yaml).",
    (
        "v_alert",
        "unit",
    ): "The responsible unit at that level (the grid, community, street or district named on the "
    "cases; the city centre at city level).",
    ("v_alert", "level_since"): "Since when the alert has been at its level (UTC).",
    (
        "v_alert_history",
        "event",
    ): "issued, updated, escalated, downgraded, closed, or level_raised (not acted on "
    "in time: moved up a level).",
    ("v_alert_history", "level"): "The responsible level after the event.",
    ("v_alert_history", "unit"): "The responsible unit after the event.",
    (
        "v_time_limit_clock",
        "step",
    ): "contact, dispatch, acknowledge (签收 after the dispatch), resolve, follow_up; accept, review, recheck (petitions); "
    "dispose (police) (alerting/config/policies.yaml).",
    (
        "v_time_limit_clock",
        "started_at",
    ): "When the clock started: the channel's first receipt, or the event that "
    "starts the step (a petition's acceptance), or the latest reopening (UTC).",
    (
        "v_time_limit_clock",
        "due_at",
    ): "When the step is due (UTC), after approved extensions and the time the clock "
    "stood still on send-backs; NULL while the calendar is unknown (state calendar_unknown).",
    (
        "v_time_limit_clock",
        "state",
    ): "on_time, due_soon, overdue, paused (sent back, not yet re-dispatched), done or "
    "done_late; calendar_unknown when the limit runs into a year without a working-day calendar.",
    (
        "v_time_limit_clock",
        "policy",
    ): "The policy of the binding clock (centre, hotline_12345, petition, police).",
    (
        "v_time_limit_clock",
        "channel",
    ): "The channel whose clock binds (the strictest of the case's channels).",
    ("v_scorecard", "period_kind"): "day, week, month or quarter.",
    ("v_scorecard", "period"): "The Beijing period: 2026-11-20, 2026-W47 (ISO week), 2026-11, 2026-Q4.",
    ("v_scorecard", "dimension"): "city, district, street or department.",
    ("v_scorecard", "district"): "A street's district; NULL for the other dimensions.",
    (
        "v_scorecard",
        "unit",
    ): "全市, the district, the street, or the department (the unit of a case's latest dispatch "
    "or acknowledgement).",
    ("v_scorecard", "metric"): "ack_on_time, close_on_time, follow_up, satisfaction, repeat, redo, response, "
    "resolution (三率: response, resolution, satisfaction).",
    (
        "v_scorecard",
        "metric_name",
    ): "按时签收率, 按期办结率, 回访率, 群众满意率, 重复投诉率, 发回重办率, 响应率, 解决率.",
    ("v_scorecard", "numerator"): "Cases counted in the rate (docs/alerting.md#scorecards has each formula).",
    ("v_scorecard", "denominator"): "Cases the rate is taken over.",
    ("v_scorecard", "rate"): "numerator / denominator; NULL when the denominator is 0.",
    ("v_scorecard", "as_of"): "Reference time of the alerting run that computed it (UTC).",
}


def column_doc(view: str, column: str) -> str | None:
    """The description of ``view.column``: its 0012 text, else 0006's."""
    return _OWN.get((view, column)) or v0006.column_doc(view, column)
