"""Report-time sanity expectation: not after the batch's reference time (plus clock skew), not before 2000."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from great_expectations.compatibility import pydantic
from great_expectations.execution_engine import PandasExecutionEngine, SqlAlchemyExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnMapMetricProvider,
    column_condition_partial,
)

from connectors.base import SHANGHAI

EARLIEST_REPORT_TIME = "2000-01-01T00:00:00+08:00"
DEFAULT_CLOCK_SKEW_MINUTES = 10.0


def to_aware_timestamp(value: datetime | str) -> pd.Timestamp:
    """Turn a datetime or ISO-8601 string into a timezone-aware timestamp.

    Raises:
        ValueError: the value has no timezone (a naive reference would be ambiguous).
    """
    moment = pd.Timestamp(value)
    if moment.tzinfo is None:
        raise ValueError(f"time {value!r} must be timezone-aware")
    return moment


def _aware_or_nat(value: Any) -> pd.Timestamp:
    # A naive or unreadable value cannot be placed on the time line: it fails the check.
    if isinstance(value, datetime | str):
        try:
            moment = pd.Timestamp(value)
        except ValueError:
            return pd.NaT
        if moment.tzinfo is not None:
            return moment
    return pd.NaT


def _as_aware_series(column: pd.Series) -> pd.Series:
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        return column
    if pd.api.types.is_datetime64_dtype(column.dtype):
        return pd.Series(pd.NaT, index=column.index, dtype="datetime64[us, UTC]")
    return pd.to_datetime(column.map(_aware_or_nat), utc=True)


class ColumnValuesSaneReportTime(ColumnMapMetricProvider):
    """Row-wise metric behind :class:`ExpectColumnValuesToBeSaneReportTime`."""

    condition_metric_name = "column_values.sane_report_time"
    condition_value_keys = ("reference_time", "clock_skew_minutes", "earliest")

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(
        cls,
        column: pd.Series,
        reference_time: datetime | str,
        clock_skew_minutes: float,
        earliest: datetime | str,
        **kwargs: Any,
    ) -> pd.Series:
        latest = to_aware_timestamp(reference_time) + timedelta(minutes=clock_skew_minutes)
        moments = _as_aware_series(column)
        return ((moments >= to_aware_timestamp(earliest)) & (moments <= latest)).fillna(False).astype(bool)

    @column_condition_partial(engine=SqlAlchemyExecutionEngine)
    def _sqlalchemy(
        cls,
        column: Any,
        reference_time: datetime | str,
        clock_skew_minutes: float,
        earliest: datetime | str,
        **kwargs: Any,
    ) -> Any:
        # Bound as Beijing wall-clock: PostgreSQL timestamptz compares instants; SQLite compares the
        # text SQLAlchemy's DateTime writes, which is Beijing wall-clock in this hub.
        latest = to_aware_timestamp(reference_time) + timedelta(minutes=clock_skew_minutes)
        lower = to_aware_timestamp(earliest).tz_convert(SHANGHAI).to_pydatetime()
        upper = latest.tz_convert(SHANGHAI).to_pydatetime()
        return column.between(lower, upper)


class ExpectColumnValuesToBeSaneReportTime(ColumnMapExpectation):
    """Expect each non-null time to lie in ``[earliest, reference_time + clock skew]``.

    The reference time is the batch's window end, passed in (or as the suite parameter
    ``{"$PARAMETER": "window_end"}``), never the wall clock, so re-validating a batch gives the same
    answer. Naive or unparseable values fail.

    Args:
        column: the column, ``reported_at`` by default.
        reference_time: a timezone-aware datetime, an ISO-8601 string with offset, or a suite parameter.
        clock_skew_minutes: tolerance for source clocks running ahead (default 10).
        earliest: the earliest plausible time (default 2000-01-01 Beijing time).
    """

    column: str = "reported_at"
    reference_time: datetime | str | dict[str, Any]
    clock_skew_minutes: float = pydantic.Field(default=DEFAULT_CLOCK_SKEW_MINUTES, ge=0)
    earliest: datetime | str = EARLIEST_REPORT_TIME
    description: str | None = (
        "Report time not before 2000 and not after the batch's window end plus clock skew"
    )

    map_metric = "column_values.sane_report_time"
    success_keys = ("reference_time", "clock_skew_minutes", "earliest", "mostly")
    args_keys = ("column", "reference_time")

    @pydantic.validator("reference_time", "earliest")
    def _must_be_aware(cls, value: Any) -> Any:
        # A suite parameter is resolved (and checked by the metric) at validation time.
        if isinstance(value, datetime | str):
            to_aware_timestamp(value)
        return value
