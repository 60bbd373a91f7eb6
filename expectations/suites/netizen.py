"""The netizen messages (网民留言) suite: canonical checks plus the poster's verified phone and the region picked."""

from __future__ import annotations

from expectations.suites.declaration import SourceSuite
from expectations.suites.raw import RawSchema

# The board lets only users with a verified mobile number post, and every post names the region it
# concerns, so ``phone`` and ``district`` are required. A post may be anonymous (nickname only): the name
# is checked where present; nobody gives an identity number on a message board.
SUITE = SourceSuite(
    # The message board's export always carries these keys, null or not (SOURCES.md: netizen).
    raw=RawSchema(
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
            "process",
        ),
    ),
    require_district=True,
    require_contact=False,
    not_null=("phone",),
)
