"""OpenLineage: a demo-like run's events, written by the provider's file transport, chain every source
through landing, staging and the pool to the alerts, with the batch and its counts on the runs."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from embedded import Embedded

from orchestration.lineage import HubBatchRunFacet, task_data

Dataset = tuple[str, str]
# The stages of the flow, each named by the warehouse table a stage writes.
STAGES = ("landing_record", "complaint_record", "complaint_case", "alert")


def _events(var: Path) -> list[dict[str, Any]]:
    files = sorted((var / "lineage").glob("*.json"))
    assert files, f"no OpenLineage event in {var / 'lineage'}"
    return [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line]


def _jobs(events: list[dict[str, Any]]) -> dict[str, tuple[set[Dataset], set[Dataset]]]:
    """Each job's inputs and outputs over its completed runs."""
    jobs: dict[str, tuple[set[Dataset], set[Dataset]]] = defaultdict(lambda: (set(), set()))
    for event in events:
        if event["eventType"] == "COMPLETE":
            inputs, outputs = jobs[event["job"]["name"]]
            inputs.update((d["namespace"], d["name"]) for d in event.get("inputs", []))
            outputs.update((d["namespace"], d["name"]) for d in event.get("outputs", []))
    return jobs


def _is(dataset: Dataset, table: str) -> bool:
    return dataset[1].rsplit(".", 1)[-1] == table


def _chain(jobs: dict[str, tuple[set[Dataset], set[Dataset]]], source: Dataset) -> list[str]:
    """The jobs leading from ``source`` through the stages: each job reads a dataset the one before wrote
    and writes its stage's table. Empty when the chain breaks."""
    chain: list[str] = []
    reachable = {source}
    for stage in STAGES:
        step = next(
            (
                name
                for name, (inputs, outputs) in sorted(jobs.items())
                if inputs & reachable and any(_is(d, stage) for d in outputs)
            ),
            None,
        )
        if step is None:
            return []
        chain.append(step)
        reachable = jobs[step][1]
    return chain


@pytest.mark.integration
@pytest.mark.slow
def test_a_demo_run_writes_events_chaining_each_source_to_the_alerts(demo_run: Embedded) -> None:
    events = _events(demo_run.var)
    assert {e["job"]["namespace"] for e in events} == {"complaint-hub"}
    jobs = _jobs(events)
    extract = jobs["complaint_hub.extract"]
    sources = extract[0]
    # Five sources: the two APIs (http), the petition database's table, the two drop folders (file).
    assert len(sources) == 5
    assert {ns.split("://")[0] for ns, _ in sources} == {"http", "sqlite", "file"}
    for source in sorted(sources):
        assert _chain(jobs, source) == [
            "complaint_hub.extract",
            "complaint_hub.validate",
            "complaint_hub.match_and_publish",
            "complaint_alerts.evaluate",
        ], source
    # Every warehouse dataset is named in the warehouse's own namespace (the SQLite file).
    warehouse_ns = f"{Path(demo_run.var / 'hub.db').resolve()}"
    assert all(ns.endswith(warehouse_ns) for ns, _ in extract[1])


@pytest.mark.integration
@pytest.mark.slow
def test_runs_carry_the_batch_and_its_counts(demo_run: Embedded) -> None:
    events = [e for e in _events(demo_run.var) if e["eventType"] == "COMPLETE"]
    validated = {
        e["run"]["facets"]["hubBatch"]["batchIds"][0]: e["run"]["facets"]["hubBatch"]
        for e in events
        if e["job"]["name"] == "complaint_hub.validate"
    }
    engine = sa.create_engine(demo_run.database_url)
    with engine.connect() as conn:
        batches = {
            batch_id: {"fetched": f, "landed": ld, "quarantined": q, "unchanged": u}
            for batch_id, f, ld, q, u in conn.execute(
                sa.text("SELECT batch_id, fetched, landed, quarantined, unchanged FROM batch")
            )
        }
        cases = conn.execute(sa.text("SELECT count(*) FROM complaint_case")).scalar_one()
    engine.dispose()
    assert set(validated) == set(batches)
    for batch_id, facet in validated.items():
        assert {k: facet["counts"][k] for k in batches[batch_id]} == batches[batch_id], batch_id
        assert facet["_schemaURL"].endswith("HubBatchRunFacet.json")
    (published,) = [e for e in events if e["job"]["name"] == "complaint_hub.match_and_publish"]
    facet = published["run"]["facets"]["hubBatch"]
    assert sorted(facet["batchIds"]) == sorted(batches)
    assert facet["counts"]["new_cases"] == cases


@pytest.mark.parametrize(
    ("task_id", "args", "result", "inputs", "outputs"),
    [
        pytest.param(
            "validate",
            {"batch_id": "app:w"},
            {"landed": 3},
            {"landing_record"},
            {"complaint_record"},
            id="validate",
        ),
        pytest.param(
            "evaluate",
            {},
            "2026-11-20T16:00:00+00:00",
            {"v_alert_feed"},
            {"alert", "time_limit_clock"},
            id="alerts",
        ),
        pytest.param(
            "score", {"shard": 1}, 12, {"match_run_record"}, {"match_run_pair"}, id="a pool partition"
        ),
    ],
)
def test_each_task_names_its_tables(
    monkeypatch: pytest.MonkeyPatch,
    task_id: str,
    args: dict[str, Any],
    result: Any,
    inputs: set[str],
    outputs: set[str],
) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", "postgresql://loader:secret@db.example:5433/warehouse")
    data = task_data(task_id, "complaint_hub", args, result)
    assert data is not None
    assert {ns for ns, _ in data.inputs + data.outputs} == {
        "postgres://db.example:5433"
    }  # no user, no password
    assert inputs <= {name.rsplit(".", 1)[-1] for _, name in data.inputs}
    assert outputs <= {name.rsplit(".", 1)[-1] for _, name in data.outputs}
    assert all(name.startswith("warehouse.public.") for _, name in data.inputs + data.outputs)


def test_a_task_that_touches_no_data_names_none() -> None:
    assert task_data("prepare_warehouse", "complaint_hub", {}, None) is None
    facet = HubBatchRunFacet(batchIds=["app:w"], counts={"landed": 1})
    assert facet._get_schema().endswith("HubBatchRunFacet.json")
