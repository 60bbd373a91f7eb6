"""The native stack's settings and environment: its PostgreSQL databases, its secrets, and Airflow's and
the hub's configuration as environment variables (scripts/stack.py runs the stack with them)."""

from __future__ import annotations

import secrets
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from embedded import ROOT, Embedded, airflow_env  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class StackConfig:
    """Where the stack keeps its state and what it connects to."""

    var: Path = ROOT / "var" / "stack"
    pg_admin_url: str = PG_ADMIN
    metadata_db: str = "hub_airflow"
    warehouse_db: str = "hub_warehouse"
    api_port: int = 8080
    executor: str = "local"  # or "celery" (the local Redis; needs the `celery` extra)
    redis_url: str = "redis://127.0.0.1:6379/5"
    parallelism: int = 4  # a 2-core machine: more task processes only queue for the CPU
    triggerer: bool = True
    task_retries: int | None = None  # None: each DAG's retries from orchestration/schedules.yaml
    seed: int = 7
    records: int = 6000
    start: str | None = None  # first simulated day; default: yesterday in Beijing
    days: int = 2
    extra_env: dict[str, str] = field(default_factory=dict)

    def url(self, database: str) -> str:
        from sqlalchemy import make_url

        return make_url(self.pg_admin_url).set(database=database).render_as_string(hide_password=False)


def create_databases(config: StackConfig) -> None:
    """Create the metadata and warehouse databases on the local PostgreSQL when missing."""
    import sqlalchemy as sa

    from warehouse.engine import with_driver

    admin = sa.create_engine(with_driver(config.pg_admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in (config.metadata_db, config.warehouse_db):
            if not conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def secret(var: Path, name: str) -> str:
    """A secret kept in ``var`` (mode 0600) so that a restarted stack keeps it."""
    path = var / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def stack_env(config: StackConfig, sim_url: str, stack_id: str) -> dict[str, str]:
    """Airflow's and the hub's environment: PostgreSQL metadata and warehouse, connections as AIRFLOW_CONN_*."""
    from warehouse.engine import with_driver

    emb = Embedded(var=config.var, database_url=with_driver(config.url(config.warehouse_db)))
    env = airflow_env(emb, sim_url, secret(config.var, "simulator.token"))
    env.pop("HUB_TASK_RETRIES", None)
    if config.task_retries is not None:
        env["HUB_TASK_RETRIES"] = str(config.task_retries)
    metadata = with_driver(config.url(config.metadata_db))
    env.update(
        {
            "HUB_STACK_ID": stack_id,
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata,
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": metadata.replace("+psycopg2://", "+asyncpg://", 1),
            "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor" if config.executor == "celery" else "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": str(config.parallelism),
            "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": str(config.parallelism),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{config.api_port}/execution/",
            "AIRFLOW__API__PORT": str(config.api_port),
            "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{config.api_port}",
            "AIRFLOW__API_AUTH__JWT_SECRET": secret(config.var, "jwt.secret"),
            "AIRFLOW__API__SECRET_KEY": secret(config.var, "api.secret"),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "30",
            "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "30",
            "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(config.var / "logs" / "tasks"),
            "AIRFLOW__CELERY__BROKER_URL": config.redis_url,
            "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + metadata,
            "AIRFLOW__CELERY__WORKER_CONCURRENCY": str(config.parallelism),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(
                config.var / "airflow" / "passwords.json"
            ),
        }
    )
    env.update(config.extra_env)
    return env


def default_start() -> str:
    return (datetime.now(ZoneInfo("Asia/Shanghai")).date() - timedelta(days=1)).isoformat()
