"""The 小兰帮办 app suite: canonical checks plus the citizen's phone; the district may be missing."""

from __future__ import annotations

from expectations.suites.declaration import SourceSuite
from expectations.suites.raw import RawSchema

# The mini-app logs citizens in with their mobile number, so ``phone`` is required (and must be valid,
# as everywhere). Citizens type the address themselves and pick no district, so a missing district is
# allowed; a district that is present must still be one of the divisions.
SUITE = SourceSuite(
    # GeoReport v2 lets single requests omit fields, so the gate only fires when most rows lack one
    # (SOURCES.md: app); the mini-app always sends the citizen's login phone.
    raw=RawSchema(
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
            "status_history",
        ),
    ),
    require_contact=False,
    not_null=("phone",),
)
