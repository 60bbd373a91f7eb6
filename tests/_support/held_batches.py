"""A held batch for tests: hotline payloads that renamed ``content``, held at the schema-drift gate."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from hub_fixtures import DAY, load

from connectors.base import payload_hash
from connectors.hotline import HotlineConnector
from expectations.batch import check_batch
from warehouse import BatchHeld, apply_gates, batch_profile, land_batch, open_batch, read_landed

TEMPLATE: dict[str, Any] = load("hotline", "workorders_page1.json")["data"]["items"][0]


def held_batch(engine: sa.Engine) -> str:
    """A hotline batch whose payloads renamed ``content``: held at the schema-drift gate."""
    rows = [
        {
            ("content_text" if k == "content" else k): v
            for k, v in {**TEMPLATE, "order_no": f"GD{i:05d}"}.items()
        }
        for i in range(30)
    ]
    batch_id = open_batch(engine, "hotline", DAY.key, DAY.start, DAY.end)
    land_batch(engine, batch_id, "hotline", [(p["order_no"], payload_hash(p), p) for p in rows])
    checked = check_batch(
        HotlineConnector,
        read_landed(engine, batch_id),
        reference_time=DAY.end,
        profile=batch_profile(engine, batch_id),
    )
    with pytest.raises(BatchHeld):
        apply_gates(engine, batch_id, checked)
    return batch_id
