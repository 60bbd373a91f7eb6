"""The 小兰帮办 app suite: canonical checks plus the citizen's phone; the district may be missing."""

from __future__ import annotations

from typing import Any

import great_expectations as gx

from expectations.suites.canonical import canonical_expectations, make_suite, source_expectations
from expectations.suites.raw import RawSchema

SOURCE = "app"
# GeoReport v2 lets single requests omit fields, so the gate only fires when most rows lack one
# (SOURCES.md: app); the mini-app always sends the citizen's login phone.
RAW_SCHEMA = RawSchema(
    required=("service_request_id", "requested_datetime", "service_code", "description", "phone"),
    known=(
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
        "first_name",
        "last_name",
        "phone",
        "email",
        "id_card",
    ),
)


def build_suite(**params: Any) -> gx.ExpectationSuite:
    """The app suite.

    The mini-app logs citizens in with their mobile number, so ``phone`` is required (and must be
    valid, as everywhere). Citizens type the address themselves and pick no district, so a missing
    district is allowed; a district that is present must still be one of the divisions.

    Args:
        **params: tolerances, as for :func:`~expectations.suites.canonical.canonical_expectations`;
            here ``require_district`` defaults to False and ``require_contact`` to False (the phone
            is required anyway).

    Returns:
        The suite ``complaints.app``.
    """
    options: dict[str, Any] = {"require_district": False, "require_contact": False, **params}
    mostly = float(options.get("mostly", 1.0))
    return make_suite(
        f"complaints.{SOURCE}",
        [
            *canonical_expectations(**options),
            *source_expectations(SOURCE, mostly=mostly),
            gx.expectations.ExpectColumnValuesToNotBeNull(column="phone", mostly=mostly),
        ],
    )
