"""Bulletins: daily per district, weekly and monthly, self-contained HTML showing every colour."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from offline_browser import require_chromium
from pool_data import DAY, assign, at, record, stage

from alerting import run_alerts
from alerting.bulletin import report_day, write_bulletins
from alerting.lifecycle import apply_firings
from warehouse import make_engine, publish_matches

pytestmark = pytest.mark.integration


def _firing(key: str, colour: str, district: str) -> dict[str, object]:
    return {
        "alert_key": f"r:{key}",
        "rule_id": "r",
        "subject_kind": "group",
        "subject_id": key,
        "colour": colour,
        "list_name": {"yellow": "提示单", "orange": "预警单", "red": "督办单"}[colour],
        "district": district,
        "street": "雁南街道",
        "category": "劳资欠薪",
        "topic": f"项目{key}",
        "n_cases": 3,
        "n_complainants": 3,
        "n_reports": 4,
        "evidence": {"rule": "群体性纠纷苗头", "case_ids": ["c0"], "n_channels": 2},
    }


@pytest.fixture
def bulletins(migrated_url: str, tmp_path: Path) -> dict[str, Path]:
    engine = make_engine(migrated_url)
    stage(
        engine,
        [
            record(
                "hotline:h1", category="劳资欠薪", district="城关区", received_at=at(9), phone="13800000001"
            )
        ],
    )
    publish_matches(engine, [assign("hotline:h1", "c0")], [], [], [])
    run_alerts(engine, DAY.end)  # clocks of the one case
    with engine.begin() as conn:
        apply_firings(
            conn,
            pd.DataFrame(
                [
                    _firing("1", "red", "城关区"),
                    _firing("2", "orange", "城关区"),
                    _firing("3", "yellow", "安宁区"),
                ]
            ),
            DAY.end,
            "2026-11",
        )
    paths = write_bulletins(engine, report_day(DAY.end), tmp_path / "bulletins")
    engine.dispose()
    return paths


def test_bulletins_are_self_contained_and_show_every_colour(bulletins: dict[str, Path]) -> None:
    assert report_day(DAY.end) == date(2026, 11, 20)
    assert bulletins["weekly"].name == "2026-W47.html" and bulletins["monthly"].name == "2026-11.html"
    folder = bulletins["daily"].parent
    assert {p.name for p in folder.glob("*.html")} == {"index.html", "城关区.html", "安宁区.html"}
    for page in [*folder.glob("*.html"), bulletins["weekly"], bulletins["monthly"]]:
        html = page.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), page
        assert "<script" not in html and "<svg" in html
    city = bulletins["daily"].read_text(encoding="utf-8")
    for text in (
        "督办单 2026-11 第1期",
        "预警单 2026-11 第1期",
        "提示单 2026-11 第1期",
        "红色 督办单",
        "时限执行情况",
    ):
        assert text in city
    district = (folder / "安宁区.html").read_text(encoding="utf-8")
    assert "提示单 2026-11 第1期" in district and "督办单 2026-11" not in district


def test_the_quarterly_bulletin_has_the_scorecards_the_levels_and_the_calendar_notice(
    bulletins: dict[str, Path],
) -> None:
    assert bulletins["quarterly"].name == "2026-Q4.html"
    quarterly = bulletins["quarterly"].read_text(encoding="utf-8")
    assert "季报" in quarterly and "2026年第4季度" in quarterly
    # The one hotline case of the fixture, received that day: 响应率 0/1 city-wide and in its district.
    assert (
        "考评（各区县）" in quarterly
        and "按期办结率" in quarterly
        and "0.0%<small> (0/1)</small>" in quarterly
    )
    assert "四级联动" in quarterly and "街道乡镇：雁南街道" in bulletins["daily"].read_text(encoding="utf-8")
    # 20 November 2026: 41 days before the calendar's end on 31 December.
    assert "工作日历仅覆盖至 2026-12-31（还剩 41 天）" in quarterly


@pytest.mark.unit
def test_the_calendar_notice_starts_60_days_before_the_calendar_ends() -> None:
    from alerting.bulletin_sections import calendar_notice

    assert calendar_notice(date(2026, 10, 31)) == ""
    assert "还剩 60 天" in calendar_notice(date(2026, 11, 1))


def test_the_city_bulletin_renders_offline(bulletins: dict[str, Path], tmp_path: Path) -> None:
    require_chromium()
    from headless import render

    probe = "({svgs: document.querySelectorAll('svg').length, rows: document.querySelectorAll('tr').length})"
    rendered = render(bulletins["daily"], tmp_path / "page.png", probe=probe, settle=0.5)
    assert rendered.failed == {} and rendered.errors == []
    assert all(url.startswith(("file://", "data:")) for url in rendered.requested), rendered.requested
    assert rendered.probe["svgs"] >= 3 and rendered.probe["rows"] >= 4


def test_a_week_later_the_weekly_summary_counts_by_day(migrated_url: str, tmp_path: Path) -> None:
    engine = make_engine(migrated_url)
    with engine.begin() as conn:
        apply_firings(conn, pd.DataFrame([_firing("1", "red", "城关区")]), DAY.end, "2026-11")
    with engine.begin() as conn:
        apply_firings(
            conn,
            pd.DataFrame([_firing("1", "red", "城关区"), _firing("2", "yellow", "城关区")]),
            DAY.end + timedelta(days=1),
            "2026-11",
        )
    paths = write_bulletins(engine, date(2026, 11, 21), tmp_path)
    weekly = paths["weekly"].read_text(encoding="utf-8")
    assert "每日新发预警" in weekly and "11-20" in weekly and "11-21" in weekly
    engine.dispose()


def test_the_weekly_new_alerts_chart_counts_only_alerts_issued_that_week(
    migrated_url: str, tmp_path: Path
) -> None:
    engine = make_engine(migrated_url)
    with engine.begin() as conn:  # issued on Tuesday 10 Nov (the run at midnight after it), still open
        apply_firings(
            conn, pd.DataFrame([_firing("1", "red", "城关区")]), DAY.end - timedelta(days=10), "2026-11"
        )
    with engine.begin() as conn:
        apply_firings(
            conn,
            pd.DataFrame([_firing("1", "red", "城关区"), _firing("2", "yellow", "城关区")]),
            DAY.end,
            "2026-11",
        )
    weekly = write_bulletins(engine, date(2026, 11, 20), tmp_path)["weekly"].read_text(encoding="utf-8")
    chart = weekly.split("每日新发预警", 1)[1].split("</svg>", 1)[0]
    assert "11-20" in chart and "11-10" not in chart  # the older alert is in the lists, not among the new
    engine.dispose()
