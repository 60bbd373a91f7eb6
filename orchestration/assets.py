"""The Airflow Assets that chain the hub's DAGs: each source's staged batches, the pool, the alerts."""

from __future__ import annotations

from airflow.sdk import Asset


def source_asset(source: str) -> Asset:
    """Updated whenever a batch of ``source`` is staged (validated and committed): the pool DAG's trigger.

    The event's ``extra`` carries the ``batch_id`` and the batch's counts.
    """
    return Asset(f"complaint_staged_{source}", uri=f"hub://warehouse/complaint_record/{source}")


# Updated whenever a publish commits: the alerting and reporting DAGs are scheduled on it.
POOL = Asset("complaint_pool", uri="hub://warehouse/complaint_case")
