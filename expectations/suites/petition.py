"""The petition (信访) suite: canonical checks plus the complainant's identity number and the district."""

from __future__ import annotations

from typing import Any

import great_expectations as gx

from expectations.suites.canonical import canonical_expectations, make_suite, source_expectations
from expectations.suites.raw import RawSchema

SOURCE = "petition"
# The visitor's identity number, the division code, the category code and the summary are
# registered for every petition item (SOURCES.md: petition).
RAW_SCHEMA = RawSchema(
    required=("xfjbh", "djsj", "xfrsfzh", "xzqh", "wtlb", "nrzy", "gxsj"),
    known=(
        "xfjbh",
        "djsj",
        "xfrxm",
        "xfrsfzh",
        "lxdh",
        "dsrxm",
        "dsrsfzh",
        "zz",
        "xzqh",
        "jdmc",
        "sqmc",
        "wtlb",
        "nrzy",
        "blzt",
        "slsj",
        "bjsj",
        "gxsj",
    ),
)


def build_suite(**params: Any) -> gx.ExpectationSuite:
    """The petition suite.

    The petition bureau registers visitors with their identity card, and every item carries a
    division code, so both are required here (``id_number`` must also be valid, as everywhere).

    Args:
        **params: tolerances, as for :func:`~expectations.suites.canonical.canonical_expectations`;
            here ``require_district`` defaults to True and ``require_contact`` to False (the
            identity number is required anyway).

    Returns:
        The suite ``complaints.petition``.
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
