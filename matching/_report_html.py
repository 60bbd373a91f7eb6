"""The matching report's page: inline CSS, tables and warning boxes; no script, no external file."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

_CSS = """
body{font:14px/1.45 system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:24px;color:#1d2733;max-width:1240px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:30px 0 8px;border-bottom:1px solid #d6dde5}
h3{font-size:14px;margin:16px 0 4px}
table{border-collapse:collapse;margin:6px 0 12px}th,td{border:1px solid #d6dde5;padding:3px 8px;text-align:left;
vertical-align:top}th{background:#eef2f6}td.n{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#667085}.bad{color:#b42318;font-weight:600}.ok{color:#1a7f37}code{font-size:12px}
.warning{border:1px solid #f0b429;background:#fff8e6;padding:8px 12px;margin:8px 0;border-radius:4px}
.warning strong{color:#8a4b00}.charts{display:flex;flex-wrap:wrap;gap:14px;align-items:flex-start}figure{margin:0}
figcaption{font-weight:600;margin-bottom:2px}nav a{margin-right:10px}.pair{margin:18px 0 26px}
td.text{max-width:420px}summary{cursor:pointer;color:#2f6fb3;margin:6px 0}
"""


def page(title: str, subtitle: str, sections: Sequence[tuple[str, str, str]]) -> str:
    """The whole page: a title, a contents line and ``(anchor, heading, body)`` sections."""
    nav = "".join(f'<a href="#{anchor}">{escape(heading)}</a>' for anchor, heading, _ in sections)
    body = "".join(f'<h2 id="{anchor}">{escape(heading)}</h2>{html}' for anchor, heading, html in sections)
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body><h1>{escape(title)}</h1>"
        f'<p class="muted">{subtitle}</p><nav>{nav}</nav>{body}</body></html>'
    )


def table(head: Sequence[str], rows: Iterable[Sequence[Any]], raw: bool = False) -> str:
    """A table; numbers right-aligned, text escaped unless ``raw`` (cells already HTML)."""
    body = "".join("<tr>" + "".join(cell(v, raw) for v in row) + "</tr>" for row in rows)
    if not body:
        return '<p class="muted">None.</p>'
    head_html = "".join(f"<th>{escape(h)}</th>" for h in head)
    return f"<table><thead><tr>{head_html}</tr></thead><tbody>{body}</tbody></table>"


def cell(value: Any, raw: bool = False) -> str:
    """One ``<td>``: integers with thousands separators, floats to 4 significant digits."""
    if isinstance(value, bool):
        return f"<td>{'yes' if value else 'no'}</td>"
    if isinstance(value, int):
        return f'<td class="n">{value:,}</td>'
    if isinstance(value, float):
        text = "–" if math.isnan(value) else f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
        return f'<td class="n">{text}</td>'
    return f"<td>{value if raw else escape(str(value))}</td>"


def warning(title: str, lines: Sequence[str]) -> str:
    """A warning box (``lines`` are escaped)."""
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return f'<div class="warning"><strong>{escape(title)}</strong><ul>{items}</ul></div>'


def figure(caption: str, svg: str) -> str:
    """A chart with its caption."""
    return f"<figure><figcaption>{escape(caption)}</figcaption>{svg}</figure>"


def note(text: str) -> str:
    """A muted explanatory paragraph (``text`` is escaped)."""
    return f'<p class="muted">{escape(text)}</p>'
