"""Case search and the case page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from console.auth import current_user
from console.cases import case_page, find_cases
from console.pages._deps import engine_of
from console.respond import render
from console.users import User

router = APIRouter()


@router.get("/cases")
def search(request: Request, _user: Annotated[User, Depends(current_user)], q: str = "") -> Response:
    """Cases matching a case id, record id, topic or words of the description."""
    found = find_cases(engine_of(request), q) if q.strip() else []
    return render(request, "cases.html", {"title": "Cases", "q": q, "cases": found})


@router.get("/cases/{case_id}")
def case(request: Request, case_id: str, _user: Annotated[User, Depends(current_user)]) -> Response:
    """One case: golden record with provenance, members with masked payloads, history, evidence, alerts."""
    try:
        page = case_page(engine_of(request), case_id)
    except KeyError as exc:
        raise HTTPException(404, exc.args[0]) from exc
    return render(request, "case.html", {"title": page["case"]["case_id"], **page})
