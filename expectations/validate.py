"""Validate a frame of canonical records against a suite and report which rows failed and why."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.core.batch_definition import BatchDefinition
from great_expectations.core.expectation_validation_result import ExpectationValidationResult
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)
from great_expectations.execution_engine import pandas_execution_engine
from great_expectations.expectations.expectation import Expectation

from chinese_text.identities import keep_ends, sub_identities
from expectations._masking import SAMPLE_SIZE, masked, masked_document
from expectations._masking import SENSITIVE_COLUMNS as SENSITIVE_COLUMNS  # public here since v1
from expectations.custom._text_scan import rows_matching

_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class ExpectationOutcome:
    """The result of one expectation, flattened for tasks and data-quality reports.

    Attributes:
        expectation: the expectation's class name, e.g. ``ExpectColumnValuesToBeValidResidentId``.
        expectation_type: GX's snake-case type, e.g. ``expect_column_values_to_be_valid_resident_id``.
        column: the column checked (``"a,b"`` for a column pair), ``None`` for table-level checks.
        success: whether the expectation held; False whenever it raised.
        element_count: rows looked at.
        unexpected_count: rows that failed.
        unexpected_percent: share of non-null rows that failed, in percent (``None`` if not computed).
        sample: a few failing values as text, masked for :data:`SENSITIVE_COLUMNS`.
        unexpected_keys: the key of every failing row, in frame order.
        exception_info: GX's error message if the expectation raised inside the validation, else ``None``.
    """

    expectation: str
    expectation_type: str
    column: str | None
    success: bool
    element_count: int
    unexpected_count: int
    unexpected_percent: float | None
    sample: tuple[str, ...]
    unexpected_keys: tuple[str, ...]
    exception_info: str | None = None

    @property
    def reason(self) -> str:
        """The readable reason recorded against each failing row, e.g. ``id_number: ExpectValid…``."""
        return f"{self.column}: {self.expectation}" if self.column else self.expectation


@dataclass(frozen=True)
class ValidationOutcome:
    """The result of validating one frame against one suite.

    Attributes:
        suite_name: the suite's name.
        success: whether every expectation held and none raised.
        results: one outcome per expectation, in suite order.
        failures_by_key: failing row key -> the reasons it failed (rows of every expectation that
            found them, also those that still passed thanks to ``mostly``).
    """

    suite_name: str
    success: bool
    results: tuple[ExpectationOutcome, ...]
    failures_by_key: dict[str, tuple[str, ...]]
    raw: Any = field(default=None, repr=False, compare=False)

    def masked_document(self) -> dict[str, Any] | None:
        """GX's own validation result as JSON (for Data Docs and the audit tables), samples masked."""
        return None if self.raw is None else masked_document(self.raw, _columns)

    @property
    def errors(self) -> tuple[ExpectationOutcome, ...]:
        """Expectations that raised: their failing rows are unknown, so the batch cannot be split."""
        return tuple(result for result in self.results if result.exception_info is not None)

    @property
    def failing_keys(self) -> frozenset[str]:
        """Keys of all rows that failed at least one expectation."""
        return frozenset(self.failures_by_key)


@lru_cache(maxsize=1)
def _batch_definition() -> BatchDefinition[Any]:
    # One in-memory context per process: building it costs tens of milliseconds, the GX import ~5 s.
    # GX fingerprints every pandas batch by hashing the whole frame (twice per validation), unless it
    # is above this threshold; with unique text columns that took 15 s of a 1M-row run. The
    # fingerprint is metadata only (batches are identified by the hub's own ids), so switch it off.
    pandas_execution_engine.HASH_THRESHOLD = 0
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    asset = context.data_sources.add_pandas("complaint_records").add_dataframe_asset("frame")
    return asset.add_batch_definition_whole_dataframe("whole_frame")


def _suite_parameter_names(suite: gx.ExpectationSuite) -> set[str]:
    names: set[str] = set()
    for expectation in suite.expectations:
        for value in expectation.configuration.kwargs.values():
            if isinstance(value, dict) and str(value.get("$PARAMETER", "")).isidentifier():
                names.add(value["$PARAMETER"])
    return names


def _columns(expectation: Expectation) -> str | None:
    column = getattr(expectation, "column", None)
    if isinstance(column, str):
        return column
    column_a, column_b = getattr(expectation, "column_A", None), getattr(expectation, "column_B", None)
    if isinstance(column_a, str) and isinstance(column_b, str):
        return f"{column_a},{column_b}"
    column_list = getattr(expectation, "column_list", None)
    return ",".join(column_list) if column_list else None


# An expectation's error message may quote the values it choked on: it reaches the task log, the
# failure message and dq_result, so it is cut to this length and its phones and ids are masked.
EXCEPTION_MESSAGE_MAX = 500


