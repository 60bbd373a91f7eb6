"""Bulletins: a daily bulletin per district, weekly, monthly and quarterly summaries, as static HTML that
opens offline.

Read only from the read contract (``v_alert``, ``v_alert_history``, ``v_time_limit_clock``,
``v_daily_counts``, ``v_scorecard``). Counts by colour and category, hotspots, time-limit compliance per
step, scorecards per district (street, department), the four-level loop and the alert list; charts are
inline SVG (``alerting._svg``), nothing is fetched when a page is opened.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from html import escape
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from alerting import bulletin_sections as sections
from alerting._svg import stacked_bars
from alerting.calendar import SHANGHAI
from alerting.feed import _at, _read, _utc

COLOUR_NAMES = {"red": "红色 督办单", "orange": "橙色 预警单", "yellow": "黄色 提示单"}
STATE_NAMES = {
    "done": "按时办结",
    "done_late": "超时完成",
    "overdue": "已超时",
    "due_soon": "即将到期",
    "on_time": "时限内",
    "paused": "退单暂停",
    "calendar_unknown": "日历待补",
}
STEP_NAMES = {
    "contact": "30分钟签收联系",
    "dispatch": "24小时分流交办",
    "acknowledge": "2小时签收",
    "accept": "信访15日受理告知",
    "dispose": "警情当场处置或移交",
    "resolve": "按渠道时限办结",
    "follow_up": "10个工作日回访",
    "review": "复查30日",
    "recheck": "复核30日",
}
UNKNOWN_DISTRICT = "未明确区县"
_ALERT_COLUMNS = (
    "alert_id",
    "rule_id",
    "subject_kind",
    "subject_id",
    "colour",
    "colour_rank",
    "list_name",
    "district",
    "street",
    "category",
    "topic",
    "n_cases",
    "n_complainants",
    "n_reports",
    "evidence",
    "issue_period",
    "issue_no",
    "status",
    "opened_at",
    "changed_at",
    "closed_at",
    "level",
    "unit",
)


@dataclass(frozen=True)
class Period:
    """A bulletin's period: Beijing days ``[first, last]``."""

    kind: str
    label: str
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=SHANGHAI)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=SHANGHAI)


def periods_for(day: date) -> list[Period]:
    """The day, its week (Monday to Sunday), its month and its quarter, each up to the end of ``day``."""
    iso = day.isocalendar()
    monday = day - timedelta(days=day.weekday())
    quarter = (day.month - 1) // 3 + 1
    return [
        Period("daily", f"{day:%Y年%m月%d日}", day, day),
        Period(
            "weekly", f"{iso.year}年第{iso.week}周（{monday:%m月%d日}起，截至{day:%m月%d日}）", monday, day
        ),
        Period("monthly", f"{day:%Y年%m月}（截至{day:%m月%d日}）", day.replace(day=1), day),
        Period(
            "quarterly",
            f"{day.year}年第{quarter}季度（截至{day:%m月%d日}）",
            date(day.year, 3 * quarter - 2, 1),
            day,
        ),
    ]


def _alerts(engine: sa.Engine, period: Period) -> pd.DataFrame:
    """Alerts active at some point in the period: opened by its end, not closed before its start."""
    frame = _read(
        engine,
        f"""
        SELECT {", ".join(_ALERT_COLUMNS)} FROM v_alert
        WHERE opened_at <= :end AND (closed_at IS NULL OR closed_at > :start)""",
        _ALERT_COLUMNS,
        start=_at(engine, period.start),
        end=_at(engine, period.end),
    )
    frame = _utc(frame, ("opened_at", "changed_at", "closed_at"))
    frame["district"] = frame["district"].fillna(UNKNOWN_DISTRICT)
    frame["evidence"] = frame["evidence"].map(lambda e: json.loads(e) if isinstance(e, str) else e)
    return frame


