"""HTML for the auditor report: plain tables and hand-drawn inline SVG charts, no scripts, no external files."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
_CSS = """
body{font:14px/1.45 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#1d2733}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d6dde5}
table{border-collapse:collapse;margin:6px 0 12px}th,td{border:1px solid #d6dde5;padding:3px 8px;text-align:left}
th{background:#eef2f6}td.n{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#1a7f37}.bad{color:#b42318;font-weight:600}.muted{color:#667085}code{font-size:12px}
.charts{display:flex;flex-wrap:wrap;gap:16px}figure{margin:0}figcaption{font-weight:600}
"""


def render_report(data: dict[str, Any], data_docs: str | None) -> str:
    """The whole page for :func:`warehouse.quality.audit_report.gather`'s data."""
    day, first = data["day"], data["first"]
    docs = (
        f"<p>Great Expectations Data Docs (suites and every validation result): "
        f'<a href="{escape(data_docs)}">{escape(data_docs)}</a></p>'
        if data_docs
        else ""
    )
    parts = [
        f"<h1>Data quality report — {day.isoformat()}</h1>",
        f'<p class="muted">Beijing days of the batch windows. Trend period {first} – {day}. '
        f"Generated {data['generated_at']:%Y-%m-%d %H:%M} (Beijing).</p>{docs}",
        "<h2>The day, per source</h2>",
        _summary(data, [day]),
        f"<h2>The last {len(data['days'])} days, per source</h2>",
        _summary(data, data["days"]),
        "<h2>Trend</h2>",
        _charts(data),
        "<h2>Quarantine by reason</h2>",
        _reasons(data),
        "<h2>Held batches and decisions</h2>",
        _held(data["held"]),
        f"<h2>Batches of {day}</h2>",
        _batches(data["day_batches"]),
        "<h2>Batch gates</h2>",
        _table(
            ("batch", "gate", "verdict", "reason"),
            [
                (_batch_link(g["batch_id"], data), g["gate"], _verdict(g["passed"]), escape(g["reason"]))
                for g in data["gates"]
            ],
            raw=True,
        ),
        "<h2>Validation runs</h2>",
        _table(
            (
                "batch",
                "suite",
                "version",
                "result",
                "expectations failed",
                "rows checked",
                "quarantined",
                "started",
                "finished",
            ),
            [
                (
                    _batch_link(r["batch_id"], data),
                    escape(r["suite"]),
                    f"<code>{r['suite_hash'][:12]}</code>",
                    _verdict(r["success"]),
                    f"{r['failed_expectations']} / {r['expectations']}",
                    r["rows_checked"],
                    r["rows_quarantined"],
                    _time(r["started_at"]),
                    _time(r["finished_at"]),
                )
                for r in data["runs"]
            ],
            raw=True,
        ),
        "<h2>Expectations that failed</h2>",
        _table(
            ("batch", "expectation", "column", "rows", "%", "sample (masked)"),
            [
                (
                    _batch_link(r["batch_id"], data),
                    escape(r["expectation"]),
                    escape(r["column_name"]),
                    r["unexpected_count"],
                    f"{r['unexpected_percent']:.2f}",
                    escape(", ".join(map(str, r["sample"] or []))),
                )
                for r in data["failed_expectations"]
            ],
            raw=True,
        ),
        f"<h2>Quarantined rows of {day}</h2>",
        _quarantined(data),
    ]
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>Data quality {day}</title><style>{_CSS}</style></head><body>{''.join(parts)}</body></html>"
    )


def _table(head: Sequence[str], rows: Iterable[Sequence[Any]], raw: bool = False) -> str:
    body = "".join("<tr>" + "".join(_cell(v, raw) for v in row) + "</tr>" for row in rows)
    if not body:
        return '<p class="muted">None.</p>'
    return (
        "<table><thead><tr>"
        + "".join(f"<th>{escape(h)}</th>" for h in head)
        + f"</tr></thead><tbody>{body}</tbody></table>"
    )


def _cell(value: Any, raw: bool) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td class="n">{value:,}</td>'
    return f"<td>{value if raw else escape(str(value))}</td>"


def _summary(data: dict[str, Any], days: Sequence[date]) -> str:
    rows = []
    for source in data["sources"]:
        total: Counter[str] = Counter()
        for day in days:
            total.update(data["daily"][source].get(day, Counter()))
        decided = total["passed"] + total["quarantined"]
        rate = f"{100 * total['passed'] / decided:.2f}%" if decided else "–"
        rows.append(
            (
                source,
                total["batches"],
                total["fetched"],
                total["checked"],
                total["passed"],
                total["quarantined"],
                total["pending"],
                rate,
            )
        )
    return _table(
        (
            "source",
            "batches",
            "fetched",
            "records checked",
            "passed",
            "quarantined",
            "held (pending)",
            "pass rate",
        ),
        rows,
    )


def _reasons(data: dict[str, Any]) -> str:
    sources = data["sources"]
    labels = sorted({r for s in sources for r in data["reasons_period"].get(s, {})})
    rows = [
        (
            escape(label),
            *(
                f"{data['reasons_day'].get(s, Counter())[label]} / "
                f"{data['reasons_period'].get(s, Counter())[label]}"
                for s in sources
            ),
        )
        for label in labels
    ]
    note = '<p class="muted">Rows quarantined on the day / in the period; a row counts once per reason.</p>'
    return note + _table(("reason", *sources), rows, raw=True)


def _held(held: Sequence[dict[str, Any]]) -> str:
    rows = []
    for batch in held:
        decision = batch["decision"]
        decided = (
            f"{escape(decision['decision'])} by {escape(decision['decided_by'])} at "
            f"{_time(decision['decided_at'])}: {escape(decision['reason'])}"
            if decision
            else '<span class="bad">waiting: <code>python -m warehouse batch release|reject '
            f"{escape(batch['batch_id'])} --by NAME --reason TEXT</code></span>"
        )
        rows.append(
            (
                escape(batch["batch_id"]),
                escape(batch["held_gate"]),
                escape(batch["held_reason"] or ""),
                escape(batch["status"]),
                decided,
            )
        )
    return _table(("batch", "gate", "why it was held", "status", "decision"), rows, raw=True)


def _batches(batches: Sequence[dict[str, Any]]) -> str:
    rows = [
        (
            f'<span id="{_anchor(b["batch_id"])}">{escape(b["batch_id"])}</span>',
            escape(b["status"]),
            b["fetched"],
            b["unchanged"],
            b["landed"],
            b["quarantined"],
            escape(b["held_gate"] or ""),
        )
        for b in batches
    ]
    return _table(
        ("batch", "status", "fetched", "unchanged", "landed", "quarantined", "held by"), rows, raw=True
    )


def _quarantined(data: dict[str, Any]) -> str:
    parts = [
        '<p class="muted">Raw payloads are not copied into this page (personal data). '
        "Each row's payload, reasons and batch: <code>python -m warehouse quarantined &lt;source:id&gt;</code>.</p>"
    ]
    for source, rows in sorted(data["quarantined_rows"].items()):
        total = data["quarantined_total"][source]
        more = f" (first {len(rows)} of {total})" if total > len(rows) else ""
        parts.append(f"<h3>{escape(source)}: {total} rows{more}</h3>")
        parts.append(
            _table(
                ("record", "reasons", "batch", "landing id", "raw payload"),
                [
                    (
                        escape(f"{source}:{r['source_record_id']}"),
                        escape("; ".join(r["reasons"] or [])),
                        _batch_link(r["batch_id"], data),
                        r["landing_id"],
                        f"<code>python -m warehouse quarantined {escape(source)}:{escape(r['source_record_id'])}</code>",
                    )
                    for r in rows
                ],
                raw=True,
            )
        )
    return "".join(parts) if len(parts) > 1 else parts[0] + '<p class="muted">None.</p>'


def _charts(data: dict[str, Any]) -> str:
    figures = []
    for source in data["sources"]:
        series = [(day, data["daily"][source].get(day)) for day in data["days"]]
        points = [
            (
                day,
                c["checked"] if c else 0,
                100 * c["passed"] / (c["passed"] + c["quarantined"])
                if c and c["passed"] + c["quarantined"]
                else None,
            )
            for day, c in series
        ]
        figures.append(
            f"<figure><figcaption>{escape(source)}: records checked (bars), pass rate (line)"
            f"</figcaption>{trend_svg(points)}</figure>"
        )
    return f'<div class="charts">{"".join(figures)}</div>' if figures else '<p class="muted">No batches.</p>'


def trend_svg(points: Sequence[tuple[date, int, float | None]], width: int = 460, height: int = 170) -> str:
    """Bars of records checked per day and a line of the pass rate, as inline SVG with hover titles."""
    left, right, top, bottom = 44, 44, 10, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((n for _, n, _ in points), default=0) or 1
    rates = [r for _, _, r in points if r is not None]
    floor = min(90.0, (min(rates) // 10) * 10) if rates else 90.0  # zoom: pass rates live near 100%
    step = plot_w / max(len(points), 1)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'class="trend"><rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#f8fafc" '
        f'stroke="#d6dde5"/>'
    ]
    line = []
    for i, (day, checked, rate) in enumerate(points):
        x = left + i * step
        bar = plot_h * checked / peak
        out.append(
            f'<rect x="{x + 1:.1f}" y="{top + plot_h - bar:.1f}" width="{max(step - 2, 1):.1f}" '
            f'height="{bar:.1f}" fill="#9bb7d4"><title>{day}: {checked} checked'
            f"{f', pass rate {rate:.2f}%' if rate is not None else ''}</title></rect>"
        )
        if rate is not None:
            y = top + plot_h * (100 - rate) / (100 - floor)
            line.append(f"{x + step / 2:.1f},{min(y, top + plot_h):.1f}")
    if line:
        out.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#b42318" stroke-width="2"/>')
    axis = 'font-size="10" fill="#667085"'
    out.append(
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" {axis}>{peak:,}</text>'
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" {axis}>0</text>'
        f'<text x="{width - right + 4}" y="{top + 8}" {axis}>100%</text>'
        f'<text x="{width - right + 4}" y="{top + plot_h}" {axis}>{floor:.0f}%</text>'
    )
    if points:
        out.append(
            f'<text x="{left}" y="{height - 6}" {axis}>{points[0][0]}</text>'
            f'<text x="{width - right}" y="{height - 6}" text-anchor="end" {axis}>{points[-1][0]}</text>'
        )
    return "".join(out) + "</svg>"


def _anchor(batch_id: str) -> str:
    return "batch-" + "".join(c if c.isalnum() else "-" for c in batch_id)


def _batch_link(batch_id: str, data: dict[str, Any]) -> str:
    on_day = any(b["batch_id"] == batch_id for b in data["day_batches"])
    text = escape(batch_id)
    return f'<a href="#{_anchor(batch_id)}">{text}</a>' if on_day else text


def _verdict(passed: bool) -> str:
    return '<span class="ok">pass</span>' if passed else '<span class="bad">FAIL</span>'


def _time(moment: datetime | None) -> str:
    return f"{moment.astimezone(SHANGHAI):%Y-%m-%d %H:%M:%S}" if moment else ""
