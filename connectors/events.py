"""Handling events: what happened to a complaint after it was reported, as the source's system recorded it.

The vocabulary is closed (:data:`EVENT_TYPES`): every source's own node names (派单, 签收, 退单, 延期申请,
催办, 办结, 回访, 受理, 不予受理, 复查 …) are mapped onto it by the source's connector, so that a 12345
reminder and a petition's acceptance land in one stream per case (``v_case_event``). A connector maps a
raw event list with :func:`read_events`; validation (``expectations.custom.events``) judges the result:
an unknown type, a missing or unreadable time, a time before the report, an unknown level or a bad
satisfaction quarantine the record with the reason, never a crash.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

EVENT_TYPES: dict[str, str] = {
    "registered": "登记",  # a petition registered by the 信访 office; a hotline call taken
    "contacted": "联系群众",  # the handling unit first reached the citizen (the 30-minute contact clock)
    "dispatched": "派单",  # 交办 / 转办 to a handling unit
    "acknowledged": "签收",  # the unit signed for the order
    "sent_back": "退单",  # 回退: "not ours"; reason says why
    "redispatched": "重新派单",  # after a send-back, to another unit
    "extension_requested": "延期申请",  # days: how many more days were asked for
    "extension_approved": "延期批准",  # days: how many were granted
    "extension_denied": "延期驳回",
    "reminded": "催办",  # a reminder once a limit has passed
    "accepted": "受理",  # petition: accepted (decision due within 15 days of registration)
    "not_accepted": "不予受理",  # petition: not accepted; reason says why
    "arrived": "到场",  # police: officers on the scene
    "transferred": "移交",  # police (or any unit) handing over to another body; detail.to names it
    "replied": "答复",  # a written reply to the citizen (petition 答复意见书, netizen board reply)
    "closed": "办结",
    "followed_up": "回访",  # satisfaction / score: the citizen's rating
    "reopened": "重办",  # sent back for handling again, after a bad rating or a review
    "review_requested": "复查复核申请",  # petition 复查 or 复核; detail.stage names which
    "review_decided": "复查复核意见",  # detail.stage, detail.outcome (upheld / changed)
}
"""Event type -> its usual Chinese name. Add, never rename: the warehouse stores the type as text."""

LEVELS: dict[str, str] = {
    "city": "市级",
    "district": "区县",
    "street": "街道乡镇",
    "community": "社区村",
    "grid": "网格",
}
"""The four-level loop (市 → 区县 → 街道乡镇 → 社区村) down to the grid: where the acting unit sits."""

SATISFACTION: dict[str, str] = {
    "satisfied": "满意",
    "basically_satisfied": "基本满意",
    "dissatisfied": "不满意",
}
"""The follow-up's verdict as stored (Chinese, as every 12345 platform records it)."""

SATISFACTION_SCORE = range(1, 6)
"""A 1–5 score where a system asks for stars; 4–5 count as 满意, 3 as 基本满意, 1–2 as 不满意."""

REVIEW_STAGES = ("复查", "复核")

_LEVEL_NAMES = {name: code for code, name in LEVELS.items()} | {
    "市": "city",
    "市级": "city",
    "区": "district",
    "县": "district",
    "区级": "district",
    "街道": "street",
    "乡镇": "street",
    "社区": "community",
    "村": "community",
}
_SATISFACTION_NAMES = {"满意": "满意", "基本满意": "基本满意", "不满意": "不满意", "非常满意": "满意"}


@dataclass(frozen=True)
class HandlingEvent:
    """One handling event on a source record.

    ``type`` is one of :data:`EVENT_TYPES` once validated (a source's unknown node name is kept as sent,
    prefixed ``?``, for validation to name); ``at`` is aware (Asia/Shanghai), ``None`` when the source's
    time was missing or unreadable (validation quarantines the record); ``detail`` holds whatever else
    the source said (``to`` for a transfer, ``stage``/``outcome`` for a review, ``note``).
    """

    type: str
    at: datetime | None
    actor: str | None = None
    unit: str | None = None
    level: str | None = None
    reason: str | None = None
    days: int | None = None
    satisfaction: str | None = None
    score: int | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
    raw_at: str | None = None  # the source's text when ``at`` could not be read (for the reason)

    def as_row(self) -> dict[str, Any]:
        """The event as a plain dict (``at`` kept as a datetime; ``raw_at`` only when set)."""
        row = {
            "type": self.type,
            "at": self.at,
            "actor": self.actor,
            "unit": self.unit,
            "level": self.level,
            "reason": self.reason,
            "days": self.days,
            "satisfaction": self.satisfaction,
            "score": self.score,
            "detail": dict(self.detail),
        }
        return row | ({"raw_at": self.raw_at} if self.raw_at is not None else {})


@dataclass(frozen=True)
class EventMap:
    """How one source writes its events: the raw list's column, each event's keys, and its node names.

    ``keys`` maps the canonical event field (``type``, ``at``, ``actor``, ``unit``, ``level``,
    ``reason``, ``days``, ``satisfaction``, ``score``) to the source's key; any other key of a raw event
    goes to ``detail`` (renamed by ``detail_keys`` where given). ``types`` maps the source's node names
    to :data:`EVENT_TYPES`; a canonical type name is accepted as itself.
    """

    column: str
    keys: Mapping[str, str]
    types: Mapping[str, str]
    detail_keys: Mapping[str, str] = field(default_factory=dict)


