"""A sixth source that exists only in tests: the mayor's mailbox (市长信箱), JSON exports dropped in a folder.

Registered for one test (``tests/dags/test_new_source.py``), it must reach every DAG, gate and runner
with no other edit. Its connector and its suite declaration share this module, which the connector
names as its ``suite``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from connectors.drop import FileDropConnector
from expectations.suites.declaration import SourceSuite
from expectations.suites.raw import RawSchema

# Stands in for the source's block of connectors/config/categories.yaml (patched in by the test).
CATEGORY_CODES = {"工资": "劳资欠薪", "其他": "其他"}


class MailboxConnector(FileDropConnector):
    """Each export is a JSON array of letters."""

    source = "mailbox"
    conn_id = "complaints_mailbox"
    primary_key = "letter_id"
    cursor_field = "sent_at"
    suffixes = (".json",)
    field_map = {
        "reported_at": "sent_at",
        "name": "writer",
        "phone": "phone",
        "district": "district",
        "source_category": "topic",
        "content": "body",
        "updated_at": "sent_at",
    }
    suite = "mailbox_source"  # this module: it declares SUITE below
    schedule = {"cron": "45 */2 * * *", "execution_timeout_minutes": 5}

    def parse(self, name: str, data: bytes) -> Iterator[dict[str, Any]]:
        """The letters of one export, with ``_file`` and ``_item``."""
        for position, letter in enumerate(json.loads(data), start=1):
            yield {**letter, "_file": name, "_item": position}


SUITE = SourceSuite(
    raw=RawSchema(
        required=("letter_id", "sent_at", "phone", "topic", "body"),
        known=("letter_id", "sent_at", "writer", "phone", "district", "topic", "body"),
    ),
    require_contact=False,
    not_null=("phone",),
)
