"""The console's fixture: a small pool (tests/_support/review_data.py), one clerk and one auditor."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from console_client import AUDITOR, CLERK, Console
from review_data import pool

from console import ConsoleSettings
from console.users import add_user
from warehouse import make_engine


@pytest.fixture
def console(migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Console]:
    monkeypatch.setenv("HUB_DATABASE_URL", migrated_url)  # the pool task reads it
    engine = make_engine(migrated_url)
    pool(engine)
    settings = ConsoleSettings(
        database_url=migrated_url,
        users_file=tmp_path / "users.json",
        secret_key="test-secret-" + "x" * 20,
        reports_dir=tmp_path / "reports",
        bulletins_dir=tmp_path / "bulletins",
    )
    add_user(settings.users_file, CLERK[0], "clerk", CLERK[1])
    add_user(settings.users_file, AUDITOR[0], "auditor", AUDITOR[1])
    yield Console(settings, engine)
    engine.dispose()
