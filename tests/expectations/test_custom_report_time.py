"""ExpectColumnValuesToBeSaneReportTime: window end plus clock skew, not before 2000, never the wall clock."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pandas as pd
import pytest
from great_expectations.compatibility.pydantic import ValidationError

from connectors.base import SHANGHAI
from expectations.custom import ExpectColumnValuesToBeSaneReportTime

pytestmark = pytest.mark.unit

END = datetime(2026, 11, 21, 0, 0, tzinfo=SHANGHAI)

CASES = [
    pytest.param(END - timedelta(hours=3), True, id="inside the window"),
    pytest.param(END, True, id="exactly the window end"),
    pytest.param(END + timedelta(minutes=9, seconds=59), True, id="future within skew"),
    pytest.param(END + timedelta(minutes=10), True, id="exactly the skew"),
    pytest.param(END + timedelta(minutes=10, seconds=1), False, id="just beyond skew"),
    pytest.param(END + timedelta(days=400), False, id="next year"),
    pytest.param(datetime(2000, 1, 1, tzinfo=SHANGHAI), True, id="2000-01-01 Beijing"),
    pytest.param(datetime(1999, 12, 31, 23, 59, 59, tzinfo=SHANGHAI), False, id="just before 2000"),
    pytest.param(datetime(1970, 1, 1, tzinfo=UTC), False, id="epoch zero"),
    pytest.param(datetime(2026, 11, 20, 16, 5, tzinfo=UTC), True, id="UTC value 5 min past end, within skew"),
    pytest.param(datetime(2026, 11, 20, 16, 11, tzinfo=UTC), False, id="UTC value 11 min past end"),
]


@pytest.mark.parametrize(("moment", "expected"), CASES)
def test_single_value(
    moment: datetime, expected: bool, failing_rows: Callable[[Any, Sequence[Any]], list[int]]
) -> None:
    expectation = ExpectColumnValuesToBeSaneReportTime(column="reported_at", reference_time=END)
    assert failing_rows(expectation, [moment]) == ([] if expected else [0])


def test_mixed_column_of_datetime_dtype(failing_rows: Callable[[Any, Sequence[Any]], list[int]]) -> None:
    # pytest.param keeps its values as plain objects: the first of each case is its datetime.
    values = [cast(datetime, case.values[0]).astimezone(SHANGHAI) for case in CASES] + [None]
    expected = [i for i, case in enumerate(CASES) if not case.values[1]]
    assert pd.Series(values).dtype.kind == "M"  # a real tz-aware datetime column, NaT for None
    expectation = ExpectColumnValuesToBeSaneReportTime(column="reported_at", reference_time=END)
    assert failing_rows(expectation, values) == expected


@pytest.mark.parametrize(
    ("skew", "failing"),
    [
        pytest.param(0.0, [1, 2], id="no skew"),
        pytest.param(30.0, [], id="30 minutes"),
    ],
)
def test_skew_is_a_parameter(
    skew: float, failing: list[int], failing_rows: Callable[[Any, Sequence[Any]], list[int]]
) -> None:
    values = [END, END + timedelta(minutes=1), END + timedelta(minutes=29)]
    expectation = ExpectColumnValuesToBeSaneReportTime(
        column="reported_at", reference_time=END, clock_skew_minutes=skew
    )
    assert failing_rows(expectation, values) == failing


def test_judged_against_the_reference_not_the_clock(
    failing_rows: Callable[[Any, Sequence[Any]], list[int]],
) -> None:
    # Re-validating a 2012 batch years later: 2013 is "future" for that batch even though it is past now.
    reference = datetime(2012, 6, 1, tzinfo=SHANGHAI)
    values = [datetime(2012, 5, 31, tzinfo=SHANGHAI), datetime(2013, 1, 1, tzinfo=SHANGHAI)]
    assert failing_rows(ExpectColumnValuesToBeSaneReportTime(reference_time=reference), values) == [1]


def test_naive_and_unreadable_values_fail(failing_rows: Callable[[Any, Sequence[Any]], list[int]]) -> None:
    values = [
        END - timedelta(hours=1),
        datetime(2026, 11, 20, 12, 0),
        "not a time",
        "2026-11-20T12:00:00+08:00",
    ]
    assert failing_rows(ExpectColumnValuesToBeSaneReportTime(reference_time=END), values) == [1, 2]


@pytest.mark.parametrize(
    "reference",
    [
        pytest.param(datetime(2026, 11, 21), id="naive datetime"),
        pytest.param("2026-11-21T00:00:00", id="naive string"),
    ],
)
def test_naive_reference_is_refused(reference: Any) -> None:
    with pytest.raises(ValidationError, match="timezone-aware"):
        ExpectColumnValuesToBeSaneReportTime(reference_time=reference)
