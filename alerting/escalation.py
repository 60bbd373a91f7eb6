"""The four-level loop: who must act on each open alert, and raising it a level when nobody does in time.

Levels, lowest first: grid, community, street, district, city. An alert starts at the lowest level its
cases name; an alert on which nobody acted (no handling event among ``action_events`` on its cases) within
its list's limit (``alerting/config/escalation.yaml``) since it reached its level moves up to the next level
the cases name, and the move is recorded in its history. Set-based: the acted-on test is one explode and
merge over all open alerts, the limits one vectorised due-time computation per list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
import yaml

from alerting.calendar import WorkingCalendar
from alerting.policies import EVENTS, Limit
from alerting.policy_clocks import due_after
from alerting.rules import COLOURS
from warehouse.schema import table_of
from warehouse.schema.alerts import Alert, AlertEvent

ESCALATION = Path(__file__).with_name("config") / "escalation.yaml"
LEVELS = ("grid", "community", "street", "district", "city")  # lowest first
PLACE_COLUMNS = ("grid", "community", "street", "district")
ALERT, EVENT = table_of(Alert), table_of(AlertEvent)


@dataclass(frozen=True)
class EscalationPolicy:
    """How long each list gives a level to act, what counts as acting, and the city's unit."""

    act_within: dict[str, Limit]
    action_events: tuple[str, ...]
    city_unit: str

    @classmethod
    def load(cls, path: Path | None = None) -> EscalationPolicy:
        """Read and validate the escalation file (default: the shipped one)."""
        where = Path(path or ESCALATION)
        raw = yaml.safe_load(where.read_text(encoding="utf-8")) or {}
        limits = raw.get("act_within") or {}
        if set(limits) != set(COLOURS):
            raise ValueError(f"{where}: act_within needs exactly {COLOURS}")
        events = tuple(raw.get("action_events") or ())
        if unknown := [e for e in events if e not in EVENTS]:
            raise ValueError(f"{where}: unknown action event(s) {unknown}; use {EVENTS}")
        return cls(
            {c: Limit.parse(limits[c], ("hours", "working_days"), f"{where} {c}") for c in COLOURS},
            events,
            str(raw.get("city_unit") or "市级"),
        )


def responsible(places: pd.DataFrame, city_unit: str, above: pd.Series | None = None) -> pd.DataFrame:
    """The level that must act and its unit: the lowest level named in ``places`` (``PLACE_COLUMNS``),
    or, with ``above``, the lowest one named above each row's current level.

    Returns:
        ``level`` and ``unit`` per row (``city`` and ``city_unit`` when nothing lower is named).
    """
    level = pd.Series("city", index=places.index, dtype=object)
    unit = pd.Series(city_unit, index=places.index, dtype=object)
    floor = above.map(LEVELS.index).to_numpy() if above is not None else np.full(len(places), -1)
    for rank in range(len(PLACE_COLUMNS) - 1, -1, -1):  # from district down: the lowest named wins
        name = PLACE_COLUMNS[rank]
        named = places[name].notna() & (places[name].astype(str).str.len() > 0) & (rank > floor)
        level = level.where(~named, LEVELS[rank])
        unit = unit.where(~named, places[name])
    return pd.DataFrame({"level": level, "unit": unit})


