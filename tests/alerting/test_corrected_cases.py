"""A reviewer's correction reaches the alert lists on the next alerting run: the split-off record no longer
counts for its old case, and the case's alert follows."""

from __future__ import annotations

import pytest
from pool_data import DAY, assign, at, record, rows, stage

from alerting import run_alerts
from warehouse import make_engine, publish_matches
from warehouse.review import merge_cases, split_case

pytestmark = pytest.mark.integration

CHANNELS = ("app", "hotline", "petition", "police")


def _report(source: str, hour: float) -> dict[str, object]:
    return record(f"{source}:r1", reported_at=at(hour), category="物业纠纷", district="城关区", phone="13800000001",
                  name="李娜", content="物业乱收停车费", received_at=at(hour), dispatched_at=at(hour + 1))  # fmt: skip


def test_a_split_closes_the_case_alert_and_a_merge_raises_it_again(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    stage(engine, [_report(source, 9 + i) for i, source in enumerate(CHANNELS)])
    publish_matches(engine, [assign(f"{s}:r1", "case-1", i == 0) for i, s in enumerate(CHANNELS)], [], [], [])
    run_alerts(engine, DAY.end, "run-1")
    (alert,) = rows(engine, "SELECT rule_id, subject_id, status FROM v_alert")
    assert alert == {"rule_id": "multi_channel", "subject_id": "case-1", "status": "open"}  # four channels

    split = split_case(engine, "case-1", ["police:r1"], "clerk-1", "the police report is another dispute")
    (feed,) = rows(engine, "SELECT n_records, channels FROM v_alert_feed WHERE case_id = 'case-1'")
    assert feed == {"n_records": 3, "channels": "app,hotline,petition"}
    run_alerts(engine, DAY.end, "run-2")  # the same reference time: evaluated again as the pool is now
    assert rows(engine, "SELECT status FROM v_alert WHERE subject_id = 'case-1'") == [{"status": "closed"}]

    merged = merge_cases(engine, "case-1", split["other_case_id"], "clerk-2", "one dispute after all")
    assert merged["case_id"] == "case-1"
    run_alerts(engine, DAY.end, "run-3")
    opened = rows(
        engine, "SELECT subject_id FROM v_alert WHERE status = 'open' AND rule_id = 'multi_channel'"
    )
    assert opened == [{"subject_id": "case-1"}]
