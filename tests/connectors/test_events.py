"""Handling events on the canonical record: each source's log mapped onto one vocabulary, in time order."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

import pytest

from connectors.app import AppConnector
from connectors.base import SHANGHAI, RecordError
from connectors.events import EVENT_TYPES, LEVELS, satisfaction_of
from connectors.hotline import HotlineConnector
from connectors.petition import PetitionConnector
from connectors.police import PoliceConnector
from connectors.registry import connector_class
from expectations.custom.events import event_problems
from simulators import generate_world

pytestmark = pytest.mark.unit

ORDER = {
    "order_no": "RX1",
    "create_time": "2026-11-20 09:00:00",
    "update_time": "2026-11-22 10:00:00",
    "caller_phone": "13893112345",
    "area": "城关区",
    "category": "0301",
    "content": "拖欠工资",
}


def flow(*nodes: tuple[str, str], **extra: Any) -> list[dict[str, Any]]:
    return [
        {"node": node, "time": at, "dept": "城关区人社局", "dept_level": "区县", **extra}
        for node, at in nodes
    ]


def test_the_hotline_flow_becomes_canonical_events_in_time_order() -> None:
    raw = ORDER | {
        "flow": [
            {
                "node": "回访",
                "time": "2026-11-22 10:00:00",
                "operator": "回访员0012",
                "satisfaction": "基本满意",
            },
            *flow(("登记", "2026-11-20 09:00:00"), ("派单", "2026-11-20 09:40:00")),
            {
                "node": "退单",
                "time": "2026-11-20 12:00:00",
                "dept": "城关区人社局",
                "opinion": "非本单位职责",
            },
            {"node": "延期申请", "time": "2026-11-21 09:00:00", "delay_days": "5", "dept_level": "街道"},
        ]
    }
    events = HotlineConnector.to_record(raw).events
    assert [e.type for e in events] == [
        "registered",
        "dispatched",
        "sent_back",
        "extension_requested",
        "followed_up",
    ]
    assert events[0].at == datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)
    assert events[0].level == "district" and events[3].level == "street"  # the system's words, mapped
    assert events[2].reason == "非本单位职责" and events[3].days == 5
    assert events[4].satisfaction == "基本满意" and events[4].actor == "回访员0012"


def test_a_record_without_events_keeps_an_empty_stream() -> None:
    assert HotlineConnector.to_record(ORDER).events == ()
    assert HotlineConnector.to_record(ORDER | {"flow": None}).events == ()


def test_json_text_columns_are_read_and_details_kept() -> None:
    steps = [
        {
            "hj": "复查复核申请",
            "sj": "2026-12-20 10:00:00",
            "dw": "城关区信访局",
            "dwjb": "区县",
            "jd": "复查",
        },
        {"hj": "登记", "sj": "2026-11-20 09:00:00", "dw": "城关区信访局", "dwjb": "区县"},
    ]
    raw = {"xfjbh": "XF1", "djsj": "2026-11-20 09:00:00", "blgc": json.dumps(steps, ensure_ascii=False)}
    events = PetitionConnector.to_record(raw).events
    assert [e.type for e in events] == ["registered", "review_requested"]
    assert events[1].detail == {"stage": "复查"}
    police = {"接警单编号": "J1", "报警时间": "2026/11/20 09:00:00",
              "处警记录": '[{"环节":"移交","时间":"2026/11/20 10:00:00","移交单位":"城关区司法所"}]'}  # fmt: skip
    (moved,) = PoliceConnector.to_record(police).events
    assert moved.type == "transferred" and moved.detail == {"to": "城关区司法所"}


@pytest.mark.parametrize(
    ("value", "why"),
    [
        pytest.param("not json", "blgc is not valid JSON", id="broken JSON"),
        pytest.param('{"hj": "登记"}', "blgc is a dict, not a list", id="an object, not a list"),
        pytest.param('["登记"]', "blgc[1] is a str, not an object", id="an item that is not an object"),
    ],
)
def test_an_event_log_that_is_not_a_list_of_objects_is_unmappable(value: str, why: str) -> None:
    raw = {"xfjbh": "XF1", "djsj": "2026-11-20 09:00:00", "blgc": value}
    with pytest.raises(RecordError, match=re.escape(why)):
        PetitionConnector.to_record(raw)
    standardised = PetitionConnector.standardise([("XF1", raw)])
    assert standardised.records == [] and why in standardised.errors["XF1"]


def test_bad_values_are_kept_for_validation_to_name() -> None:
    raw = ORDER | {
        "flow": [
            {"node": "催单", "time": "2026-11-20 10:00:00"},
            {"node": "回访", "time": "2026-11-3", "satisfaction": "非常不满"},
            {"node": "延期申请", "time": "2026-11-20 11:00:00", "delay_days": "五天"},
            {"node": "签收", "time": "2026-11-19 09:00:00", "dept_level": "省级"},
        ]
    }
    record = HotlineConnector.to_record(raw)
    problems = event_problems([e.as_row() for e in record.events], record.reported_at)
    assert problems == [
        "event 1 (acknowledged): at 2026-11-19T09:00:00+08:00 is before the report (2026-11-20T09:00:00+08:00)",
        "event 1 (acknowledged): unknown level '省级'",
        "event 2 (催单): unknown event type",
        "event 3 (extension_requested): days '五天' is not a whole number of days",
        "event 4 (followed_up): missing or unreadable time '2026-11-3'",
        "event 4 (followed_up): satisfaction '非常不满' is not one of 满意/基本满意/不满意",
    ]


@pytest.mark.parametrize(
    ("verdict", "score", "expected"),
    [
        pytest.param("满意", None, ("满意", None, None), id="verdict"),
        pytest.param(None, 5, ("满意", 5, None), id="five stars"),
        pytest.param(None, "3", ("基本满意", 3, None), id="three stars as text"),
        pytest.param(None, 2, ("不满意", 2, None), id="two stars"),
        pytest.param(None, 7, (None, None, "satisfaction score 7 is not 1-5"), id="out of range"),
        pytest.param(
            "很好", None, (None, None, "satisfaction '很好' is not one of 满意/基本满意/不满意"), id="unknown"
        ),
    ],
)
def test_satisfaction_from_a_verdict_or_a_score(verdict: Any, score: Any, expected: tuple[Any, ...]) -> None:
    assert satisfaction_of(verdict, score) == expected


@pytest.mark.parametrize("source", ["hotline", "petition", "police", "app", "netizen"])
def test_every_simulated_event_maps_to_a_known_type_and_passes(source: str) -> None:
    world = generate_world(seed=5, n_records=600, start=date(2026, 11, 2), days=20)
    connector = connector_class(source)
    seen: set[str] = set()
    for raw in world.rows[source]:
        if f"{source}:{raw[connector.primary_key]}" in world.defects:
            continue  # a damaged report time is validation's to catch
        record = connector.to_record(raw)
        rows = [e.as_row() for e in record.events]
        assert event_problems(rows, record.reported_at) == [], raw[connector.primary_key]
        seen |= {e.type for e in record.events}
        assert all(e.level in LEVELS for e in record.events)
    assert seen <= set(EVENT_TYPES) and len(seen) >= 4


def test_handling_times_a_source_has_no_column_for_come_from_its_events() -> None:
    raw = ORDER | {
        "dispatch_time": "2026-11-20 09:40:00",
        "flow": [
            *flow(("登记", "2026-11-20 09:00:00"), ("派单", "2026-11-20 09:45:00")),
            *flow(("联系市民", "2026-11-20 09:20:00"), ("办结", "2026-11-21 10:00:00")),
            *flow(("回访", "2026-11-22 09:00:00")),
        ],
    }
    record = HotlineConnector.to_record(raw)
    assert record.dispatched_at == datetime(2026, 11, 20, 9, 40, tzinfo=SHANGHAI)  # its own column wins
    assert record.contacted_at == datetime(2026, 11, 20, 9, 20, tzinfo=SHANGHAI)
    assert record.followed_up_at == datetime(2026, 11, 22, 9, 0, tzinfo=SHANGHAI)
    assert record.resolved_at is None  # finish_time is the hotline's column for it, and it is empty
    police = {
        "接警单编号": "J1",
        "报警时间": "2026/11/20 09:00:00",
        "处警记录": json.dumps(
            [
                {"环节": "派警", "时间": "2026/11/20 09:03:00"},
                {"环节": "处置完毕", "时间": "2026/11/20 10:00:00"},
            ]
        ),
    }
    incident = PoliceConnector.to_record(police)
    assert (incident.dispatched_at, incident.resolved_at) == (
        datetime(2026, 11, 20, 9, 3, tzinfo=SHANGHAI),
        datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI),
    )
    history = [
        {"status": "closed", "datetime": "2026-11-21T10:00:00+08:00"},
        {"status": "reopened", "datetime": "2026-11-22T10:00:00+08:00"},
    ]
    request = {"service_request_id": "A1", "requested_datetime": "2026-11-20T09:00:00+08:00"}
    assert AppConnector.to_record(request | {"status_history": history[:1]}).resolved_at is not None
    assert AppConnector.to_record(request | {"status_history": history}).resolved_at is None  # reopened since
