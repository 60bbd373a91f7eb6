"""Columns the warehouse derives from each canonical record as it is staged: keyed hashes, topic, masked text."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from chinese_text.identities import find_identities, sub_identities
from warehouse.access.hashing import check_key, hash_key, hash_records
from warehouse.derive.topics import add_topics

DERIVED_COLUMNS = ("phone_hash", "id_number_hash", "topic", "topic_rank", "content_masked")
# Short text the read contract shows as stored (v_case_member, and v_case through the golden record): a
# phone or id typed into one of them is masked in the staged record itself, as it has no masked twin.
SHOWN_TEXT_COLUMNS = ("status", "street", "community", "grid", "source_category", "district")


def _mask(text: str) -> str:
    # 138****1234 and 620102********123X, as the read contract masks the phone and id columns; a shorter
    # number (a local landline, 8123456) keeps two digits at each end, or it would be shown whole.
    if len(text) >= 15:
        return f"{text[:6]}********{text[-4:]}"
    return f"{text[:3]}****{text[-4:]}" if len(text) >= 11 else f"{text[:2]}****{text[-2:]}"


def mask_identities(text: str | None) -> str | None:
    """``text`` with phone and identity numbers masked (``None`` stays ``None``).

    What counts as one, however it is written (``138-9311-2345``, ``+86 139…``, full-width digits, a
    spaced identity number), is :mod:`chinese_text.identities`, the rule set every mask shares; sums of
    money (``1980000元``) stay readable.
    """
    return sub_identities(text, _mask) if text else text


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
        row["content_masked"] = mask_identities(content) if isinstance(content, str) else content
        for column in SHOWN_TEXT_COLUMNS:
            value = row.get(column)
            if isinstance(value, str) and find_identities(value):
                row[column] = mask_identities(value)
