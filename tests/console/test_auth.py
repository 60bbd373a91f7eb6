"""Every console page needs a login; roles limit what a user may do; passwords are stored hashed."""

from __future__ import annotations

import json

import pytest
from console_client import AUDITOR, CLERK, Console, csrf_of, logged_in
from fastapi.testclient import TestClient

from console import create_app

pytestmark = pytest.mark.integration

PAGES = (
    "/",
    "/queue",
    "/queue/item?id=case:case-x",
    "/cases",
    "/cases/case-x",
    "/lists",
    "/lists/alerts/1",
    "/batches",
    "/batches/hotline:x",
    "/reports",
    "/reports/bulletins/daily/index.html",
    "/reports/audit/audit-2026-11-20.html",
)
POSTS = (
    "/queue/decide",
    "/cases/case-x/split",
    "/cases/case-x/merge",
    "/records/move",
    "/cases/case-x/confirm",
)


def test_no_page_answers_without_a_login(console: Console) -> None:
    with TestClient(create_app(console.settings)) as client:
        for page in PAGES:
            response = client.get(page, follow_redirects=False)
            assert response.status_code == 303 and response.headers["location"].startswith("/login?next="), (
                page
            )
            if not page.startswith("/reports/"):
                api = client.get("/api" + page, follow_redirects=False)
                assert api.status_code == 401 and api.json() == {"detail": "not logged in"}, page
        for action in POSTS:
            assert client.post("/api" + action, json={"reason": "r"}).status_code == 401, action
            assert client.post(action, data={"reason": "r"}, follow_redirects=False).status_code == 303, (
                action
            )
        assert client.get("/login").status_code == 200


def test_a_wrong_password_or_unknown_user_gets_no_session(console: Console) -> None:
    with TestClient(create_app(console.settings)) as client:
        for name, password in ((CLERK[0], "wrong"), ("nobody", CLERK[1])):
            response = client.post(
                "/login", data={"username": name, "password": password}, follow_redirects=False
            )
            assert response.status_code == 401 and "wrong password" in response.text
            assert client.get("/api/", follow_redirects=False).status_code == 401
    stored = json.loads(console.settings.users_file.read_text(encoding="utf-8"))
    assert CLERK[1] not in console.settings.users_file.read_text(encoding="utf-8")
    assert stored[CLERK[0]]["password"].startswith("scrypt$")


def test_logging_out_or_removing_the_user_ends_the_session(console: Console) -> None:
    client = logged_in(console, CLERK)
    assert client.get("/api/").status_code == 200
    client.post("/logout", data={"csrf": csrf_of(client)}, follow_redirects=False)
    assert client.get("/api/", follow_redirects=False).status_code == 401
    client.close()
    client = logged_in(console, AUDITOR)
    console.settings.users_file.write_text("{}", encoding="utf-8")  # the user is removed
    assert client.get("/api/", follow_redirects=False).status_code == 401
    client.close()


def test_roles_limit_what_a_user_may_do(console: Console) -> None:
    auditor = logged_in(console, AUDITOR)
    refused = auditor.post("/api/cases/case-x/split", json={"record_ids": ["a"], "reason": "r"})
    assert refused.status_code == 403 and "only a clerk" in refused.json()["detail"]
    assert auditor.get("/api/batches").status_code == 200
    auditor.close()
    clerk = logged_in(console, CLERK)
    assert clerk.get("/api/batches").status_code == 403
    # A form post without the session's token (another site's form) is refused.
    assert clerk.post("/queue/decide", data={"left": "a", "right": "b", "verdict": "same"}).status_code == 403
    clerk.close()


def test_after_login_the_user_returns_to_the_page_asked_for(console: Console) -> None:
    with TestClient(create_app(console.settings)) as client:
        asked = client.get("/lists", follow_redirects=False).headers["location"]
        form = {"username": CLERK[0], "password": CLERK[1], "next": asked.split("next=", 1)[1]}
        assert client.post("/login", data=form, follow_redirects=False).headers["location"] == "/lists"
        form["next"] = "//evil.example/"
        assert client.post("/login", data=form, follow_redirects=False).headers["location"] == "/"
