"""Matching and the pool: any source's staged batch triggers a pass, split into mapped partitions.

plan (snapshot the records to place and the pooled records they may match; give each candidate block
to a partition) → score (one mapped task per partition: more workers finish sooner) → publish (union
the pairs, cluster the whole pass, publish in one transaction; the Asset ``complaint_pool``, which
alerting and the quality report follow). The result is the same for any partition count.
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import Any

from airflow.sdk import Param, dag, task

from connectors.registry import CONNECTORS
from orchestration.assets import POOL, source_asset
from orchestration.pool import default_partitions
from orchestration.schedules import dag_policy

POLICY = dag_policy("pool")


@dag(
    dag_id="complaint_pool",
    schedule=reduce(operator.or_, [source_asset(c.source) for c in CONNECTORS]),
    start_date=POLICY.start,
    catchup=False,
    max_active_runs=POLICY.max_active_runs,
    default_args=POLICY.default_args(),
    params={
        "partitions": Param(
            default_partitions(),
            type="integer",
            minimum=1,
            maximum=256,
            description="partitions of the matching pass (the result does not depend on it)",
        )
    },
    tags=["complaints", "pool"],
    doc_md=__doc__,
)
def complaint_pool() -> None:
    @task
    def plan(
        params: dict[str, Any] | None = None, run_id: str | None = None, triggering_asset_events: Any = None
    ) -> list[int]:
        """Snapshot the pass and assign its candidate blocks to partitions; returns the busy partitions."""
        from orchestration.pool import batch_ids_from_events, plan_pass

        assert params is not None and run_id is not None
        return plan_pass(run_id, batch_ids_from_events(triggering_asset_events), int(params["partitions"]))

    @task
    def score(shard: int, run_id: str | None = None) -> int:
        """Score one partition's candidate pairs into the warehouse's work table."""
        from orchestration.pool import score_shard

        assert run_id is not None
        return score_shard(run_id, shard)

    @task(outlets=[POOL], trigger_rule="none_failed")  # no partition to score is no reason to skip it
    def publish(run_id: str | None = None) -> dict[str, Any]:
        """Cluster the whole pass and publish it in one transaction; the pool's Asset event names its batches."""
        from airflow.sdk import get_current_context

        from orchestration.pool import publish_pass

        assert run_id is not None
        published = publish_pass(run_id)
        get_current_context()["outlet_events"][POOL].extra = published
        return published

    score.expand(shard=plan()) >> publish()


complaint_pool()
