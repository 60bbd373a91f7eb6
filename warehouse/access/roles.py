"""PostgreSQL roles of the warehouse: a loader that writes, a reader for dashboards, an auditor.

``python -m warehouse roles`` creates them (cluster-wide, names configurable) and grants them on the
database it connects to; running it again changes nothing. What each may read:

* **loader** — reads and writes every table (the DAG's connection); no DDL, no roles.
* **reader** — only the read contract's views (``v_*`` except ``v_audit_*``): phones and id numbers
  masked (``138****1234``, ``620102********123X``) or keyed hashes; no table, so no raw value.
* **auditor** — the reader's views plus ``v_audit_*`` (batches, gates, checks, quarantine reasons,
  lineage), still masked and without raw payloads.

Views run with their owner's rights, which is how the reader sees masked columns of tables it cannot
select; they are ``security_barrier``, so no function of a caller sees a row before the view's own
filters ran. The command also hardens the database: PUBLIC loses CONNECT and TEMPORARY on it (only the
three roles and the owner connect; only the loader makes temporary objects, so nobody else can define a
temporary function), and nobody but a superuser may create large objects, which would outlive the
session that made them. Other databases of the cluster keep PUBLIC's CONNECT: the command lists them
(``public_connects_to``) for the operator to revoke. Login is off unless ``HUB_<ROLE>_PASSWORD`` (``HUB_READER_PASSWORD`` …) is set, then the role
logs in with that password; otherwise grant the role to a login role (``GRANT hub_reader TO alice``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import sqlalchemy as sa

AUDIT_PREFIX = "v_audit_"
# The functions that create a large object (``lo_import`` is revoked from PUBLIC by PostgreSQL already;
# it is listed so that a cluster where someone re-granted it is covered too). Reading or writing an
# existing object is then checked against that object's own ACL (``lo_compat_privileges`` off).
LARGE_OBJECT_CREATORS = (
    "pg_catalog.lo_creat(integer)",
    "pg_catalog.lo_create(oid)",
    "pg_catalog.lo_from_bytea(oid, bytea)",
    "pg_catalog.lo_import(text)",
    "pg_catalog.lo_import(text, oid)",
)


@dataclass(frozen=True)
class RoleNames:
    """The three cluster-wide role names (defaults, or ``HUB_ROLE_LOADER`` / ``_READER`` / ``_AUDITOR``)."""

    loader: str = "hub_loader"
    reader: str = "hub_reader"
    auditor: str = "hub_auditor"

    @classmethod
    def from_env(cls) -> RoleNames:
        """Names from the environment, else the defaults."""
        return cls(
            os.environ.get("HUB_ROLE_LOADER", cls.loader),
            os.environ.get("HUB_ROLE_READER", cls.reader),
            os.environ.get("HUB_ROLE_AUDITOR", cls.auditor),
        )

    def all(self) -> tuple[tuple[str, str], ...]:
        """``(kind, name)`` of each role."""
        return (("loader", self.loader), ("reader", self.reader), ("auditor", self.auditor))


def _ident(conn: sa.Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def contract_views(conn: sa.Connection) -> tuple[list[str], list[str]]:
    """The live read contract: ``(reader views, audit views)`` of the connected database."""
    views = sorted(sa.inspect(conn).get_view_names())
    return (
        [v for v in views if v.startswith("v_") and not v.startswith(AUDIT_PREFIX)],
        [v for v in views if v.startswith(AUDIT_PREFIX)],
    )


def setup_roles(engine: sa.Engine, names: RoleNames | None = None) -> dict[str, list[str]]:
    """Create (or update) the roles and set their grants on ``engine``'s database; idempotent.

    Every grant is first revoked and then given again, so a role never keeps a privilege that an
    earlier version of the contract gave it. The database is hardened on the way (see the module).

    Returns:
        What each role may select, by kind; ``hardening``: what was hardened (or could not be, by a
        caller who is not a superuser); ``public_connects_to``: the cluster's other databases that
        every role may still connect to.

    Raises:
        RuntimeError: on a database other than PostgreSQL.
    """
    names = names or RoleNames.from_env()
    if engine.dialect.name != "postgresql":
        raise RuntimeError("database roles exist on PostgreSQL only (the embedded SQLite warehouse has none)")
    with engine.begin() as conn:
        database_name = conn.execute(sa.text("SELECT current_database()")).scalar_one()
        database = _ident(conn, database_name)
        for kind, name in names.all():
            _ensure_role(conn, name, os.environ.get(f"HUB_{kind.upper()}_PASSWORD"))
        loader, reader, auditor = (_ident(conn, n) for _, n in names.all())
        everyone = f"{loader}, {reader}, {auditor}"
        conn.execute(sa.text(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {everyone}"))
        conn.execute(sa.text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {everyone}"))
        conn.execute(sa.text(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM {everyone}"))
        conn.execute(sa.text(f"REVOKE ALL ON SCHEMA public FROM {everyone}"))
        # Nobody but the owner creates objects in the warehouse's schema (PostgreSQL 15's default too).
        conn.execute(sa.text("REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
        # PUBLIC may connect to and make temporary objects in every new database; here only the roles
        # (and logins granted them) connect, and only the loader keeps TEMPORARY (granted below).
        conn.execute(sa.text(f"REVOKE CONNECT, TEMPORARY ON DATABASE {database} FROM PUBLIC"))
        conn.execute(sa.text(f"GRANT CONNECT ON DATABASE {database} TO {everyone}"))
        conn.execute(sa.text(f"GRANT USAGE ON SCHEMA public TO {everyone}"))
        # The loader's bulk paths COPY into temporary tables.
        conn.execute(sa.text(f"GRANT TEMPORARY ON DATABASE {database} TO {loader}"))
        conn.execute(
            sa.text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {loader}")
        )
        conn.execute(sa.text(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {loader}"))
        conn.execute(
            sa.text(
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE "
                f"ON TABLES TO {loader}"
            )
        )
        conn.execute(
            sa.text(
                f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE "
                f"ON SEQUENCES TO {loader}"
            )
        )
        reader_views, audit_views = grant_views(conn, names)
        hardening = [
            f"PUBLIC: no CONNECT, no TEMPORARY on {database_name}",
            f"views: security_barrier ({len(reader_views) + len(audit_views)})",
            _deny_large_objects(conn, names.reader),
        ]
        others = conn.execute(
            sa.text(
                "SELECT datname FROM pg_database WHERE datallowconn AND datname <> current_database() "
                "AND has_database_privilege('public', datname, 'CONNECT') ORDER BY datname"
            )
        )
        public_connects_to = [str(name) for (name,) in others]
    return {
        "loader": ["every table"],
        "reader": reader_views,
        "auditor": reader_views + audit_views,
        "hardening": hardening,
        "public_connects_to": public_connects_to,
    }


def grant_views(conn: sa.Connection, names: RoleNames) -> tuple[list[str], list[str]]:
    """Grant the read contract's views to the reader and auditor, each ``security_barrier``.

    A view a migration replaces (DROP and CREATE) loses its grants, and CREATE OR REPLACE loses its
    options: the migration environment calls this after every upgrade where the roles exist, so
    a new or replaced view is never left unreadable, or readable without its barrier, until someone
    re-runs ``python -m warehouse roles``.

    Returns:
        ``(reader views, audit views)``.
    """
    reader, auditor = _ident(conn, names.reader), _ident(conn, names.auditor)
    reader_views, audit_views = contract_views(conn)
    for view in reader_views:
        conn.execute(sa.text(f"GRANT SELECT ON {_ident(conn, view)} TO {reader}, {auditor}"))
    for view in audit_views:
        conn.execute(sa.text(f"GRANT SELECT ON {_ident(conn, view)} TO {auditor}"))
    for view in reader_views + audit_views:
        conn.execute(sa.text(f"ALTER VIEW {_ident(conn, view)} SET (security_barrier = true)"))
    return reader_views, audit_views


def regrant_after_migration(engine: sa.Engine, names: RoleNames | None = None) -> bool:
    """Re-grant the contract's views if the roles exist on this PostgreSQL database; say whether it did."""
    names = names or RoleNames.from_env()
    if engine.dialect.name != "postgresql":
        return False
    with engine.begin() as conn:
        found = conn.execute(
            sa.text("SELECT count(*) FROM pg_roles WHERE rolname IN (:r, :a)"),
            {"r": names.reader, "a": names.auditor},
        ).scalar_one()
        if found < 2:
            return False
        grant_views(conn, names)
    return True


