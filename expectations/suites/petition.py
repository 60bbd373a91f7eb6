"""The petition (信访) suite: canonical checks plus the complainant's identity number and the district."""

from __future__ import annotations

from expectations.suites.declaration import SourceSuite
from expectations.suites.raw import RawSchema

# The petition bureau registers visitors with their identity card, and every item carries a division
# code, so both are required here (``id_number`` must also be valid, as everywhere).
SUITE = SourceSuite(
    # The visitor's identity number, the division code, the category code and the summary are
    # registered for every petition item (SOURCES.md: petition).
    raw=RawSchema(
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
            "blgc",
        ),
    ),
    require_district=True,
    require_contact=False,
    not_null=("id_number",),
)
