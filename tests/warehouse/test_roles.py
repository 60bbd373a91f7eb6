"""PostgreSQL roles: what the loader, the reader and the auditor can and cannot read (SET ROLE and login)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from pool_data import assign, record, stage

from warehouse import make_engine, migrate, publish_matches
from warehouse.__main__ import main
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
    monkeypatch.setenv("HUB_AUDITOR_PASSWORD", "auditor-secret-" + suffix)
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


@contextmanager
def logged_in(
    engine: sa.Engine, role: str, password: str, autocommit: bool = True
) -> Iterator[sa.Connection]:
    """A new session logged in as ``role`` (not SET ROLE: some checks run once per session)."""
    other = sa.create_engine(engine.url.set(username=role, password=password))
    try:
        with other.connect() as conn:
            if autocommit:
                conn.execution_options(isolation_level="AUTOCOMMIT")
            yield conn
    finally:
        other.dispose()


def _password(kind: str) -> str:
    return os.environ[f"HUB_{kind.upper()}_PASSWORD"]


def test_only_the_roles_connect_and_only_the_loader_makes_temporary_objects(
    roles_db: tuple[sa.Engine, RoleNames],
) -> None:
    engine, names = roles_db
    stranger = f"{names.reader}_stranger"  # a login role nobody granted anything (PUBLIC's rights only)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text(f"CREATE ROLE \"{stranger}\" LOGIN PASSWORD 'stranger-secret'"))
    try:
        with pytest.raises(sa.exc.OperationalError, match="permission denied for database"):
            with logged_in(engine, stranger, "stranger-secret"):
                pass
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(f'GRANT "{names.reader}" TO "{stranger}"'))  # as the docs tell for a person
        with logged_in(engine, stranger, "stranger-secret") as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM v_case")).scalar() == 1
    finally:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(f'DROP ROLE "{stranger}"'))
    for kind, role in (("reader", names.reader), ("auditor", names.auditor)):
        with logged_in(engine, role, _password(kind)) as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM v_case")).scalar() == 1
            assert _denied(conn, "CREATE TEMPORARY TABLE scratch (x int)"), kind
            # A temporary function would see rows a view filters out (and outlives nothing but its session).
            assert _denied(
                conn, "CREATE FUNCTION pg_temp.peek(text) RETURNS boolean LANGUAGE sql AS 'SELECT true'"
            ), kind
    with as_role(engine, names.loader) as conn:  # the bulk paths stage through temporary tables
        assert conn.execute(
            sa.text("SELECT has_database_privilege(current_database(), 'TEMPORARY')")
        ).scalar()


def test_nobody_but_a_superuser_creates_large_objects(roles_db: tuple[sa.Engine, RoleNames]) -> None:
    engine, names = roles_db
    again = setup_roles(engine, names)
    assert "large objects: creation denied" in again["hardening"]
    with logged_in(engine, names.reader, _password("reader")) as conn:
        for sql in ("SELECT lo_create(0)", "SELECT lo_creat(-1)", "SELECT lo_from_bytea(0, 'x')"):
            assert _denied(conn, sql), sql
        raw = conn.connection.dbapi_connection
        assert raw is not None
    with logged_in(engine, names.reader, _password("reader"), autocommit=False) as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        # psycopg2's own error (the driver's, not wrapped by SQLAlchemy): matched by its message.
        with pytest.raises(Exception, match="permission denied for function lo_creat"):
            raw.lobject(0, "wb")  # libpq's client-side lo_creat
    with as_role(engine, names.loader) as conn:
        assert _denied(conn, "SELECT lo_from_bytea(0, 'x')")
    with engine.connect() as conn:  # nothing was created, by anyone
        assert conn.execute(sa.text("SELECT count(*) FROM pg_largeobject_metadata")).scalar() == 0


def test_every_contract_view_is_a_security_barrier(roles_db: tuple[sa.Engine, RoleNames]) -> None:
    engine, names = roles_db
    with engine.connect() as conn:
        options: dict[str, str] = dict(
            conn.execute(
                sa.text(
                    "SELECT c.relname, coalesce(array_to_string(c.reloptions, ','), '') FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = 'public' AND c.relkind = 'v' AND c.relname LIKE 'v\\_%'"
                )
            ).all()
        )
    assert len(options) >= 16 and all("security_barrier=true" in o for o in options.values()), options


def test_a_view_a_migration_replaced_is_granted_again_by_the_upgrade(
    roles_db: tuple[sa.Engine, RoleNames], postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, names = roles_db
    monkeypatch.setenv("HUB_ROLE_READER", names.reader)
    monkeypatch.setenv("HUB_ROLE_AUDITOR", names.auditor)
    with engine.begin() as conn:  # what DROP and CREATE in a migration leaves: no grant, no barrier
        conn.execute(sa.text(f'REVOKE SELECT ON v_case FROM "{names.reader}", "{names.auditor}"'))
        conn.execute(sa.text("ALTER VIEW v_case RESET (security_barrier)"))
    with as_role(engine, names.reader) as conn:
        assert _denied(conn, "SELECT count(*) FROM v_case")
    migrate(postgres_url)
    with as_role(engine, names.reader) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM v_case")).scalar_one() == 1
    with engine.connect() as conn:
        options = conn.execute(
            sa.text("SELECT reloptions FROM pg_class WHERE relname = 'v_case'")
        ).scalar_one()
    assert "security_barrier=true" in options


def _leaked(engine: sa.Engine, reader: str) -> list[str]:
    """What a cheap function with a side effect sees when the reader filters ``v_time_limit`` with it."""
    with as_role(engine, reader) as conn:
        # As a caller may: no index applies the view's filter first, so the cheapest condition runs first.
        conn.execute(sa.text("SET enable_indexscan = off"))
        conn.execute(sa.text("SET enable_bitmapscan = off"))
        raw = conn.connection.dbapi_connection
        assert raw is not None
        cursor = raw.cursor()  # psycopg2's own cursor: SQLAlchemy would log and clear the notices
        del raw.notices[:]
        cursor.execute("SELECT case_id FROM v_time_limit WHERE public.leak(category)")
        seen = [str(n) for n in raw.notices if "leaked:" in n]
        cursor.close()
        conn.execute(sa.text("RESET ALL"))
        return seen


def test_a_function_in_a_filter_sees_no_row_the_view_hides(roles_db: tuple[sa.Engine, RoleNames]) -> None:
    """``v_time_limit`` shows open cases only; a closed case's row must not reach the caller's function.

    The reader can define no function (no CREATE, no TEMPORARY): the owner lends one here, as an
    extension or a careless grant could.
    """
    engine, names = roles_db
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE complaint_case SET status = 'closed'"))
        conn.execute(
            sa.text(
                "CREATE FUNCTION public.leak(text) RETURNS boolean LANGUAGE plpgsql COST 0.0001 AS "
                "$$BEGIN RAISE NOTICE 'leaked: %', $1; RETURN true; END$$"
            )
        )
        conn.execute(sa.text(f'GRANT EXECUTE ON FUNCTION public.leak(text) TO "{names.reader}"'))
    assert _leaked(engine, names.reader) == []
    with engine.begin() as conn:  # the same query through a plain view: the function sees the closed case
        conn.execute(sa.text("ALTER VIEW v_time_limit RESET (security_barrier)"))
    assert any("劳资欠薪" in n for n in _leaked(engine, names.reader))


def test_the_command_reports_what_it_hardened(
    roles_db: tuple[sa.Engine, RoleNames], capsys: pytest.CaptureFixture[str]
) -> None:
    engine, names = roles_db
    url = engine.url.render_as_string(hide_password=False)
    args = ["--reader", names.reader, "--auditor", names.auditor, "--loader", names.loader]
    assert main(["--url", url, "roles", *args]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["hardening"] == [
        f"PUBLIC: no CONNECT, no TEMPORARY on {engine.url.database}",
        f"views: security_barrier ({len(report['auditor'])})",
        "large objects: creation denied",
    ]
    # The cluster's other databases keep PUBLIC's CONNECT (the docs say how to revoke it): named, this one not.
    assert (
        "postgres" in report["public_connects_to"] and engine.url.database not in report["public_connects_to"]
    )
    with engine.connect() as conn:
        public = conn.execute(  # grantee 0 is PUBLIC
            sa.text(
                "SELECT count(*) FROM pg_database d, aclexplode(d.datacl) a "
                "WHERE d.datname = current_database() AND a.grantee = 0"
            )
        )
        assert public.scalar_one() == 0
