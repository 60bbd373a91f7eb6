"""What paged HTTP sources share: telling a repeated or stale page from the next one, and malformed items."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

# Past this many pages in one pass the source is not paging but looping; the window fails.
MAX_PAGES = 20_000


class PageLedger:
    """What one paging pass has accepted so far: a fingerprint of every item and of every page read.

    A page is judged on whole items, never on their time or id fields, so that an item without (or
    with an unreadable) time or id cannot hide a repeat: a page that is the same as one already read,
    or that carries an item already read in this pass, is not the next page. A record changed between
    pages is a different item: its new version is never taken for a repeat.
    """

    def __init__(self) -> None:
        self.ids: set[bytes] = set()
        self._pages: set[bytes] = set()
        self.pages = 0

    def problem(self, items: Sequence[Any], *, restart: int = 0) -> str | None:
        """Why ``items`` cannot be the next page of this pass, or ``None`` when they can.

        Args:
            items: the decoded page.
            restart: for page 1 of a keyset request (which starts at the last time read, so it may serve
                ids read already, for the caller to drop), the length of a full page: such a page is
                refused only when it is full and brings no id not read already. ``0``: any page.

        Returns:
            The reason, or ``None``.
        """
        if self.pages >= MAX_PAGES:
            return f"more than {MAX_PAGES} pages in one window: the source keeps paging"
        if not items:
            return None
        ids = self.keys(items)
        if restart:
            seen = len(ids) == len(items) and all(i in self.ids for i in ids)
            return (
                "stale page: it brings no item not read already" if seen and len(items) >= restart else None
            )
        if _fingerprint(items) in self._pages:
            return "repeated page: the same items as a page already read"
        if any(i in self.ids for i in ids):
            return "stale page: it repeats items already read"
        return None

    def admit(self, items: Sequence[Any]) -> None:
        """Record an accepted page."""
        self.pages += 1
        if items:
            self._pages.add(_fingerprint(items))
            self.ids.update(self.keys(items))

    @staticmethod
    def keys(items: Iterable[Any]) -> list[bytes]:
        """The fingerprints of the items that are objects (other elements count in the page's only)."""
        return [_fingerprint(i) for i in items if isinstance(i, dict)]


def _fingerprint(value: Any) -> bytes:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def malformed_item(item: Any, page: int, position: int, where: str = "") -> dict[str, Any]:
    """A row standing for an array element that is not an object: landed, then quarantined with the reason.

    Args:
        item: the element as decoded (``null``, a number, a string, a list).
        page: the page it came on.
        position: its 1-based position on the page.
        where: what else places the page (a cursor), so that the row is stable across re-runs.

    Returns:
        An ``_error`` row (see :meth:`connectors.base.BaseConnector.to_record`).
    """
    kind = "null" if item is None else type(item).__name__
    return {
        "_item": position,
        "_page": f"{where}{page}",
        "_error": f"item is not an object but {kind} (page {page})",
        "_raw_text": json.dumps(item, ensure_ascii=False, default=str)[:2048],
    }


def as_rows(items: Sequence[Any], page: int, where: str = "") -> list[dict[str, Any]]:
    """The page's items, each element that is not an object replaced by its :func:`malformed_item` row."""
    return [
        item if isinstance(item, dict) else malformed_item(item, page, n, where)
        for n, item in enumerate(items, start=1)
    ]
