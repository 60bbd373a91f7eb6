"""Task bodies log through ``logging`` (Airflow puts it in the task log), never ``print``."""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import pytest
from pool_data import at, record, stage

from orchestration.pool import match_and_publish
from warehouse import make_engine

ROOT = Path(__file__).resolve().parents[2]
TASK_CODE = sorted([*(ROOT / "dags").glob("*.py"), *(ROOT / "orchestration").glob("*.py")])


@pytest.mark.unit
@pytest.mark.parametrize("path", TASK_CODE, ids=[str(p.relative_to(ROOT)) for p in TASK_CODE])
def test_no_print_in_task_code(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    prints = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "print"
    ]
    assert prints == [], f"{path.name} prints on line(s) {prints}: use logging.getLogger(__name__)"


@pytest.mark.integration
def test_a_catch_up_is_logged(
    migrated_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", migrated_url)
    engine = make_engine(migrated_url)
    fields = {"reported_at": at(9), "name": "张伟", "phone": "13800000001", "district": "城关区",
              "category": "劳资欠薪", "content": "反映被拖欠工资", "status": "已受理", "received_at": at(9)}  # fmt: skip
    (behind,) = stage(engine, [record("petition:p1", **fields)])
    (current,) = stage(engine, [record("hotline:h1", **fields)])
    with caplog.at_level(logging.INFO, logger="orchestration.pool"):
        match_and_publish([current])
    engine.dispose()
    assert f"catching up 1 batch(es) no pool run took in: {behind}" in caplog.text
