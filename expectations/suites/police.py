"""The police (警情) suite: canonical checks plus the caller's verified identity number and the district."""

from __future__ import annotations

from expectations.suites.declaration import SourceSuite
from expectations.suites.raw import RawSchema

# The dispatch system records the responsible district, so it is required. Officers verify the caller's
# identity card when they meet the caller, but a call handled by phone alone has none: a phone or an
# identity number is required, and an identity number given must be valid.
SUITE = SourceSuite(
    # The CAD export's header row: a renamed header shows up here first (SOURCES.md: police).
    raw=RawSchema(
        required=("接警单编号", "报警时间", "管辖区县", "警情类别代码", "简要警情", "更新时间"),
        known=(
            "接警单编号",
            "报警时间",
            "报警人姓名",
            "报警人电话",
            "报警人身份证号",
            "发案地址",
            "管辖区县",
            "警情类别代码",
            "简要警情",
            "处警状态",
            "更新时间",
            "处警记录",
        ),
    ),
    require_district=True,
)
