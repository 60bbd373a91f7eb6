"""Time-limit policies per channel and case type (``alerting/config/policies.yaml``), validated on load.

A policy is a channel's legal clock: its steps, each with a start, a limit (elapsed minutes or hours,
calendar days or working days, or one per case type), a warning span, what shows it done, and the handling
events that pause, extend or restart it. :mod:`alerting.policy_clocks` evaluates them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from connectors.events import EVENT_TYPES

POLICIES = Path(__file__).with_name("config") / "policies.yaml"
CASE_TIMES = ("received_at", "contacted_at", "dispatched_at", "resolved_at", "followed_up_at")
# The handling events the clocks understand: the canonical record's vocabulary (connectors.events), with a
# petition's review request and decision split by their stage: 复查 stays review_*, 复核 is recheck_*.
EVENTS = (*EVENT_TYPES, "recheck_requested", "recheck_decided")
LIMIT_UNITS = ("minutes", "hours", "calendar_days", "working_days")
SOON_UNITS = ("minutes", "hours", "days")
EXTENSION_UNITS = ("hours", "calendar_days", "working_days")
DEFAULT_TYPE = "default"


@dataclass(frozen=True)
class Limit:
    """An amount of a unit: a limit, a warning span or an extension cap."""

    amount: int
    unit: str

    @classmethod
    def parse(cls, raw: Any, units: tuple[str, ...], where: str) -> Limit:
        if not isinstance(raw, dict) or len(raw) != 1 or next(iter(raw)) not in units:
            raise ValueError(f"{where}: give exactly one of {units}, got {raw!r}")
        unit, amount = next(iter(raw.items()))
        if not isinstance(amount, int) or amount < 1:
            raise ValueError(f"{where}: {unit} must be a positive whole number, got {amount!r}")
        return cls(amount, unit)


@dataclass(frozen=True)
class Extension:
    """Approved extensions: which events grant them, how many count, and the most one may add."""

    on: tuple[str, ...]
    max_times: int
    cap: Limit


@dataclass(frozen=True)
class PolicyStep:
    """One step of a policy."""

    step: str
    starts: str
    limits: tuple[tuple[str, Limit], ...]  # (case type, limit); DEFAULT_TYPE for every other type
    due_soon: Limit
    done_by: tuple[str, ...]
    pause_on: tuple[str, ...] = ()
    resume_on: tuple[str, ...] = ()
    extension: Extension | None = None
    restarts_on: tuple[str, ...] = ()

    def limit_for(self, case_type: str) -> Limit:
        found = dict(self.limits)
        return found.get(case_type, found[DEFAULT_TYPE])


@dataclass(frozen=True)
class Policy:
    """A channel's clock: its id, the channels it covers and its steps."""

    id: str
    channels: tuple[str, ...]
    steps: tuple[PolicyStep, ...]


