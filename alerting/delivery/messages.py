"""What a district receives for one alert event: colour, list, 第N期, rule, evidence, links to the cases.

Masked as the reader role sees the pool: every free text passes through the warehouse's mask (phones and
identity numbers found by :mod:`chinese_text.identities`), and subjects are case ids, group ids or the
complainant's keyed hash, never a raw identity.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from alerting.calendar import SHANGHAI
from warehouse.derive.columns import mask_identities

COLOUR_NAMES = {"red": "红色", "orange": "橙色", "yellow": "黄色"}
COLOUR_MARKS = {"red": "🔴", "orange": "🟠", "yellow": "🟡"}
EVENT_NAMES = {
    "issued": "新发",
    "updated": "更新",
    "escalated": "升级",
    "downgraded": "降级",
    "closed": "解除",
}
CASES_SHOWN = 10  # a group alert names dozens of cases: the first ones are linked, the rest counted


@dataclass(frozen=True)
class Message:
    """One message in the three forms the channels need: a subject line, Markdown and plain text."""

    title: str
    markdown: str
    text: str


def _masked(value: Any) -> str:
    """``value`` as text with its phones and identity numbers masked (``None`` is empty)."""
    if value is None:
        return ""
    return mask_identities(str(value)) or ""


def alert_message(row: Mapping[str, Any], console_url: str) -> Message:
    """The message for one alert event.

    Args:
        row: the event joined to its alert (``alerting.delivery.outbox.DUE_COLUMNS``).
        console_url: the console's base URL; each case links to ``<console_url>/cases/<case_id>``.
    """
    evidence = row["evidence"]
    if isinstance(evidence, str):  # JSON as text on SQLite
        evidence = json.loads(evidence)
    colour, event = row["colour"], row["event"]
    number = f"{row['issue_period']} 第{row['issue_no']}期"
    rule = _masked(evidence.get("rule") or row["rule_id"])
    place = " ".join(_masked(p) for p in (row["district"], row["street"]) if p) or "未定区县"
    title = f"【{COLOUR_NAMES.get(colour, colour)}·{row['list_name']}】{number} {rule} · {place}（{EVENT_NAMES.get(event, event)}）"
    cases = [str(c) for c in evidence.get("case_ids", [])]
    overdue = [str(c) for c in evidence.get("overdue_case_ids", [])]
    as_of = row["as_of"].astimezone(SHANGHAI) if isinstance(row["as_of"], datetime) else row["as_of"]
    facts = [
        ("责任单位", place),
        ("类别", " · ".join(_masked(v) for v in (row["category"], row["topic"]) if v) or "—"),
        (
            "依据",
            f"{evidence.get('n_cases', row['n_cases'])} 件案件，{evidence.get('n_complainants', row['n_complainants'])} "
            f"名投诉人，{evidence.get('n_reports', row['n_reports'])} 次反映，{evidence.get('n_channels', 0)} 个渠道"
            f"（{'、'.join(_masked(c) for c in evidence.get('channels', [])) or '—'}）",
        ),
        ("信访", "是" if evidence.get("petition") else "否"),
        (
            "超期案件",
            "、".join(overdue[:CASES_SHOWN])
            + (f" 等 {len(overdue)} 件" if len(overdue) > CASES_SHOWN else "")
            if overdue
            else "无",
        ),
        ("统计窗口", f"近 {evidence.get('window_days', '—')} 天，截至 {as_of:%Y-%m-%d %H:%M}（北京时间）"),
    ]
    links = [(c, f"{console_url}/cases/{quote(c, safe='')}") for c in cases[:CASES_SHOWN]]
    more = f" 等 {len(cases)} 件" if len(cases) > CASES_SHOWN else ""
    head = f"{COLOUR_MARKS.get(colour, '')} {title}".strip()
    markdown = "\n".join(
        [
            f"### {head}",
            "",
            *(f"- **{k}**：{v}" for k, v in facts),
            f"- **案件**：{' · '.join(f'[{c}]({url})' for c, url in links) or '—'}{more}",
            "",
            f"预警编号 {_masked(row['alert_key'])}",
        ]
    )
    text = "\n".join(
        [
            head,
            *(f"{k}：{v}" for k, v in facts),
            "案件：" + ("；".join(f"{c} {url}" for c, url in links) or "—") + more,
            f"预警编号 {_masked(row['alert_key'])}",
        ]
    )
    return Message(title, markdown, text)
