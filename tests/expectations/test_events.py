"""Validation of handling events: a bad event quarantines its record with reasons naming it; nothing crashes."""

from __future__ import annotations

from typing import Any

import pytest
from hub_fixtures import DAY, load

from connectors.hotline import HotlineConnector
from connectors.petition import PetitionConnector
from expectations.batch import EVENTS_EXPECTATION, check_batch

pytestmark = pytest.mark.unit

ORDER: dict[str, Any] = load("hotline", "workorders_page1.json")["data"]["items"][0]
REPORTED = ORDER["create_time"]  # 2026-11-20, inside DAY
GOOD = [
    {"node": "登记", "time": REPORTED, "operator": "话务员1001", "dept": "12345热线办理中心", "dept_level": "市级"},
    {"node": "派单", "time": "2026-11-20 20:00:00", "dept": "城关区人社局", "dept_level": "区县"},
    {"node": "回访", "time": "2026-11-20 22:00:00", "satisfaction": "满意"},
]  # fmt: skip


def checked(*flows: list[dict[str, Any]] | None) -> tuple[dict[str, list[str]], list[str]]:
    rows = [(i, f"GD{i}", {**ORDER, "order_no": f"GD{i}", "flow": flow}) for i, flow in enumerate(flows)]
    batch = check_batch(HotlineConnector, rows, reference_time=DAY.end)
    reasons = {q["source_record_id"]: q["reasons"] for q in batch.quarantined}
    return reasons, [r["record_id"] for r in batch.records]


def test_good_streams_and_records_without_events_are_staged_with_their_events() -> None:
    reasons, staged = checked(GOOD, None, [])
    assert reasons == {} and staged == ["hotline:GD0", "hotline:GD1", "hotline:GD2"]
    batch = check_batch(HotlineConnector, [(0, "GD0", {**ORDER, "order_no": "GD0", "flow": GOOD})], DAY.end)
    (record,) = batch.records
    assert [e["type"] for e in record["events"]] == ["registered", "dispatched", "followed_up"]


@pytest.mark.parametrize(
    ("event", "why"),
    [
        pytest.param({"node": "加急"}, "event 3 (加急): unknown event type", id="unknown type"),
        pytest.param(
            {"node": "签收", "time": "2026-11-19 09:00:00"},
            "event 1 (acknowledged): at 2026-11-19T09:00:00+08:00 is before the report",
            id="before the report",
        ),
        pytest.param(
            {"node": "办结", "time": "2026-11-23 09:00:00"},
            "event 4 (closed): at 2026-11-23T09:00:00+08:00 is after the batch's window end",
            id="after the window",
        ),
        pytest.param(
            {"node": "回访", "time": "2026-11-20 23:00:00", "satisfaction": "还行"},
            "event 4 (followed_up): satisfaction '还行' is not one of 满意/基本满意/不满意",
            id="bad satisfaction",
        ),
        pytest.param(
            {"node": "办结", "time": "昨天下午"}, "missing or unreadable time '昨天下午'", id="bad time"
        ),
        pytest.param(
            {"node": "签收", "time": "2026-11-20 21:00:00", "dept": "部" * 130},
            "event 3 (acknowledged): unit has 130 characters, more than 120",
            id="unit too long for the warehouse",
        ),
    ],
)
def test_a_bad_event_quarantines_its_record_with_the_reason(event: dict[str, Any], why: str) -> None:
    event = {"time": "2026-11-20 21:00:00", **event}
    reasons, staged = checked(GOOD, [*GOOD, event])
    assert staged == ["hotline:GD0"]
    (record_reasons,) = reasons.values()
    assert any(EVENTS_EXPECTATION in r for r in record_reasons)
    assert any(r.startswith("events: ") and why in r for r in record_reasons), record_reasons


def test_a_log_that_is_not_a_list_is_unmappable_not_a_crash() -> None:
    rows = [(0, "XF1", {"xfjbh": "XF1", "djsj": REPORTED, "nrzy": "欠薪", "blgc": "{broken"})]
    batch = check_batch(PetitionConnector, rows, reference_time=DAY.end)
    (quarantined,) = batch.quarantined
    assert any("blgc is not valid JSON" in r for r in quarantined["reasons"])
