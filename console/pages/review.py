"""The review queue and a pair's or case's review page; deciding a pair (clerks)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from console.auth import clerk, current_user
from console.pages._deps import engine_of
from console.pages._forms import submitted, text
from console.respond import render, wants_json
from console.users import User

router = APIRouter()
PAGE = 50


def review_role(user: User) -> str:
    """What the review functions show a console user: the reader views' masking for every role."""
    return "auditor" if user.role == "auditor" else "reader"


@router.get("/queue")
def queue(
    request: Request, user: Annotated[User, Depends(current_user)], kind: str | None = None, offset: int = 0
) -> Response:
    """Pairs between the review and merge thresholds and suspect cases, what most changes the pool first."""
    from warehouse.review import review_queue

    kind = kind if kind in ("pair", "case") else None
    found = review_queue(
        engine_of(request), role=review_role(user), limit=PAGE, offset=max(0, offset), kind=kind
    )
    return render(
        request,
        "queue.html",
        {"title": "Review queue", "kind": kind, "offset": max(0, offset), "page": PAGE, **found},
    )


@router.get("/queue/item")
def item(request: Request, user: Annotated[User, Depends(current_user)], id: str) -> Response:
    """One pair side by side (comparison levels, weight, earlier verdict) or one suspect case."""
    from warehouse.review import review_item

    shown = review_item(engine_of(request), id, role=review_role(user))
    return render(request, "item.html", {"title": id, "item": shown})


@router.post("/queue/decide")
async def decide(request: Request, user: Annotated[User, Depends(clerk)]) -> Response:
    """Record a verdict on a pair (``same`` on two open cases merges them, in the same transaction)."""
    from warehouse.review import decide as record

    fields = await submitted(request)
    left, right, verdict = text(fields, "left"), text(fields, "right"), text(fields, "verdict")
    result = record(engine_of(request), left, right, verdict, user.name, text(fields, "reason") or None)
    if wants_json(request):
        return JSONResponse(jsonable(result))
    back = text(fields, "next") or "/queue"
    note = f"{verdict}: {left} · {right}" + (
        f" (cases merged into {result['merge']['case_id']})" if result.get("merge") else ""
    )
    return RedirectResponse(
        _local(back) + ("&" if "?" in back else "?") + "done=" + quote(note), status_code=303
    )


def jsonable(value: object) -> object:
    """``value`` as JSON-ready data."""
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(value)


def _local(target: str) -> str:
    return target if target.startswith("/") and not target.startswith("//") else "/queue"
