"""Batch-level gates: checks on a whole batch that hold it back, where row checks would only quarantine rows.

Three gates, each a pure function of what the batch looks like and, for volume, of its history:

- ``schema_drift``: a required raw column is missing from most of the batch's payloads (the source
  renamed or dropped it); a new key that appears at the same time is named as the likely new name;
- ``volume``: the batch fetched far fewer or far more rows than the same weekday's recent batches;
- ``quarantine_rate``: more of the batch's checked rows failed than the configured share.

A gate that cannot judge (no payloads, too little history, too few rows) passes and says why, so
the audit shows that it ran.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from expectations.suites.raw import RawSchema

SCHEMA_DRIFT = "schema_drift"
VOLUME = "volume"
QUARANTINE_RATE = "quarantine_rate"
GATES: tuple[str, ...] = (SCHEMA_DRIFT, VOLUME, QUARANTINE_RATE)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class GateLimits:
    """The gates' tolerances (parameters, not branches in tasks).

    Attributes:
        max_missing_share: a required raw column absent (no key at all) from more than this share of
            the batch's parseable payloads is schema drift.
        volume_weeks: how many earlier weeks of the same weekday make the volume baseline.
        volume_min_history: fewer earlier batches than this and the volume gate does not judge.
        volume_low: fetched below this fraction of the baseline average is an anomaly...
        volume_high: ...and so is fetched above this multiple of it...
        volume_min_difference: ...but only when it differs from the average by at least this many
            rows (a quiet 15-minute window at night is not an incident).
        max_quarantine_share: more than this share of checked rows quarantined holds the batch.
        quarantine_min_rows: fewer checked rows than this and the rate is not judged.
    """

    max_missing_share: float = 0.5
    volume_weeks: int = 4
    volume_min_history: int = 3
    volume_low: float = 0.3
    volume_high: float = 3.0
    volume_min_difference: int = 50
    max_quarantine_share: float = 0.10
    quarantine_min_rows: int = 20


@dataclass(frozen=True)
class GateResult:
    """One gate's verdict on one batch, as stored in ``batch_gate``."""

    gate: str
    passed: bool
    reason: str
    detail: dict[str, Any] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        """The verdict as a plain dict (``BatchGate`` columns without the batch id)."""
        return asdict(self)


def schema_drift(
    schema: RawSchema, payloads: Sequence[Mapping[str, Any]], max_missing_share: float
) -> GateResult:
    """Whether required raw columns vanished from the batch's payloads.

    Rows the connector already marked unparseable (an ``_error`` key: a broken CSV line) carry no
    columns and are left to row-level quarantine; keys starting with ``_`` are connector metadata.

    Args:
        schema: the source's declared raw columns.
        payloads: the raw payloads landed for this batch.
        max_missing_share: the tolerated share of rows without a required column.

    Returns:
        The verdict; on failure ``detail`` lists each missing column with its share and likely new name.
    """
    rows = [p for p in payloads if not p.get("_error")]
    if not rows:
        return GateResult(SCHEMA_DRIFT, True, "no parseable payloads in this batch: nothing to compare")
    counts: dict[str, int] = {}
    for payload in rows:
        for key in payload:
            counts[key] = counts.get(key, 0) + 1
    common_new = sorted(
        k
        for k, n in counts.items()
        if k not in schema.known and not k.startswith("_") and n / len(rows) > max_missing_share
    )
    missing = {column: 1 - counts.get(column, 0) / len(rows) for column in schema.required}
    drifted = {column: share for column, share in missing.items() if share > max_missing_share}
    if not drifted:
        return GateResult(
            SCHEMA_DRIFT,
            True,
            f"all {len(schema.required)} required raw columns present",
            {"rows": len(rows), "new_columns": common_new},
        )
    parts, renamed = [], {}
    for column, share in drifted.items():
        guess = difflib.get_close_matches(column, common_new, n=1, cutoff=0.5) or common_new[:1]
        if guess:
            renamed[column] = guess[0]
        hint = f" (renamed to {guess[0]!r}?)" if guess else ""
        parts.append(f"{column!r} missing from {share:.0%} of rows{hint}")
    return GateResult(
        SCHEMA_DRIFT,
        False,
        "required raw column " + "; ".join(parts),
        {"rows": len(rows), "missing": drifted, "renamed": renamed, "new_columns": common_new},
    )


def volume_anomaly(
    fetched: int, history: Sequence[int], window_start: datetime | None, limits: GateLimits
) -> GateResult:
    """Whether the batch's size is far from the same weekday's recent average.

    Args:
        fetched: rows the connector fetched for this batch.
        history: rows fetched by the same source's batches for the same window 1..N weeks earlier.
        window_start: the batch window's start (names the weekday in the message).
        limits: the tolerances.

    Returns:
        The verdict, with the baseline in ``detail``.
    """
    day = _WEEKDAYS[window_start.weekday()] if window_start else "same weekday"
    detail: dict[str, Any] = {"fetched": fetched, "history": list(history)}
    if len(history) < limits.volume_min_history:
        return GateResult(
            VOLUME,
            True,
            f"only {len(history)} earlier {day} batch(es), "
            f"{limits.volume_min_history} needed: volume not judged",
            detail,
        )
    average = sum(history) / len(history)
    detail.update(average=round(average, 1), low=limits.volume_low, high=limits.volume_high)
    far = abs(fetched - average) >= limits.volume_min_difference
    if far and fetched < limits.volume_low * average:
        return GateResult(
            VOLUME,
            False,
            f"fetched {fetched} rows, far below the {day} average of "
            f"{average:.0f} over the last {len(history)} weeks (< {limits.volume_low:.0%})",
            detail,
        )
    if far and fetched > limits.volume_high * average:
        return GateResult(
            VOLUME,
            False,
            f"fetched {fetched} rows, far above the {day} average of "
            f"{average:.0f} over the last {len(history)} weeks (> {limits.volume_high:g}x)",
            detail,
        )
    return GateResult(VOLUME, True, f"fetched {fetched} rows; {day} average {average:.0f}", detail)


def quarantine_rate(checked: int, quarantined: int, limits: GateLimits) -> GateResult:
    """Whether too large a share of the batch's checked rows failed their row-level checks.

    Args:
        checked: rows validated (new or changed ones; unchanged rows are not checked again).
        quarantined: of those, rows that failed.
        limits: the tolerances.

    Returns:
        The verdict, with the share in ``detail``.
    """
    share = quarantined / checked if checked else 0.0
    detail = {
        "checked": checked,
        "quarantined": quarantined,
        "share": round(share, 4),
        "max_share": limits.max_quarantine_share,
    }
    if checked < limits.quarantine_min_rows:
        return GateResult(
            QUARANTINE_RATE,
            True,
            f"{quarantined} of {checked} rows quarantined; fewer than "
            f"{limits.quarantine_min_rows} rows checked: rate not judged",
            detail,
        )
    if share > limits.max_quarantine_share:
        return GateResult(
            QUARANTINE_RATE,
            False,
            f"{quarantined} of {checked} rows ({share:.1%}) failed row "
            f"checks, above the {limits.max_quarantine_share:.0%} allowed",
            detail,
        )
    return GateResult(
        QUARANTINE_RATE, True, f"{quarantined} of {checked} rows ({share:.1%}) quarantined", detail
    )
