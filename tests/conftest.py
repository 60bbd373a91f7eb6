"""Shared fixtures: warehouse URLs for SQLite and (when configured) a throwaway PostgreSQL database."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

if TYPE_CHECKING:
    from embedded import Embedded

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
# Keyed hashes in tests use a fixed key, never a key file in the working tree's var/.
os.environ.setdefault("HUB_HASH_KEY", "test-hash-key-0123456789abcdef0123456789")


def _postgres_admin_url() -> str | None:
    url = os.environ.get("HUB_TEST_POSTGRES_URL")
    if not url and os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true but HUB_TEST_POSTGRES_URL is not set: the PostgreSQL tests must run in CI")
    return url


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    """The configured PostgreSQL server; skipped locally when unset, a failure under CI."""
    url = _postgres_admin_url()
    if not url:
        pytest.skip("HUB_TEST_POSTGRES_URL not set")
    from warehouse.engine import with_driver

    engine = sa.create_engine(with_driver(url))
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as exc:
        pytest.fail(f"PostgreSQL at HUB_TEST_POSTGRES_URL is unreachable: {exc}")
    finally:
        engine.dispose()
    return url


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    from warehouse.engine import with_driver

    name = f"hub_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(with_driver(postgres_admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = (
        sa.make_url(with_driver(postgres_admin_url)).set(database=name).render_as_string(hide_password=False)
    )
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def warehouse_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty warehouse database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def migrated_url(warehouse_url: str) -> str:
    """A warehouse database at the latest migration."""
    from warehouse import migrate

    migrate(warehouse_url)
    return warehouse_url


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Embedded:
    """A demo-like embedded run, once per session: 1,500 simulated records through `airflow dags test`
    of the hub DAG and then the alerting DAG on SQLite, its OpenLineage events in ``<var>/lineage``.

    Returns the run's :class:`embedded.Embedded` (its ``var`` holds the warehouse ``hub.db``).
    """
    import secrets

    from embedded import Embedded, airflow_env, generate_sources, run_alerts_dag, run_dag, simulator_server

    var = tmp_path_factory.mktemp("demo") / "var"
    emb = Embedded(var=var, database_url=f"sqlite:///{var / 'hub.db'}")
    generate_sources(emb, seed=7, records=1500, start="2026-11-20", days=1)
    token = secrets.token_urlsafe(8)
    with simulator_server(emb, token) as url:
        env = airflow_env(emb, url, token)
        run_dag(env, "2026-11-21T00:00:00+08:00")
        run_alerts_dag(env, "2026-11-21T00:00:00+08:00")
    return emb