def due_to_raise(
    alerts: pd.DataFrame,
    actions: pd.DataFrame,
    as_of: datetime,
    policy: EscalationPolicy,
    calendar: WorkingCalendar,
    settled: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """The open alerts nobody acted on within their list's limit, with the level they move to.

    Args:
        alerts: ``alert_id``, ``colour``, ``level``, ``level_since`` (aware UTC), ``case_ids`` (lists) and
            ``PLACE_COLUMNS``.
        actions: ``case_id``, ``at`` and ``level`` (the acting unit's; may be NULL) of the handling events
            among ``policy.action_events``.
        as_of: the reference time.
        settled: the cases closed and not reopened since: an alert all of whose cases are settled is
            being acted on (their units have nothing left to do while the rule still counts the reports).

    Returns:
        ``alert_id``, ``from_level``, ``level``, ``unit``, ``due_at`` of each alert to raise.
    """
    now = pd.Timestamp(as_of).tz_convert("UTC")
    live = alerts[alerts["level"].notna() & (alerts["level"] != "city")]
    if live.empty:
        return pd.DataFrame(columns=["alert_id", "from_level", "level", "unit", "due_at"])
    since = pd.to_datetime(live["level_since"], utc=True)
    due = pd.Series(pd.NaT, index=live.index, dtype="datetime64[ns, UTC]")
    for colour, limit in policy.act_within.items():
        mine = live["colour"] == colour
        if mine.any():
            due[mine] = due_after(since[mine], limit, calendar)
    cases = (
        live[["alert_id", "case_ids"]]
        .assign(since=since)
        .explode("case_ids")
        .rename(columns={"case_ids": "case_id"})
    )
    done = cases.merge(actions, on="case_id")
    # An action counts when a unit at the responsible level or below took it (or its level is unknown):
    # a district department handling a case does not show that the community acted.
    rank = {name: i for i, name in enumerate(LEVELS)}
    own_level = done["alert_id"].map(live.set_index("alert_id")["level"]).map(rank)
    by_level = done["level"].map(rank) if "level" in done else pd.Series(np.nan, index=done.index)
    done = done[
        (done["at"] >= done["since"]) & (done["at"] <= now) & (by_level.isna() | (by_level <= own_level))
    ]
    # Every case of the alert closed (and not reopened since): its units have done their part.
    closed = cases.assign(closed=cases["case_id"].isin(settled)).groupby("alert_id")["closed"].all()
    acted = live["alert_id"].isin(done["alert_id"]) | live["alert_id"].map(closed).fillna(False).astype(bool)
    late = live[~acted & due.notna() & (now >= due)]
    if late.empty:
        return pd.DataFrame(columns=["alert_id", "from_level", "level", "unit", "due_at"])
    up = responsible(late[list(PLACE_COLUMNS)], policy.city_unit, above=late["level"])
    return pd.DataFrame(
        {
            "alert_id": late["alert_id"].to_numpy(),
            "from_level": late["level"].to_numpy(),
            "level": up["level"].to_numpy(),
            "unit": up["unit"].to_numpy(),
            "due_at": due[late.index].to_numpy(),
        }
    )


def raise_levels(
    conn: sa.Connection,
    actions: pd.DataFrame,
    as_of: datetime,
    policy: EscalationPolicy,
    calendar: WorkingCalendar,
    run_id: str | None = None,
    settled: frozenset[str] = frozenset(),
) -> int:
    """Raise the open alerts nobody acted on in time (inside the caller's transaction); how many moved."""
    rows = conn.execute(sa.select(ALERT).where(ALERT.c.status == "open")).mappings().all()
    if not rows:
        return 0
    alerts = pd.DataFrame([dict(r) for r in rows])
    alerts["case_ids"] = alerts["evidence"].map(lambda e: list((e or {}).get("case_ids", [])))
    unplaced = alerts["level"].isna()
    if (
        unplaced.any()
    ):  # open before the loop was known (migration 0012): placed now, their time runs from now
        placed = responsible(alerts.loc[unplaced, list(PLACE_COLUMNS)], policy.city_unit)
        conn.execute(
            ALERT.update()
            .where(ALERT.c.alert_id == sa.bindparam("b_id"))
            .values(level=sa.bindparam("b_level"), unit=sa.bindparam("b_unit"), level_since=as_of),
            [
                {"b_id": int(i), "b_level": p.level, "b_unit": p.unit}
                for i, p in zip(alerts.loc[unplaced, "alert_id"], placed.itertuples(), strict=True)
            ],
        )
        alerts.loc[unplaced, "level"] = placed["level"].to_numpy()
        alerts.loc[unplaced, "level_since"] = as_of
    moves = due_to_raise(alerts, actions, as_of, policy, calendar, settled)
    if moves.empty:
        return 0
    by_id = alerts.set_index("alert_id")
    conn.execute(
        ALERT.update()
        .where(ALERT.c.alert_id == sa.bindparam("b_id"))
        .values(level=sa.bindparam("b_level"), unit=sa.bindparam("b_unit"), level_since=as_of),
        [{"b_id": int(m.alert_id), "b_level": m.level, "b_unit": m.unit} for m in moves.itertuples()],
    )
    events: list[dict[str, Any]] = []
    for m in moves.itertuples():
        old = by_id.loc[m.alert_id]
        evidence = {
            **(old["evidence"] or {}),
            "from_level": m.from_level,
            "not_acted_by": pd.Timestamp(m.due_at).isoformat(),
        }
        events.append(
            {
                "alert_id": int(m.alert_id),
                "as_of": as_of,
                "event": "level_raised",
                "colour": old["colour"],
                "list_name": old["list_name"],
                "issue_period": old["issue_period"],
                "issue_no": int(old["issue_no"]),
                "evidence": evidence,
                "run_id": run_id,
                "level": m.level,
                "unit": m.unit,
            }
        )
    conn.execute(EVENT.insert(), events)
    return len(moves)
