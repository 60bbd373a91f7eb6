"""Checking one landed batch: standardise, validate with the source's suite, split into staged and quarantined."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from connectors.base import RECORD_FIELDS, BaseConnector

UNMAPPABLE = "record_mappable"


class ValidationError(RuntimeError):
    """The suite itself failed to run; the batch is not published and the task fails."""


@dataclass(frozen=True)
class CheckedBatch:
    """What validation decided for a batch: rows to stage, rows to quarantine (with every reason), results."""

    records: list[dict[str, Any]]
    quarantined: list[dict[str, Any]]
    dq_results: list[dict[str, Any]] = field(default_factory=list)


def check_batch(
    connector: type[BaseConnector],
    landed: Sequence[tuple[int, str, dict[str, Any]]],
    reference_time: datetime,
    **suite_params: Any,
) -> CheckedBatch:
    """Standardise and validate ``(landing_id, source_record_id, payload)`` rows of one batch.

    A row fails if it cannot be mapped at all or fails any row-level expectation; it is quarantined
    with its original payload and every reason. Nothing is dropped: staged + quarantined = landed.

    Args:
        connector: the source's connector class (its mapping to the canonical record).
        landed: the batch's landed rows.
        reference_time: the batch window's end; "not in the future" is judged against it, never now().
        **suite_params: tolerances passed to the suite builder.

    Returns:
        The split, with one result row per expectation for the audit tables.
    """
    import pandas as pd

    from expectations.suites import build_suite_for
    from expectations.validate import validate_records

    by_id = {rid: (landing_id, payload) for landing_id, rid, payload in landed}
    standardised = connector.standardise((rid, payload) for _, rid, payload in landed)
    frame = pd.DataFrame([r.as_dict() for r in standardised.records], columns=list(RECORD_FIELDS))
    reasons: dict[str, list[str]] = {rid: [error] for rid, error in standardised.errors.items()}
    dq_results = [_mappable_result(connector.source, len(landed), standardised.errors)]
    if len(frame):
        suite = build_suite_for(connector.source, reference_time=reference_time, **suite_params)
        outcome = validate_records(frame, suite, key="record_id")
        if outcome.errors:
            # An expectation that raised could not say which rows fail: staging them would publish
            # unchecked data, so the batch stops here and the task fails with GX's own message.
            details = "; ".join(f"{e.reason}: {e.exception_info}" for e in outcome.errors)
            raise ValidationError(f"{connector.source} suite {suite.name} could not run: {details}")
        prefix = f"{connector.source}:"
        for record_id, failed in outcome.failures_by_key.items():
            reasons.setdefault(record_id.removeprefix(prefix), []).extend(failed)
        dq_results += [_result_row(suite.name, r) for r in outcome.results]
    records = [r.as_dict() | {"landing_id": by_id[r.source_record_id][0]}
               for r in standardised.records if r.source_record_id not in reasons]
    quarantined = [{"source_record_id": rid, "landing_id": by_id[rid][0], "payload": by_id[rid][1],
                    "reasons": sorted(set(why))} for rid, why in sorted(reasons.items())]
    return CheckedBatch(records, quarantined, dq_results)


def _mappable_result(source: str, total: int, errors: dict[str, str]) -> dict[str, Any]:
    return {"suite": source, "expectation": UNMAPPABLE, "column_name": "*", "success": not errors,
            "element_count": total, "unexpected_count": len(errors),
            "unexpected_percent": 100.0 * len(errors) / total if total else 0.0,
            "sample": sorted(errors.values())[:5], "exception": None}


def _result_row(suite: str, outcome: Any) -> dict[str, Any]:
    return {"suite": suite, "expectation": outcome.expectation, "column_name": outcome.column or "*",
            "success": bool(outcome.success), "element_count": int(outcome.element_count or 0),
            "unexpected_count": int(outcome.unexpected_count or 0),
            "unexpected_percent": float(outcome.unexpected_percent or 0.0),
            "sample": [str(v) for v in (outcome.sample or [])][:5],
            "exception": outcome.exception_info}
