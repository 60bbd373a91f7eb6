"""The 三色三单 lists and one alert's history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from console.auth import current_user
from console.lists import alert_history, alert_lists
from console.pages._deps import engine_of
from console.respond import render
from console.users import User

router = APIRouter()


@router.get("/lists")
def lists(
    request: Request,
    _user: Annotated[User, Depends(current_user)],
    status: str = "open",
    district: str | None = None,
) -> Response:
    """督办单, 预警单 and 提示单 with each alert's 第N期 and evidence."""
    status = status if status in ("open", "closed", "all") else "open"
    found = alert_lists(engine_of(request), status, district or None)
    return render(
        request, "lists.html", {"title": "三色三单", "status": status, "district": district, "lists": found}
    )


@router.get("/lists/alerts/{alert_id}")
def alert(request: Request, alert_id: int, _user: Annotated[User, Depends(current_user)]) -> Response:
    """Every change of one alert (issued, escalated, closed …) with its evidence at the time."""
    events = alert_history(engine_of(request), alert_id)
    return render(
        request, "alert.html", {"title": f"Alert {alert_id}", "alert_id": alert_id, "events": events}
    )
