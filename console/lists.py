"""The 三色三单 lists: open alerts by list (督办单 red, 预警单 orange, 提示单 yellow) with 第N期 and evidence."""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

LISTS = (
    ("督办单", "red", "supervision order"),
    ("预警单", "orange", "warning"),
    ("提示单", "yellow", "notice"),
)


def alert_lists(engine: sa.Engine, status: str = "open", district: str | None = None) -> list[dict[str, Any]]:
    """One entry per list (most severe first), each with its alerts, newest issue first.

    Args:
        engine: the warehouse.
        status: ``open``, ``closed`` or ``all``.
        district: only this district's alerts (``None``: all).

    Returns:
        ``[{"list_name", "colour", "english", "alerts": [...]}]``.
    """
    where, params = ["1 = 1"], {}
    if status != "all":
        where.append("status = :status")
        params["status"] = status
    if district:
        where.append("district = :district")
        params["district"] = district
    sql = (
        "SELECT alert_id, rule_id, subject_kind, subject_id, colour, list_name, district, street, category, "
        "topic, n_cases, n_complainants, n_reports, evidence, issue_period, issue_no, status, opened_at, "
        f"changed_at, closed_at FROM v_alert WHERE {' AND '.join(where)} "
        "ORDER BY issue_period DESC, issue_no DESC, alert_id"
    )
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(sa.text(sql), params).mappings()]
    for row in rows:
        row["evidence"] = json.loads(row["evidence"]) if isinstance(row["evidence"], str) else row["evidence"]
        row["issue"] = f"{row['issue_period']} 第{row['issue_no']}期"
    return [
        {
            "list_name": name,
            "colour": colour,
            "english": english,
            "alerts": [r for r in rows if r["list_name"] == name],
        }
        for name, colour, english in LISTS
    ]


def alert_history(engine: sa.Engine, alert_id: int) -> list[dict[str, Any]]:
    """Every change of one alert, in order (``v_alert_history``)."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT event_id, as_of, event, colour, list_name, issue_period, issue_no, evidence "
                "FROM v_alert_history WHERE alert_id = :a ORDER BY event_id"
            ),
            {"a": alert_id},
        )
        return [dict(r) for r in rows.mappings()]
