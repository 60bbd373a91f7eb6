"""GX Data Docs build as a static site that renders with the network blocked."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hub_fixtures import DAY, load
from offline_browser import require_chromium

from connectors.hotline import HotlineConnector
from expectations.batch import check_batch
from expectations.docs import build_data_docs, external_loads, missing_local_loads

pytestmark = [pytest.mark.integration, pytest.mark.slow]

VENDOR = Path(__file__).resolve().parents[2] / "var" / "vendor"  # fetched once, shared by every run
# Bootstrap makes the navbar a flexbox; bootstrap-table wraps each table; jQuery, Vega-Embed are globals.
PROBE = """({tables: document.querySelectorAll('table').length,
  bootstrapTables: document.querySelectorAll('.bootstrap-table').length,
  navbar: getComputedStyle(document.querySelector('nav.navbar')).display,
  icons: getComputedStyle(document.querySelector('.fas, .fa, .far') || document.body).fontFamily,
  jquery: typeof window.jQuery, vegaEmbed: typeof window.vegaEmbed})"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    item = load("hotline", "workorders_page1.json")["data"]["items"][0]
    landed = [
        (
            i,
            f"GD{i:04d}",
            {**item, "order_no": f"GD{i:04d}", "caller_phone": "1389" if i % 4 else "13893112345"},
        )
        for i in range(12)
    ]
    checked = check_batch(HotlineConnector, landed, reference_time=DAY.end)
    run = {
        "batch_id": f"hotline:{DAY.key}",
        "finished_at": datetime(2026, 11, 21, 1, tzinfo=UTC),
        "result": checked.run["result"],
    }
    out = tmp_path_factory.mktemp("reports") / "data_docs"
    build_data_docs(out, [run], VENDOR)
    return out


def test_every_page_loads_only_local_files(site: Path) -> None:
    pages = sorted(str(p.relative_to(site)) for p in site.rglob("*.html") if "vendor" not in p.parts)
    assert "index.html" in pages and any(p.startswith("validations/") for p in pages)
    assert any(p.startswith("expectations/complaints/") for p in pages)
    assert external_loads(site) == {}
    assert missing_local_loads(site) == {}
    validation = next(site.glob("validations/**/*.html")).read_text(encoding="utf-8")
    assert "1389" not in validation and "****" in validation  # the failing phones, masked


@pytest.mark.parametrize("page", ["index.html", "validations"], ids=["index", "validation result"])
def test_pages_render_in_chromium_with_the_network_blocked(site: Path, page: str, tmp_path: Path) -> None:
    require_chromium()
    from headless import render

    path = site / page if page.endswith(".html") else next(site.glob("validations/**/*.html"))
    rendered = render(path, tmp_path / "page.png", probe=PROBE, settle=1.0)
    assert rendered.failed == {} and rendered.errors == []
    assert all(url.startswith(("file://", "data:")) for url in rendered.requested), rendered.requested
    probe = rendered.probe
    assert probe["tables"] >= 1 and probe["bootstrapTables"] >= 1, probe
    assert (probe["navbar"], probe["jquery"], probe["vegaEmbed"]) == ("flex", "function", "function"), probe
    assert "Font Awesome" in probe["icons"], probe
    assert rendered.screenshot is not None and rendered.screenshot.stat().st_size > 10_000
