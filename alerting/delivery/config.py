"""Delivery settings as data (``alerting/config/delivery.yaml``): channels, addresses per district, retries.

Validated on load, so a typo fails before anything is sent. Values may name environment variables as
``${VAR}`` or ``${VAR:-default}``; they are expanded only when a message goes out (:func:`expand`), and an
address or channel naming an unset variable is off.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CONFIG = Path(__file__).resolve().parents[1] / "config" / "delivery.yaml"
CONFIG_ENV = "HUB_DELIVERY_CONFIG"  # another file (a city's own, a test's)
CONSOLE_ENV = "HUB_CONSOLE_URL"
EVENTS = ("issued", "updated", "escalated", "downgraded", "closed")
STYLES = ("dingtalk", "wecom", "feishu")
_SETTINGS = {
    "webhook": {"type", "style", "secret"},
    "email": {"type", "host", "port", "sender", "user", "password", "starttls", "ssl"},
}
_REQUIRED = {"webhook": ("style",), "email": ("host", "sender")}
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


class Unset(LookupError):
    """A value names an environment variable that is not set and has no default."""


def expand(value: str, env: Mapping[str, str] | None = None) -> str:
    """``value`` with its ``${VAR}`` / ``${VAR:-default}`` references replaced from ``env``.

    Raises:
        Unset: a variable without a default is not set (or empty).
    """
    env = os.environ if env is None else env

    def one(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if env.get(name):
            return env[name]
        if default is None:
            raise Unset(f"${{{name}}} is not set")
        return default

    return VARIABLE.sub(one, value)


def is_set(value: str, env: Mapping[str, str] | None = None) -> bool:
    """Whether every variable ``value`` names is set (or has a default)."""
    try:
        expand(value, env)
    except Unset:
        return False
    return True


@dataclass(frozen=True)
class Retry:
    """Per delivery and run: attempts, the backoff between them, each attempt's timeout; and when to give up."""

    attempts: int = 3
    backoff_seconds: float = 0.5
    max_backoff_seconds: float = 4
    timeout_seconds: float = 5
    give_up_after: int = 24

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.give_up_after < self.attempts:
            raise ValueError(f"retry: attempts >= 1 and give_up_after >= attempts ({self})")
        if min(self.backoff_seconds, self.max_backoff_seconds) < 0 or self.timeout_seconds <= 0:
            raise ValueError(f"retry: backoff must be >= 0 and timeout > 0 ({self})")

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt ``attempt`` (1-based): doubling, capped."""
        return float(min(self.backoff_seconds * 2 ** (attempt - 1), self.max_backoff_seconds))


@dataclass(frozen=True)
class Channel:
    """One way of sending: a webhook of a group-bot style, or an SMTP server; settings unexpanded."""

    name: str
    type: str
    settings: tuple[tuple[str, str], ...]

    def setting(self, key: str, env: Mapping[str, str] | None = None, default: str = "") -> str:
        """The expanded setting ``key`` (``default`` when absent)."""
        raw = dict(self.settings).get(key)
        return default if raw is None else expand(raw, env)

    def is_on(self, env: Mapping[str, str] | None = None) -> bool:
        """Every setting the channel needs names only variables that are set."""
        return all(is_set(value, env) for _, value in self.settings)


@dataclass(frozen=True)
class Target:
    """One address of one channel, and whose it is (``district:城关区``, ``street:城关区/雁南街道``, ``default``)."""

    channel: str
    address: str
    recipient: str


Addresses = tuple[tuple[str, str], ...]  # (channel, address as written)


@dataclass(frozen=True)
class DeliveryConfig:
    """Everything delivery needs; see ``alerting/config/delivery.yaml`` for the meaning of each part."""

    console_url: str = "http://localhost:8091"
    events: tuple[str, ...] = ("issued", "escalated", "downgraded", "closed")
    horizon_hours: float = 48
    retry: Retry = field(default_factory=Retry)
    channels: Mapping[str, Channel] = field(default_factory=dict)
    default: Addresses = ()
    districts: Mapping[str, Addresses] = field(default_factory=dict)
    streets: Mapping[tuple[str, str], Addresses] = field(default_factory=dict)
    engineering: Addresses = ()

    @classmethod
    def load(cls, path: Path | str | None = None) -> DeliveryConfig:
        """Read and validate the file (default: ``HUB_DELIVERY_CONFIG``, else the shipped one)."""
        where = Path(path or os.environ.get(CONFIG_ENV) or CONFIG)
        raw = yaml.safe_load(where.read_text(encoding="utf-8")) or {}
        return cls.from_dict(raw, str(where))

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], where: str = "delivery config") -> DeliveryConfig:
        """Validate a parsed configuration.

        Raises:
            ValueError: an unknown key, channel type, style or event, or an address on an unknown channel.
        """
        _known(
            raw,
            {"console_url", "events", "horizon_hours", "retry", "channels", "recipients", "engineering"},
            where,
        )
        channels = {name: _channel(name, spec, where) for name, spec in (raw.get("channels") or {}).items()}
        events = tuple(raw.get("events", cls.events))
        if set(events) - set(EVENTS):
            raise ValueError(
                f"{where}: events must be among {EVENTS}, not {sorted(set(events) - set(EVENTS))}"
            )
        recipients = raw.get("recipients") or {}
        _known(recipients, {"default", "districts"}, f"{where}: recipients")
        districts, streets = {}, {}
        for district, spec in (recipients.get("districts") or {}).items():
            spec = dict(spec or {})
            for street, street_spec in (spec.pop("streets", None) or {}).items():
                streets[(district, street)] = _addresses(
                    street_spec, channels, f"{where}: {district}/{street}"
                )
            districts[district] = _addresses(spec, channels, f"{where}: {district}")
        return cls(
            console_url=str(raw.get("console_url", cls.console_url)),
            events=events,
            horizon_hours=float(raw.get("horizon_hours", cls.horizon_hours)),
            retry=Retry(**(raw.get("retry") or {})),
            channels=channels,
            default=_addresses(recipients.get("default"), channels, f"{where}: default"),
            districts=districts,
            streets=streets,
            engineering=_addresses(raw.get("engineering"), channels, f"{where}: engineering"),
        )

    def console(self, env: Mapping[str, str] | None = None) -> str:
        """The console's base URL (``HUB_CONSOLE_URL`` wins), without a trailing slash."""
        env = os.environ if env is None else env
        return (env.get(CONSOLE_ENV) or expand(self.console_url, env)).rstrip("/")

    def targets(
        self, district: str | None, street: str | None, env: Mapping[str, str] | None = None
    ) -> list[Target]:
        """Where an alert of ``district`` / ``street`` goes: the district's addresses (else the default's),
        plus the street's; only on channels that are on and addresses whose variables are set."""
        own = self.districts.get(district or "")
        found = (
            [(c, a, f"district:{district}") for c, a in own]
            if own
            else [(c, a, "default") for c, a in self.default]
        )
        found += [
            (c, a, f"street:{district}/{street}")
            for c, a in self.streets.get((district or "", street or ""), ())
        ]
        return self._usable(found, env)

    def engineering_targets(self, env: Mapping[str, str] | None = None) -> list[Target]:
        """The data engineers' addresses that are on."""
        return self._usable([(c, a, "engineering") for c, a in self.engineering], env)

    def _usable(self, found: list[tuple[str, str, str]], env: Mapping[str, str] | None) -> list[Target]:
        seen, out = set(), []
        for channel, address, recipient in found:
            if (
                (channel, address) in seen
                or not self.channels[channel].is_on(env)
                or not is_set(address, env)
            ):
                continue
            seen.add((channel, address))
            out.append(Target(channel, address, recipient))
        return out


