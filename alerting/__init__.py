"""The reference alerting layer: time-limit clocks and 三色三单 warnings over the pool's read contract."""

from __future__ import annotations

from alerting.calendar import UnknownCalendarYear, WorkingCalendar
from alerting.policies import PolicySet
from alerting.policy_clocks import policy_clocks
from alerting.rules import RuleSet, evaluate
from alerting.run import AlertSettings, as_of_for_run, run_alerts

__all__ = [
    "AlertSettings",
    "RuleSet",
    "PolicySet",
    "UnknownCalendarYear",
    "WorkingCalendar",
    "as_of_for_run",
    "policy_clocks",
    "evaluate",
    "run_alerts",
]
