"""One pool run the way each DAG shape makes it, for tests that must hold under both."""

from __future__ import annotations

import uuid
from typing import Any

from orchestration.pool import match_and_publish, plan_pass, publish_pass, score_shard


def pool_run(batch_ids: list[str], partitioned: bool) -> dict[str, Any]:
    """One pool run as the embedded DAG does it (one task), or as complaint_pool does (plan → score → publish)."""
    if not partitioned:
        return match_and_publish(batch_ids)
    run_id = f"asset_triggered__{uuid.uuid4().hex[:8]}"
    for shard in plan_pass(run_id, batch_ids, 2):
        score_shard(run_id, shard)
    return publish_pass(run_id)
