"""Reading what a form or a JSON client sent: the same fields either way, lists included."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from console.auth import check_csrf


async def submitted(request: Request, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """The request's fields (a JSON object, or form fields; ``lists`` name the multi-valued ones).

    An HTML form must carry the session's CSRF token (:func:`console.auth.check_csrf`).
    """
    if "application/json" in request.headers.get("content-type", ""):
        data = await request.json()
        fields: dict[str, Any] = dict(data) if isinstance(data, dict) else {}
    else:
        form = await request.form()
        fields = {k: form.getlist(k) if k in lists else form.get(k) for k in form}
    check_csrf(request, fields.get("csrf"))
    for name in lists:
        value = fields.get(name) or []
        fields[name] = [str(v) for v in ([value] if isinstance(value, str) else value) if str(v).strip()]
    return fields


def text(fields: dict[str, Any], name: str) -> str:
    """One field as stripped text ('' when missing)."""
    return str(fields.get(name) or "").strip()