def _clocks(engine: sa.Engine) -> pd.DataFrame:
    columns = ("case_id", "step", "district", "due_at", "state")
    frame = _utc(_read(engine, f"SELECT {', '.join(columns)} FROM v_time_limit_clock", columns), ("due_at",))
    frame["district"] = frame["district"].fillna(UNKNOWN_DISTRICT)
    return frame


def _reports(engine: sa.Engine, period: Period) -> pd.DataFrame:
    columns = ("report_date", "district", "category", "n_records", "n_cases")
    frame = _read(
        engine,
        f"""SELECT {", ".join(columns)} FROM v_daily_counts
                              WHERE report_date >= :first AND report_date <= :last""",
        columns,
        first=period.first if engine.dialect.name == "postgresql" else period.first.isoformat(),
        last=period.last if engine.dialect.name == "postgresql" else period.last.isoformat(),
    )
    frame["district"] = frame["district"].fillna(UNKNOWN_DISTRICT)
    return frame


def _colour_rows(frame: pd.DataFrame, by: str) -> list[tuple[str, dict[str, int]]]:
    if frame.empty:
        return []
    table = frame.groupby([by, "colour"]).size().unstack(fill_value=0)
    table = (
        table.assign(_total=table.sum(axis=1)).sort_values("_total", ascending=False).drop(columns="_total")
    )
    return [(str(k), {c: int(v) for c, v in row.items()}) for k, row in table.iterrows()]


def _compliance(clocks: pd.DataFrame, period: Period) -> tuple[list[tuple[str, dict[str, int]]], str]:
    """State counts per step of the steps due in the period, and the on-time rate among those settled."""
    due = clocks[
        (clocks["due_at"] > pd.Timestamp(period.start)) & (clocks["due_at"] <= pd.Timestamp(period.end))
    ]
    rows = []
    for step, name in STEP_NAMES.items():
        counts = due[due["step"] == step]["state"].value_counts()
        if counts.sum() == 0 and step not in ("contact", "dispatch", "acknowledge", "resolve", "follow_up"):
            continue  # a channel's own step with nothing due in the period
        settled = sum(int(counts.get(s, 0)) for s in ("done", "done_late", "overdue"))
        share = f" {int(counts.get('done', 0)) / settled:.0%}" if settled else ""
        rows.append((name + share, {s: int(counts.get(s, 0)) for s in STATE_NAMES}))
    settled = due[due["state"].isin(("done", "done_late", "overdue"))]
    rate = f"{(settled['state'] == 'done').mean():.1%}" if len(settled) else "—"
    return rows, rate


