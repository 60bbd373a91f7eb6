"""The read contract: every view column documented (live), the dictionary command, dashboard queries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from pool_data import assign, at, record, stage

from warehouse import make_engine, publish_matches
from warehouse.__main__ import main
from warehouse.access.dictionary import read_contract, undocumented
from warehouse.queries import query_names, run_query

pytestmark = pytest.mark.integration


def test_every_view_column_has_a_description_and_a_new_one_would_fail(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    views = read_contract(engine)
    assert len(views) >= 16 and undocumented(views) == []
    assert {"v_case", "v_group", "v_time_limit", "v_alert_feed", "v_audit_lineage"} <= {v.name for v in views}
    with engine.begin() as conn:  # a view added without documenting it is caught
        conn.execute(
            sa.text("CREATE VIEW v_case_extra AS SELECT case_id, status AS mystery FROM complaint_case")
        )
    assert undocumented(read_contract(engine)) == [
        "v_case_extra",
        "v_case_extra.case_id",
        "v_case_extra.mystery",
    ]
    engine.dispose()


def test_postgresql_carries_the_descriptions_as_column_comments(postgres_url: str) -> None:
    from warehouse import migrate

    migrate(postgres_url)
    engine = make_engine(postgres_url)
    with engine.connect() as conn:
        comment = conn.execute(
            sa.text(
                "SELECT col_description('v_case'::regclass, a.attnum) FROM pg_attribute a "
                "WHERE a.attrelid = 'v_case'::regclass AND a.attname = 'phone_masked'"
            )
        ).scalar()
        stored = conn.execute(
            sa.text(
                "SELECT description FROM view_column_doc WHERE view_name = 'v_case' "
                "AND column_name = 'phone_masked'"
            )
        ).scalar()
    assert comment == stored == "Phone, masked (138****1234)."
    engine.dispose()


def test_the_dictionary_command_writes_every_view(migrated_url: str, tmp_path: Path) -> None:
    out = tmp_path / "data_dictionary.md"
    assert main(["--url", migrated_url, "dictionary", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "## v_case\n" in text and "| `phone_masked` |" in text and "*(none)*" not in text


def _dashboard_pool(url: str) -> sa.Engine:
    engine = make_engine(url)
    stage(
        engine,
        [
            record(
                "app:a1",
                reported_at=at(9),
                phone="13800000001",
                name="张伟",
                district="城关区",
                category="劳资欠薪",
                received_at=at(9),
                dispatched_at=at(10),
            ),
            record(
                "hotline:h1",
                reported_at=at(9.5),
                phone="13800000001",
                district="城关区",
                category="劳资欠薪",
                received_at=at(9.5),
                contacted_at=at(9.4),
            ),
            record(
                "hotline:h2",
                reported_at=at(10),
                phone="13800000001",
                district="七里河区",
                category="物业纠纷",
                received_at=at(10),
                contacted_at=at(10.1),
            ),
            record(
                "petition:p3",
                reported_at=at(10, day=-7),
                phone="13900000003",
                district="城关区",
                category="其他",
                received_at=at(10, day=-7),
                contacted_at=at(10.2, day=-7),
                dispatched_at=at(11, day=-7),
            ),
        ],
    )
    publish_matches(
        engine,
        [
            assign("app:a1", "c1"),
            assign("hotline:h1", "c1"),
            assign("hotline:h2", "c2"),
            assign("petition:p3", "c3"),
        ],
        [],
        [],
        [],
    )
    return engine


def test_the_dashboard_queries_run_on_the_views(migrated_url: str) -> None:
    engine = _dashboard_pool(migrated_url)
    assert set(query_names()) == {
        "cases_by_district_this_week",
        "repeat_complainants",
        "reports_per_channel_per_day",
        "overdue_cases",
        "group_hotspots",
        "scorecard",  # tested with its data in tests/alerting/test_scorecard.py
    }
    week = run_query(engine, "cases_by_district_this_week", week_start=date(2026, 11, 16))
    assert [(r["district"], r["n_cases"], r["n_reports"]) for r in week] == [
        ("七里河区", 1, 1),
        ("城关区", 1, 2),
    ]
    (repeat,) = run_query(engine, "repeat_complainants", min_cases=2)
    assert (repeat["n_cases"], repeat["phone_masked"], repeat["name_masked"]) == (2, "138****0001", "张**")
    daily = run_query(
        engine, "reports_per_channel_per_day", date_from=date(2026, 11, 20), date_to=date(2026, 11, 20)
    )
    assert [(str(r["report_date"]), r["channel"], r["n_reports"]) for r in daily] == [
        ("2026-11-20", "app", 1),
        ("2026-11-20", "hotline", 2),
    ]
    overdue = run_query(engine, "overdue_cases", as_of=at(12, day=1))
    # c1 was contacted (by the hotline) within 30 minutes of its first receipt and dispatched within 24 h;
    # c2 was never dispatched; c3 was on time on both.
    assert [(r["case_id"], r["contact_overdue"], r["dispatch_overdue"]) for r in overdue] == [("c2", 0, 1)]
    assert run_query(engine, "overdue_cases", as_of=at(12)) == []
    assert run_query(engine, "group_hotspots", min_cases=2) == []
    engine.dispose()
