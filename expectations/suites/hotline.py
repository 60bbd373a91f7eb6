"""The 12345 hotline suite: canonical checks plus the caller's phone and the district the operator picked."""

from __future__ import annotations

from typing import Any

import great_expectations as gx

from expectations.suites.canonical import canonical_expectations, make_suite, source_expectations
from expectations.suites.raw import RawSchema

SOURCE = "hotline"
# Work-order fields the platform always sends, null or not (SOURCES.md: hotline).
RAW_SCHEMA = RawSchema(
    required=("order_no", "create_time", "caller_phone", "area", "category", "content", "update_time"),
    known=(
        "order_no",
        "create_time",
        "update_time",
        "caller_name",
        "caller_phone",
        "id_card",
        "address",
        "area",
        "street",
        "category",
        "content",
        "status",
        "dispatch_time",
        "finish_time",
    ),
)


def build_suite(**params: Any) -> gx.ExpectationSuite:
    """The hotline suite.

    Every call arrives with the caller's number from the switch and the operator picks the
    district, so both are required here (``phone`` must also be valid, as everywhere).

    Args:
        **params: tolerances, as for :func:`~expectations.suites.canonical.canonical_expectations`;
            here ``require_district`` defaults to True and ``require_contact`` to False (the phone
            is required anyway).

    Returns:
        The suite ``complaints.hotline``.
    """
    options: dict[str, Any] = {"require_district": True, "require_contact": False, **params}
    mostly = float(options.get("mostly", 1.0))
    return make_suite(
        f"complaints.{SOURCE}",
        [
            *canonical_expectations(**options),
            *source_expectations(SOURCE, mostly=mostly),
            gx.expectations.ExpectColumnValuesToNotBeNull(column="phone", mostly=mostly),
        ],
    )
