"""Batch-level gates as pure functions, and check_batch's gate verdicts and run summary."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from hub_fixtures import DAY, load

from connectors.base import SHANGHAI
from connectors.hotline import HotlineConnector
from expectations.batch import check_batch
from expectations.gates import GateLimits, quarantine_rate, schema_drift, volume_anomaly
from expectations.suites import RAW_SCHEMAS, SUITES, RawSchema

pytestmark = pytest.mark.unit

SCHEMA = RawSchema(required=("id", "content"), known=("id", "content", "phone"))
FRIDAY = datetime(2026, 11, 20, tzinfo=SHANGHAI)
LIMITS = GateLimits()


@pytest.mark.parametrize(
    ("payloads", "passed", "words"),
    [
        pytest.param([{"id": 1, "content": "x"}] * 4, True, "all 2 required", id="complete"),
        pytest.param([{"id": 1, "content": None}] * 4, True, "all 2", id="null values are row-level"),
        pytest.param([{"id": 1, "content": "x"}] * 3 + [{"id": 2}], True, "all 2", id="one row lacks it"),
        pytest.param(
            [{"id": 1, "text": "x"}] * 4,
            False,
            "'content' missing from 100% of rows (renamed to 'text'?)",
            id="renamed",
        ),
        pytest.param([{"id": 1}] * 4, False, "'content' missing from 100% of rows", id="dropped"),
        pytest.param(
            [{"id": 1, "content": "x", "_file": "a.csv"}] * 2 + [{"_error": "3 cells", "_line": 9}] * 5,
            True,
            "all 2",
            id="broken lines are left to row checks",
        ),
        pytest.param([], True, "nothing to compare", id="no payloads"),
    ],
)
def test_schema_drift(payloads: list[dict[str, Any]], passed: bool, words: str) -> None:
    result = schema_drift(SCHEMA, payloads, LIMITS.max_missing_share)
    assert (result.passed, words in result.reason) == (passed, True), result.reason


@pytest.mark.parametrize(
    ("fetched", "history", "passed", "words"),
    [
        pytest.param(100, [100, 110, 90, 100], True, "Friday average 100", id="normal"),
        pytest.param(20, [100, 110, 90, 100], False, "far below the Friday average of 100", id="far below"),
        pytest.param(400, [100, 110, 90, 100], False, "far above", id="far above"),
        pytest.param(2, [10, 12, 8, 10], True, "average 10", id="small absolute difference"),
        pytest.param(
            0, [100, 100], True, "only 2 earlier Friday batch(es), 3 needed", id="too little history"
        ),
    ],
)
def test_volume_anomaly(fetched: int, history: list[int], passed: bool, words: str) -> None:
    result = volume_anomaly(fetched, history, FRIDAY, LIMITS)
    assert (result.passed, words in result.reason) == (passed, True), result.reason


@pytest.mark.parametrize(
    ("checked", "quarantined", "limits", "passed"),
    [
        pytest.param(100, 10, LIMITS, True, id="at the limit"),
        pytest.param(100, 11, LIMITS, False, id="above"),
        pytest.param(10, 9, LIMITS, True, id="too few rows to judge"),
        pytest.param(100, 11, GateLimits(max_quarantine_share=0.2), True, id="configured share"),
        pytest.param(0, 0, LIMITS, True, id="empty"),
    ],
)
def test_quarantine_rate(checked: int, quarantined: int, limits: GateLimits, passed: bool) -> None:
    assert quarantine_rate(checked, quarantined, limits).passed is passed


def test_every_registered_source_declares_its_raw_columns() -> None:
    assert set(RAW_SCHEMAS) == set(SUITES) >= {"petition", "police", "hotline", "app"}
    for source, schema in RAW_SCHEMAS.items():
        assert schema.required and set(schema.required) <= set(schema.known), source
    with pytest.raises(ValueError, match="not among the known"):
        RawSchema(required=("a",), known=("b",))


def _landed(n: int, **changes: Any) -> list[tuple[int, str, dict[str, Any]]]:
    item = load("hotline", "workorders_page1.json")["data"]["items"][0]
    return [(i, f"GD{i:05d}", {**item, "order_no": f"GD{i:05d}", **changes}) for i in range(n)]


def test_check_batch_reports_gates_and_a_stable_suite_version() -> None:
    first = check_batch(HotlineConnector, _landed(30), reference_time=DAY.end)
    later = check_batch(
        HotlineConnector,
        _landed(30, caller_phone="1"),
        reference_time=DAY.end + timedelta(days=7),
        profile={"fetched": 30, "history": [30, 30, 30], "window_start": FRIDAY},
    )
    assert [g["gate"] for g in first.gates] == ["schema_drift", "volume", "quarantine_rate"]
    assert first.failed_gates == [] and [g["gate"] for g in later.failed_gates] == ["quarantine_rate"]
    assert first.run["suite"] == "complaints.hotline" and first.run["rows_checked"] == 30
    assert later.run["rows_quarantined"] == 30 and not later.run["success"]
    # The window end is a parameter, not part of the suite: both batches were judged by one version.
    assert first.run["suite_hash"] == later.run["suite_hash"] and len(first.run["suite_hash"]) == 64
    assert first.run["started_at"] <= first.run["finished_at"]
