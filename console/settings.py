"""Where the console reads from: the warehouse, its users file, its session secret, the served reports."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class ConsoleSettings:
    """The console's configuration (``from_env`` reads it from ``HUB_*`` variables, defaults under ``var/``).

    Attributes:
        database_url: the warehouse (``HUB_DATABASE_URL``; default the embedded ``var/hub.db``).
        users_file: the users and their password hashes (``HUB_CONSOLE_USERS``).
        secret_key: signs the session cookie (``HUB_CONSOLE_SECRET``, else a key kept in ``var/console``).
        reports_dir: the auditor reports ``python -m warehouse report`` writes (``var/reports``).
        bulletins_dir: the bulletins the alerting DAG writes (``var/bulletins``).
        airflow_url: Airflow's UI, linked from held batches (``HUB_CONSOLE_AIRFLOW_URL``; optional).
        secure_cookie: send the session cookie over HTTPS only (``HUB_CONSOLE_SECURE_COOKIE=1``).
    """

    database_url: str
    users_file: Path
    secret_key: str
    reports_dir: Path
    bulletins_dir: Path
    airflow_url: str | None = None
    secure_cookie: bool = False

    @classmethod
    def from_env(cls, var: Path | None = None) -> ConsoleSettings:
        """The settings of this environment; ``var`` is the state folder (default ``HUB_DATA_DIR`` or ``var/``)."""
        var = var or Path(os.environ.get("HUB_DATA_DIR") or ROOT / "var")
        return cls(
            database_url=os.environ.get("HUB_DATABASE_URL") or f"sqlite:///{var / 'hub.db'}",
            users_file=Path(os.environ.get("HUB_CONSOLE_USERS") or var / "console" / "users.json"),
            secret_key=os.environ.get("HUB_CONSOLE_SECRET")
            or _kept_secret(var / "console" / "session.secret"),
            reports_dir=Path(os.environ.get("HUB_CONSOLE_REPORTS") or var / "reports"),
            bulletins_dir=Path(os.environ.get("HUB_CONSOLE_BULLETINS") or var / "bulletins"),
            airflow_url=os.environ.get("HUB_CONSOLE_AIRFLOW_URL") or None,
            secure_cookie=os.environ.get("HUB_CONSOLE_SECURE_COOKIE") == "1",
        )


def _kept_secret(path: Path) -> str:
    """A random key kept in ``path`` (mode 0600), so sessions survive a restart."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()
