"""Held batches (auditors): what waits for a decision, its gates, a masked sample, its decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from console.auth import Forbidden, current_user, settings_of
from console.batches import batch_page, held_list
from console.pages._deps import engine_of
from console.respond import render
from console.users import AUDITOR, User

router = APIRouter()


def auditor(user: Annotated[User, Depends(current_user)]) -> User:
    """The logged-in user, who must be an auditor.

    Raises:
        Forbidden: a clerk.
    """
    if user.role != AUDITOR:
        raise Forbidden(f"{user.name} is a {user.role}: batches and audit reports are for auditors")
    return user


@router.get("/batches")
def batches(request: Request, _user: Annotated[User, Depends(auditor)]) -> Response:
    """Held batches first, then decided ones."""
    return render(
        request, "batches.html", {"title": "Held batches", "batches": held_list(engine_of(request))}
    )


@router.get("/batches/{batch_id:path}")
def batch(request: Request, batch_id: str, _user: Annotated[User, Depends(auditor)]) -> Response:
    """One batch's gates, decisions and a masked sample of its held rows; a link to its Airflow approval."""
    try:
        page = batch_page(engine_of(request), batch_id, settings_of(request).airflow_url)
    except KeyError as exc:
        raise HTTPException(404, exc.args[0]) from exc
    return render(request, "batch.html", {"title": batch_id, **page})
