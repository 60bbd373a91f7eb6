"""The bulletins' scorecard, four-level-loop and calendar sections (HTML fragments), from the read contract.

Scorecards come from ``v_scorecard`` (the period kind and label of the bulletin's period), the levels from
``v_alert`` and ``v_alert_history``; the calendar notice from the working-day calendar itself.
"""

from __future__ import annotations

from datetime import date
from html import escape

import pandas as pd
import sqlalchemy as sa

from alerting.calendar import SHANGHAI, WorkingCalendar
from alerting.feed import _at, _read, _utc
from alerting.scorecard import METRICS

CALENDAR_WARN_DAYS = 60
LEVEL_NAMES = {
    "grid": "网格",
    "community": "社区村",
    "street": "街道乡镇",
    "district": "区县",
    "city": "市级",
}
_KINDS = {"daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter"}
_SCORE_COLUMNS = ("dimension", "district", "unit", "metric", "numerator", "denominator")


def score_period(kind: str, day: date) -> tuple[str, str]:
    """The ``v_scorecard`` period kind and label of a bulletin of ``kind`` ending on ``day``."""
    iso = day.isocalendar()
    label = {
        "daily": day.isoformat(),
        "weekly": f"{iso.year}-W{iso.week:02d}",
        "monthly": f"{day:%Y-%m}",
        "quarterly": f"{day.year}-Q{(day.month - 1) // 3 + 1}",
    }[kind]
    return _KINDS[kind], label


def read_scores(engine: sa.Engine, kind: str, day: date) -> pd.DataFrame:
    """The scorecard counts of the bulletin's period (every dimension)."""
    period_kind, period = score_period(kind, day)
    return _read(
        engine,
        f"SELECT {', '.join(_SCORE_COLUMNS)} FROM v_scorecard WHERE period_kind = :k AND period = :p",
        _SCORE_COLUMNS,
        k=period_kind,
        p=period,
    )


def _cell(numerator: int, denominator: int) -> str:
    if not denominator:
        return "<td>—</td>"
    return f"<td>{numerator / denominator:.1%}<small> ({numerator}/{denominator})</small></td>"


def score_table(scores: pd.DataFrame, dimension: str, district: str | None = None, top: int = 20) -> str:
    """One row per unit of ``dimension`` (the city first), one column per metric: rate (numerator/denominator)."""
    rows = scores[scores["dimension"].isin(("city", dimension) if district is None else (dimension,))]
    if district is not None:
        rows = rows[rows["district"] == district]
    if rows.empty:
        return "<p>无</p>"
    counts = rows.pivot_table(
        index=["dimension", "unit"], columns="metric", values=["numerator", "denominator"], aggfunc="sum"
    ).fillna(0)
    volume = counts["denominator"].max(axis=1)
    order = sorted(counts.index, key=lambda k: (k[0] != "city", -volume[k], k[1]))[: top + 1]
    head = "".join(f"<th>{escape(name)}</th>" for name in METRICS.values())
    body = []
    for key in order:
        cells = "".join(
            _cell(int(counts.at[key, ("numerator", m)]), int(counts.at[key, ("denominator", m)]))
            if ("numerator", m) in counts.columns
            else "<td>—</td>"
            for m in METRICS
        )
        body.append(f"<tr><td>{escape(str(key[1]))}</td>{cells}</tr>")
    return f'<table class="scores"><tr><th>单位</th>{head}</tr>{"".join(body)}</table>'


def levels_section(engine: sa.Engine, start: object, end: object, district: str | None) -> str:
    """Open alerts by responsible level, and the alerts raised a level in the period (逐级督办)."""
    columns = ("alert_id", "district", "level", "unit", "list_name", "issue_period", "issue_no", "as_of")
    raised = _utc(
        _read(
            engine,
            """
            SELECT h.alert_id, h.district, h.level, h.unit, h.list_name, h.issue_period, h.issue_no, h.as_of
            FROM v_alert_history h WHERE h.event = 'level_raised' AND h.as_of > :start AND h.as_of <= :end
            ORDER BY h.as_of, h.alert_id""",
            columns,
            start=_at(engine, start),  # type: ignore[arg-type]
            end=_at(engine, end),  # type: ignore[arg-type]
        ),
        ("as_of",),
    )
    open_levels = _read(
        engine, "SELECT level, district FROM v_alert WHERE status = 'open'", ("level", "district")
    )
    if district is not None:
        raised = raised[raised["district"] == district]
        open_levels = open_levels[open_levels["district"] == district]
    counts = open_levels["level"].value_counts()
    cards = " · ".join(f"{LEVEL_NAMES[k]} {int(counts.get(k, 0))}" for k in reversed(tuple(LEVEL_NAMES)))
    rows = "".join(
        f"<tr><td>{escape(r.list_name)} {escape(r.issue_period)} 第{int(r.issue_no)}期</td>"
        f"<td>{escape(LEVEL_NAMES.get(r.level, r.level))}</td><td>{escape(str(r.unit))}</td>"
        f"<td>{r.as_of.tz_convert(SHANGHAI):%m-%d %H:%M}</td></tr>"
        for r in raised.tail(30).itertuples()
    )
    table = (
        f"<table><tr><th>单号</th><th>升至</th><th>责任单位</th><th>时间（北京）</th></tr>{rows}</table>"
        if rows
        else "<p>本期无逾期未处置升级</p>"
    )
    return f"<p>在办预警责任层级：{escape(cards)}</p><h3>逾期未处置、逐级升级（{len(raised)}）</h3>{table}"


def calendar_notice(day: date, calendar: WorkingCalendar | None = None) -> str:
    """A notice when the working-day calendar ends within ``CALENDAR_WARN_DAYS`` of ``day``, else ``""``."""
    known_until = (calendar or WorkingCalendar()).known_until
    left = (known_until - day).days
    if left > CALENDAR_WARN_DAYS:
        return ""
    return (
        f'<p class="warn">工作日历仅覆盖至 {known_until.isoformat()}（还剩 {left} 天）：请在国务院办公厅公布'
        f"{known_until.year + 1}年部分节假日安排后，将放假与调休上班日期补入 alerting/config/calendar_overrides.yaml，"
        "否则跨年的工作日时限将显示“日历待补”。</p>"
    )
