"""Reviewers' verdicts on record pairs: one at a time, or a CSV of them in one transaction.

A verdict is ``same``, ``different`` or ``unsure``, with the reviewer and (optionally) a reason, kept in
``review_decision`` (one row per pair; a later verdict replaces it). ``same`` on two records in two open
cases merges the cases at once (a ``merge`` correction naming the verdict); ``different`` keeps the two
records' cases apart in every later matching pass; both teach the matcher (its supervised m).
``unsure`` leaves the pair in the queue and changes nothing.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from warehouse.pool.work_tables import publish_session
from warehouse.review._edits import check_reviewer, open_case
from warehouse.review.corrections import merge_in
from warehouse.review.errors import InvalidInput, NotFound
from warehouse.schema import CaseMember, ReviewDecision, StagedRecord, table_of
from warehouse.schema.dialect import chunks, upsert

VERDICTS = ("same", "different", "unsure")
CSV_COLUMNS = ("record_id_l", "record_id_r", "decision")  # and an optional ``reason``


def decide(
    engine: sa.Engine,
    left: str,
    right: str,
    verdict: str,
    reviewer: str,
    reason: str | None = None,
    *,
    apply: bool = True,
) -> dict[str, Any]:
    """Record a verdict on a pair of staged records (in either order).

    Args:
        engine: the warehouse.
        left: a record id (``<source>:<source_record_id>``).
        right: the other record id.
        verdict: ``same``, ``different`` or ``unsure``.
        reviewer: who decides (required).
        reason: why.
        apply: with ``same``, merge the two records' cases now when they differ.

    Returns:
        ``{recorded, pair: [l, r], case_id_l, case_id_r, merge}``: ``merge`` is the merge correction
        (:func:`warehouse.review.corrections.merge_cases`'s result) or ``None``.

    Raises:
        NotFound: a record that is not staged.
        InvalidInput: an unknown verdict, the same record twice, no reviewer.
    """
    pair = _check(left, right, verdict, reviewer)
    with engine.begin() as conn:
        publish_session(conn)
        cases = _cases(conn, list(pair))
        missing = [r for r in pair if r not in cases]
        if missing:
            raise NotFound(f"no staged record {', '.join(missing)}")
        return _record(conn, pair, verdict, reviewer, reason, cases, apply)


def decide_bulk(
    engine: sa.Engine, csv_path: str | Path, reviewer: str, *, apply: bool = True
) -> dict[str, Any]:
    """Record every verdict of a CSV in one transaction, or none of them.

    The CSV (UTF-8, with a header; Excel's byte-order mark is fine) has ``record_id_l, record_id_r,
    decision`` and optionally ``reason``; other columns are ignored, so a file proposed by ``python -m
    matching label`` works once its ``decision`` column is filled. Rows with an empty decision are
    skipped (not decided yet). Any bad row (unknown verdict, a record id missing or not staged, one
    record twice, a pair decided twice) is reported with its line number and nothing is recorded.

    Returns:
        ``{recorded, skipped, merges, errors: [{line, error}]}``; ``recorded`` is 0 when there are errors.
    """
    check_reviewer(reviewer, None, reason_required=False)
    rows, errors, skipped = _read_csv(Path(csv_path))
    if errors:
        return {"recorded": 0, "skipped": skipped, "merges": 0, "errors": errors}
    with engine.begin() as conn:
        publish_session(conn)
        cases = _cases(conn, [r for row in rows for r in row["pair"]])
        for row in rows:
            missing = [r for r in row["pair"] if r not in cases]
            if missing:
                errors.append({"line": row["line"], "error": f"no staged record {', '.join(missing)}"})
        if errors:
            return {"recorded": 0, "skipped": skipped, "merges": 0, "errors": errors}
        merges = 0
        for row in rows:
            done = _record(conn, row["pair"], row["decision"], reviewer, row["reason"], cases, apply)
            if done["merge"]:
                merges += 1
                cases.update(_cases(conn, [r for row in rows for r in row["pair"]]))
    return {"recorded": len(rows), "skipped": skipped, "merges": merges, "errors": []}


def _check(left: str, right: str, verdict: str, reviewer: str) -> tuple[str, str]:
    if verdict not in VERDICTS:
        raise InvalidInput(f"a verdict is one of {', '.join(VERDICTS)}, not {verdict!r}")
    if not left or not right:
        raise InvalidInput("both record ids are required")
    if left == right:
        raise InvalidInput(f"a pair needs two different records, got {left!r} twice")
    check_reviewer(reviewer, None, reason_required=False)
    low, high = sorted((left, right))
    return low, high


def _cases(conn: sa.Connection, record_ids: list[str]) -> dict[str, str | None]:
    """``record_id -> case_id`` (``None`` when staged but not pooled) of the staged ones among ``record_ids``."""
    r, m = table_of(StagedRecord), table_of(CaseMember)
    found: dict[str, str | None] = {}
    for part in chunks(sorted(set(record_ids))):
        query = (
            sa.select(r.c.record_id, m.c.case_id)
            .outerjoin(m, m.c.record_id == r.c.record_id)
            .where(r.c.record_id.in_(list(part)))
        )
        found.update({rid: case for rid, case in conn.execute(query).tuples()})
    return found


def _record(
    conn: sa.Connection, pair: tuple[str, str], verdict: str, reviewer: str, reason: str | None,
    cases: dict[str, str | None], apply: bool,
) -> dict[str, Any]:  # fmt: skip
    left, right = pair
    row = {"record_id_l": left, "record_id_r": right, "decision": verdict, "reviewer": reviewer.strip(),
           "reason": (reason or "").strip() or None}  # fmt: skip
    upsert(conn, table_of(ReviewDecision), [row], ["record_id_l", "record_id_r"])
    case_l, case_r = cases[left], cases[right]
    merge = None
    if apply and verdict == "same" and case_l and case_r and case_l != case_r:
        why = row["reason"] or f"reviewed {left} and {right} as the same case"
        merge = merge_in(conn, open_case(conn, case_l), open_case(conn, case_r), reviewer, why)
    return {
        "recorded": verdict,
        "pair": [left, right],
        "case_id_l": case_l,
        "case_id_r": case_r,
        "merge": merge,
    }


def _read_csv(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """The decided rows (line, pair, decision, reason), the bad rows' errors, and how many were skipped."""
    if not path.is_file():
        raise NotFound(f"no file {path}")
    rows: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    skipped = 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            return (
                [],
                [
                    {
                        "line": 1,
                        "error": f"missing column(s) {', '.join(missing)}; need {', '.join(CSV_COLUMNS)}",
                    }
                ],
                0,
            )
        for line, raw in enumerate(reader, start=2):
            left, right = ((raw.get(c) or "").strip() for c in ("record_id_l", "record_id_r"))
            decision = (raw.get("decision") or "").strip().lower()
            if not decision:
                skipped += 1
                continue
            try:
                pair = _check(left, right, decision, "bulk")
            except InvalidInput as exc:
                errors.append({"line": line, "error": str(exc)})
                continue
            if pair in seen:
                errors.append(
                    {"line": line, "error": f"pair decided twice in this file (first on line {seen[pair]})"}
                )
                continue
            seen[pair] = line
            rows.append({"line": line, "pair": pair, "decision": decision, "reason": raw.get("reason")})
    return rows, errors, skipped
