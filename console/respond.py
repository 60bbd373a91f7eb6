"""One route, two answers: an HTML page (Jinja2, server-rendered) or JSON for other tools.

JSON when the path starts with ``/api/`` (every page is also mounted there) or the request accepts
``application/json`` and not HTML; the JSON is the same data the page's template is given.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
API = "/api"
BEIJING = ZoneInfo("Asia/Shanghai")


def beijing_time(value: object) -> str:
    """A stored time (UTC; naive as SQLite returns it) as Beijing time to the minute; other values as text."""
    if value is None or value == "":
        return ""
    moment = value
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(moment, datetime):
        return str(value)
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")


def agreement(value: object) -> str:
    """A yes/no/unknown comparison (same phone, same name …) as a mark a clerk reads at a glance."""
    if value is None:
        return "— unknown"
    return ("✓ same" if value else "✗ differs") if isinstance(value, bool) else str(value)


TEMPLATES.env.filters["when"] = beijing_time
TEMPLATES.env.filters["agree"] = agreement


def wants_json(request: Request) -> bool:
    """Whether to answer with JSON."""
    if request.url.path == API or request.url.path.startswith(API + "/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def render(request: Request, template: str, data: dict[str, Any], status_code: int = 200) -> Response:
    """``data`` as JSON, or ``template`` rendered with it (plus the user and the session's CSRF token)."""
    if wants_json(request):
        return JSONResponse(jsonable_encoder(data), status_code=status_code)
    context = {
        **data,
        "user": getattr(request.state, "user", None),
        "csrf": request.session.get("csrf", "") if "session" in request.scope else "",
    }
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status_code)
