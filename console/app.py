"""The console's FastAPI application: sessions, error pages, the routers (each also under ``/api``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import HTTPException
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from console import auth
from console.pages import batches, cases, corrections, home, lists, reports, review
from console.respond import API, render
from console.settings import ConsoleSettings
from warehouse.review import InvalidInput

SESSION_COOKIE = "hub_console"
SESSION_HOURS = 8  # a working shift


def create_app(settings: ConsoleSettings | None = None) -> FastAPI:
    """The console on ``settings`` (default: :meth:`ConsoleSettings.from_env`).

    Args:
        settings: where the warehouse, users, secret and reports are.

    Returns:
        The ASGI app (``uvicorn`` serves it: ``python -m console serve``).
    """
    settings = settings or ConsoleSettings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from warehouse import make_engine

        app.state.engine = make_engine(settings.database_url)
        try:
            yield
        finally:
            app.state.engine.dispose()

    app = FastAPI(
        title="Complaint hub console", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None
    )
    app.state.settings = settings
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_HOURS * 3600,
        same_site="lax",
        https_only=settings.secure_cookie,
    )
    app.add_exception_handler(auth.NotLoggedIn, auth.on_not_logged_in)
    app.add_exception_handler(auth.Forbidden, auth.on_forbidden)
    app.add_exception_handler(HTTPException, _on_http_error)
    app.mount("/static", StaticFiles(directory=str(Path(__file__).with_name("static"))), name="static")
    app.include_router(auth.router)
    app.include_router(auth.router, prefix=API)
    app.add_exception_handler(InvalidInput, _on_invalid)
    for module in (home, review, cases, corrections, lists, batches, reports):
        app.include_router(module.router)
        app.include_router(module.router, prefix=API)
    app.include_router(reports.files)
    return app


async def _on_invalid(request: Request, exc: Exception) -> Response:
    from warehouse.review import NotFound

    status = 404 if isinstance(exc, NotFound) else 400
    return render(request, "error.html", {"title": "Not done", "detail": str(exc)}, status_code=status)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    context = {"title": f"Error {exc.status_code}", "detail": exc.detail}
    return render(request, "error.html", context, status_code=exc.status_code)
