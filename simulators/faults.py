"""Deterministic fault injection for the simulator server: a plan of rules, each firing on chosen requests.

A plan is a JSON list of rules (or ``{"faults": [...]}``), given to :class:`~.server.SimulatorServer`,
to ``serve --faults`` or posted to the running server's ``/__faults``. A rule fires on the
``at``-th request (1-based) to its endpoint that matches it, and on the ``times - 1`` matching requests
after that; with ``page`` set, only requests for that page match ("on page P, K times"). Kinds:

- ``429``: answer 429 Too Many Requests with ``Retry-After: <retry_after>`` seconds;
- ``500``: answer 500 Internal Server Error;
- ``slow``: wait ``delay`` seconds before answering (past the client's timeout);
- ``malformed``: answer 200 with the body cut in half (not JSON);
- ``repeat_page``: answer with the previous page served on the endpoint again (a stale page);
- ``change_record``: answer normally, then change the ``item``-th row of that page: ``set`` overrides
  fields; by default a hotline work order is closed and its update time moves to one second before
  the request's ``updated_to`` (so it stays in the window, at the end), an app request is closed.

Page faults (what a broken or hostile paging server sends; the stored rows are not changed):

- ``stale_page``: answer with the page that starts ``shift`` rows before the one asked for;
- ``edit_item``: the ``item``-th element of the page (negative counts from the end) with ``set``
  overriding fields and the fields in ``unset`` left out (``unset: ["requested_datetime"]``);
- ``insert_item``: ``value`` (``null``, ``42``, any JSON) inserted into the page's array before
  position ``item`` (as ``list.insert``);
- ``page_size``: the hotline's ``data.page_size`` replaced by ``value`` (``"abc"``, ``1.5``, ``-1``).

A page fault's page is what a later ``repeat_page`` repeats; with ``times`` large, ``repeat_page``
is a server that keeps repeating.

``GET /__faults`` returns the plan with how often each rule fired and a log of every page request.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from simulators.stores import Store

KINDS = ("429", "500", "slow", "malformed", "repeat_page", "change_record")
PAGE_KINDS = ("stale_page", "edit_item", "insert_item", "page_size")
ENDPOINTS = ("hotline", "app")


class FaultPlanError(ValueError):
    """A fault plan that cannot be followed."""


@dataclass
class FaultRule:
    """One fault and the requests it fires on (see the module docstring)."""

    fault: str
    endpoint: str = "hotline"
    at: int = 1
    times: int = 1
    page: int | None = None
    retry_after: float = 1.0
    delay: float = 5.0
    item: int = 0
    set: dict[str, Any] = field(default_factory=dict)
    unset: list[str] = field(default_factory=list)
    value: Any = None
    shift: int = 1
    seen: int = 0
    fired: int = 0

    def __post_init__(self) -> None:
        self.fault = str(self.fault)
        if self.fault not in KINDS + PAGE_KINDS:
            raise FaultPlanError(f"unknown fault {self.fault!r}; known: {', '.join(KINDS + PAGE_KINDS)}")
        if self.endpoint not in ENDPOINTS:
            raise FaultPlanError(f"unknown endpoint {self.endpoint!r}; known: {', '.join(ENDPOINTS)}")
        if self.at < 1 or self.times < 1 or self.shift < 1:
            raise FaultPlanError("at, times and shift must be >= 1")
        if not isinstance(self.set, dict) or not isinstance(self.unset, list):
            raise FaultPlanError("set is an object of fields, unset a list of field names")

    def matches(self, endpoint: str, page: int) -> bool:
        """Count the request if it is one this rule watches; whether the rule fires on it."""
        if endpoint != self.endpoint or (self.page is not None and page != self.page):
            return False
        self.seen += 1
        return self.at <= self.seen < self.at + self.times


class FaultPlan:
    """The rules in force and a log of the page requests they watched; safe to share between threads."""

    def __init__(self, rules: Any = None) -> None:
        self._lock = threading.Lock()
        self.rules: list[FaultRule] = []
        self.log: list[dict[str, Any]] = []
        self.last_body: dict[str, str] = {}
        self.set(rules)

    def set(self, rules: Any) -> None:
        """Replace the plan (and forget counters and log); ``None`` or ``[]`` clears it.

        Raises:
            FaultPlanError: if a rule is malformed (the plan in force is kept).
        """
        if isinstance(rules, dict):
            rules = rules.get("faults", [])
        if not isinstance(rules, list | type(None)):
            raise FaultPlanError('a fault plan is a list of rules or {"faults": [...]}')
        try:
            parsed = [
                FaultRule(**{k: v for k, v in rule.items() if k not in ("seen", "fired")})
                for rule in rules or []
            ]
        except (TypeError, AttributeError) as exc:
            raise FaultPlanError(f"bad fault rule: {exc}") from exc
        with self._lock:
            self.rules, self.log = parsed, []

    def pick(self, endpoint: str, page: int, query: dict[str, str]) -> FaultRule | None:
        """The rule firing on this page request (the first, if several do), logging the request."""
        with self._lock:
            firing = [rule for rule in self.rules if rule.matches(endpoint, page)]
            chosen = firing[0] if firing else None
            if chosen is not None:
                chosen.fired += 1
            self.log.append(
                {
                    "n": len(self.log) + 1,
                    "endpoint": endpoint,
                    "page": page,
                    "t": time.monotonic(),
                    "fault": chosen.fault if chosen else None,
                    "query": {k: v for k, v in query.items() if k != "api_key"},
                }
            )
            return chosen

    def answer(
        self, endpoint: str, page: int, query: dict[str, str], build: Callable[[int], str]
    ) -> tuple[int, str, dict[str, str], FaultRule | None]:
        """The response to a page request as the plan has it: ``(status, body, headers, rule)``.

        ``build(shift)`` makes the page's true body (``shift`` rows earlier for a stale page); ``rule`` is
        a ``change_record`` rule the server applies once the page is sent (``None`` otherwise).
        """
        rule = self.pick(endpoint, page, query)
        kind = rule.fault if rule is not None else None
        if rule is not None and kind in ("429", "500"):
            headers = {"Retry-After": f"{rule.retry_after:g}"} if kind == "429" else {}
            return int(kind), json.dumps({"code": int(kind), "message": "injected fault"}), headers, None
        if rule is not None and kind == "slow":
            time.sleep(rule.delay)
        text = self.last_body.get(endpoint) if kind == "repeat_page" else None
        if text is None:
            text = build(rule.shift if rule is not None and kind == "stale_page" else 0)
            if rule is not None and kind in PAGE_KINDS:
                text = _edited(text, rule)
            self.last_body[endpoint] = text
        if kind == "malformed":
            text = text[: len(text) // 2]
        return 200, text, {}, rule if kind == "change_record" else None

    def as_json(self) -> str:
        """The plan, its counters and the request log."""
        with self._lock:
            return json.dumps(
                {"faults": [asdict(rule) for rule in self.rules], "log": self.log}, ensure_ascii=False
            )


def _edited(text: str, rule: FaultRule) -> str:
    """The page ``text`` with an ``edit_item``, ``insert_item`` or ``page_size`` fault applied."""
    body = json.loads(text)
    items = body if isinstance(body, list) else body["data"]["items"]
    if rule.fault == "page_size" and isinstance(body, dict):
        body["data"]["page_size"] = rule.value
    elif rule.fault == "insert_item":
        items.insert(rule.item, rule.value)
    elif rule.fault == "edit_item" and -len(items) <= rule.item < len(items):
        target = items[rule.item]
        target.update(rule.set)
        for name in rule.unset:
            target.pop(name, None)
    return json.dumps(body, ensure_ascii=False)


def change_row(
    store: Store,
    index: int,
    changes: dict[str, Any],
    key_field: str,
    id_field: str,
    convert: Callable[[Any], Any],
) -> None:
    """Apply a ``change_record`` fault: overwrite fields of one stored row and re-sort it under its new key."""
    row = json.loads(store.text(index))
    row.update(changes)
    store.replace(index, row, convert(row.get(key_field)), id_field)
