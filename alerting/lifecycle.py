"""Alert lifecycle: issue new alerts, update open ones in place, close those whose condition cleared.

An alert is keyed by ``rule_id:subject_id``; while open it is never issued again. A change of colour
moves it to another list and gives it that list's next issue number (第N期, counted per list and period).
Every change is an ``alert_event``; closed alerts stay, so the history is complete.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
import sqlalchemy as sa

from alerting.calendar import SHANGHAI
from alerting.escalation import responsible
from alerting.rules import COLOURS
from warehouse.schema import table_of
from warehouse.schema.alerts import Alert, AlertEvent, AlertIssue

ALERT, EVENT, ISSUE = table_of(Alert), table_of(AlertEvent), table_of(AlertIssue)
_TRACKED = (
    "colour",
    "list_name",
    "district",
    "street",
    "category",
    "topic",
    "n_cases",
    "n_complainants",
    "n_reports",
)


def issue_period(as_of: datetime, granularity: str) -> str:
    """The period an issue number counts in: the month (``2026-11``) or year of the report day, the
    Beijing day that ends at ``as_of`` (a run at midnight reports on the day before)."""
    day = (as_of.astimezone(SHANGHAI) - timedelta(microseconds=1)).date()
    return f"{day:%Y-%m}" if granularity == "month" else f"{day:%Y}"


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True, ensure_ascii=False) == json.dumps(
        b, sort_keys=True, ensure_ascii=False
    )


def _take_numbers(conn: sa.Connection, list_name: str, period: str, n: int) -> list[int]:
    """The next ``n`` issue numbers of ``list_name`` in ``period`` (the counter row is updated)."""
    if n == 0:
        return []
    last = conn.execute(
        sa.select(ISSUE.c.last_no)
        .where(ISSUE.c.list_name == list_name, ISSUE.c.period == period)
        .with_for_update()
    ).scalar_one_or_none()
    if last is None:
        conn.execute(ISSUE.insert().values(list_name=list_name, period=period, last_no=n))
        last = 0
    else:
        conn.execute(
            ISSUE.update()
            .where(ISSUE.c.list_name == list_name, ISSUE.c.period == period)
            .values(last_no=last + n)
        )
    return list(range(last + 1, last + n + 1))


def apply_firings(
    conn: sa.Connection,
    fired: pd.DataFrame,
    as_of: datetime,
    period: str,
    run_id: str | None = None,
    city_unit: str = "市级",
) -> dict[str, int]:
    """Bring the alert tables in line with this run's firings, inside the caller's transaction.

    Args:
        conn: an open connection (one transaction for the whole run).
        fired: ``alerting.rules.FIRING_COLUMNS`` rows.
        as_of: the run's reference time (the time of every event it records).
        period: the issue period of new numbers (:func:`issue_period`).
        run_id: recorded on the events.
        city_unit: the unit responsible at city level (a new alert names the lowest level its cases name).

    Returns:
        How many alerts were issued, updated, escalated, downgraded, closed and left unchanged.
    """
    opened = {
        r["alert_key"]: r for r in conn.execute(sa.select(ALERT).where(ALERT.c.status == "open")).mappings()
    }
    rank = {c: i for i, c in enumerate(COLOURS)}
    rows = sorted(fired.to_dict("records"), key=lambda r: (rank[r["colour"]], r["rule_id"], r["subject_id"]))
    counts = dict.fromkeys(("issued", "updated", "escalated", "downgraded", "closed", "unchanged"), 0)
    new, changed, seen, events = [], [], [], []
    for row in rows:
        old = opened.get(row["alert_key"])
        if old is None:
            new.append(row)
            continue
        if row["colour"] != old["colour"]:
            kind = "escalated" if rank[row["colour"]] < rank[old["colour"]] else "downgraded"
        elif any(row[c] != old[c] for c in _TRACKED) or not _same(row["evidence"], old["evidence"]):
            kind = "updated"
        else:
            counts["unchanged"] += 1
            if old["last_seen_at"] != as_of:
                seen.append({"b_id": old["alert_id"]})
            continue
        counts[kind] += 1
        changed.append((kind, old, row))
    # Issue numbers, in the sorted order: a new alert, or one that moved to another list, takes the next one.
    needs = [(r, r["list_name"]) for r in new] + [
        (r, r["list_name"]) for k, _, r in changed if k != "updated"
    ]
    for list_name in sorted({name for _, name in needs}):
        mine = [r for r, name in needs if name == list_name]
        for r, number in zip(mine, _take_numbers(conn, list_name, period, len(mine)), strict=True):
            r["issue_period"], r["issue_no"] = period, number
    if new:
        places = pd.DataFrame(
            [{c: r.get(c) for c in ("grid", "community", "street", "district")} for r in new]
        )
        for r, (level, unit) in zip(new, responsible(places, city_unit).itertuples(index=False), strict=True):
            r["level"], r["unit"] = level, unit
        conn.execute(
            ALERT.insert(),
            [
                {
                    **{
                        c: r[c]
                        for c in (
                            *_TRACKED,
                            "alert_key",
                            "rule_id",
                            "subject_kind",
                            "subject_id",
                            "evidence",
                            "issue_period",
                            "issue_no",
                        )
                    },
                    "community": r.get("community"),
                    "grid": r.get("grid"),
                    "level": r["level"],
                    "unit": r["unit"],
                    "level_since": as_of,
                    "status": "open",
                    "opened_at": as_of,
                    "changed_at": as_of,
                    "last_seen_at": as_of,
                }
                for r in new
            ],
        )
        ids = dict(
            conn.execute(
                sa.select(ALERT.c.alert_key, ALERT.c.alert_id).where(
                    ALERT.c.status == "open", ALERT.c.opened_at == as_of
                )
            )
            .tuples()
            .all()
        )
        for r in new:
            events.append(_event(ids[r["alert_key"]], "issued", r, as_of, run_id))
        counts["issued"] = len(new)
    updates = []
    for kind, old, r in changed:
        if kind == "updated":
            r["issue_period"], r["issue_no"] = old["issue_period"], old["issue_no"]
        updates.append(
            {
                "b_id": old["alert_id"],
                **{c: r[c] for c in (*_TRACKED, "evidence", "issue_period", "issue_no")},
            }
        )
        events.append(
            _event(old["alert_id"], kind, {**r, "level": old["level"], "unit": old["unit"]}, as_of, run_id)
        )
    if updates:
        conn.execute(
            ALERT.update()
            .where(ALERT.c.alert_id == sa.bindparam("b_id"))
            .values(changed_at=as_of, last_seen_at=as_of),
            updates,
        )
    if seen:
        conn.execute(
            ALERT.update().where(ALERT.c.alert_id == sa.bindparam("b_id")).values(last_seen_at=as_of), seen
        )
    fired_keys = {r["alert_key"] for r in rows}
    cleared = [old for key, old in opened.items() if key not in fired_keys]
    if cleared:
        conn.execute(
            ALERT.update()
            .where(ALERT.c.alert_id == sa.bindparam("b_id"))
            .values(status="closed", closed_at=as_of, changed_at=as_of),
            [{"b_id": old["alert_id"]} for old in cleared],
        )
        events += [_event(old["alert_id"], "closed", dict(old), as_of, run_id) for old in cleared]
        counts["closed"] = len(cleared)
    if events:
        conn.execute(EVENT.insert(), events)
    return counts


def _event(
    alert_id: int, kind: str, row: dict[str, Any], as_of: datetime, run_id: str | None
) -> dict[str, Any]:
    return {
        "alert_id": alert_id,
        "as_of": as_of,
        "event": kind,
        "colour": row["colour"],
        "list_name": row["list_name"],
        "issue_period": row["issue_period"],
        "issue_no": row["issue_no"],
        "evidence": row["evidence"],
        "run_id": run_id,
        "level": row.get("level"),
        "unit": row.get("unit"),
    }
