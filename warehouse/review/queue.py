"""The review queue: pairs in the review band and suspect cases, ordered by how much of the pool a decision moves.

Two kinds of item wait for a person:

* **pair** (``pair:<record_id_l>|<record_id_r>``): a scored pair between the review and merge thresholds
  (``match_pair.decision = 'review'``) whose records sit in two different cases, not yet decided
  ``same`` or ``different`` (an ``unsure`` verdict leaves it waiting) and not bound by a correction.
  Priority = records the verdict would join (both cases' sizes) × match probability: a pair of big
  cases near the merge threshold comes first.
* **case** (``case:<case_id>``): an open case with a suspect signal: ``large`` (at least ``large_case``
  records), ``guard`` (a guard nearly fired: two valid id numbers, or two phones and two names, among
  its members) or ``names`` (three or more channels whose names disagree). Priority = its records ×
  signals / 3. A correction or confirmation of the case takes it off the queue until it changes again.

Ties are broken by item id, so a page is stable between two calls.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from warehouse.review.errors import InvalidInput
from warehouse.review.records import check_role, read_records, side_by_side

LARGE_CASE = 8
SIGNALS = ("large", "guard", "names")
KINDS = ("pair", "case")

_PAIRS = """
SELECT 'pair' AS kind, p.record_id_l || '|' || p.record_id_r AS item_key, p.record_id_l, p.record_id_r,
       ml.case_id AS case_id_l, mr.case_id AS case_id_r, cl.n_records + cr.n_records AS n_records,
       p.match_probability, p.match_weight,
       (cl.n_records + cr.n_records) * p.match_probability AS priority, d.decision AS verdict, '' AS signals
FROM match_pair p
JOIN case_member ml ON ml.record_id = p.record_id_l JOIN case_member mr ON mr.record_id = p.record_id_r
JOIN complaint_case cl ON cl.case_id = ml.case_id JOIN complaint_case cr ON cr.case_id = mr.case_id
LEFT JOIN review_decision d ON d.record_id_l = p.record_id_l AND d.record_id_r = p.record_id_r
LEFT JOIN case_link k ON k.record_id_l = p.record_id_l AND k.record_id_r = p.record_id_r
WHERE p.decision = 'review' AND ml.case_id <> mr.case_id AND k.link IS NULL
  AND (d.decision IS NULL OR d.decision = 'unsure')
"""
_STATS = """
SELECT m.case_id, count(*) AS n, count(DISTINCT r.source) AS n_channels, count(DISTINCT r.name) AS n_names,
       count(DISTINCT r.phone_hash) AS n_phones, count(DISTINCT r.id_number_hash) AS n_ids
FROM complaint_case c JOIN case_member m ON m.case_id = c.case_id
JOIN complaint_record r ON r.record_id = m.record_id
WHERE c.status = 'open' AND (c.n_records >= :large OR c.n_complainants > 1 OR c.n_channels >= 3)
  AND NOT EXISTS (SELECT 1 FROM case_correction k WHERE (k.case_id = c.case_id OR k.other_case_id = c.case_id)
                  AND k.corrected_at >= c.updated_at)
GROUP BY m.case_id
"""
_LARGE = "CASE WHEN s.n >= :large THEN 1 ELSE 0 END"
_GUARD = "CASE WHEN s.n_ids > 1 OR (s.n_phones > 1 AND s.n_names > 1) THEN 1 ELSE 0 END"
_NAMES = "CASE WHEN s.n_channels >= 3 AND s.n_names > 1 THEN 1 ELSE 0 END"
_CASES = f"""
SELECT 'case' AS kind, s.case_id AS item_key, CAST(NULL AS VARCHAR(170)) AS record_id_l,
       CAST(NULL AS VARCHAR(170)) AS record_id_r, s.case_id AS case_id_l, CAST(NULL AS VARCHAR(40)) AS case_id_r,
       s.n AS n_records, CAST(NULL AS FLOAT) AS match_probability, CAST(NULL AS FLOAT) AS match_weight,
       s.n * ({_LARGE} + {_GUARD} + {_NAMES}) / 3.0 AS priority, CAST(NULL AS VARCHAR(20)) AS verdict,
       CASE WHEN {_LARGE} = 1 THEN 'large ' ELSE '' END || CASE WHEN {_GUARD} = 1 THEN 'guard ' ELSE '' END
       || CASE WHEN {_NAMES} = 1 THEN 'names' ELSE '' END AS signals
