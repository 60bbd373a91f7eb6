"""The netizen messages (网民留言) suite: canonical checks plus the poster's verified phone and the region picked."""

from __future__ import annotations

from typing import Any

import great_expectations as gx

from expectations.suites.canonical import canonical_expectations, make_suite, source_expectations
from expectations.suites.raw import RawSchema

SOURCE = "netizen"
# The message board's export always carries these keys, null or not (SOURCES.md: netizen).
RAW_SCHEMA = RawSchema(
    required=("tid", "post_time", "phone", "area", "topic", "content", "update_time"),
    known=(
        "tid",
        "title",
        "content",
        "post_time",
        "update_time",
        "nickname",
        "real_name",
        "phone",
        "area",
        "address",
        "topic",
        "kind",
        "status",
        "reply_org",
        "reply_time",
    ),
)


def build_suite(**params: Any) -> gx.ExpectationSuite:
    """The netizen suite.

    The board lets only users with a verified mobile number post, and every post names the region it
    concerns, so ``phone`` and ``district`` are required. A post may be anonymous (nickname only):
    the name is checked where present; nobody gives an identity number on a message board.

    Args:
        **params: tolerances, as for :func:`~expectations.suites.canonical.canonical_expectations`;
            here ``require_district`` defaults to True and ``require_contact`` to False (the phone
            is required anyway).

    Returns:
        The suite ``complaints.netizen``.
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
