"""The 12345 hotline suite: canonical checks plus the caller's phone and the district the operator picked."""

from __future__ import annotations

from expectations.suites.declaration import SourceSuite
from expectations.suites.raw import RawSchema

# Every call arrives with the caller's number from the switch and the operator picks the district, so
# both are required here (``phone`` must also be valid, as everywhere).
SUITE = SourceSuite(
    # Work-order fields the platform always sends, null or not (SOURCES.md: hotline).
    raw=RawSchema(
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
            "flow",
        ),
    ),
    require_district=True,
    require_contact=False,
    not_null=("phone",),
)
