"""The review queue: pairs in the review band and suspect cases, ordered by how much of the pool a decision moves.

Two kinds of item wait for a person:

* **pair** (``pair:<record_id_l>|<record_id_r>``): two cases joined by scored pairs between the review and
  merge thresholds (``match_pair.decision = 'review'``), shown by their most probable pair (``n_pairs``
  says how many link them). A pair waits until decided ``same`` or ``different`` (``unsure`` leaves it
  waiting); a ``different`` on any pair of the two cases (a verdict or a correction's link) takes the
  two cases off the queue, as does ``same``, which merges them. Priority = records the verdict would
  join (both cases' sizes) × match probability: big cases near the merge threshold come first.
* **case** (``case:<case_id>``): an open case with a suspect signal: ``large`` (at least ``large_case``
  records), ``guard`` (a guard nearly fired: two id numbers among its members, or two members that
  differ in both phone and name) or ``names`` (three or more channels and three or more spellings of
  the name). Priority = its records × signals / 3. A correction or confirmation of the case takes it off the queue until it changes again.

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

_APART = """
SELECT 1 FROM {table} d JOIN case_member a ON a.record_id = d.record_id_l
JOIN case_member b ON b.record_id = d.record_id_r
WHERE d.{column} = 'different' AND ((a.case_id = ml.case_id AND b.case_id = mr.case_id)
      OR (a.case_id = mr.case_id AND b.case_id = ml.case_id))
"""
_LOW = "CASE WHEN ml.case_id < mr.case_id THEN ml.case_id ELSE mr.case_id END"
_HIGH = "CASE WHEN ml.case_id < mr.case_id THEN mr.case_id ELSE ml.case_id END"
_PAIRS = f"""
SELECT 'pair' AS kind, x.record_id_l || '|' || x.record_id_r AS item_key, x.record_id_l, x.record_id_r,
       x.case_id_l, x.case_id_r, x.n_records, x.n_pairs, x.match_probability, x.match_weight,
       x.n_records * x.match_probability AS priority, x.verdict, '' AS signals
FROM (
    SELECT p.record_id_l, p.record_id_r, ml.case_id AS case_id_l, mr.case_id AS case_id_r,
           cl.n_records + cr.n_records AS n_records, p.match_probability, p.match_weight, d.decision AS verdict,
           row_number() OVER (PARTITION BY {_LOW}, {_HIGH}
                              ORDER BY p.match_probability DESC, p.record_id_l, p.record_id_r) AS rank_in_cases,
           count(*) OVER (PARTITION BY {_LOW}, {_HIGH}) AS n_pairs
    FROM match_pair p
    JOIN case_member ml ON ml.record_id = p.record_id_l JOIN case_member mr ON mr.record_id = p.record_id_r
    JOIN complaint_case cl ON cl.case_id = ml.case_id JOIN complaint_case cr ON cr.case_id = mr.case_id
    LEFT JOIN review_decision d ON d.record_id_l = p.record_id_l AND d.record_id_r = p.record_id_r
    WHERE p.decision = 'review' AND ml.case_id <> mr.case_id AND (d.decision IS NULL OR d.decision = 'unsure')
      AND NOT EXISTS ({_APART.format(table="review_decision", column="decision")})
      AND NOT EXISTS ({_APART.format(table="case_link", column="link")})
) x
WHERE x.rank_in_cases = 1
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
# Two members that differ in both phone and name: the mobile-and-name guard would have refused to join them.
_TWO_PEOPLE = """
EXISTS (SELECT 1 FROM case_member m1 JOIN complaint_record r1 ON r1.record_id = m1.record_id
        JOIN case_member m2 ON m2.case_id = m1.case_id AND m2.record_id > m1.record_id
        JOIN complaint_record r2 ON r2.record_id = m2.record_id
        WHERE m1.case_id = s.case_id AND r1.phone_hash <> r2.phone_hash AND r1.name <> r2.name)
"""
_SIGNALS = f"""
SELECT s.case_id, s.n, CASE WHEN s.n >= :large THEN 1 ELSE 0 END AS large,
       CASE WHEN s.n_ids > 1 OR (s.n_phones > 1 AND s.n_names > 1 AND {_TWO_PEOPLE}) THEN 1 ELSE 0 END AS guard,
       CASE WHEN s.n_channels >= 3 AND s.n_names >= 3 THEN 1 ELSE 0 END AS names
FROM ({_STATS}) s
"""
_CASES = f"""
SELECT 'case' AS kind, s.case_id AS item_key, CAST(NULL AS VARCHAR(170)) AS record_id_l,
       CAST(NULL AS VARCHAR(170)) AS record_id_r, s.case_id AS case_id_l, CAST(NULL AS VARCHAR(40)) AS case_id_r,
       s.n AS n_records, 0 AS n_pairs, CAST(NULL AS FLOAT) AS match_probability, CAST(NULL AS FLOAT) AS match_weight,
       s.n * (s.large + s.guard + s.names) / 3.0 AS priority, CAST(NULL AS VARCHAR(20)) AS verdict,
       CASE WHEN s.large = 1 THEN 'large ' ELSE '' END || CASE WHEN s.guard = 1 THEN 'guard ' ELSE '' END
       || CASE WHEN s.names = 1 THEN 'names' ELSE '' END AS signals
FROM ({_SIGNALS}) s
WHERE s.large + s.guard + s.names > 0
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
        "n_pairs": int(row["n_pairs"]),
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
