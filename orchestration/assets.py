"""The Airflow Assets that chain the hub's DAGs: each source's staged batches, the pool, the alerts."""

from __future__ import annotations

from airflow.sdk import Asset

# Updated whenever a publish commits: the alerting and reporting DAGs are scheduled on it.
POOL = Asset("complaint_pool", uri="hub://warehouse/complaint_case")