def render(
    engine: sa.Engine, period: Period, district: str | None = None, links: list[tuple[str, str]] | None = None
) -> str:
    """One bulletin page for ``period`` (and ``district``, else the whole city)."""
    alerts, clocks, reports = _alerts(engine, period), _clocks(engine), _reports(engine, period)
    if district is not None:
        alerts, clocks = alerts[alerts["district"] == district], clocks[clocks["district"] == district]
        reports = reports[reports["district"] == district]
    where = district or "全市"
    title = f"{where} 矛盾纠纷预警{ {'daily': '日报', 'weekly': '周报', 'monthly': '月报', 'quarterly': '季报'}[period.kind] } {period.label}"
    open_now = alerts[alerts["status"] == "open"]
    counts = alerts["colour"].value_counts()
    series, names = ("red", "orange", "yellow"), COLOUR_NAMES
    compliance, rate = _compliance(clocks, period)
    parts = [
        f"<h1>{escape(title)}</h1>",
        f"<p class=meta>生成依据：数据池读取契约视图；参考时间 {escape(period.end.isoformat())}（北京时间）。"
        f"本期各渠道报告 {int(reports['n_records'].sum())} 件。</p>",
        sections.calendar_notice(period.last),
        '<div class="cards">'
        + "".join(
            f'<div class="card {c}"><b>{int(counts.get(c, 0))}</b><span>{escape(names[c])}</span></div>'
            for c in series
        )
        + "</div>",
    ]
    if links:
        parts.append(
            "<nav>"
            + " · ".join(f'<a href="{escape(href)}">{escape(text)}</a>' for text, href in links)
            + "</nav>"
        )
    if district is None:
        parts += [
            "<h2>各区县预警</h2>",
            stacked_bars(_colour_rows(alerts, "district"), series, names, "各区县预警"),
        ]
    parts += [
        "<h2>按纠纷类别</h2>",
        stacked_bars(_colour_rows(alerts, "category"), series, names, "按纠纷类别"),
    ]
    if period.kind != "daily":  # issued in the period (a run at its start midnight reports the day before)
        issued = alerts[alerts["opened_at"] > pd.Timestamp(period.start)]
        days = issued.assign(
            day=(issued["opened_at"].dt.tz_convert(SHANGHAI) - pd.Timedelta(microseconds=1)).dt.strftime(
                "%m-%d"
            )
        )
        parts += [
            "<h2>每日新发预警</h2>",
            stacked_bars(sorted(_colour_rows(days, "day")), series, names, "每日新发预警"),
        ]
    parts += [
        f"<h2>时限执行情况（本期到期，按时办结率 {escape(rate)}）</h2>",
        stacked_bars(compliance, tuple(STATE_NAMES), STATE_NAMES, "时限执行情况"),
    ]
    scores = sections.read_scores(engine, period.kind, period.last)
    if district is None:
        parts += [
            "<h2>考评（各区县）</h2>",
            sections.score_table(scores, "district"),
            "<h2>考评（承办部门）</h2>",
            sections.score_table(scores, "department"),
        ]
    else:
        own = scores[(scores["dimension"] == "district") & (scores["unit"] == district)]
        streets = scores[(scores["dimension"] == "street") & (scores["district"] == district)]
        parts += (
            ["<h2>考评（各街道）</h2>", sections.score_table(streets, "street", district)]
            if len(streets)
            else ["<h2>考评（本区县；街道按周、月、季度考评）</h2>", sections.score_table(own, "district")]
        )
    parts += [
        "<h2>四级联动（市—区县—街道—社区网格）</h2>",
        sections.levels_section(engine, period.start, period.end, district),
    ]
    hot = alerts[alerts["subject_kind"] == "group"].sort_values(
        ["colour_rank", "n_complainants"], ascending=False
    )
    parts += [
        "<h2>热点（群体性纠纷）</h2>",
        _table(
            hot.head(15), ("topic", "category", "district", "street", "n_complainants", "n_cases", "colour")
        ),
    ]
    listed = open_now.sort_values(["colour_rank", "list_name", "issue_no"], ascending=[False, True, True])
    parts += [f"<h2>在办预警清单（{len(listed)}）</h2>", _alert_table(listed)]
    return _page(title, "\n".join(parts))


_HEADERS = {
    "topic": "项目/地点",
    "category": "类别",
    "district": "区县",
    "street": "街道",
    "n_complainants": "人数",
    "n_cases": "案件",
    "colour": "颜色",
}