def _deny_large_objects(conn: sa.Connection, probe: str) -> str:
    """Revoke PUBLIC's EXECUTE on the functions creating large objects; say what holds afterwards.

    Only a superuser (the functions' owner) can: anyone else is told so, and the rest of the setup
    stands. The grant lives in this database's catalog, so other databases are not touched.
    """
    # Anyone else gets a warning ("no privileges could be revoked"), not an error: the probe tells.
    conn.execute(sa.text(f"REVOKE EXECUTE ON FUNCTION {', '.join(LARGE_OBJECT_CREATORS)} FROM PUBLIC"))
    allowed = conn.execute(
        sa.text("SELECT has_function_privilege(:role, 'pg_catalog.lo_create(oid)', 'EXECUTE')"),
        {"role": probe},
    ).scalar_one()
    if allowed:
        return "large objects: creation still allowed (run `roles` as a superuser to deny it)"
    compat = conn.execute(sa.text("SHOW lo_compat_privileges")).scalar_one()
    suffix = "" if compat == "off" else " (but lo_compat_privileges is on: existing ones are unprotected)"
    return "large objects: creation denied" + suffix


def _ensure_role(conn: sa.Connection, name: str, password: str | None) -> None:
    exists = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first()
    verb = "ALTER" if exists else "CREATE"
    options = "NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"
    if password:
        # The statement is built by psycopg2's own quoting, never by string formatting of the secret.
        conn.execute(
            sa.text(f"{verb} ROLE {_ident(conn, name)} {options} LOGIN PASSWORD :p"), {"p": password}
        )
    else:
        conn.execute(sa.text(f"{verb} ROLE {_ident(conn, name)} {options} NOLOGIN"))


def drop_roles(engine: sa.Engine, names: RoleNames | None = None) -> None:
    """Remove the roles' privileges on ``engine``'s database and drop the roles (for tests and teardown).

    A role with privileges on another database cannot be dropped: run this there first.
    """
    names = names or RoleNames.from_env()
    with engine.begin() as conn:
        for _, name in names.all():
            if conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first():
                conn.execute(sa.text(f"DROP OWNED BY {_ident(conn, name)}"))
                conn.execute(sa.text(f"DROP ROLE {_ident(conn, name)}"))
