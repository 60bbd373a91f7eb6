"""The console on a small pool (tests/_support/review_data.py), with one clerk and one auditor."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from fastapi.testclient import TestClient

from console import ConsoleSettings, create_app

CLERK, AUDITOR = ("wang", "clerk-pass-1"), ("zhao", "auditor-pass-2")


@dataclass
class Console:
    """The app's settings and an engine on its warehouse."""

    settings: ConsoleSettings
    engine: sa.Engine


def logged_in(console: Console, who: tuple[str, str]) -> TestClient:
    """A client (already entered: close it) with a session of ``who``."""
    client = TestClient(create_app(console.settings)).__enter__()
    response = client.post("/login", data={"username": who[0], "password": who[1]}, follow_redirects=False)
    assert response.status_code == 303
    return client


def csrf_of(client: TestClient) -> str:
    """The session's CSRF token, as the pages' forms carry it."""
    found = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
    assert found
    return found.group(1)
