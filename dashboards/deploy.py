"""Set Superset up on the hub's warehouse and serve it; runs with Superset's own Python.

``make dashboards`` runs it from ``var/superset-venv`` (Superset pins SQLAlchemy 1.4 and cannot share
Airflow's environment); the compose service runs it in the Superset image. It needs only the standard
library, PyYAML and SQLAlchemy, which Superset brings::

    python dashboards/deploy.py setup --warehouse-url sqlite:///var/hub.db   # metadata, admin, import
    python dashboards/deploy.py serve --port 8088                            # gunicorn, foreground
    python dashboards/deploy.py up --warehouse-url ...                       # both

Superset's metadata is SQLite under ``--home`` (``SUPERSET_HOME``). The bundle's two database entries are
pointed at the warehouse: the embedded SQLite file opened read-only, or PostgreSQL as the reader and
the auditor role (``HUB_READER_PASSWORD`` / ``HUB_AUDITOR_PASSWORD``, roles named as ``python -m
warehouse roles`` names them; ``HUB_SUPERSET_READER_URL`` / ``_AUDITOR_URL`` override the whole URL).
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml
from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "assets"
CONFIG = HERE / "superset_config.py"
ROLE_DEFAULTS = {"reader": "hub_reader", "auditor": "hub_auditor"}


def role_uri(warehouse_url: str, role: str) -> str:
    """The URI Superset reads the warehouse with as ``role`` (``reader`` or ``auditor``).

    Raises:
        ValueError: for a PostgreSQL warehouse when the role's password is not set, or another database.
    """
    override = os.environ.get(f"HUB_SUPERSET_{role.upper()}_URL")
    if override:
        return override
    url = make_url(warehouse_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise ValueError("the SQLite warehouse must be a file")
        # Read-only: the embedded warehouse has no roles, so the connection itself cannot write.
        return f"sqlite:///file:{Path(url.database).resolve()}?mode=ro&uri=true"
    if url.get_backend_name() != "postgresql":
        raise ValueError(f"unsupported warehouse {url.get_backend_name()!r}: SQLite or PostgreSQL")
    name = os.environ.get(f"HUB_ROLE_{role.upper()}", ROLE_DEFAULTS[role])
    password = os.environ.get(f"HUB_{role.upper()}_PASSWORD")
    if not password:
        raise ValueError(
            f"set HUB_{role.upper()}_PASSWORD (and run `python -m warehouse roles` with it) so that "
            f"Superset logs in as {name}, never as the warehouse's owner"
        )
    url = url.set(drivername="postgresql+psycopg2", username=name, password=password)
    return url.render_as_string(hide_password=False)


def bundle_zip(warehouse_url: str, assets: Path = ASSETS) -> bytes:
    """The committed bundle as the ZIP Superset imports, its databases pointed at ``warehouse_url``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(assets.rglob("*.yaml")):
            relative = path.relative_to(assets).as_posix()
            text = path.read_text(encoding="utf-8")
            if relative.startswith("databases/"):
                config = yaml.safe_load(text)
                role = "auditor" if config["database_name"].endswith("(auditor)") else "reader"
                config["sqlalchemy_uri"] = role_uri(warehouse_url, role)
                text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
            bundle.writestr(f"hub_dashboards/{relative}", text)
    return buffer.getvalue()


def superset_env(home: Path) -> dict[str, str]:
    """Environment for Superset's commands: its home, this folder's config, a secret key kept in the home."""
    home.mkdir(parents=True, exist_ok=True)
    key_file = home / "secret.key"
    if not key_file.exists():
        key_file.touch(mode=0o600)
        key_file.write_text(secrets.token_urlsafe(42), encoding="utf-8")
    env = dict(os.environ)
    env.setdefault("SUPERSET_SECRET_KEY", key_file.read_text(encoding="utf-8").strip())
    env.update({"SUPERSET_HOME": str(home), "SUPERSET_CONFIG_PATH": str(CONFIG), "FLASK_APP": "superset"})
    return env


