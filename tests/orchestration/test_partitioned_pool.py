"""The pool DAG's partitioned pass (plan → score per partition → publish) through the warehouse's work
tables gives the very pool the one-step pass gives, for 1 and for 8 partitions, on both engines."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from pool_data import records_by_day, stage

from connectors.base import SHANGHAI, Window
from orchestration.pool import match_and_publish, plan_pass, publish_pass, score_shard
from simulators.world import generate_world
from warehouse import make_engine, migrate

pytestmark = [pytest.mark.integration, pytest.mark.slow]

START = date(2026, 11, 18)
# What a reader sees of the pool, without the publish's wall-clock columns.
POOL_QUERIES = {
    "case_member": "SELECT record_id, case_id, match_probability, matched_record_id, batch_id FROM case_member",
    "complaint_case": "SELECT case_id, status, merged_into, n_records, n_channels, created_batch_id, "
    "updated_batch_id, name, category, district, topic, group_key, current_status FROM complaint_case",
    "case_history": "SELECT case_id, event, related_id, batch_id FROM case_history",
    "match_pair": "SELECT record_id_l, record_id_r, match_weight, match_probability, decision FROM match_pair",
    "match_key": "SELECT rule, key, record_id FROM match_key",
    "work_rows": "SELECT 'left', count(*) FROM match_run_record",
}


def _days() -> list[list[dict[str, Any]]]:
    """Two days of simulated reports as canonical records, one list per day."""
    return records_by_day(generate_world(seed=13, n_records=900, start=START, days=2).rows, START, 2)


@pytest.fixture(scope="module")
def days() -> list[list[dict[str, Any]]]:
    return _days()


def _pool(url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        out = {
            name: sorted(tuple(r) for r in conn.execute(sa.text(sql)).all())
            for name, sql in POOL_QUERIES.items()
        }
    engine.dispose()
    return out


def _no_standardising(*args: Any, **kwargs: Any) -> Any:
    raise AssertionError("the plan stored the standardised records: nothing may standardise them again")


def _run(
    url: str, days: list[list[dict[str, Any]]], partitions: int | None, monkeypatch: pytest.MonkeyPatch
) -> dict[str, list[tuple[Any, ...]]]:
    """Stage day 1, match; stage day 2, match (against the pool day 1 built); return the pool."""
    import matching.normalize
    import matching.partitions

    migrate(url)
    engine = make_engine(url)
    for index, records in enumerate(days):
        start = datetime(START.year, START.month, START.day, tzinfo=SHANGHAI) + timedelta(days=index)
        batch_ids = stage(engine, records, Window(start, start + timedelta(days=1)))
        if partitions is None:
            match_and_publish(batch_ids)
            continue
        run_id = f"asset_triggered__day{index}"
        shards = plan_pass(run_id, batch_ids, partitions)
        assert shards and set(shards) <= set(range(partitions))
        with engine.connect() as conn:  # the snapshot carries the plan's standardised columns
            stored = conn.execute(
                sa.text(
                    "SELECT count(*), count(name_fuzzy), count(reported_days), "
                    "count(phone_mobile) FROM match_run_record"
                )
            ).one()
        assert stored[0] > 0 and stored[1] > 0 and stored[2] == stored[3] == stored[0]
        _assert_plan_counts_the_pool(engine, index)
        with monkeypatch.context() as patch:
            patch.setattr(matching.normalize, "standardise", _no_standardising)
            patch.setattr(matching.partitions, "standardise", _no_standardising)
            for shard in shards:
                score_shard(run_id, shard)
            published = publish_pass(run_id)
        assert published["batch_ids"] == batch_ids
        assert publish_pass(run_id) == {}  # a retry after the commit: no plan left, nothing written
    engine.dispose()
    return _pool(url)


def _assert_plan_counts_the_pool(engine: sa.Engine, day: int) -> None:
    """The plan stores, per frequency column, how many records of the pool and the pass carry each value
    its new records carry: on day 2 some of those are day 1's pooled records, which the pass did not fetch."""
    from matching import load_settings
    from matching.frequencies import frequency_columns

    with engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT value_counts FROM match_run")).scalar_one()
        new = conn.execute(sa.text("SELECT address_key FROM match_run_record WHERE is_new")).scalars().all()
    counts = json.loads(stored) if isinstance(stored, str) else stored
    assert set(counts) == set(frequency_columns(load_settings()))
    in_pass = Counter(v for v in new if v is not None)
    beyond = sum(counts["address_key"][value] > n for value, n in in_pass.items())
    assert (beyond > 0) == (day > 0), beyond


def test_one_and_eight_partitions_publish_the_same_pool(
    days: list[list[dict[str, Any]]],
    tmp_path: Any,
    warehouse_url: str,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    urls = {}
    for label in ("one_step", "p1", "p8"):
        if warehouse_url.startswith("sqlite"):
            urls[label] = f"sqlite:///{tmp_path / label}.db"
        else:
            urls[label] = (
                request.getfixturevalue("postgres_url") if label == "one_step" else _another_db(request)
            )
    pools = {}
    for label, partitions in (("one_step", None), ("p1", 1), ("p8", 8)):
        monkeypatch.setenv("HUB_DATABASE_URL", urls[label])
        pools[label] = _run(urls[label], days, partitions, monkeypatch)
    assert len(pools["p1"]["case_member"]) > 500 and pools["p1"]["match_pair"]
    assert pools["p1"]["work_rows"] == [("left", 0)]
    assert {rule for rule, _, _ in pools["p1"]["match_key"] if rule.startswith("frequency:")}
    for table in POOL_QUERIES:
        assert pools["p8"][table] == pools["p1"][table], table
        assert pools["p1"][table] == pools["one_step"][table], table


def _another_db(request: pytest.FixtureRequest) -> str:
    """One more throwaway PostgreSQL database (the ``postgres_url`` fixture gives one per test)."""
    import uuid

    from warehouse.engine import with_driver

    admin_url = request.getfixturevalue("postgres_admin_url")
    name = f"hub_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(with_driver(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    request.addfinalizer(drop)
    return sa.make_url(with_driver(admin_url)).set(database=name).render_as_string(hide_password=False)