@dataclass(frozen=True)
class PolicySet:
    """Every policy, the case types and the default policy; loading fails on any typo."""

    policies: tuple[Policy, ...]
    case_types: dict[str, str]  # unified category -> case type
    default: str
    horizon_days: int

    def policy_of(self, channel: str) -> Policy:
        """The policy that covers ``channel`` (the default one when none names it)."""
        for policy in self.policies:
            if channel in policy.channels:
                return policy
        return next(p for p in self.policies if p.id == self.default)

    @property
    def step_names(self) -> tuple[str, ...]:
        """Every step name, in the order they first appear."""
        names: dict[str, None] = {}
        for policy in self.policies:
            for step in policy.steps:
                names.setdefault(step.step)
        return tuple(names)

    @classmethod
    def load(cls, path: Path | None = None) -> PolicySet:
        """Read and validate the policy file (default: the shipped one)."""
        where = Path(path or POLICIES)
        raw = yaml.safe_load(where.read_text(encoding="utf-8")) or {}
        case_types: dict[str, str] = {}
        for kind, categories in (raw.get("case_types") or {}).items():
            if kind == DEFAULT_TYPE:
                raise ValueError(f"{where}: `{DEFAULT_TYPE}` is every category not listed; do not list it")
            for category in categories or ():
                if category in case_types:
                    raise ValueError(f"{where}: category {category} has two case types")
                case_types[category] = str(kind)
        policies: list[Policy] = []
        channels_seen: set[str] = set()
        for item in raw.get("policies") or ():
            pid = item["id"]
            if any(p.id == pid for p in policies):
                raise ValueError(f"{where}: policy {pid} defined twice")
            channels = tuple(item.get("channels") or ())
            if twice := channels_seen & set(channels):
                raise ValueError(f"{where}: channel(s) {sorted(twice)} in more than one policy")
            channels_seen |= set(channels)
            steps = [_step(s, set(case_types.values()), f"{where}: policy {pid}") for s in item["steps"]]
            if len({s.step for s in steps}) != len(steps):
                raise ValueError(f"{where}: policy {pid} names a step twice")
            policies.append(Policy(pid, channels, tuple(steps)))
        default = raw.get("default")
        if not any(p.id == default for p in policies):
            raise ValueError(f"{where}: default must name a policy, got {default!r}")
        return cls(tuple(policies), case_types, str(default), int(raw.get("horizon_days", 120)))


def _names(raw: Any, where: str, times: bool = True) -> tuple[str, ...]:
    names = tuple(raw or ())
    allowed = EVENTS + (CASE_TIMES if times else ())
    if unknown := [n for n in names if n not in allowed]:
        raise ValueError(f"{where}: unknown event or time {unknown}; use {allowed}")
    return names


def _step(raw: dict[str, Any], types: set[str], where: str) -> PolicyStep:
    name = raw["step"]
    where = f"{where} step {name}"
    if unknown := set(raw) - {
        "step",
        "starts",
        "limit",
        "due_soon",
        "done_by",
        "pause",
        "extension",
        "restarts_on",
    }:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}")
    (starts,) = _names([raw["starts"]], f"{where} starts")
    limit_raw = raw["limit"]
    if isinstance(limit_raw, dict) and "by_type" in limit_raw:
        by_type = limit_raw["by_type"]
        if DEFAULT_TYPE not in by_type:
            raise ValueError(f"{where}: by_type needs a `{DEFAULT_TYPE}` limit")
        if unknown_types := set(by_type) - types - {DEFAULT_TYPE}:
            raise ValueError(f"{where}: unknown case type(s) {sorted(unknown_types)}")
        limits = tuple((t, Limit.parse(v, LIMIT_UNITS, f"{where} {t}")) for t, v in by_type.items())
    else:
        limits = ((DEFAULT_TYPE, Limit.parse(limit_raw, LIMIT_UNITS, where)),)
    soon = Limit.parse(raw["due_soon"], SOON_UNITS, f"{where} due_soon")
    done_by = _names(raw["done_by"], f"{where} done_by")
    if not done_by:
        raise ValueError(f"{where}: done_by is empty: the step could never be done")
    pause = raw.get("pause") or {}
    if unknown := set(pause) - {"stops_on", "resumes_on"}:
        raise ValueError(f"{where}: pause takes stops_on and resumes_on, not {sorted(map(str, unknown))}")
    pause_on, resume_on = (
        _names(pause.get("stops_on"), where, False),
        _names(pause.get("resumes_on"), where, False),
    )
    if bool(pause_on) != bool(resume_on):
        raise ValueError(f"{where}: a pause needs both `stops_on` and `resumes_on` events")
    extension = None
    if ext := raw.get("extension"):
        extension = Extension(
            _names(ext["granted_by"], f"{where} extension", False),
            int(ext.get("max_times", 1)),
            Limit.parse(ext["cap"], EXTENSION_UNITS, f"{where} extension cap"),
        )
    return PolicyStep(
        name,
        starts,
        limits,
        soon,
        done_by,
        pause_on,
        resume_on,
        extension,
        _names(raw.get("restarts_on"), f"{where} restarts_on", False),
    )
