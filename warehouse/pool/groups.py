"""Groups (hotspots), set-based: open cases sharing a group key are linked into a group with a stable id.

A case's ``group_key`` (category, topic and, for home-based disputes, district) is part of its golden
record (:mod:`warehouse.pool.golden`). Here, after the cases in ``tmp_scope`` were refreshed: a key shared by
``min_cases`` open cases gets a group (``case_group``, never deleted, so warnings raised on it never
dangle); cases are linked to their key's group (a ``grouped`` event in their history); and the
affected groups' counts, complainants and dates are recomputed.
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.derive.survivorship import Survivorship, load_survivorship
from warehouse.pool._golden_sql import null_safe_differs
from warehouse.pool.golden import SCOPE

_KEYS, _LINKS, _AGG = "tmp_group_keys", "tmp_group_links", "tmp_group_agg"


def refresh_groups(conn: sa.Connection, settings: Survivorship | None = None) -> dict[str, int]:
    """Create, link and recount the groups the cases in ``tmp_scope`` belong or belonged to.

    Returns:
        ``{"new_groups": created, "linked": cases whose group changed}``.
    """
    settings = settings or load_survivorship()
    dialect = conn.dialect.name
    for table in (_KEYS, _LINKS, _AGG):
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
    # The keys in play: the scope's current keys, and the keys of the groups its cases are linked to now.
    conn.execute(
        sa.text(
            f"CREATE TEMPORARY TABLE {_KEYS} AS SELECT DISTINCT k.group_key FROM ("
            f"SELECT c.group_key FROM complaint_case c JOIN {SCOPE} s ON s.case_id = c.case_id "
            "WHERE c.group_key IS NOT NULL UNION "
            f"SELECT g.group_key FROM complaint_case c JOIN {SCOPE} s ON s.case_id = c.case_id "
            "JOIN case_group g ON g.group_id = c.group_id) k"
        )
    )
    created = conn.execute(
        sa.text(
            "INSERT INTO case_group (group_key, category, topic, district, n_cases, n_records, n_complainants, "
            "created_batch_id, updated_batch_id) "
            "SELECT c.group_key, min(c.category), min(c.topic), "
            f"CASE WHEN min(c.category) IN ({_listed(settings.groups.by_district)}) THEN min(c.district) END, "
            "0, 0, 0, max(c.updated_batch_id), max(c.updated_batch_id) "
            f"FROM complaint_case c JOIN {_KEYS} k ON k.group_key = c.group_key "
            "WHERE c.status = 'open' AND NOT EXISTS (SELECT 1 FROM case_group g WHERE g.group_key = c.group_key) "
            f"GROUP BY c.group_key HAVING count(*) >= {settings.groups.min_cases}"
        )
    ).rowcount
    # Every case holding a key in play, or linked to one of its groups, and the group it belongs to now.
    conn.execute(
        sa.text(
            f"CREATE TEMPORARY TABLE {_LINKS} AS SELECT c.case_id, c.group_id AS old_group_id, "
            "CASE WHEN c.status = 'open' THEN g.group_id END AS new_group_id, c.updated_batch_id AS batch_id "
            "FROM complaint_case c LEFT JOIN case_group g ON g.group_key = c.group_key "
            f"WHERE c.group_key IN (SELECT group_key FROM {_KEYS}) "
            f"OR c.group_id IN (SELECT g2.group_id FROM case_group g2 JOIN {_KEYS} k ON k.group_key = g2.group_key)"
        )
    )
    if dialect == "postgresql":  # temporary tables are never auto-analysed: give the joins below sizes
        conn.execute(sa.text(f"ANALYZE {_LINKS}"))
    moved = f"{null_safe_differs(dialect, 'l.old_group_id', 'l.new_group_id')}"
    conn.execute(
        sa.text(
            "INSERT INTO case_history (case_id, event, related_id, batch_id, detail) "
            "SELECT l.case_id, 'grouped', CAST(l.new_group_id AS VARCHAR(20)), l.batch_id, NULL "
            f"FROM {_LINKS} l WHERE l.new_group_id IS NOT NULL AND {moved} "
            "ON CONFLICT (case_id, event, related_id) DO NOTHING"
        )
    )
    linked = conn.execute(
        sa.text(
            f"UPDATE complaint_case SET group_id = l.new_group_id FROM {_LINKS} l "
            f"WHERE complaint_case.case_id = l.case_id AND {moved}"
        )
    ).rowcount
    _recount(conn, dialect)
    for table in (_KEYS, _LINKS, _AGG):
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
    return {"new_groups": int(created or 0), "linked": int(linked or 0)}


def _recount(conn: sa.Connection, dialect: str) -> None:
    """Counts, complainants and first/last report of every group touched (old or new membership)."""
    # From the cases' own summaries: a group's complainants are its cases' complainants (by keyed hash).
    conn.execute(
        sa.text(
            f"CREATE TEMPORARY TABLE {_AGG} AS SELECT g.group_id, count(c.case_id) AS n_cases, "
            "coalesce(sum(c.n_records), 0) AS n_records, "
            "count(DISTINCT coalesce(c.phone_hash, c.id_number_hash)) AS n_complainants, "
            "min(c.first_reported_at) AS first_reported_at, max(c.last_reported_at) AS last_reported_at, "
            "max(c.updated_batch_id) AS batch_id "
            "FROM case_group g LEFT JOIN complaint_case c ON c.group_id = g.group_id AND c.status = 'open' "
            f"WHERE g.group_id IN (SELECT old_group_id FROM {_LINKS} UNION SELECT new_group_id FROM {_LINKS}) "
            "GROUP BY g.group_id"
        )
    )
    columns = ("n_cases", "n_records", "n_complainants", "first_reported_at", "last_reported_at")
    differs = " OR ".join(null_safe_differs(dialect, f"case_group.{c}", f"a.{c}") for c in columns)
    conn.execute(
        sa.text(
            f"UPDATE case_group SET {', '.join(f'{c} = a.{c}' for c in columns)}, "
            "updated_batch_id = coalesce(a.batch_id, case_group.updated_batch_id), updated_at = CURRENT_TIMESTAMP "
            f"FROM {_AGG} a WHERE case_group.group_id = a.group_id AND ({differs})"
        )
    )


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values) or "NULL"
