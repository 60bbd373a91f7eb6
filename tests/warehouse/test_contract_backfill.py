"""Migration 0005's frozen data step on a warehouse that held records before it (warehouse.contract)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from warehouse import make_engine, migrate
from warehouse.access.hashing import hash_blocking_key, hash_key

pytestmark = pytest.mark.integration

AT = datetime(2026, 11, 20, 6, tzinfo=UTC)


def _rows_at_0004(conn: sa.Connection) -> None:
    meta = sa.MetaData()
    meta.reflect(conn, only=["batch", "landing_record", "complaint_record", "match_key", "complaint_case",
                             "case_member"])  # fmt: skip
    t = meta.tables
    conn.execute(
        sa.insert(t["batch"]).values(
            batch_id="b1",
            source="hotline",
            window_start=AT,
            window_end=AT,
            status="staged",
            fetched=1,
            landed=1,
            unchanged=0,
            quarantined=0,
        )  # fmt: skip
    )
    conn.execute(
        sa.insert(t["landing_record"]).values(
            landing_id=1,
            source="hotline",
            source_record_id="r1",
            version=1,
            batch_id="b1",
            payload_hash="h",
            payload={"id": "r1"},
        )  # fmt: skip
    )
    conn.execute(
        sa.insert(t["complaint_record"]).values(
            record_id="hotline:r1",
            source="hotline",
            source_record_id="r1",
            batch_id="b1",
            landing_id=1,
            reported_at=AT,
            name="张三",
            phone="13800000001",
            category="劳资欠薪",
            content="来电人反映其在宏泰华府二期项目务工,被拖欠工资,电话13800000001",
            address="城关区宏泰华府",
        )  # fmt: skip
    )
    conn.execute(sa.insert(t["match_key"]).values(rule="phone", key="13800000001", record_id="hotline:r1"))
    conn.execute(
        sa.insert(t["complaint_case"]).values(
            case_id="c1",
            status="open",
            n_records=1,
            n_channels=1,
            created_batch_id="b1",
            updated_batch_id="b1",
        )  # fmt: skip
    )
    conn.execute(sa.insert(t["case_member"]).values(record_id="hotline:r1", case_id="c1", batch_id="b1"))


def test_records_staged_before_0005_get_their_hashes_masks_and_golden_record(warehouse_url: str) -> None:
    migrate(warehouse_url, "0004")
    engine = make_engine(warehouse_url)
    with engine.begin() as conn:
        _rows_at_0004(conn)
    migrate(warehouse_url)
    with engine.connect() as conn:
        record = conn.execute(sa.text("SELECT * FROM complaint_record")).mappings().one()
        key = conn.execute(sa.text("SELECT rule, key FROM match_key")).mappings().one()
        case = conn.execute(sa.text("SELECT * FROM complaint_case")).mappings().one()
    engine.dispose()
    assert record["phone_hash"] and len(record["phone_hash"]) == 64
    assert "138****0001" in record["content_masked"] and record["topic"] == "宏泰华府"
    assert key["key"] == hash_blocking_key("phone", "13800000001", hash_key())
    assert case["phone_hash"] == record["phone_hash"] and case["name"] == "张三"
