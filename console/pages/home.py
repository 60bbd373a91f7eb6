"""The start page: what waits (review items, held batches, open alerts per list) and a case search."""

from __future__ import annotations

from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from console.auth import current_user
from console.pages._deps import engine_of
from console.respond import render
from console.users import User

router = APIRouter()


@router.get("/")
def home(request: Request, user: Annotated[User, Depends(current_user)]) -> Response:
    """Counts of what waits, with links."""
    with engine_of(request).connect() as conn:
        held = conn.execute(sa.text("SELECT count(*) FROM v_audit_batch WHERE status = 'held'")).scalar_one()
        lists: dict[str, int] = dict(
            conn.execute(
                sa.text("SELECT list_name, count(*) FROM v_alert WHERE status = 'open' GROUP BY list_name")
            ).all()
        )
        cases = conn.execute(sa.text("SELECT count(*) FROM v_case WHERE status = 'open'")).scalar_one()
    from console.pages.review import review_role
    from warehouse.review import review_queue

    waiting = review_queue(engine_of(request), role=review_role(user), limit=1)["total"]
    return render(
        request,
        "home.html",
        {
            "title": "Console",
            "queue_size": waiting,
            "open_cases": cases,
            "held_batches": held,
            "open_alerts": lists,
            "role": user.role,
        },
    )