def event_times(events: Sequence[HandlingEvent]) -> dict[str, datetime]:
    """The canonical record's handling times as its events tell them, for a source without those columns.

    ``received_at`` is the registration, ``contacted_at`` the first contact with the citizen,
    ``dispatched_at`` the first dispatch, ``resolved_at`` the closing (or, without one, the reply) when
    nothing reopened the case after it, ``followed_up_at`` the first follow-up. A time the events do not
    tell is left out.
    """
    first: dict[str, datetime] = {}
    for event in events:
        if event.at is not None:
            first.setdefault(event.type, event.at)
    times = {
        field: first[kind]
        for field, kind in (
            ("received_at", "registered"),
            ("contacted_at", "contacted"),
            ("dispatched_at", "dispatched"),
            ("followed_up_at", "followed_up"),
        )
        if kind in first
    }
    ends = [e for e in events if e.at is not None and e.type in ("closed", "replied", "reopened")]
    if ends and ends[-1].type != "reopened":
        resolved = ([e for e in ends if e.type == "closed"] or ends)[-1].at
        if resolved is not None:
            times["resolved_at"] = resolved
    return times


def satisfaction_of(verdict: Any, score: Any) -> tuple[str | None, int | None, str | None]:
    """``(satisfaction, score, problem)`` from a source's verdict text and/or 1–5 score.

    A score alone gives the verdict (4–5 满意, 3 基本满意, 1–2 不满意); a verdict not in
    :data:`SATISFACTION` or a score outside 1–5 is a problem for validation to report.
    """
    problem = None
    number: int | None = None
    if score is not None and score != "":
        try:
            number = int(str(score).strip())
        except ValueError:
            problem = f"satisfaction score {score!r} is not a number"
        else:
            if number not in SATISFACTION_SCORE:
                problem, number = f"satisfaction score {number} is not 1-5", None
    text = _text(verdict)
    if text is not None:
        known = _SATISFACTION_NAMES.get(text)
        if known is None:
            return None, number, f"satisfaction {text!r} is not one of 满意/基本满意/不满意"
        return known, number, problem
    if number is not None:
        return ("满意" if number >= 4 else "基本满意" if number == 3 else "不满意"), number, problem
    return None, None, problem


def read_events(
    raw_events: Any, event_map: EventMap, parse: Callable[[Any], datetime | None], *, where: str = "events"
) -> tuple[tuple[HandlingEvent, ...], list[str]]:
    """Map a source's raw event list onto :class:`HandlingEvent`, keeping everything for validation.

    Args:
        raw_events: the raw column's value: a list of objects, or that list as JSON text (``None``, missing
            or empty: no events).
        event_map: the source's :class:`EventMap`.
        parse: the time parser (``connectors.base.parse_time`` with the source's formats).
        where: the column's name, for problems.

    Returns:
        The events in time order (unreadable times last, in source order), and the structural problems
        (not a list, an item that is not an object) that validation turns into quarantine reasons.
    """
    if raw_events is None or (isinstance(raw_events, str) and not raw_events.strip()):
        return (), []
    if isinstance(raw_events, str):  # a JSON array in a text column (a database field, a CSV cell)
        try:
            raw_events = json.loads(raw_events)
        except json.JSONDecodeError as exc:
            return (), [f"{where} is not valid JSON ({exc.msg} at character {exc.pos})"]
    if not isinstance(raw_events, Sequence) or isinstance(raw_events, str | bytes):
        return (), [f"{where} is a {type(raw_events).__name__}, not a list"]
    events: list[HandlingEvent] = []
    problems: list[str] = []
    keys, known = event_map.keys, set(event_map.keys.values())
    for n, item in enumerate(raw_events, start=1):
        if not isinstance(item, Mapping):
            problems.append(f"{where}[{n}] is a {type(item).__name__}, not an object")
            continue
        node = _text(item.get(keys.get("type", "type")))
        kind = event_map.types.get(node or "") or (node if node in EVENT_TYPES else f"?{node}")
        raw_at = item.get(keys.get("at", "at"))
        at = parse(raw_at)
        satisfaction, score, why = satisfaction_of(
            item.get(keys.get("satisfaction", "")), item.get(keys.get("score", ""))
        )
        raw_days = item.get(keys.get("days", ""))
        days = _int(raw_days)
        level = _text(item.get(keys.get("level", "")))
        detail = {
            event_map.detail_keys.get(k, k): v
            for k, v in item.items()
            if k not in known and v is not None and v != ""
        }
        if raw_days not in (None, "") and (days is None or days < 0):
            why = f"days {raw_days!r} is not a whole number of days"
        if why:
            detail["problem"] = why
        events.append(
            HandlingEvent(
                type=kind,
                at=at,
                actor=_text(item.get(keys.get("actor", ""))),
                unit=_text(item.get(keys.get("unit", ""))),
                level=_LEVEL_NAMES.get(level or "", level),
                reason=_text(item.get(keys.get("reason", ""))),
                days=days,
                satisfaction=satisfaction,
                score=score,
                detail=detail,
                raw_at=None if at is not None or raw_at is None else str(raw_at),
            )
        )
    order = sorted(range(len(events)), key=lambda i: (events[i].at is None, events[i].at or datetime.min, i))
    return tuple(events[i] for i in order), problems


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text or None


def _int(value: Any) -> int | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None
