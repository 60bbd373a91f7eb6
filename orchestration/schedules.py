"""Per-DAG scheduling settings: cron, catchup, retries with backoff, timeouts.

``schedules.yaml`` holds the defaults and the pool's and report's policies; each source's own schedule
is declared on its connector class (``schedule``). Read when the DAG files are parsed, so it imports
nothing heavy (PyYAML and the connector registry only).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

CONFIG = Path(__file__).with_name("schedules.yaml")
TIMEZONE = "Asia/Shanghai"
RETRIES_ENV = "HUB_TASK_RETRIES"  # the embedded runs and tests set 0: a failure surfaces at once


@dataclass(frozen=True)
class RunPolicy:
    """How one DAG runs: its schedule (sources only) and its tasks' retries and timeouts."""

    cron: str = "0 * * * *"
    start_date: str = "2026-01-01"
    catchup: bool = False
    max_active_runs: int = 1
    retries: int = 3
    retry_delay_minutes: float = 1
    max_retry_delay_minutes: float = 30
    execution_timeout_minutes: float = 30

    def __post_init__(self) -> None:
        if len(self.cron.split()) != 5:
            raise ValueError(f"cron {self.cron!r} must have five fields")
        date.fromisoformat(self.start_date)
        if self.max_active_runs < 1 or self.retries < 0 or self.execution_timeout_minutes <= 0:
            raise ValueError(f"invalid run policy {self}")

    @property
    def start(self) -> datetime:
        """The DAG's fixed ``start_date`` (midnight, Beijing time)."""
        import pendulum

        day = date.fromisoformat(self.start_date)
        return pendulum.datetime(day.year, day.month, day.day, tz=TIMEZONE)

    def default_args(self) -> dict[str, Any]:
        """Task defaults: retries (``HUB_TASK_RETRIES`` overrides), exponential backoff, execution timeout,
        and the engineers' notice on failure (:func:`orchestration.notify.notify_args`)."""
        from orchestration.notify import notify_args

        return {
            **notify_args(),
            "retries": int(os.environ.get(RETRIES_ENV, self.retries)),
            "retry_delay": timedelta(minutes=self.retry_delay_minutes),
            "retry_exponential_backoff": True,
            "max_retry_delay": timedelta(minutes=self.max_retry_delay_minutes),
            "execution_timeout": timedelta(minutes=self.execution_timeout_minutes),
        }


def _policy(*layers: Mapping[str, Any]) -> RunPolicy:
    known = {f.name for f in fields(RunPolicy)}
    merged: dict[str, Any] = {}
    for layer in layers:
        unknown = set(layer) - known
        if unknown:
            raise ValueError(f"{CONFIG.name}: unknown keys {sorted(unknown)}")
        merged.update(layer)
    return RunPolicy(**merged)


@cache
def _config() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    unknown = set(data) - {"defaults", "pool", "report", "approval"}
    if unknown:  # e.g. a `sources:` block: a source's schedule is declared on its connector class
        raise ValueError(
            f"{CONFIG.name}: unknown sections {sorted(unknown)} (source schedules: connector `schedule`)"
        )
    return data


def source_policy(source: str) -> RunPolicy:
    """The run policy of ``source``'s DAG: its connector's ``schedule`` over the ``defaults``.

    Args:
        source: a registered source (an unknown one gets the defaults).

    Returns:
        The policy.
    """
    from connectors.registry import connector_class

    try:
        declared = connector_class(source).schedule
    except KeyError:
        declared = {}
    return _policy(_config().get("defaults", {}), declared)


def dag_policy(name: str) -> RunPolicy:
    """The run policy of the ``pool``, ``report`` or ``approval`` DAG (``cron`` unused: they are not on a clock)."""
    config = _config()
    return _policy(config.get("defaults", {}), config.get(name) or {})
