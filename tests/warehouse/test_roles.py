"""PostgreSQL roles: what the loader, the reader and the auditor can and cannot read (SET ROLE and login)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from pool_data import assign, record, stage

from warehouse import make_engine, migrate, publish_matches
from warehouse.access.roles import RoleNames, drop_roles, setup_roles
from warehouse.queries import run_query
from warehouse.schema import Base

pytestmark = pytest.mark.integration
PHONE, ID_NUMBER = "13812345678", "62010219870315123X"


@pytest.fixture
def roles_db(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[sa.Engine, RoleNames]]:
    """A migrated warehouse with a small pool and freshly named roles (cluster-wide, so unique per test)."""
    migrate(postgres_url)
    engine = make_engine(postgres_url)
    stage(
        engine,
        [
            record(
                "hotline:h1",
                name="张伟",
                phone=PHONE,
                id_number=ID_NUMBER,
                category="劳资欠薪",
                district="城关区",
                content=f"来电人反映宏泰华府项目拖欠工资,回电{PHONE},身份证{ID_NUMBER}",
                address="城关区南昌路32号",
            )
        ],
    )
    publish_matches(
        engine,
        [assign("hotline:h1", "c1")],
        [],
        [],
        [{"record_id": "hotline:h1", "rule": "phone_norm", "key": PHONE}],
    )
    suffix = uuid.uuid4().hex[:8]
    names = RoleNames(f"t{suffix}_loader", f"t{suffix}_reader", f"t{suffix}_auditor")
    monkeypatch.setenv("HUB_READER_PASSWORD", "reader-secret-" + suffix)
    setup_roles(engine, names)
    setup_roles(engine, names)  # idempotent
    try:
        yield engine, names
    finally:
        drop_roles(engine, names)
        engine.dispose()


@contextmanager
def as_role(engine: sa.Engine, role: str) -> Iterator[sa.Connection]:
    """A connection acting as ``role`` (autocommit: a refused statement does not poison the next)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text(f'SET ROLE "{role}"'))
        try:
            yield conn
        finally:  # the session goes back to the pool: it must not stay the role
            conn.execute(sa.text("RESET ROLE"))


def _denied(conn: sa.Connection, sql: str) -> bool:
    try:
        conn.execute(sa.text(sql)).fetchall()
    except sa.exc.ProgrammingError as exc:
        return "permission denied" in str(exc)
    return False


def _error(conn: sa.Connection, sql: str) -> str:
    try:
        conn.execute(sa.text(sql))
    except sa.exc.ProgrammingError as exc:
        return str(exc)
    return ""


def _visible_text(conn: sa.Connection, views: list[str]) -> str:
    """Every value of every row of ``views`` as one string."""
    return "\n".join(
        str(value)
        for view in views
        for row in conn.execute(sa.text(f"SELECT * FROM {view}"))
        for value in row
    )


def _views(conn: sa.Connection, audit: bool) -> list[str]:
    views = sa.inspect(conn).get_view_names()
    return sorted(v for v in views if v.startswith("v_") and (audit or not v.startswith("v_audit_")))


def test_the_reader_sees_masked_views_and_no_raw_identity_in_any_way(
    roles_db: tuple[sa.Engine, RoleNames],
) -> None:
    engine, names = roles_db
    with as_role(engine, names.reader) as conn:
        for table in Base.metadata.tables:  # every table, raw payloads and hashes included
            assert _denied(conn, f"SELECT * FROM {table} LIMIT 1"), table
        assert _denied(conn, "SELECT phone FROM complaint_case")
        assert _denied(conn, "COPY complaint_record TO STDOUT")
        for view in _views(conn, audit=True):
            if view.startswith("v_audit_"):
                assert _denied(conn, f"SELECT * FROM {view}"), view
        seen = _visible_text(conn, _views(conn, audit=False))
        assert "138****5678" in seen and "620102********123X" in seen
        assert PHONE not in seen and ID_NUMBER not in seen
        # Column statistics would show sample values of readable columns only: the reader has none.
        assert (
            conn.execute(
                sa.text("SELECT count(*) FROM pg_stats WHERE tablename = 'complaint_record'")
            ).scalar()
            == 0
        )
        assert _denied(
            conn,
            "CREATE FUNCTION public.peek() RETURNS text LANGUAGE sql AS 'SELECT phone FROM "
            "complaint_record LIMIT 1'",
        )
        callable_ = conn.execute(
            sa.text(
                "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public' AND has_function_privilege(p.oid, 'EXECUTE')"
            )
        ).scalar()
        assert callable_ == 0
        (row,) = run_query(conn, "repeat_complainants", min_cases=1)  # the dashboards' queries work as reader
        assert row["phone_masked"] == "138****5678"


def test_the_auditor_also_reads_checks_and_lineage_still_masked(
    roles_db: tuple[sa.Engine, RoleNames],
) -> None:
    engine, names = roles_db
    with as_role(engine, names.auditor) as conn:
        for table in (
            "landing_record",
            "complaint_record",
            "quarantine_record",
            "held_record",
            "complaint_case",
        ):
            assert _denied(conn, f"SELECT * FROM {table} LIMIT 1"), table
        seen = _visible_text(conn, _views(conn, audit=True))
        lineage = conn.execute(sa.text("SELECT record_id, case_id, payload_hash FROM v_audit_lineage")).one()
        assert lineage[:2] == ("hotline:h1", "c1") and len(lineage[2]) == 64
        assert "hotline:" in seen and PHONE not in seen and ID_NUMBER not in seen


def test_the_loader_writes_tables_but_changes_no_schema(roles_db: tuple[sa.Engine, RoleNames]) -> None:
    engine, names = roles_db
    with as_role(engine, names.loader) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM complaint_record")).scalar() == 1
        conn.execute(sa.text("UPDATE batch SET note = 'loader was here' WHERE source = 'hotline'"))
        assert _denied(conn, "CREATE TABLE public.scratch (x int)")
        assert "must be owner" in _error(conn, "DROP TABLE complaint_record")
        with pytest.raises(sa.exc.ProgrammingError):
            conn.execute(sa.text("CREATE ROLE sneaky"))


def test_a_role_with_a_password_logs_in_as_itself(roles_db: tuple[sa.Engine, RoleNames]) -> None:
    engine, names = roles_db
    reader = sa.create_engine(
        engine.url.set(username=names.reader, password=os.environ["HUB_READER_PASSWORD"])
    )
    try:
        with reader.connect() as conn:
            assert conn.execute(sa.text("SELECT current_user")).scalar() == names.reader
            assert conn.execute(sa.text("SELECT count(*) FROM v_case")).scalar() == 1
            assert _denied(conn, "SELECT * FROM complaint_record")
    finally:
        reader.dispose()
