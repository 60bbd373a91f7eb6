"""Checking one landed batch: standardise, validate with the source's suite, split into staged and quarantined."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from connectors.base import RECORD_FIELDS, BaseConnector, ComplaintRecord
from expectations.gates import (
    SCHEMA_DRIFT,
    GateLimits,
    GateResult,
    quarantine_rate,
    schema_drift,
    volume_anomaly,
)

if TYPE_CHECKING:
    import pandas as pd

    from expectations.validate import ValidationOutcome

UNMAPPABLE = "record_mappable"
EVENTS_EXPECTATION = "ExpectValidHandlingEvents"


class ValidationError(RuntimeError):
    """The suite itself failed to run; the batch is not published and the task fails."""


@dataclass(frozen=True)
class CheckedBatch:
    """What validation decided for a batch: rows to stage, rows to quarantine (with every reason),
    the expectation results, the batch-level gates' verdicts and the validation run's summary."""

    records: list[dict[str, Any]]
    quarantined: list[dict[str, Any]]
    dq_results: list[dict[str, Any]] = field(default_factory=list)
    gates: list[dict[str, Any]] = field(default_factory=list)
    run: dict[str, Any] = field(default_factory=dict)

    @property
    def failed_gates(self) -> list[dict[str, Any]]:
        """The gates that hold this batch (empty when it may be published)."""
        return [gate for gate in self.gates if not gate["passed"]]


def check_batch(
    connector: type[BaseConnector],
    landed: Sequence[tuple[int, str, dict[str, Any]]],
    reference_time: datetime,
    *,
    profile: Mapping[str, Any] | None = None,
    limits: GateLimits | None = None,
    **suite_params: Any,
) -> CheckedBatch:
    """Standardise and validate ``(landing_id, source_record_id, payload)`` rows of one batch, then gate it.

    A row fails if it cannot be mapped at all or fails any row-level expectation; it is quarantined
    with its original payload and every reason. Nothing is dropped: staged + quarantined = landed.
    The batch-level gates (schema drift, volume, quarantine rate) then judge the batch as a whole;
    the caller holds it when one fails (``warehouse.apply_gates``).

    Args:
        connector: the source's connector class (its mapping to the canonical record).
        landed: the batch's landed rows.
        reference_time: the batch window's end; "not in the future" is judged against it, never now().
        profile: the batch's volume history (``warehouse.batch_profile``): ``fetched``, ``history``
            (rows fetched by the same weekday's earlier batches, newest first; the latest
            ``limits.volume_weeks`` count) and ``window_start``. Without it the volume gate passes,
            saying it had nothing to compare with.
        limits: the gates' tolerances; the defaults of :class:`~expectations.gates.GateLimits`.
        **suite_params: tolerances passed to the suite builder.

    Returns:
        The split, one result row per expectation, the gates' verdicts and the run summary.
    """
    import great_expectations as gx
    import pandas as pd

    from expectations.suites import WINDOW_END_PARAMETER
    from expectations.suites.declaration import CANONICAL, build_source_suite, declared_suite
    from expectations.validate import suite_fingerprint, validate_records

    started, limits = datetime.now(UTC), limits or GateLimits()
    by_id = {rid: (landing_id, payload) for landing_id, rid, payload in landed}
    standardised = connector.standardise((rid, payload) for _, rid, payload in landed)
    frame = pd.DataFrame([r.as_dict() for r in standardised.records], columns=list(RECORD_FIELDS))
    reasons: dict[str, list[str]] = {rid: [error] for rid, error in standardised.errors.items()}
    dq_results = [_mappable_result(connector.source, len(landed), standardised.errors)]
    # Built with window_end unbound, so the suite's fingerprint is the same for every batch it checks.
    declared = declared_suite(connector)  # the class's own declaration (registered or not)
    suite = build_source_suite(connector.source, declared or CANONICAL, **suite_params)
    document = None
    if len(frame):
        outcome = validate_records(
            frame, suite, key="record_id", parameters={WINDOW_END_PARAMETER: reference_time}
        )
        if outcome.errors:
            # An expectation that raised could not say which rows fail: staging them would publish
            # unchecked data, so the batch stops here and the task fails with GX's own message.
            details = "; ".join(f"{e.reason}: {e.exception_info}" for e in outcome.errors)
            raise ValidationError(f"{connector.source} suite {suite.name} could not run: {details}")
        prefix = f"{connector.source}:"
        for record_id, failed in outcome.failures_by_key.items():
            reasons.setdefault(record_id.removeprefix(prefix), []).extend(failed)
        _name_event_problems(standardised.records, reasons, reference_time)
        dq_results += [_result_row(suite.name, r) for r in outcome.results]
        document = outcome.masked_document()
    records = [
        r.as_dict() | {"landing_id": by_id[r.source_record_id][0]}
        for r in standardised.records
        if r.source_record_id not in reasons
    ]
    quarantined = [
        {
            "source_record_id": rid,
            "landing_id": by_id[rid][0],
            "payload": by_id[rid][1],
            "reasons": sorted(set(why)),
        }
        for rid, why in sorted(reasons.items())
    ]
    profile = profile or {}
    schema = declared.raw if declared is not None else None
    gates = [
        schema_drift(schema, [payload for _, _, payload in landed], limits.max_missing_share)
        if schema
        else GateResult(SCHEMA_DRIFT, True, f"no raw schema declared for {connector.source}"),
        volume_anomaly(
            int(profile.get("fetched", len(landed))),
            list(profile.get("history", ()))[: limits.volume_weeks],
            profile.get("window_start"),
            limits,
        ),
        quarantine_rate(len(landed), len(quarantined), limits),
    ]
    run = {
        "suite": suite.name,
        "suite_hash": suite_fingerprint(suite),
        "gx_version": gx.__version__,
        "success": all(r["success"] for r in dq_results),
        "expectations": len(dq_results),
        "failed_expectations": sum(not r["success"] for r in dq_results),
        "rows_checked": len(landed),
        "rows_quarantined": len(quarantined),
        "started_at": started,
        "finished_at": datetime.now(UTC),
        "result": document,
    }
    return CheckedBatch(records, quarantined, dq_results, [g.as_row() for g in gates], run)


def _name_event_problems(
    records: Sequence[ComplaintRecord], reasons: dict[str, list[str]], reference_time: datetime
) -> None:
    """Add what is wrong with each event to the reasons of records whose events failed validation."""
    from expectations.custom.events import event_problems

    for record in records:
        why = reasons.get(record.source_record_id)
        if why and any(EVENTS_EXPECTATION in reason for reason in why):
            rows = [event.as_row() for event in record.events]
            why += [f"events: {p}" for p in event_problems(rows, record.reported_at, reference_time)]


def _mappable_result(source: str, total: int, errors: dict[str, str]) -> dict[str, Any]:
    return {
        "suite": source,
        "expectation": UNMAPPABLE,
        "column_name": "*",
        "success": not errors,
        "element_count": total,
        "unexpected_count": len(errors),
        "unexpected_percent": 100.0 * len(errors) / total if total else 0.0,
        "sample": sorted(errors.values())[:5],
        "exception": None,
    }


def _result_row(suite: str, outcome: Any) -> dict[str, Any]:
    return {
        "suite": suite,
        "expectation": outcome.expectation,
        "column_name": outcome.column or "*",
        "success": bool(outcome.success),
        "element_count": int(outcome.element_count or 0),
        "unexpected_count": int(outcome.unexpected_count or 0),
        "unexpected_percent": float(outcome.unexpected_percent or 0.0),
        "sample": [str(v) for v in (outcome.sample or [])][:5],
        "exception": outcome.exception_info,
    }


def split_frame(
    frame: pd.DataFrame, outcome: ValidationOutcome, key: str = "record_id"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a validated frame into the rows that passed and the rows to quarantine.

    The frame-level form of what :func:`check_batch` does per row, for callers that hold canonical
    records already (the benchmark, backfills of staged data).

    Args:
        frame: the validated records.
        outcome: :func:`~expectations.validate.validate_records`' result for it.
        key: the key column the outcome names rows by.

    Returns:
        ``(passed, quarantined)``; ``quarantined`` holds the key and a ``reasons`` tuple per row.
    """
    failing = frame[key].isin(outcome.failures_by_key.keys())
    quarantined = frame.loc[failing, [key]]
    quarantined = quarantined.assign(reasons=quarantined[key].map(outcome.failures_by_key))
    return frame.loc[~failing], quarantined
