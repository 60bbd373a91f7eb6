"""validate_records: outcomes per expectation, failing keys with reasons, errors surfaced, nothing written."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import great_expectations as gx
import pandas as pd
import pytest
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnMapMetricProvider,
    column_condition_partial,
)

from expectations import ValidationOutcome, build_suite_for, validate_records
from expectations.custom import ExpectColumnValuesToBeCleanText, ExpectColumnValuesToBeValidPhone
from expectations.validate import _batch_definition

pytestmark = pytest.mark.unit

Frame = Callable[..., pd.DataFrame]


def _validate(frame: pd.DataFrame, window_end: datetime, source: str = "police") -> ValidationOutcome:
    return validate_records(frame, build_suite_for(source), parameters={"window_end": window_end})


def test_outcome_per_expectation_in_suite_order(make_frame: Frame, window_end: datetime) -> None:
    frame = make_frame(n=4, overrides={1: {"phone": "138931123456"}, 3: {"phone": "12345"}})
    outcome = _validate(frame, window_end)
    suite = build_suite_for("police")
    assert [r.expectation_type for r in outcome.results] == [e.expectation_type for e in suite.expectations]
    phone = next(r for r in outcome.results if r.expectation == "ExpectColumnValuesToBeValidPhone")
    assert (phone.column, phone.success, phone.element_count, phone.unexpected_count) == (
        "phone",
        False,
        4,
        2,
    )
    assert phone.unexpected_percent == pytest.approx(50.0)
    assert phone.unexpected_keys == ("police:00001", "police:00003")
    assert phone.exception_info is None
    assert outcome.failing_keys == {"police:00001", "police:00003"}
    assert not outcome.success and not outcome.errors


def test_samples_of_personal_columns_are_masked(make_frame: Frame, window_end: datetime) -> None:
    frame = make_frame(n=2, overrides={1: {"phone": "138931123456", "content": "\x07响铃"}})
    outcome = _validate(frame, window_end)
    samples = {r.reason: r.sample for r in outcome.results if not r.success}
    assert samples["phone: ExpectColumnValuesToBeValidPhone"] == ("138*******56",)
    assert samples["content: ExpectColumnValuesToBeCleanText"] == ("\x07响铃",)


def test_every_reason_of_a_row_is_listed(make_frame: Frame, window_end: datetime) -> None:
    frame = make_frame(n=2, overrides={0: {"phone": "1", "id_number": "1", "category": None}})
    outcome = _validate(frame, window_end)
    assert outcome.failures_by_key == {
        "police:00000": (
            "category: ExpectColumnValuesToNotBeNull",
            "phone: ExpectColumnValuesToBeValidPhone",
            "id_number: ExpectColumnValuesToBeValidResidentId",
        )
    }


def test_missing_column_is_an_error_not_an_exception(make_frame: Frame, window_end: datetime) -> None:
    frame = make_frame(n=2, overrides={1: {"phone": "12345"}}).drop(columns=["district"])
    outcome = _validate(frame, window_end)
    assert not outcome.success
    assert {r.reason for r in outcome.errors} == {
        "district: ExpectValidDistrict",
        "district: ExpectColumnValuesToNotBeNull",
    }
    assert all(not r.success and "district" in (r.exception_info or "") for r in outcome.errors)
    assert outcome.failures_by_key == {"police:00001": ("phone: ExpectColumnValuesToBeValidPhone",)}


class ColumnValuesExplodeForTest(ColumnMapMetricProvider):
    """A metric that always raises, standing in for any bug inside an expectation."""

    condition_metric_name = "column_values.explode_for_test"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, **kwargs: Any) -> pd.Series:
        raise RuntimeError("boom inside the metric")


class ExpectColumnValuesToExplodeForTest(ColumnMapExpectation):
    """Test-only expectation backed by :class:`ColumnValuesExplodeForTest`."""

    map_metric = "column_values.explode_for_test"


def test_error_inside_an_expectation_is_a_failing_outcome(make_frame: Frame, window_end: datetime) -> None:
    suite = build_suite_for("app")
    suite.add_expectation(ExpectColumnValuesToExplodeForTest(column="content"))
    outcome = validate_records(make_frame("app", n=2), suite, parameters={"window_end": window_end})
    [error] = outcome.errors
    assert error.reason == "content: ExpectColumnValuesToExplodeForTest"
    assert "boom inside the metric" in (error.exception_info or "")
    assert not error.success and not outcome.success
    assert all(r.success for r in outcome.results if r is not error)  # the other checks still ran


def test_naive_window_end_is_refused(make_frame: Frame) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        validate_records(
            make_frame(n=1), build_suite_for("app"), parameters={"window_end": datetime(2026, 11, 21)}
        )


def test_missing_suite_parameter_is_refused(make_frame: Frame) -> None:
    with pytest.raises(ValueError, match="window_end"):
        validate_records(make_frame(n=1), build_suite_for("police"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(lambda f: f.drop(columns=["record_id"]), "not in the frame", id="key column missing"),
        pytest.param(lambda f: f.assign(record_id=[None, "police:1"]), "null", id="null key"),
        pytest.param(
            lambda f: f.assign(record_id=["police:\ud83d", "police:1"]), "surrogate", id="broken key"
        ),
    ],
)
def test_unusable_keys_are_refused(
    change: Callable[[pd.DataFrame], pd.DataFrame], message: str, make_frame: Frame, window_end: datetime
) -> None:
    with pytest.raises(ValueError, match=message):
        _validate(change(make_frame(n=2)), window_end)


def test_lone_surrogate_fails_its_row_instead_of_the_batch(make_frame: Frame, window_end: datetime) -> None:
    # A source that truncates UTF-16 text can leave half an emoji behind.
    frame = make_frame(n=3, overrides={2: {"content": "房子漏水\ud83d"}})
    outcome = _validate(frame, window_end)
    assert outcome.failures_by_key == {"police:00002": ("content: ExpectColumnValuesToBeCleanText",)}


def test_rows_are_reported_even_when_mostly_lets_the_suite_pass(
    make_frame: Frame, window_end: datetime
) -> None:
    frame = make_frame(n=10, overrides={4: {"phone": "12345"}})
    outcome = validate_records(
        frame, build_suite_for("police", mostly=0.8), parameters={"window_end": window_end}
    )
    assert outcome.success
    assert outcome.failures_by_key == {"police:00004": ("phone: ExpectColumnValuesToBeValidPhone",)}


def test_key_can_be_another_column() -> None:
    frame = pd.DataFrame({"landing_id": ["7", "8"], "phone": ["13893112345", "1"], "content": ["a", "b"]})
    suite = gx.ExpectationSuite(
        name="k", expectations=[ExpectColumnValuesToBeValidPhone(), ExpectColumnValuesToBeCleanText()]
    )
    outcome = validate_records(frame, suite, key="landing_id")
    assert outcome.failures_by_key == {"8": ("phone: ExpectColumnValuesToBeValidPhone",)}


def test_nothing_is_written(
    make_frame: Frame, window_end: datetime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _batch_definition.cache_clear()
    _validate(make_frame(n=2, overrides={0: {"phone": "1"}}), window_end)
    assert _batch_definition() is _batch_definition()  # built once per process
    assert list(tmp_path.iterdir()) == []


def test_five_thousand_rows_in_a_couple_of_seconds(make_frame: Frame, window_end: datetime) -> None:
    frame = make_frame(n=5000, overrides={i: {"phone": "12345"} for i in range(0, 5000, 50)})
    _validate(make_frame(n=2), window_end)  # the context is built outside the measurement
    started = time.perf_counter()
    outcome = _validate(frame, window_end)
    elapsed = time.perf_counter() - started
    assert len(outcome.failures_by_key) == 100
    assert elapsed < 4.0, f"5,000 rows took {elapsed:.2f} s"


class ColumnValuesQuoteForTest(ColumnMapMetricProvider):
    """A metric whose error quotes the value it choked on, as a parser's or a driver's message does."""

    condition_metric_name = "column_values.quote_for_test"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, **kwargs: Any) -> pd.Series:
        raise ValueError(f"cannot read {'13893112345 / 620102198703151236 ' * 40}")


class ExpectColumnValuesToQuoteForTest(ColumnMapExpectation):
    """Test-only expectation backed by :class:`ColumnValuesQuoteForTest`."""

    map_metric = "column_values.quote_for_test"


def test_an_expectation_error_never_carries_a_raw_phone_or_id(
    make_frame: Frame, window_end: datetime
) -> None:
    suite = build_suite_for("app")
    suite.add_expectation(ExpectColumnValuesToQuoteForTest(column="content"))
    outcome = validate_records(make_frame("app", n=2), suite, parameters={"window_end": window_end})
    [error] = outcome.errors
    message = error.exception_info or ""
    assert "cannot read 138******45 / 620*************36" in message
    assert "13893112345" not in message and "620102198703151236" not in message
    assert len(message) <= 500  # a long message is cut, not carried whole into the task log