FROM ({_STATS}) s
WHERE {_LARGE} + {_GUARD} + {_NAMES} > 0
"""


def _union(kind: str | None) -> str:
    if kind is None:
        return f"{_PAIRS} UNION ALL {_CASES}"
    if kind not in KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    return _PAIRS if kind == "pair" else _CASES


def _item(row: dict[str, Any]) -> dict[str, Any]:
    """A queue row as the API gives it."""
    base = {
        "item_id": f"{row['kind']}:{row['item_key']}",
        "kind": row["kind"],
        "priority": round(float(row["priority"]), 4),
        "n_records": int(row["n_records"]),
    }
    if row["kind"] == "case":
        return {**base, "case_id": row["case_id_l"], "signals": str(row["signals"]).split()}
    return {
        **base,
        "record_id_l": row["record_id_l"],
        "record_id_r": row["record_id_r"],
        "case_id_l": row["case_id_l"],
        "case_id_r": row["case_id_r"],
        "match_probability": float(row["match_probability"]),
        "match_weight": float(row["match_weight"]),
        "verdict": row["verdict"],
    }


def review_queue(
    engine: sa.Engine,
    *,
    role: str = "reader",
    limit: int = 50,
    offset: int = 0,
    kind: str | None = None,
    large_case: int = LARGE_CASE,
) -> dict[str, Any]:
    """One page of what waits for a reviewer, most pool-changing first (see the module for the rule).

    Args:
        engine: the warehouse.
        role: ``reader``, ``auditor`` or ``clerk``: how the pairs' records are masked.
        limit: page size (1..1000).
        offset: items to skip.
        kind: only ``pair`` or only ``case`` items (default both).
        large_case: the record count from which a case is suspect for its size.

    Returns:
        ``{"total": items waiting, "items": [...]}``; a pair item carries both records side by side
        (``records``, ``same_phone``, ``same_id_number``, ``same_name``).
    """
    check_role(role)
    if not 1 <= limit <= 1000 or offset < 0:
        raise InvalidInput("limit must be 1..1000 and offset at least 0")
    union = _union(kind)
    params = {"large": large_case, "limit": limit, "offset": offset}
    with engine.connect() as conn:
        total = conn.execute(sa.text(f"SELECT count(*) FROM ({union}) q"), params).scalar_one()
        rows = [
            dict(r)
            for r in conn.execute(
                sa.text(
                    f"SELECT * FROM ({union}) q ORDER BY priority DESC, kind, item_key LIMIT :limit OFFSET :offset"
                ),
                params,
            ).mappings()
        ]
        items = [_item(r) for r in rows]
        pairs = [i for i in items if i["kind"] == "pair"]
        records = read_records(conn, [i[s] for i in pairs for s in ("record_id_l", "record_id_r")])
    for item in pairs:
        item.update(side_by_side(records[item["record_id_l"]], records[item["record_id_r"]], role))
    return {"total": int(total), "items": items}


def parse_item_id(item_id: str) -> tuple[str, tuple[str, ...]]:
    """``("pair", (left, right))`` (ids sorted) or ``("case", (case_id,))`` from an item id."""
    kind, _, key = item_id.partition(":")
    if kind == "pair" and key.count("|") == 1 and all(key.split("|")):
        left, right = sorted(key.split("|"))
        return kind, (left, right)
    if kind == "case" and key:
        return kind, (key,)
    raise InvalidInput(f"an item id is pair:<record_id>|<record_id> or case:<case_id>, not {item_id!r}")
