"""Logging in and out, and who is asking: a signed session cookie names the user; every page requires one.

The session cookie (Starlette's, signed with the console's secret by itsdangerous) holds the user's name
and a CSRF token; the role is read from the users file on every request, so removing a user or changing
a role takes effect at once. A request without a valid session is refused: a page redirects to the login
form, the JSON API answers 401. An HTML form that changes something must carry the session's CSRF token;
JSON requests need none, since a browser cannot send them cross-site without CORS, which the console
never grants.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from console.respond import render, wants_json
from console.settings import ConsoleSettings
from console.users import CLERK, User, authenticate, load_users

router = APIRouter()


class NotLoggedIn(Exception):
    """No valid session: the handler redirects a page to the login form, or answers 401 to the API."""


class Forbidden(Exception):
    """The user's role may not do this (403)."""


def settings_of(request: Request) -> ConsoleSettings:
    """The running app's settings."""
    settings: ConsoleSettings = request.app.state.settings
    return settings


def current_user(request: Request) -> User:
    """The logged-in user (a FastAPI dependency of every page).

    Raises:
        NotLoggedIn: no session, or its user is no longer in the users file.
    """
    name = str(request.session.get("user") or "")
    entry = load_users(settings_of(request).users_file).get(name) if name else None
    if entry is None:
        request.session.clear()
        raise NotLoggedIn()
    user = User(name, entry["role"])
    request.state.user = user
    return user


def clerk(request: Request) -> User:
    """The logged-in user, who must be a clerk (deciding pairs and correcting cases).

    Raises:
        Forbidden: an auditor.
    """
    user = current_user(request)
    if not user.may_correct:
        raise Forbidden(f"{user.name} is an {user.role}: only a {CLERK} may change the pool")
    return user


def check_csrf(request: Request, token: str | None) -> None:
    """Refuse an HTML form post without the session's CSRF token (JSON posts carry none).

    Raises:
        Forbidden: the token is missing or wrong.
    """
    if wants_json(request) and "application/json" in request.headers.get("content-type", ""):
        return
    expected = request.session.get("csrf")
    if not expected or not token or not secrets.compare_digest(expected, token):
        raise Forbidden("the form's session token is missing or stale: reload the page and try again")


def on_not_logged_in(request: Request, _exc: Exception) -> Response:
    """401 for the API, else a redirect to the login form that comes back here afterwards."""
    if wants_json(request):
        return JSONResponse({"detail": "not logged in"}, status_code=401)
    return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)


def on_forbidden(request: Request, exc: Exception) -> Response:
    """403, as JSON or as a page."""
    return render(request, "error.html", {"title": "Not allowed", "detail": str(exc)}, status_code=403)


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    """The login form."""
    return render(request, "login.html", {"title": "Log in", "next": _local(next), "error": None})


@router.post("/login")
async def login(request: Request) -> Response:
    """Check the name and password; start a session (form fields or a JSON body)."""
    data: dict[str, Any] = (
        await request.json()
        if "application/json" in request.headers.get("content-type", "")
        else dict(await request.form())
    )
    name, password = str(data.get("username", "")), str(data.get("password", ""))
    user = authenticate(settings_of(request).users_file, name, password)
    target = _local(str(data.get("next") or "/"))
    if user is None:
        context = {"title": "Log in", "next": target, "error": "Unknown user or wrong password."}
        return render(request, "login.html", context, status_code=401)
    request.session.clear()
    request.session.update({"user": user.name, "csrf": secrets.token_urlsafe(24)})
    if wants_json(request):
        return JSONResponse({"user": user.name, "role": user.role, "csrf": request.session["csrf"]})
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: str | None = Form(None)) -> Response:
    """End the session."""
    if request.session.get("user"):
        check_csrf(request, csrf)
    request.session.clear()
    if wants_json(request):
        return JSONResponse({"logged_out": True})
    return RedirectResponse("/login", status_code=303)


def _local(target: str) -> str:
    """Only a path on this site (never ``//elsewhere`` or a URL): no open redirect after login."""
    return target if target.startswith("/") and not target.startswith("//") else "/"
