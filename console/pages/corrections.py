"""Corrections of the pool by a clerk: split a case, merge two, move a record; each one transaction."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, RedirectResponse, Response

from console.auth import clerk
from console.pages._deps import engine_of
from console.pages._forms import submitted, text
from console.respond import wants_json
from console.users import User

router = APIRouter()


@router.post("/cases/{case_id}/split")
async def split(request: Request, case_id: str, user: Annotated[User, Depends(clerk)]) -> Response:
    """The chosen records leave the case for a new one."""
    from warehouse.review import split_case

    fields = await submitted(request, lists=("record_ids",))
    done = split_case(engine_of(request), case_id, fields["record_ids"], user.name, text(fields, "reason"))
    n = len(done["record_ids"])
    return _answer(request, done, case_id, f"split: {n} record{'s' * (n != 1)} into {done['other_case_id']}")


@router.post("/cases/{case_id}/merge")
async def merge(request: Request, case_id: str, user: Annotated[User, Depends(clerk)]) -> Response:
    """Two cases become one (the older id survives)."""
    from warehouse.review import merge_cases

    fields = await submitted(request)
    other = text(fields, "other_case_id")
    done = merge_cases(engine_of(request), case_id, other, user.name, text(fields, "reason"))
    return _answer(request, done, done["case_id"], f"merged {done['other_case_id']} into {done['case_id']}")


@router.post("/records/move")
async def move(request: Request, user: Annotated[User, Depends(clerk)]) -> Response:
    """One record leaves its case for another."""
    from warehouse.review import move_record

    fields = await submitted(request)
    record_id, target = text(fields, "record_id"), text(fields, "to_case_id")
    done = move_record(engine_of(request), record_id, target, user.name, text(fields, "reason"))
    return _answer(request, done, done["case_id"], f"moved {record_id} to {target}")


@router.post("/cases/{case_id}/confirm")
async def confirm(request: Request, case_id: str, user: Annotated[User, Depends(clerk)]) -> Response:
    """A suspect case is right as it is: off the queue until it changes."""
    from warehouse.review import confirm_case

    fields = await submitted(request)
    done = confirm_case(engine_of(request), case_id, user.name, text(fields, "reason"))
    return _answer(request, done, case_id, "confirmed as it is")


def _answer(request: Request, done: dict[str, Any], case_id: str, note: str) -> Response:
    if wants_json(request):
        return JSONResponse(jsonable_encoder(done))
    return RedirectResponse(f"/cases/{quote(case_id)}?done={quote(note)}", status_code=303)
