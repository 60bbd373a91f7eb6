"""The police (警情) suite: canonical checks plus the caller's verified identity number and the district."""

from __future__ import annotations

from typing import Any

import great_expectations as gx

from expectations.suites.canonical import canonical_expectations, make_suite, source_expectations

SOURCE = "police"


def build_suite(**params: Any) -> gx.ExpectationSuite:
    """The police suite.

    Officers verify the caller's identity card and the dispatch system records the responsible
    district, so both are required here (``id_number`` must also be valid, as everywhere).

    Args:
        **params: tolerances, as for :func:`~expectations.suites.canonical.canonical_expectations`;
            here ``require_district`` defaults to True and ``require_contact`` to False (the
            identity number is required anyway).

    Returns:
        The suite ``complaints.police``.
    """
    options: dict[str, Any] = {"require_district": True, "require_contact": False, **params}
    mostly = float(options.get("mostly", 1.0))
    return make_suite(
        f"complaints.{SOURCE}",
        [
            *canonical_expectations(**options),
            *source_expectations(SOURCE, mostly=mostly),
            gx.expectations.ExpectColumnValuesToNotBeNull(column="id_number", mostly=mostly),
        ],
    )
