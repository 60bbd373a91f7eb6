"""``python -m console``: users are added with hashed passwords; a first start creates two users."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.__main__ import _first_users, main
from console.settings import ConsoleSettings
from console.users import authenticate

pytestmark = pytest.mark.unit


def test_add_user_stores_a_hash_and_refuses_an_unknown_role(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    users = tmp_path / "users.json"
    monkeypatch.setenv("HUB_CONSOLE_USERS", str(users))
    monkeypatch.setenv("HUB_CONSOLE_SECRET", "s")
    monkeypatch.setenv("HUB_CONSOLE_PASSWORD", "Lanzhou-2026")
    assert main(["add-user", "li", "--role", "clerk"]) == 0
    assert "Lanzhou-2026" not in users.read_text(encoding="utf-8") and users.stat().st_mode & 0o077 == 0
    user = authenticate(users, "li", "Lanzhou-2026")
    assert user is not None and user.role == "clerk" and authenticate(users, "li", "wrong") is None
    with pytest.raises(SystemExit):
        main(["add-user", "li", "--role", "admin"])
    assert "invalid choice: 'admin'" in capsys.readouterr().err


def test_a_first_start_creates_a_clerk_and_an_auditor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = ConsoleSettings(
        database_url="sqlite://", users_file=tmp_path / "users.json", secret_key="s",
        reports_dir=tmp_path, bulletins_dir=tmp_path,
    )  # fmt: skip
    _first_users(settings)
    shown = dict(line.split()[0:3:2] for line in capsys.readouterr().err.splitlines() if " / " in line)
    assert set(shown) == {"clerk", "auditor"}
    assert {name: authenticate(settings.users_file, name, pw).role for name, pw in shown.items()} == {  # type: ignore[union-attr]
        "clerk": "clerk",
        "auditor": "auditor",
    }
    assert set(json.loads(settings.users_file.read_text(encoding="utf-8"))) == {"clerk", "auditor"}
