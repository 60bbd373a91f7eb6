"""The auditors' data-quality report: for one day and the 30 days up to it, per source, from the warehouse.

`python -m warehouse report --day 2026-11-20 --out var/reports/` writes ``audit-2026-11-20.html``: one
static page, no scripts, no CDN, charts as inline SVG, so it opens on a closed network. Days are
Beijing days of the batch windows. Raw payloads are not copied into the page (they hold personal
data); each quarantined row names its batch and the command that prints its payload.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from warehouse.quality._report_html import render_report
from warehouse.schema import (
    Batch,
    BatchDecision,
    BatchGate,
    DqResult,
    QuarantineRecord,
    ValidationRun,
    table_of,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
ROWS_LISTED = 200
"""Quarantined rows listed per source on the page; the rest are counted (the command shows any of them)."""
_LOCATION = re.compile(r"\s*\(file [^)]*\)$")


def reason_label(reason: str) -> str:
    """A quarantine reason without row-specific detail, to count by (``… (file x, line 3)`` loses the place)."""
    return _LOCATION.sub("", reason)


def gather(engine: sa.Engine, day: date, days: int = 30) -> dict[str, Any]:
    """Read what the report shows for ``day`` and the ``days`` days ending with it.

    Args:
        engine: the warehouse.
        day: the reported (Beijing) day.
        days: length of the trend period, ``day`` included.

    Returns:
        The report's data: per-source daily counts, quarantine reasons, held batches and decisions,
        and for ``day`` its batches, gates, validation runs, failed expectations and quarantined rows.
    """
    first = day - timedelta(days=days - 1)
    since = datetime.combine(first, time(), SHANGHAI)
    until = datetime.combine(day + timedelta(days=1), time(), SHANGHAI)
    b, q = table_of(Batch), table_of(QuarantineRecord)
    in_period = sa.and_(b.c.window_start >= since, b.c.window_start < until)
    with engine.connect() as conn:
        batches = [
            dict(r)
            for r in conn.execute(
                sa.select(b).where(in_period).order_by(b.c.window_start, b.c.source)
            ).mappings()
        ]
        quarantine = (
            conn.execute(
                sa.select(q.c.batch_id, q.c.source, q.c.source_record_id, q.c.landing_id, q.c.reasons)
                .join(b, b.c.batch_id == q.c.batch_id)
                .where(in_period)
                .order_by(q.c.source, q.c.source_record_id)
            )
            .mappings()
            .all()
        )
        decisions = _latest_decisions(conn, [x["batch_id"] for x in batches if x["held_gate"]])
        day_ids = [x["batch_id"] for x in batches if _day(x) == day]
        gates = _rows(conn, table_of(BatchGate), day_ids, "gate")
        runs = _rows(conn, table_of(ValidationRun), day_ids, "finished_at", exclude=("result",))
        failed = [r for r in _rows(conn, table_of(DqResult), day_ids, "dq_result_id") if not r["success"]]
    day_of = {x["batch_id"]: _day(x) for x in batches}
    daily: dict[str, dict[date, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for x in batches:
        counts = daily[x["source"]][_day(x)]
        checked = x["fetched"] - x["unchanged"]
        counts.update(
            batches=1,
            fetched=x["fetched"],
            checked=checked,
            passed=x["landed"],
            quarantined=x["quarantined"],
            pending=checked if x["status"] == "held" else 0,
        )
    reasons_day: dict[str, Counter[str]] = defaultdict(Counter)
    reasons_period: dict[str, Counter[str]] = defaultdict(Counter)
    listed: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in quarantine:
        labels = {reason_label(r) for r in row["reasons"] or []}
        reasons_period[row["source"]].update(labels)
        if day_of[row["batch_id"]] == day:
            reasons_day[row["source"]].update(labels)
            listed[row["source"]].append(dict(row))
    return {
        "day": day,
        "first": first,
        "days": [first + timedelta(days=i) for i in range(days)],
        "generated_at": datetime.now(UTC).astimezone(SHANGHAI),
        "sources": sorted(daily),
        "daily": daily,
        "reasons_day": reasons_day,
        "reasons_period": reasons_period,
        "held": [x | {"decision": decisions.get(x["batch_id"])} for x in batches if x["held_gate"]],
        "day_batches": [x for x in batches if x["batch_id"] in set(day_ids)],
        "gates": gates,
        "runs": runs,
        "failed_expectations": failed,
        "quarantined_rows": {s: rows[:ROWS_LISTED] for s, rows in listed.items()},
        "quarantined_total": {s: len(rows) for s, rows in listed.items()},
    }


def write_report(engine: sa.Engine, day: date, out: Path, days: int = 30) -> Path:
    """Write the report for ``day`` into ``out`` and return the page's path.

    Args:
        engine: the warehouse.
        day: the reported (Beijing) day.
        out: the folder (created if needed); GX Data Docs built into ``out/data_docs`` are linked.
        days: length of the trend period.

    Returns:
        The path of ``audit-<day>.html``.
    """
    out.mkdir(parents=True, exist_ok=True)
    docs = out / "data_docs" / "index.html"
    page = render_report(
        gather(engine, day, days), data_docs="data_docs/index.html" if docs.exists() else None
    )
    path = out / f"audit-{day.isoformat()}.html"
    path.write_text(page, encoding="utf-8")
    return path


def _day(batch: dict[str, Any]) -> date:
    moment: datetime = batch["window_start"]
    return moment.astimezone(SHANGHAI).date()


def _rows(
    conn: sa.Connection, table: sa.Table, batch_ids: list[str], order: str, exclude: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    if not batch_ids:
        return []
    columns = [c for c in table.c if c.name not in exclude]
    query = (
        sa.select(*columns).where(table.c.batch_id.in_(batch_ids)).order_by(table.c.batch_id, table.c[order])
    )
    return [dict(r) for r in conn.execute(query).mappings()]


def _latest_decisions(conn: sa.Connection, batch_ids: list[str]) -> dict[str, dict[str, Any]]:
    d = table_of(BatchDecision)
    if not batch_ids:
        return {}
    rows = conn.execute(sa.select(d).where(d.c.batch_id.in_(batch_ids)).order_by(d.c.decision_id)).mappings()
    return {row["batch_id"]: dict(row) for row in rows}  # the last decision of each batch wins