def _known(raw: Mapping[str, Any], keys: set[str], where: str) -> None:
    unknown = set(raw) - keys
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)} (known: {sorted(keys)})")


def _channel(name: str, spec: Mapping[str, Any], where: str) -> Channel:
    kind = spec.get("type")
    if kind not in _SETTINGS:
        raise ValueError(f"{where}: channel {name}: type must be one of {sorted(_SETTINGS)}, not {kind!r}")
    _known(spec, _SETTINGS[kind], f"{where}: channel {name}")
    missing = [key for key in _REQUIRED[kind] if not spec.get(key)]
    if missing:
        raise ValueError(f"{where}: channel {name} needs {missing}")
    if kind == "webhook" and spec["style"] not in STYLES:
        raise ValueError(f"{where}: channel {name}: style must be one of {STYLES}, not {spec['style']!r}")
    settings = tuple(
        (key, str(value).lower() if isinstance(value, bool) else str(value)) for key, value in spec.items()
    )
    return Channel(name, kind, settings)


def _addresses(spec: Mapping[str, Any] | None, channels: Mapping[str, Channel], where: str) -> Addresses:
    out = []
    for channel, addresses in (spec or {}).items():
        if channel not in channels:
            raise ValueError(f"{where}: unknown channel {channel!r} (channels: {sorted(channels)})")
        if isinstance(addresses, str) or not all(isinstance(a, str) and a for a in addresses):
            raise ValueError(f"{where}: {channel} takes a list of addresses")
        out += [(channel, address) for address in addresses]
    return tuple(out)
