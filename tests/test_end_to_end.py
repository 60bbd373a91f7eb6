"""The whole flow under `airflow dags test`, on SQLite and on PostgreSQL: accounting, merging, re-runs."""

from __future__ import annotations

import csv
import secrets
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from embedded import Embedded, airflow_env, generate_sources, run_dag, simulator_server, summarise

pytestmark = [pytest.mark.integration, pytest.mark.slow]

RECORDS = 1500
# A manual run of a data-interval timetable covers the interval that ENDS at its logical date:
# 2026-11-21 00:00 Beijing time runs the window [2026-11-20 00:00, 2026-11-21 00:00).
LOGICAL_DATE = "2026-11-21T00:00:00+08:00"
POOL_TABLES = (
    "complaint_case",
    "case_member",
    "case_history",
    "match_pair",
    "complaint_record",
    "landing_record",
    "quarantine_record",
    "batch",
    "dq_result",
    "match_key",
)


def _table_counts(url: str) -> dict[str, int]:
    from warehouse import make_engine

    engine = make_engine(url)
    with engine.connect() as conn:
        counts = {
            t: int(conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in POOL_TABLES
        }
    engine.dispose()
    return counts


def _run_twice(
    tmp_path: Path, database_url: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, int], dict[str, int], Embedded]:
    emb = Embedded(var=tmp_path / "var", database_url=database_url)
    manifest = generate_sources(emb, seed=11, records=RECORDS, start="2026-11-20", days=1)
    token = secrets.token_urlsafe(8)
    with simulator_server(emb, token) as url:
        env = airflow_env(emb, url, token)
        run_dag(env, LOGICAL_DATE)
        first, counts_first = summarise(database_url, emb.sources / "truth.csv"), _table_counts(database_url)
        run_dag(env, LOGICAL_DATE)  # the same DAG run again
        second, counts_second = (
            summarise(database_url, emb.sources / "truth.csv"),
            _table_counts(database_url),
        )
    assert sum(n for source, n in manifest["counts"].items() if source != "netizen") == RECORDS
    return first, second, counts_first, counts_second, emb


def _check(
    first: dict[str, Any],
    second: dict[str, Any],
    counts_first: dict[str, int],
    counts_second: dict[str, int],
    emb: Embedded,
) -> None:
    assert set(first["sources"]) == {"petition", "police", "hotline", "app", "netizen"}
    for source, c in first["sources"].items():
        assert c["fetched"] == c["landed"] + c["quarantined"] + c["unchanged"], source
        assert c["fetched"] > 0 and c["landed"] > 0, source
    assert sum(c["quarantined"] for c in first["sources"].values()) > 0  # the simulators inject bad rows
    assert first["records_in_pool"] == sum(c["landed"] for c in first["sources"].values())
    assert first["precision"] >= 0.9 and first["recall"] >= 0.9, first

    # Known duplicates merged: every multi-channel case in the truth is one case in the pool.
    with (emb.sources / "truth.csv").open(encoding="utf-8") as handle:
        truth = list(csv.DictReader(handle))
    from warehouse import make_engine

    engine = make_engine(emb.database_url)
    with engine.connect() as conn:
        case_of: dict[str, str] = dict(
            conn.execute(sa.text("SELECT record_id, case_id FROM case_member")).tuples().all()
        )
    engine.dispose()
    by_case: dict[str, set[str]] = defaultdict(set)
    for row in truth:
        if row["record_id"] in case_of:
            by_case[row["case_key"]].add(case_of[row["record_id"]])
    multi = [
        cases
        for key, cases in by_case.items()
        if sum(1 for r in truth if r["case_key"] == key and r["record_id"] in case_of) > 1
    ]
    assert multi and sum(len(c) == 1 for c in multi) / len(multi) >= 0.9

    # A second run of the same DAG run changes nothing.
    assert counts_second == counts_first
    for source, c in second["sources"].items():
        assert c == first["sources"][source], source
    assert (second["cases"], second["precision"], second["recall"]) == (
        first["cases"],
        first["precision"],
        first["recall"],
    )


def test_end_to_end_on_sqlite(tmp_path: Path) -> None:
    _check(*_run_twice(tmp_path, f"sqlite:///{tmp_path / 'hub.db'}"))


def test_end_to_end_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    _check(*_run_twice(tmp_path, postgres_url))
