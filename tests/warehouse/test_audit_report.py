"""The auditor report: what it counts for a day and 30 days, and that it renders offline with its charts."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hub_fixtures import DAY, load
from offline_browser import require_chromium

from connectors.base import SHANGHAI, Window, payload_hash
from connectors.hotline import HotlineConnector
from expectations.batch import check_batch
from warehouse import (
    BatchHeld,
    apply_gates,
    batch_profile,
    land_batch,
    make_engine,
    open_batch,
    read_landed,
    reject_batch,
    release_batch,
)
from warehouse.__main__ import main
from warehouse.quality.audit_report import gather, reason_label

pytestmark = pytest.mark.integration

TEMPLATE: dict[str, Any] = load("hotline", "workorders_page1.json")["data"]["items"][0]
HOUR = timedelta(hours=1)
PROBE = """({tables: document.querySelectorAll('table').length, charts: document.querySelectorAll('svg.trend').length,
  bars: document.querySelectorAll('svg.trend rect').length, lines: document.querySelectorAll('svg polyline').length,
  chartWidth: (document.querySelector('svg.trend') || {getBoundingClientRect: () => ({width: 0})})
    .getBoundingClientRect().width, scripts: document.scripts.length})"""


def _batch(engine: sa.Engine, window: Window, good: int, bad: int = 0, **changes: Any) -> str:
    created = f"{window.start.astimezone(SHANGHAI):%Y-%m-%d %H}:10:00"
    rows = [
        {
            **TEMPLATE,
            "order_no": f"GD{window.key[:8]}{window.key[9:13]}{i:04d}",
            "create_time": created,
            **changes,
        }
        for i in range(good + bad)
    ]
    for row in rows[good:]:
        row["caller_phone"] = "1389311"
    batch_id = open_batch(engine, "hotline", window.key, window.start, window.end)
    land_batch(engine, batch_id, "hotline", [(r["order_no"], payload_hash(r), r) for r in rows])
    checked = check_batch(
        HotlineConnector,
        read_landed(engine, batch_id),
        reference_time=window.end,
        profile=batch_profile(engine, batch_id),
    )
    try:
        apply_gates(engine, batch_id, checked)
    except BatchHeld:
        pass
    return batch_id


@pytest.fixture
def warehouse(migrated_url: str) -> str:
    engine = make_engine(migrated_url)
    _batch(engine, Window(DAY.start - timedelta(days=1), DAY.start), good=20)
    released = _batch(
        engine, Window(DAY.start - timedelta(days=2), DAY.start - timedelta(days=1)), good=20, bad=10
    )
    release_batch(engine, released, "qa-lead", "switch fault; the bad rows stay quarantined")
    _batch(engine, Window(DAY.start, DAY.start + HOUR), good=28, bad=2)
    emptied = _batch(engine, Window(DAY.start + HOUR, DAY.start + 2 * HOUR), good=25, content=None)
    reject_batch(engine, emptied, "auditor-1", "export lost its content column")
    _batch(engine, Window(DAY.start + 2 * HOUR, DAY.start + 3 * HOUR), good=20, bad=20)  # left held
    engine.dispose()
    return migrated_url


def test_report_counts_the_day_and_the_period_and_renders_offline(warehouse: str, tmp_path: Path) -> None:
    engine = make_engine(warehouse)
    data = gather(engine, DAY.start.date(), days=30)
    engine.dispose()
    day = data["daily"]["hotline"][DAY.start.date()]
    assert (day["batches"], day["checked"], day["passed"], day["quarantined"], day["pending"]) == (
        3,
        95,
        28,
        27,
        40,
    )
    assert sum(c["checked"] for c in data["daily"]["hotline"].values()) == 145
    assert data["reasons_day"]["hotline"]["phone: ExpectColumnValuesToBeValidPhone"] == 2
    assert data["reasons_day"]["hotline"]["batch rejected: export lost its content column"] == 25
    assert data["reasons_period"]["hotline"]["phone: ExpectColumnValuesToBeValidPhone"] == 12
    held = {b["status"]: b for b in data["held"]}
    assert set(held) == {"released", "rejected", "held"}
    assert held["released"]["decision"]["decided_by"] == "qa-lead" and held["held"]["decision"] is None
    assert len(data["runs"]) == 3 and len(data["gates"]) == 9
    assert (
        reason_label("unmappable: 3 cells, header has 11 (file jq_1.csv, line 7)")
        == "unmappable: 3 cells, header has 11"
    )

    out = tmp_path / "reports"
    assert main(["--url", warehouse, "report", "--day", DAY.start.date().isoformat(), "--out", str(out)]) == 0
    page = out / f"audit-{DAY.start.date().isoformat()}.html"
    html = page.read_text(encoding="utf-8")
    assert (
        "<script" not in html
        and "<link" not in html
        and "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )
    assert (
        "python -m warehouse quarantined hotline:" in html
        and "waiting: <code>python -m warehouse batch" in html
    )
    assert "rejected by auditor-1" in html and "released by qa-lead" in html
    if not warehouse.startswith("sqlite"):
        return  # the page is the same on both engines; render it once
    require_chromium()
    from headless import render

    rendered = render(page, tmp_path / "audit.png", probe=PROBE, settle=0.5)
    assert rendered.failed == {} and rendered.errors == []
    probe = rendered.probe
    assert probe["tables"] >= 8 and probe["charts"] == 1 and probe["scripts"] == 0, probe
    assert probe["bars"] >= 30 and probe["lines"] == 1 and probe["chartWidth"] > 400, probe
    assert rendered.screenshot is not None and rendered.screenshot.stat().st_size > 10_000


def test_an_empty_day_still_renders(migrated_url: str, tmp_path: Path) -> None:
    engine = make_engine(migrated_url)
    from warehouse.quality.audit_report import write_report

    page = write_report(engine, date(2026, 1, 1), tmp_path)
    engine.dispose()
    assert "No batches." in page.read_text(encoding="utf-8")
