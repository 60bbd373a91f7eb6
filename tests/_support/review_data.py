"""A small pool with reviewable pairs: one complainant's wage dispute on three channels, a police report
of a namesake-like 张卫 with the same phone (in the review band against them: its line says only that
there was a dispute, so neither its facts nor its topic tell whether it is this one), and another
dispute."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from pool_data import at, record, rows, stage

WAGES = [
    record("petition:p1", reported_at=at(9), name="张伟", phone="13800000001", district="城关区",
           address="城关区A路1号", category="劳资欠薪", content="反映在宏泰华府项目务工被拖欠工资", status="已受理"),
    record("hotline:h1", reported_at=at(10), name="张伟", phone="13800000001", district="城关区",
           address="城关区A路1号", category="劳资欠薪", content="来电反映在宏泰华府项目务工被拖欠工资三万元",
           status="办理中"),
    record("app:a2", reported_at=at(11, day=1), name="张伟", phone="13911112222", district="城关区",
           address="城关区A路1号", category="劳资欠薪", content="宏泰华府工地欠薪"),
]  # fmt: skip
OTHERS = [
    record("app:a1", reported_at=at(8, day=2), name="张伟", phone="13800000001", district="城关区",
           address="城关区B路9号", category="物业纠纷", content="小区物业不修电梯"),
    record("police:x1", reported_at=at(8, day=5), name="张卫", phone="13800000001", district="城关区",
           address="城关区A路1号", category="其他", content="报警称发生纠纷"),
]  # fmt: skip
# A later report of the wage dispute that matches every record of it.
LATER = record("app:a9", reported_at=at(9, day=3), name="张伟", phone="13800000001", district="城关区",
               address="城关区A路1号", category="劳资欠薪", content="宏泰华府项目拖欠工资三万元还没解决")  # fmt: skip


def pool(
    engine: sa.Engine, records: list[dict[str, Any]] | None = None, **stage_options: Any
) -> dict[str, Any]:
    """Stage ``records`` (default: all above but LATER) and run the embedded pool task on them."""
    from orchestration.pool import match_and_publish

    return match_and_publish(stage(engine, records or [*WAGES, *OTHERS], **stage_options))


def case_of(engine: sa.Engine, record_id: str) -> str:
    """The case of a record in the read contract."""
    (row,) = rows(engine, "SELECT case_id FROM v_case_member WHERE record_id = :r", r=record_id)
    return str(row["case_id"])


def membership(engine: sa.Engine) -> dict[str, str]:
    """``record_id -> case_id`` of every pooled record (read contract)."""
    return {
        r["record_id"]: r["case_id"] for r in rows(engine, "SELECT record_id, case_id FROM v_case_member")
    }