def _superset(env: dict[str, str], *args: str) -> None:
    binary = Path(sys.executable).with_name("superset")
    result = subprocess.run([str(binary), *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise RuntimeError(f"superset {' '.join(args[:2])} failed:\n{tail}")


def setup(home: Path, warehouse_url: str, admin_password: str) -> None:
    """Migrate Superset's metadata, create the admin, set up roles and import the bundle (idempotent)."""
    env = superset_env(home)
    print(f"superset: metadata in {home}", flush=True)
    _superset(env, "db", "upgrade")
    # On a second run the admin exists; the command says so and exits 0.
    _superset(
        env,
        "fab",
        "create-admin",
        "--username",
        "admin",
        "--firstname",
        "Hub",
        "--lastname",
        "Admin",
        "--email",
        "admin@hub.invalid",
        "--password",
        admin_password,
    )
    # create-admin leaves an existing admin as it was: the configured password is the one in force.
    _superset(env, "fab", "reset-password", "--username", "admin", "--password", admin_password)
    _superset(env, "init")
    bundle = home / "hub_dashboards.zip"
    bundle.write_bytes(bundle_zip(warehouse_url))
    # `superset import-dashboards` keeps existing databases, datasets and charts as they are; the assets
    # import (Superset's /api/v1/assets/import/) overwrites them, so a changed bundle or warehouse applies.
    result = subprocess.run(
        [sys.executable, __file__, "import-assets", "--bundle", str(bundle)],
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise RuntimeError(f"importing {bundle} failed:\n{tail}")
    print(f"superset: dashboards imported against {make_url(warehouse_url).get_backend_name()}", flush=True)


def import_assets(bundle: Path, username: str = "admin") -> None:
    """Import ``bundle`` with Superset's assets command, overwriting what it holds (run inside Superset's env)."""
    from flask import g
    from superset.app import create_app

    app = create_app()
    with app.app_context():
        # Superset's models can be imported only once the app is initialised.
        from superset import security_manager
        from superset.commands.importers.v1.assets import ImportAssetsCommand
        from superset.commands.importers.v1.utils import get_contents_from_bundle

        g.user = security_manager.find_user(username=username)
        with zipfile.ZipFile(bundle) as archive:
            contents = get_contents_from_bundle(archive)
        ImportAssetsCommand(contents).run()


def serve(home: Path, host: str, port: int, workers: int) -> None:
    """Serve Superset with gunicorn in the foreground (replaces this process)."""
    env = superset_env(home)
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    print(f"superset: serving on http://{host}:{port}/ (user admin)", flush=True)
    os.execve(
        gunicorn,
        [
            gunicorn,
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--timeout",
            "120",
            "--access-logfile",
            "-",
            "--access-logformat",
            '%(h)s "%(r)s" %(s)s %(L)ss',
            "superset.app:create_app()",
        ],
        env,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=("setup", "serve", "up", "import-assets"))
    parser.add_argument("--bundle", type=Path, help="import-assets: the bundle's ZIP")
    parser.add_argument("--home", type=Path, default=Path(os.environ.get("SUPERSET_HOME", "var/superset")))
    parser.add_argument("--warehouse-url", default=os.environ.get("HUB_DATABASE_URL", "sqlite:///var/hub.db"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8088)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    home = args.home.resolve()
    if args.command == "import-assets":
        import_assets(args.bundle)
        return 0
    if args.command in ("setup", "up"):
        url = make_url(args.warehouse_url)
        if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
            print(f"no warehouse at {url.database}: run `make demo` first", file=sys.stderr)
            return 2
        try:
            setup(home, args.warehouse_url, os.environ.get("SUPERSET_ADMIN_PASSWORD", "admin"))
        except (ValueError, RuntimeError) as exc:
            print(f"superset: {exc}", file=sys.stderr)
            return 1
    if args.command in ("serve", "up"):
        serve(home, args.host, args.port, args.workers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
