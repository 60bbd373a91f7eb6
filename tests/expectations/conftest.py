"""Fixtures for the expectation tests: a window end, canonical frames, and a one-expectation runner."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from connectors.base import RECORD_FIELDS, SHANGHAI, ComplaintRecord

WINDOW_END = datetime(2026, 11, 21, 0, 0, tzinfo=SHANGHAI)

# Valid numbers (check characters verified against GB 11643's own example 11010519491231002X).
VALID_IDS = ("620102198703151236", "620105198812120024", "11010519491231002X", "620121199912310073")


@pytest.fixture
def window_end() -> datetime:
    """The end of the batch window every time check is judged against."""
    return WINDOW_END


def _good_record(source: str, index: int) -> dict[str, Any]:
    record = ComplaintRecord(
        record_id=f"{source}:{index:05d}",
        source=source,
        source_record_id=f"{index:05d}",
        reported_at=WINDOW_END - timedelta(minutes=5 + index),
        name="张伟",
        phone=("13893112345", "+86 138-9311-2345", "0931-8123456")[index % 3],
        id_number=VALID_IDS[index % len(VALID_IDS)],
        address="甘肃省兰州市城关区张掖路街道永昌路88号",
        district="城关区",
        street="张掖路街道",
        category="劳资欠薪",
        source_category="0501",
        content="反映在永昌路工地务工被拖欠工资30000元，要求尽快处理。",
        status="已受理",
    )
    return record.as_dict()


@pytest.fixture
def make_frame() -> Callable[..., pd.DataFrame]:
    """Build a frame of ``n`` good canonical records of ``source``, then apply per-row overrides.

    ``overrides`` maps a row position to the fields to change in that row.
    """

    def build(
        source: str = "police", n: int = 6, overrides: dict[int, dict[str, Any]] | None = None
    ) -> pd.DataFrame:
        rows = [_good_record(source, i) for i in range(n)]
        for position, changes in (overrides or {}).items():
            rows[position].update(changes)
        return pd.DataFrame(rows, columns=list(RECORD_FIELDS))

    return build


@pytest.fixture
def failing_rows() -> Callable[[Any, Sequence[Any]], list[int]]:
    """Run one expectation over a single column of ``values``; return the positions that failed."""
    import great_expectations as gx

    from expectations.validate import validate_records

    def run(expectation: Any, values: Sequence[Any]) -> list[int]:
        column = expectation.column
        keys = [f"row:{i}" for i in range(len(values))]
        frame = pd.DataFrame({"record_id": keys, column: list(values)})
        suite = gx.ExpectationSuite(name="single", expectations=[expectation])
        outcome = validate_records(frame, suite)
        assert not outcome.errors, outcome.errors
        return sorted(int(key.split(":")[1]) for key in outcome.failures_by_key)

    return run
