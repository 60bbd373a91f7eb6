"""One route, two answers: an HTML page (Jinja2, server-rendered) or JSON for other tools.

JSON when the path starts with ``/api/`` (every page is also mounted there) or the request accepts
``application/json`` and not HTML; the JSON is the same data the page's template is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
API = "/api"


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
