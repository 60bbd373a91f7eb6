"""The canonical suite: row-level checks every standardised record must pass, whatever its source."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import great_expectations as gx
from great_expectations.expectations.expectation import Expectation

from connectors.base import SOURCE_ID_MAX_LENGTH
from expectations.custom import (
    ExpectColumnValuesToBeCleanText,
    ExpectColumnValuesToBeSaneReportTime,
    ExpectColumnValuesToBeValidPhone,
    ExpectColumnValuesToBeValidResidentId,
    ExpectPhoneOrIdNumber,
    ExpectValidCategory,
    ExpectValidDistrict,
    ExpectValidHandlingEvents,
)

WINDOW_END_PARAMETER = "window_end"
"""Suite parameter the report-time check reads unless a fixed ``reference_time`` is given."""

DEFAULT_CONTENT_MAX_LENGTH = 5000
DEFAULT_NAME_MAX_LENGTH = 64
DEFAULT_ADDRESS_MAX_LENGTH = 500

# Most characters of the remaining text fields, checked where present: besides length this keeps NUL
# and other control characters (which PostgreSQL text cannot hold or dashboards cannot show) out.
_OTHER_TEXT_LIMITS = {
    "source_record_id": SOURCE_ID_MAX_LENGTH,  # the warehouse's column width too (connectors.base)
    "street": 64,
    "community": 64,
    "grid": 64,
    "status": 32,
    "source_category": 64,
}

# Fields without which a record cannot be stored, timed or classified.
_REQUIRED = ("record_id", "source", "source_record_id", "reported_at", "content", "category")


def _window_end() -> dict[str, str]:
    return {"$PARAMETER": WINDOW_END_PARAMETER}


def canonical_expectations(
    *,
    reference_time: datetime | str | None = None,
    clock_skew_minutes: float = 10.0,
    content_min_length: int = 1,
    content_max_length: int = DEFAULT_CONTENT_MAX_LENGTH,
    name_max_length: int = DEFAULT_NAME_MAX_LENGTH,
    address_max_length: int = DEFAULT_ADDRESS_MAX_LENGTH,
    allow_legacy_id: bool = True,
    require_contact: bool = True,
    require_district: bool = False,
    mostly: float = 1.0,
) -> list[Expectation]:
    """The row-level expectations on the canonical record (DESIGN §5).

    Args:
        reference_time: the batch's window end; ``None`` leaves the suite parameter ``window_end``
            to be supplied at validation time.
        clock_skew_minutes: how far past the reference time a report time may lie.
        content_min_length: fewest characters of ``content``.
        content_max_length: most characters of ``content``.
        name_max_length: most characters of ``name`` (checked where present).
        address_max_length: most characters of ``address`` (checked where present).
        allow_legacy_id: accept 15-digit first-generation identity numbers.
        require_contact: every row needs a phone or an identity number.
        require_district: every row needs a district (a district that is present is checked
            against the divisions either way).
        mostly: share of rows each expectation needs; keep 1.0 so that every failing row is reported
            as a failure of the batch (failing rows are identified either way).

    Returns:
        The expectations, in a stable order.
    """
    expectations: list[Expectation] = [
        *(gx.expectations.ExpectColumnValuesToNotBeNull(column=c, mostly=mostly) for c in _REQUIRED),
        gx.expectations.ExpectColumnValuesToBeUnique(column="record_id", mostly=mostly),
        ExpectColumnValuesToBeSaneReportTime(
            column="reported_at",
            reference_time=_window_end() if reference_time is None else reference_time,
            clock_skew_minutes=clock_skew_minutes,
            mostly=mostly,
        ),
        ExpectColumnValuesToBeCleanText(
            column="content", min_length=content_min_length, max_length=content_max_length, mostly=mostly
        ),
        ExpectValidCategory(column="category", mostly=mostly),
        ExpectValidDistrict(column="district", mostly=mostly),
        ExpectColumnValuesToBeValidPhone(column="phone", mostly=mostly),
        ExpectColumnValuesToBeValidResidentId(
            column="id_number", allow_legacy=allow_legacy_id, mostly=mostly
        ),
        ExpectColumnValuesToBeCleanText(column="name", max_length=name_max_length, mostly=mostly),
        ExpectColumnValuesToBeCleanText(column="address", max_length=address_max_length, mostly=mostly),
        ExpectValidHandlingEvents(
            reference_time=_window_end() if reference_time is None else reference_time,
            clock_skew_minutes=clock_skew_minutes,
            mostly=mostly,
        ),
    ]
    expectations += [
        ExpectColumnValuesToBeCleanText(column=column, max_length=limit, mostly=mostly)
        for column, limit in _OTHER_TEXT_LIMITS.items()
    ]
    if require_district:
        expectations.append(gx.expectations.ExpectColumnValuesToNotBeNull(column="district", mostly=mostly))
    if require_contact:
        expectations.append(ExpectPhoneOrIdNumber(column_A="phone", column_B="id_number", mostly=mostly))
    return expectations


def source_expectations(source: str, *, mostly: float = 1.0) -> list[Expectation]:
    """Expectations tying rows to their source: ``source`` equals it and ``record_id`` is ``<source>:<id>``.

    Args:
        source: the source name, e.g. ``"police"``.
        mostly: share of rows each expectation needs.

    Returns:
        The two expectations.
    """
    return [
        gx.expectations.ExpectColumnValuesToBeInSet(column="source", value_set=[source], mostly=mostly),
        gx.expectations.ExpectColumnValuesToMatchRegex(
            column="record_id", regex=f"^{re.escape(source)}:.+$", mostly=mostly
        ),
    ]


def make_suite(name: str, expectations: Sequence[Expectation]) -> gx.ExpectationSuite:
    """An unsaved suite holding ``expectations`` (nothing is written to any GX store)."""
    return gx.ExpectationSuite(name=name, expectations=list(expectations))


def build_suite(*, name: str = "complaints.canonical", **params: Any) -> gx.ExpectationSuite:
    """The canonical suite.

    Args:
        name: the suite name.
        **params: tolerances, as for :func:`canonical_expectations`.

    Returns:
        The suite.
    """
    return make_suite(name, canonical_expectations(**params))
