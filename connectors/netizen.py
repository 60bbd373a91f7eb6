"""Netizen messages (网民留言) connector: the city message board's JSON exports, dropped into a directory."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from connectors._csv import unique_names
from connectors._geo import district_in_text
from connectors.drop import FileDropConnector, decode_export
from connectors.events import EventMap


class NetizenConnector(FileDropConnector):
    """Each export is loaded once (the warehouse's file registry decides which are new) and archived after.

    An export is one JSON document ``{"platform", "exported_at", "from", "to", "count", "messages": [...]}``
    (SOURCES.md: netizen). A file that is not JSON at all becomes one ``_error`` row naming the file
    and the line where parsing stopped; a message that is not an object becomes an ``_error`` row with
    its position; the rest of the file loads. A key repeated in one object keeps both values (the
    second as ``key#2``) instead of the last silently overwriting the first.
    """

    source = "netizen"
    conn_id = "complaints_netizen"
    primary_key = "tid"
    cursor_field = "update_time"
    suffixes = (".json",)
    field_map = {
        "reported_at": "post_time",
        "received_at": "post_time",
        "name": "real_name",
        "phone": "phone",
        "address": "address",
        "source_category": "topic",
        "content": "content",
        "status": "status",
        "resolved_at": "reply_time",
        "updated_at": "update_time",
    }
    time_formats = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
    # process: the board's handling log (受理, 转办, 回复, 网友评价 with 1-5 stars).
    event_map = EventMap(
        column="process",
        keys={"type": "action", "at": "time", "actor": "operator", "unit": "org", "level": "org_level",
              "reason": "note", "score": "score"},
        types={"发布": "registered", "受理": "accepted", "转办": "dispatched", "回复": "replied", "办结": "closed",
               "网友评价": "followed_up"},
    )  # fmt: skip
    suite = "expectations.suites.netizen"
    schedule = {"cron": "30 * * * *"}  # the message board's hourly JSON exports

    def parse(self, name: str, data: bytes) -> Iterator[dict[str, Any]]:
        """Messages of one export with ``_file`` and ``_item`` (1-based position in ``messages``)."""
        text = decode_export(data)
        if text is None:
            yield {"_file": name, "_line": 1, "_error": "undecodable bytes", "_raw_hex": data[:2048].hex()}
            return
        try:
            document = json.loads(text, object_pairs_hook=_keep_repeated_keys)
        except json.JSONDecodeError as exc:
            yield {
                "_file": name,
                "_line": exc.lineno,
                "_error": f"invalid JSON: {exc.msg}",
                "_raw_text": text[:2048],
            }
            return
        messages = document.get("messages") if isinstance(document, dict) else None
        if not isinstance(messages, list):
            yield {
                "_file": name,
                "_line": 1,
                "_error": "no messages array in the export",
                "_raw_text": text[:2048],
            }
            return
        for position, message in enumerate(messages, start=1):
            if isinstance(message, dict):
                yield {**message, "_file": name, "_item": position}
            else:
                yield {
                    "_file": name,
                    "_item": position,
                    "_error": "message is not an object",
                    "_raw_text": json.dumps(message, ensure_ascii=False)[:2048],
                }

    @classmethod
    def derive(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        """The district from the region the poster picked (``甘肃省兰州市城关区``), else from the address."""
        district = district_in_text(raw.get("area")) or district_in_text(raw.get("address"))
        # A region outside Lanzhou is kept as sent, so that validation names it rather than it vanishing.
        return {"district": district or (str(raw.get("area") or "").strip() or None)}


def _keep_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose repeated keys are suffixed ``#2``, ``#3``... (json's default keeps the last)."""
    return dict(zip(unique_names([key for key, _ in pairs]), [value for _, value in pairs], strict=True))
