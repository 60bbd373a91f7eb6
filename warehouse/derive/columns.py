"""Columns the warehouse derives from each canonical record as it is staged: keyed hashes, topic, masked text."""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa

from warehouse.access.hashing import check_key, hash_key, hash_records
from warehouse.derive.topics import add_topics

DERIVED_COLUMNS = ("phone_hash", "id_number_hash", "topic", "topic_rank", "content_masked")
# What citizens type into descriptions: a mobile number, an 18- or 15-digit identity number, a landline.
# Sums of money (1980000元) have no such shape and stay readable.
_IDENTITIES = re.compile(r"(?<!\d)(?:1[3-9]\d{9}|\d{17}[\dXx]|\d{15}|0\d{2,3}-?\d{7,8})(?!\d)")
# Every such number has seven digits in a row; this much cheaper scan rules most descriptions out.
_SEVEN_DIGITS = re.compile(r"[0-9]{7}")


def _mask(match: re.Match[str]) -> str:
    text = match.group(0)
    # 138****1234 and 620102********123X, as the read contract masks the phone and id columns.
    return f"{text[:6]}********{text[-4:]}" if len(text) >= 15 else f"{text[:3]}****{text[-4:]}"


def mask_identities(text: str | None) -> str | None:
    """``text`` with phone and identity numbers masked (``None`` stays ``None``)."""
    if not text or not _SEVEN_DIGITS.search(text):
        return text
    return _IDENTITIES.sub(_mask, text)


def derive_columns(
    conn: sa.Connection, rows: Sequence[dict[str, object]], key: bytes | None = None, check: bool = True
) -> None:
    """Add :data:`DERIVED_COLUMNS` to staged rows in place, after checking the warehouse's hash key.

    Computing them here, once per record, keeps raw identities out of every later join (matching,
    golden records, groups), keeps text parsing out of the publish, and gives the read contract a
    description it can show.

    Args:
        conn: the staging transaction (the key check reads and may register the key fingerprint).
        rows: canonical records about to be staged.
        key: the hash key (default: the configured one).
        check: refuse a key that is not the warehouse's (only a key rotation skips this).

    Raises:
        warehouse.access.hashing.HashKeyMismatch: if the configured key is not the warehouse's.
    """
    if not rows:
        return
    key = key or hash_key()
    if check:
        check_key(conn, key)
    hash_records(rows, key)
    add_topics(rows)
    for row in rows:
        content = row.get("content")
        # Most descriptions hold no seven digits in a row: they are their own masked form.
        row["content_masked"] = (
            mask_identities(content)
            if isinstance(content, str) and _SEVEN_DIGITS.search(content)
            else content
        )