def _table(frame: pd.DataFrame, columns: tuple[str, ...]) -> str:
    if frame.empty:
        return "<p>无</p>"
    head = "".join(f"<th>{_HEADERS[c]}</th>" for c in columns)
    frame = frame.assign(colour=frame["colour"].map(COLOUR_NAMES))
    body = "".join(
        "<tr>" + "".join(f"<td>{escape('' if pd.isna(r[c]) else str(r[c]))}</td>" for c in columns) + "</tr>"
        for _, r in frame.iterrows()
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _alert_table(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "<p>无</p>"
    rows = []
    for _, r in frame.iterrows():
        ev = r["evidence"] or {}
        cases = ", ".join(ev.get("case_ids", [])[:8]) + (" …" if len(ev.get("case_ids", [])) > 8 else "")
        where = r["district"] + (f" {r['street']}" if isinstance(r["street"], str) else "")
        if isinstance(r["level"], str):
            where = f"{sections.LEVEL_NAMES.get(r['level'], r['level'])}：{r['unit']}（{where}）"
        rows.append(
            f'<tr class="{r["colour"]}"><td>{escape(r["list_name"])} {escape(r["issue_period"])} '
            f"第{int(r['issue_no'])}期</td><td>{escape(ev.get('rule', r['rule_id']))}</td>"
            f"<td>{escape(where)}</td><td>{escape(str(r['category'] or ''))} "
            f"{escape(str(r['topic'] or ''))}</td><td>{int(r['n_complainants'])} 人 / "
            f"{int(r['n_cases'])} 案 / {int(r['n_reports'])} 报 / {int(ev.get('n_channels', 0))} 渠道"
            f"{' / 信访' if ev.get('petition') else ''}{' / 超时' if ev.get('overdue_case_ids') else ''}"
            f"</td><td>{escape(cases)}</td></tr>"
        )
    return (
        "<table><tr><th>单号</th><th>规则</th><th>责任层级/单位</th><th>类别/对象</th><th>依据</th>"
        "<th>案件</th></tr>" + "".join(rows) + "</table>"
    )


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title><style>
body{{font-family:sans-serif;margin:2em;color:#222;max-width:1100px}} h2{{margin-top:1.6em;font-size:1.15em}}
.meta{{color:#666}} .cards{{display:flex;gap:1em}} .card{{padding:.6em 1.2em;border-radius:6px;color:#fff}}
.card b{{font-size:1.8em;display:block}} .card.red,tr.red td:first-child{{background:#d9301c;color:#fff}}
.card.orange,tr.orange td:first-child{{background:#f08c00;color:#fff}}
.card.yellow,tr.yellow td:first-child{{background:#e8b600;color:#222}}
table{{border-collapse:collapse;font-size:.9em}} .warn{{background:#fff3cd;padding:.5em;border:1px solid #e0b000}}
table.scores small{{color:#777}} td,th{{border:1px solid #ccc;padding:3px 6px;text-align:left}}
</style></head><body>
{body}
</body></html>
"""


def write_bulletins(engine: sa.Engine, day: date, out: Path) -> dict[str, Path]:
    """Write the day's bulletins under ``out``: ``daily/<day>/index.html`` (the city, linking one page per
    district), ``weekly/<year>-W<week>.html``, ``monthly/<year>-<month>.html`` and
    ``quarterly/<year>-Q<n>.html``.

    Returns:
        The city pages by kind (``daily``, ``weekly``, ``monthly``, ``quarterly``).
    """
    daily, weekly, monthly, quarterly = periods_for(day)
    folder = out / "daily" / f"{day:%Y-%m-%d}"
    folder.mkdir(parents=True, exist_ok=True)
    districts = sorted(set(_alerts(engine, daily)["district"]) | set(_clocks(engine)["district"]))
    iso = day.isocalendar()
    paths = {
        "daily": folder / "index.html",
        "weekly": out / "weekly" / f"{iso.year}-W{iso.week:02d}.html",
        "monthly": out / "monthly" / f"{day:%Y-%m}.html",
        "quarterly": out / "quarterly" / f"{day.year}-Q{(day.month - 1) // 3 + 1}.html",
    }
    links = [(d, f"{d}.html") for d in districts]
    for district in districts:
        page = render(engine, daily, district, links=[("全市", "index.html")] + links)
        (folder / f"{district}.html").write_text(page, encoding="utf-8")
    paths["daily"].write_text(render(engine, daily, links=links), encoding="utf-8")
    for kind, period in (("weekly", weekly), ("monthly", monthly), ("quarterly", quarterly)):
        paths[kind].parent.mkdir(parents=True, exist_ok=True)
        paths[kind].write_text(render(engine, period), encoding="utf-8")
    return paths


def report_day(as_of: datetime) -> date:
    """The Beijing day a run at ``as_of`` reports on (a run at midnight reports on the day before)."""
    return (as_of.astimezone(UTC).astimezone(SHANGHAI) - timedelta(microseconds=1)).date()
