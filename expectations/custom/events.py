"""Handling-event sanity: each record's event stream has known types, readable times on or after the report
(and not after the batch's window end), known levels and a valid satisfaction.

A record whose events fail is quarantined with the expectation's name and, per event, what is wrong
(:func:`event_problems`, added by ``expectations.batch``); nothing is dropped and nothing crashes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

import pandas as pd
from great_expectations.compatibility import pydantic
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnPairMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnPairMapMetricProvider,
    column_pair_condition_partial,
)

from connectors.base import TIME_YEARS
from connectors.events import EVENT_TYPES, LEVELS, SATISFACTION
from expectations.custom.report_time import DEFAULT_CLOCK_SKEW_MINUTES, to_aware_timestamp

MAX_EVENTS = 500
"""Most events one record may carry (a stream longer than this is a source fault, not a case)."""

# The warehouse's column widths (``record_event``): longer text would fail the insert on PostgreSQL.
TEXT_LIMITS = {"actor": 100, "unit": 120}


def event_problems(
    events: Any,
    reported_at: Any,
    reference_time: datetime | str | None = None,
    clock_skew_minutes: float = DEFAULT_CLOCK_SKEW_MINUTES,
) -> list[str]:
    """What is wrong with one record's events (empty: nothing).

    Args:
        events: the record's events as ``HandlingEvent.as_row`` dicts (``None`` or empty: no events).
        reported_at: the record's report time (aware); an event may not precede it by more than the skew.
        reference_time: the batch's window end; an event may not follow it by more than the skew.
        clock_skew_minutes: tolerance for source clocks.

    Returns:
        One line per problem, naming the event by its place and type.
    """
    if events is None or (isinstance(events, float) and pd.isna(events)):
        return []
    if not isinstance(events, Sequence) or isinstance(events, str):
        return [f"events is a {type(events).__name__}, not a list"]
    if len(events) > MAX_EVENTS:
        return [f"{len(events)} events, more than {MAX_EVENTS}"]
    skew = timedelta(minutes=clock_skew_minutes)
    report = reported_at if isinstance(reported_at, datetime) and reported_at.tzinfo else None
    latest = to_aware_timestamp(reference_time) + skew if reference_time is not None else None
    problems: list[str] = []
    for n, event in enumerate(events, start=1):
        if not isinstance(event, Mapping):
            problems.append(f"event {n} is a {type(event).__name__}, not an object")
            continue
        kind = str(event.get("type"))
        name = f"event {n} ({kind.removeprefix('?')})"
        if kind not in EVENT_TYPES:
            problems.append(f"{name}: unknown event type")
        at = event.get("at")
        if not isinstance(at, datetime) or at.tzinfo is None:
            problems.append(f"{name}: missing or unreadable time {event.get('raw_at')!r}")
        elif at.year not in TIME_YEARS:
            problems.append(f"{name}: year {at.year} is not a real time")
        else:
            if report is not None and at < report - skew:
                problems.append(f"{name}: at {at.isoformat()} is before the report ({report.isoformat()})")
            if latest is not None and at > latest:
                problems.append(f"{name}: at {at.isoformat()} is after the batch's window end")
        level = event.get("level")
        if level is not None and level not in LEVELS:
            problems.append(f"{name}: unknown level {level!r}")
        satisfaction = event.get("satisfaction")
        if satisfaction is not None and satisfaction not in SATISFACTION.values():
            problems.append(f"{name}: satisfaction {satisfaction!r} is not 满意/基本满意/不满意")
        detail = event.get("detail") or {}
        if isinstance(detail, Mapping) and detail.get("problem"):
            problems.append(f"{name}: {detail['problem']}")
        for column, limit in TEXT_LIMITS.items():
            text = event.get(column)
            if isinstance(text, str) and len(text) > limit:
                problems.append(f"{name}: {column} has {len(text)} characters, more than {limit}")
    return problems


class ColumnPairValuesValidEvents(ColumnPairMapMetricProvider):
    """Row-wise metric behind :class:`ExpectValidHandlingEvents`: the events (A) against the report time (B)."""

    condition_metric_name = "column_pair_values.valid_handling_events"
    condition_domain_keys = (
        "batch_id",
        "table",
        "column_A",
        "column_B",
        "row_condition",
        "condition_parser",
        "ignore_row_if",
    )
    condition_value_keys = ("reference_time", "clock_skew_minutes")

    @column_pair_condition_partial(engine=PandasExecutionEngine)
    def _pandas(
        cls,
        column_A: pd.Series,  # noqa: N803
        column_B: pd.Series,  # noqa: N803
        reference_time: datetime | str | None,
        clock_skew_minutes: float,
        **kwargs: Any,
    ) -> pd.Series:
        return pd.Series(
            [
                not event_problems(events, reported, reference_time, clock_skew_minutes)
                for events, reported in zip(column_A.tolist(), column_B.tolist(), strict=True)
            ],
            index=column_A.index,
            dtype=bool,
        )


class ExpectValidHandlingEvents(ColumnPairMapExpectation):
    """Expect each record's handling events to be well formed (:func:`event_problems`).

    Args:
        column_A: the events column.
        column_B: the report-time column.
        reference_time: the batch's window end (or the suite parameter ``window_end``).
        clock_skew_minutes: tolerance either side (default 10).
    """

    column_A: str = "events"
    column_B: str = "reported_at"
    ignore_row_if: Literal["neither"] = "neither"
    reference_time: datetime | str | dict[str, Any] | None = None
    clock_skew_minutes: float = pydantic.Field(default=DEFAULT_CLOCK_SKEW_MINUTES, ge=0)
    description: str | None = (
        "Handling events have known types and levels, times between the report and the window end, "
        "and a valid satisfaction"
    )

    map_metric = "column_pair_values.valid_handling_events"
    domain_keys = ("batch_id", "column_A", "column_B", "row_condition", "condition_parser", "ignore_row_if")  # type: ignore[assignment]  # GX's own tuple type is one key short
    success_keys = ("reference_time", "clock_skew_minutes", "mostly")
    args_keys = ("column_A", "column_B")
