"""Source records as a role may see them side by side: the same masks as the read contract's views.

Roles: ``reader`` and ``auditor`` see what ``v_case_member`` shows (name ``张**``, phone ``138****1234``,
id ``620102********123X``, no street address); a ``clerk`` of the command centre, who settles matches,
also sees the full name and street address. Nobody sees a raw phone or id number here: whether two
records share one is told by ``same_phone`` / ``same_id_number`` (their keyed hashes are equal).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from warehouse.review.errors import InvalidInput
from warehouse.schema import CaseMember, StagedRecord, table_of
from warehouse.schema.dialect import chunks

ROLES = ("reader", "auditor", "clerk")
_SHOWN = (
    "record_id",
    "source",
    "source_record_id",
    "reported_at",
    "district",
    "street",
    "community",
    "grid",
    "category",
    "topic",
    "status",
)


def check_role(role: str) -> str:
    """``role`` when it is one of :data:`ROLES`."""
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    return role


def mask_number(value: str | None, keep: int) -> str | None:
    """A phone or id number as the views show it: the first ``keep`` and last four characters."""
    if value is None:
        return None
    if len(value) < keep + 4:
        return "*" * len(value)
    return f"{value[:keep]}{'*' * (len(value) - keep - 4)}{value[-4:]}"


def mask_name(value: str | None) -> str | None:
    """A name as the views show it: the surname and two stars."""
    return None if value is None else f"{value[:1]}**"


def shown_record(row: dict[str, Any], role: str) -> dict[str, Any]:
    """One record's fields as ``role`` may see them (``row`` holds the raw columns)."""
    out = {column: row.get(column) for column in _SHOWN}
    clerk = role == "clerk"
    out["case_id"] = row.get("case_id")
    out["name"] = row.get("name") if clerk else mask_name(row.get("name"))
    out["phone"] = mask_number(row.get("phone"), 3)
    out["id_number"] = mask_number(row.get("id_number"), 6)
    if clerk:
        out["address"] = row.get("address")
    out["content"] = row.get("content_masked")
    return out


def read_records(conn: sa.Connection, record_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The raw rows of ``record_ids`` with their case (for :func:`shown_record` and the hash comparisons)."""
    r, m = table_of(StagedRecord), table_of(CaseMember)
    columns = [r.c[c] for c in (*_SHOWN, "name", "phone", "id_number", "address", "content_masked")]
    found: dict[str, dict[str, Any]] = {}
    for part in chunks(sorted(set(record_ids))):
        query = (
            sa.select(*columns, r.c.phone_hash, r.c.id_number_hash, m.c.case_id)
            .outerjoin(m, m.c.record_id == r.c.record_id)
            .where(r.c.record_id.in_(list(part)))
        )
        found.update({row["record_id"]: dict(row) for row in conn.execute(query).mappings()})
    return found


def side_by_side(left: dict[str, Any], right: dict[str, Any], role: str) -> dict[str, Any]:
    """Two records as ``role`` sees them, and which identities they share (by keyed hash)."""

    def same(column: str) -> bool | None:
        a, b = left.get(column), right.get(column)
        return None if a is None or b is None else a == b

    return {
        "records": [shown_record(left, role), shown_record(right, role)],
        "same_phone": same("phone_hash"),
        "same_id_number": same("id_number_hash"),
        "same_name": same("name"),
    }
