"""Which warehouse a command runs on, and the refusal to create one anywhere but where it is configured.

The embedded warehouse's default file is ``var/hub.db`` under the current directory (``HUB_DATA_DIR``
moves it). Run from another directory, a command would create an empty database there and fail on
"no such table"; so only ``migrate`` creates a warehouse, and only at a configured location.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from warehouse.engine import DATA_DIR_ENV, URL_ENV, default_database_path, with_driver

# The project checkout this package runs from (where `make demo` puts var/hub.db), if it is one.
PROJECT_ROOT = Path(__file__).resolve().parents[2]


class UsageError(Exception):
    """A command line that cannot run as given: the CLI prints its message and exits with code 2."""


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL (``None`` for another engine or an in-memory database)."""
    parsed = sa.make_url(with_driver(url))
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return None
    if database.startswith("file:"):
        return None  # a URI filename: its options (mode=ro, ...) decide; leave it to SQLite
    return Path(database).resolve()


def _default_is_configured() -> bool:
    """The default location counts as configured when ``HUB_DATA_DIR`` names it or when the command
    runs from the project's own checkout (``<project>/var/hub.db``)."""
    if os.environ.get(DATA_DIR_ENV):
        return True
    return (PROJECT_ROOT / "pyproject.toml").is_file() and Path.cwd().resolve() == PROJECT_ROOT


def resolve_url(explicit: str | None, command: str) -> str:
    """The URL a command runs on: ``--url``, else ``HUB_DATABASE_URL``, else the default SQLite file.

    Args:
        explicit: the ``--url`` option, if given.
        command: the sub-command; only ``migrate`` may create a missing SQLite warehouse.

    Returns:
        The URL (for the default file, its directory exists once ``migrate`` is allowed to create it).

    Raises:
        UsageError: the SQLite file is missing and the command is not ``migrate``, or ``migrate`` would
            create it at the default location from outside the project.
    """
    url = explicit or os.environ.get(URL_ENV)
    configured = bool(url) or _default_is_configured()
    if not url:
        url = f"sqlite:///{default_database_path()}"
    path = sqlite_file(url)
    if path is None or path.exists():
        return url
    if command != "migrate":
        raise UsageError(
            f"no warehouse at {path}: create it with `python -m warehouse migrate` (or `make demo` in the "
            f"project), or point to one with --url or {URL_ENV}"
        )
    if not configured:
        raise UsageError(
            f"refusing to create a warehouse at {path}: the default is var/hub.db in the project "
            f"({PROJECT_ROOT}); run from there, or set {URL_ENV} or {DATA_DIR_ENV}, or pass --url"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    return url