def _exception_message(info: Mapping[str, Any] | None) -> str | None:
    # GX reports either one {raised_exception, exception_message, ...} dict or one per failed metric.
    if not info:
        return None
    if "raised_exception" in info:
        if not info["raised_exception"]:
            return None
        message = str(info.get("exception_message") or "expectation raised")[:EXCEPTION_MESSAGE_MAX]
        return sub_identities(message, keep_ends)
    messages = [
        m for value in info.values() if isinstance(value, Mapping) and (m := _exception_message(value))
    ]
    return "; ".join(dict.fromkeys(messages)) or None


def suite_fingerprint(suite: gx.ExpectationSuite) -> str:
    """A SHA-256 of the suite's expectations and their parameters: its version in the audit tables.

    Build the suite with its parameters unbound (e.g. ``window_end``) so that every batch checked by
    the same rules gets the same fingerprint.
    """
    configs = [
        {k: v for k, v in e.configuration.to_json_dict().items() if k != "id"} for e in suite.expectations
    ]
    text = json.dumps({"name": suite.name, "expectations": configs}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _outcome(result: ExpectationValidationResult, key: str) -> ExpectationOutcome:
    config = result.expectation_config
    assert config is not None  # GX always attaches the configuration it ran
    expectation = config.to_domain_obj()
    column = _columns(expectation)
    details: Mapping[str, Any] = result.result or {}
    error = _exception_message(result.exception_info)
    return ExpectationOutcome(
        expectation=type(expectation).__name__,
        expectation_type=config.type,
        column=column,
        success=bool(result.success) and error is None,
        element_count=int(details.get("element_count") or 0),
        unexpected_count=int(details.get("unexpected_count") or 0),
        unexpected_percent=details.get("unexpected_percent"),
        sample=tuple(masked(column, value) for value in (details.get("unexpected_list") or [])[:SAMPLE_SIZE]),
        unexpected_keys=tuple(str(row[key]) for row in details.get("unexpected_index_list") or []),
        exception_info=error,
    )


def _has_surrogates(column: pd.Series) -> bool:
    texts = [value for value in column.tolist() if isinstance(value, str)]
    return bool(rows_matching(texts, _SURROGATE).any())


def validate_records(
    frame: pd.DataFrame,
    suite: gx.ExpectationSuite,
    *,
    key: str = "record_id",
    parameters: Mapping[str, Any] | None = None,
) -> ValidationOutcome:
    """Validate ``frame`` against ``suite`` and name every failing row by its key.

    Nothing is written anywhere: the GX context is in memory and cached per process. Errors inside
    an expectation are not raised; they come back as a failing outcome with ``exception_info`` set
    (see :attr:`ValidationOutcome.errors`), and the caller decides to fail or quarantine.

    Args:
        frame: canonical records (``ComplaintRecord`` columns; strings, aware datetimes, None).
        suite: the suite to run, e.g. from :func:`expectations.suites.build_suite_for`.
        key: the column that identifies a row; it must be present and never null.
        parameters: suite parameter values, e.g. ``{"window_end": window.end}``.

    Returns:
        The outcome: overall success, one result per expectation, failing keys with reasons.

    Raises:
        ValueError: ``key`` is missing, null or not valid Unicode somewhere, or the suite needs a
            parameter that is not given or not valid for its expectation (a naive ``window_end``).
    """
    if key not in frame.columns:
        raise ValueError(f"key column {key!r} is not in the frame")
    if frame[key].isna().any():
        raise ValueError(f"key column {key!r} has null values; rows without a key cannot be reported")
    missing = _suite_parameter_names(suite) - set(parameters or {})
    if missing:
        raise ValueError(f"suite {suite.name!r} needs parameters {sorted(missing)}")

    if _has_surrogates(frame[key]):
        raise ValueError(f"key column {key!r} holds text that is not valid Unicode (lone surrogates)")
    # Lone surrogates elsewhere (half an emoji cut off by a source truncating UTF-16 text) fail their
    # row in the clean-text checks; samples replace them before anything is stored.
    batch = _batch_definition().get_batch(batch_parameters={"dataframe": frame})
    result = batch.validate(
        suite,
        result_format={
            "result_format": "COMPLETE",
            "unexpected_index_column_names": [key],
            "return_unexpected_index_query": False,
        },
        expectation_parameters=dict(parameters or {}),
    )
    order = {(e.expectation_type, _columns(e)): i for i, e in reversed(list(enumerate(suite.expectations)))}
    outcomes = sorted(
        (_outcome(r, key) for r in result.results),
        key=lambda o: order.get((o.expectation_type, o.column), len(order)),
    )
    failures: dict[str, list[str]] = {}
    for outcome in outcomes:
        for row_key in outcome.unexpected_keys:
            reasons = failures.setdefault(row_key, [])
            if outcome.reason not in reasons:
                reasons.append(outcome.reason)
    return ValidationOutcome(
        suite_name=suite.name,
        success=bool(result.success) and all(o.success for o in outcomes),
        results=tuple(outcomes),
        failures_by_key={row_key: tuple(reasons) for row_key, reasons in failures.items()},
        raw=result,
    )
