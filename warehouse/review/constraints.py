"""What reviewers decided, as a matching pass needs it: pair verdicts to obey, and labelled pairs to learn from.

A pass compares new records with the pooled records sharing a blocking key with them, not with whole
cases. So a ``different`` between two records (a verdict, or a correction's link) is also lifted to
their *cases*: for every two cases of the pass that hold such a pair (by current membership), one
``different`` is added between a record of each in the pass, and the clustering's cannot-link then
keeps the whole cases apart, however a new report bridges them. A correction's link on a pair overrides
a reviewer's verdict on the same pair (corrections act on the pool as it is now).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from warehouse.schema import CaseLink, CaseMember, MatchPair, ReviewDecision, table_of


def _pairs(conn: sa.Connection) -> dict[tuple[str, str], str]:
    """Every decided pair: reviewers' verdicts, overridden by corrections' links."""
    d, k = table_of(ReviewDecision), table_of(CaseLink)
    found = {(a, b): v for a, b, v in conn.execute(sa.select(d.c.record_id_l, d.c.record_id_r, d.c.decision))}
    found.update(
        {(a, b): v for a, b, v in conn.execute(sa.select(k.c.record_id_l, k.c.record_id_r, k.c.link))}
    )
    return found


def pass_decisions(engine: sa.Engine, pooled: Mapping[str, str] | None = None) -> list[dict[str, str]]:
    """The verdicts a matching pass applies: ``{record_id_l, record_id_r, decision}``.

    Args:
        engine: the warehouse.
        pooled: the pass's pooled records, ``record_id -> case_id`` (``None``: no case-level lifting).

    Returns:
        Every reviewer verdict and correction link (same / different / unsure), plus one ``different``
        per pair of the pass's cases that a ``different`` separates (see the module).
    """
    with engine.connect() as conn:
        decided = _pairs(conn)
        apart = [pair for pair, verdict in decided.items() if verdict == "different"]
        cases = _current_cases(conn, [r for pair in apart for r in pair]) if pooled else {}
    rows = [{"record_id_l": a, "record_id_r": b, "decision": v} for (a, b), v in sorted(decided.items())]
    if not pooled:
        return rows
    # One record of each case in the pass (its smallest id) carries the case's cannot-links.
    anchor: dict[str, str] = {}
    for record, case in sorted(pooled.items()):
        anchor.setdefault(case, record)
    lifted = set()
    for a, b in apart:
        case_a, case_b = cases.get(a), cases.get(b)
        if case_a and case_b and case_a != case_b and case_a in anchor and case_b in anchor:
            x, y = sorted((anchor[case_a], anchor[case_b]))
            if (x, y) not in decided:
                lifted.add((x, y))
    rows += [{"record_id_l": x, "record_id_r": y, "decision": "different"} for x, y in sorted(lifted)]
    return rows


def _current_cases(conn: sa.Connection, record_ids: list[str]) -> dict[str, str]:
    m = table_of(CaseMember)
    found: dict[str, str] = {}
    ids = sorted(set(record_ids))
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        query = sa.select(m.c.record_id, m.c.case_id).where(m.c.record_id.in_(part))
        found.update({r: c for r, c in conn.execute(query).tuples()})
    return found


def labelled_pairs(engine: sa.Engine) -> list[dict[str, Any]]:
    """Reviewers' ``same`` / ``different`` verdicts on scored pairs, with the pair's comparison levels:
    the matcher's training labels (``record_id_l, record_id_r, decision, levels``)."""
    d, p = table_of(ReviewDecision), table_of(MatchPair)
    query = (
        sa.select(d.c.record_id_l, d.c.record_id_r, d.c.decision, p.c.levels)
        .join(p, sa.and_(p.c.record_id_l == d.c.record_id_l, p.c.record_id_r == d.c.record_id_r))
        .where(d.c.decision.in_(("same", "different")))
        .order_by(d.c.record_id_l, d.c.record_id_r)
    )
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]
