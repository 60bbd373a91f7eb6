"""The bulletins (both roles) and the auditor reports (auditors) the hub writes, listed and served."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, Response

from console.auth import current_user, settings_of
from console.pages.batches import auditor
from console.reports import listing, resolve
from console.respond import render
from console.users import AUDITOR, User

router = APIRouter()
files = APIRouter()  # the pages themselves: not under /api


@router.get("/reports")
def reports(request: Request, user: Annotated[User, Depends(current_user)]) -> Response:
    """Every bulletin, and for auditors every audit report, newest first."""
    settings = settings_of(request)
    audit = listing(settings.reports_dir, "audit-*.html") if user.role == AUDITOR else []
    return render(
        request,
        "reports.html",
        {
            "title": "Bulletins and reports",
            "bulletins": listing(settings.bulletins_dir, "**/*.html"),
            "audit": audit,
        },
    )


@files.get("/reports/bulletins/{path:path}")
def bulletin(request: Request, path: str, _user: Annotated[User, Depends(current_user)]) -> Response:
    """One bulletin page."""
    try:
        return FileResponse(resolve(settings_of(request).bulletins_dir, path))
    except FileNotFoundError as exc:
        raise HTTPException(404, f"no bulletin {path}") from exc


@files.get("/reports/audit/{path:path}")
def audit_report(request: Request, path: str, _user: Annotated[User, Depends(auditor)]) -> Response:
    """One auditor report (or a Data Docs page beside it)."""
    try:
        return FileResponse(resolve(settings_of(request).reports_dir, path))
    except FileNotFoundError as exc:
        raise HTTPException(404, f"no report {path}") from exc
