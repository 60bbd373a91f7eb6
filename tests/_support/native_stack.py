"""A native stack (scripts/stack.py) on fresh PostgreSQL databases for tests, and what they ask of it."""

from __future__ import annotations

import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from stack import AIRFLOW, free_port, stack_processes, start, stop
from stack_config import StackConfig

from warehouse.engine import with_driver

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Stack:
    """A running native stack: its settings and state, and engines on its metadata and warehouse databases."""

    config: StackConfig
    state: dict[str, Any]
    metadata: sa.Engine
    warehouse: sa.Engine

    def airflow(self, *args: str) -> str:
        env = {**os.environ, **self.state["env"]}
        result = subprocess.run(
            [AIRFLOW, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        return result.stdout

    def runs(self, *dag_ids: str) -> list[dict[str, Any]]:
        query = sa.text(
            "SELECT dag_id, run_id, state, run_type, start_date, end_date, backfill_id FROM dag_run "
            "WHERE dag_id IN :ids ORDER BY id"
        ).bindparams(sa.bindparam("ids", expanding=True))
        with self.metadata.connect() as conn:
            return [dict(r) for r in conn.execute(query, {"ids": list(dag_ids)}).mappings()]

    def scalar(self, sql: str, engine: sa.Engine | None = None) -> Any:
        with (engine or self.metadata).connect() as conn:
            return conn.execute(sa.text(sql)).scalar()

    def diagnostics(self) -> str:
        with self.metadata.connect() as conn:
            runs = conn.execute(sa.text("SELECT dag_id, run_id, state FROM dag_run ORDER BY id")).all()
            tasks = conn.execute(
                sa.text(
                    "SELECT dag_id, task_id, map_index, state FROM task_instance "
                    "WHERE state NOT IN ('success', 'skipped')"
                )
            ).all()
        logs = "".join(
            f"\n--- {p.name}\n" + p.read_text(errors="replace")[-1500:]
            for p in sorted((self.config.var / "logs").glob("*.log"))
        )
        return f"runs: {runs}\nunfinished tasks: {tasks}{logs}"


def _database(admin: sa.Engine, name: str, create: bool) -> None:
    with admin.connect() as conn:
        conn.execute(
            sa.text(
                f'CREATE DATABASE "{name}"' if create else f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
            )
        )


@contextmanager
def running_stack(var: Path, postgres_admin_url: str, **settings: Any) -> Iterator[Stack]:
    """Start the stack from ``var`` on two fresh databases (``settings``: more ``StackConfig`` fields); on
    exit stop it, drop the databases and check that none of its processes is left."""
    suffix = uuid.uuid4().hex[:10]
    config = StackConfig(
        var=var,
        pg_admin_url=postgres_admin_url,
        metadata_db=f"hub_test_af_{suffix}",
        warehouse_db=f"hub_test_wh_{suffix}",
        api_port=free_port(),
        **settings,
    )
    admin = sa.create_engine(with_driver(postgres_admin_url), isolation_level="AUTOCOMMIT")
    try:
        for name in (config.metadata_db, config.warehouse_db):
            _database(admin, name, create=True)  # fresh: start() finds them and only migrates
        began = time.monotonic()
        state = start(config)  # a start that fails stops what it started
        print(f"stack started in {time.monotonic() - began:.1f}s")
        metadata = sa.create_engine(with_driver(config.url(config.metadata_db)))
        warehouse = sa.create_engine(with_driver(config.url(config.warehouse_db)))
        try:
            yield Stack(config, state, metadata, warehouse)
        finally:
            metadata.dispose()
            warehouse.dispose()
            began = time.monotonic()
            left = stop(config.var)
            print(f"stack stopped in {time.monotonic() - began:.1f}s")
            # Also nothing listening on the API server's port: its server process leaves its process group.
            assert left == [] and stack_processes(state["stack_id"], [config.api_port]) == [], (
                "stack processes left running"
            )
    finally:
        for name in (config.metadata_db, config.warehouse_db):
            _database(admin, name, create=False)
        admin.dispose()
