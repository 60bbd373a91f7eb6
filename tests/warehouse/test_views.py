"""The read contract: views exist on both engines, mask personal data, and count by Beijing day."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from connectors.base import SHANGHAI, Window, payload_hash
from warehouse import land_batch, make_engine, open_batch, publish_matches, read_landed, stage_batch

pytestmark = pytest.mark.integration

DAY = Window(datetime(2026, 11, 20, tzinfo=SHANGHAI), datetime(2026, 11, 21, tzinfo=SHANGHAI))


def test_views_mask_phone_and_id_and_count_by_beijing_day(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    batch = open_batch(engine, "police", DAY.key, DAY.start, DAY.end)
    land_batch(engine, batch, "police", [("J1", payload_hash({"a": 1}), {"a": 1})])
    ((landing_id, _, _),) = read_landed(engine, batch)
    # 00:30 Beijing time is still the previous day in UTC: the dashboards' day must be Beijing's.
    stage_batch(
        engine,
        batch,
        [
            {
                "record_id": "police:J1",
                "source": "police",
                "source_record_id": "J1",
                "landing_id": landing_id,
                "reported_at": datetime(2026, 11, 20, 0, 30, tzinfo=SHANGHAI),
                "name": "张伟",
                "phone": "13893112345",
                "id_number": "62010219870315123X",
                "district": "城关区",
                "category": "劳资欠薪",
            }
        ],
        [],
        [],
    )
    publish_matches(
        engine,
        [
            {
                "record_id": "police:J1",
                "case_id": "case-1",
                "is_new_case": True,
                "match_probability": None,
                "matched_record_id": None,
            }
        ],
        [],
        [],
        [],
    )
    with engine.connect() as conn:
        member = conn.execute(sa.text("SELECT * FROM v_case_member")).mappings().one()
        daily = conn.execute(sa.text("SELECT * FROM v_daily_counts")).mappings().one()
        feed = conn.execute(sa.text("SELECT case_id, n_records FROM v_alert_feed")).one()
    assert (member["phone_masked"], member["id_number_masked"], member["name_masked"]) == (
        "138****2345",
        "620102********123X",
        "张**",
    )
    assert "phone" not in member and "id_number" not in member
    assert str(daily["report_date"]) == "2026-11-20" and daily["n_cases"] == 1
    assert tuple(feed) == ("case-1", 1)
    engine.dispose()
