"""How one report words its dispute's facts, as the knobs say: colloquial sums and dates, other names of a
company or project, facts left out, and police lines with no fact at all."""

from __future__ import annotations

import random
from datetime import date

from simulators.dice import pick
from simulators.facts import Facts
from simulators.knobs import WorldKnobs
from simulators.spoken import (
    chinese_number,
    company_forms,
    project_forms,
    spoken_amount,
    spoken_date,
    spoken_period,
    spoken_year,
)

_DATES = ("date", "due", "invest_date")
_YEARS = ("buy_year", "sign_year")
_OMITTABLE = (
    "amount",
    "date",
    "due",
    "invest_date",
    "period",
    "project",
    "org",
    "org_short",
    "house",
    "plate",
)
# What a dispatcher writes when the call carries no detail worth noting.
_BARE = (
    "报警称发生纠纷",
    "纠纷求助",
    "报警称{word}纠纷",
    "{word}纠纷，现场已调解",
    "报警求助，称有{word}纠纷",
)
_WORDS = {
    "劳资欠薪": "劳资", "逾期交房": "购房", "拆迁安置": "拆迁", "投资受损": "经济", "物业纠纷": "物业",
    "医疗纠纷": "医患", "交通事故": "交通", "邻里纠纷": "邻里", "婚姻家庭": "家庭", "消费维权": "消费",
    "环境污染": "噪音", "其他": "民事",
}  # fmt: skip


class Wording:
    """Rewrites a report's template slots; draws only from ``rng`` (the knobs' stream)."""

    def __init__(self, knobs: WorldKnobs, rng: random.Random) -> None:
        self.knobs = knobs
        self.rng = rng
        self.active = bool(
            knobs.colloquial_amounts or knobs.colloquial_dates or knobs.short_names or knobs.fact_omission
            or knobs.police_terse
        )  # fmt: skip

    def rewrite(self, category: str, style: str, template: str, slots: dict[str, str], facts: Facts,
                day: date) -> str:  # fmt: skip
        """Reword ``slots`` in place for a report written on ``day``; returns the template to use.

        Args:
            category: the dispute's category (for the bare police line).
            style: the writer's style (``terse`` is the police dispatcher).
            template: the template the writer picked.
            slots: the values the template is filled with (changed in place).
            facts: the dispute's facts.
            day: the report's date (relative dates are relative to it).

        Returns:
            ``template``, or a bare line without any fact.
        """
        knobs, rand = self.knobs, self.rng.random
        if style == "terse" and knobs.police_terse and rand() < knobs.police_terse:
            return pick(self.rng, _BARE).replace("{word}", _WORDS[category])
        if "amount" in facts and knobs.colloquial_amounts and rand() < knobs.colloquial_amounts:
            slots["amount"] = spoken_amount(int(facts["amount"]), self.rng)
        if knobs.colloquial_dates and rand() < knobs.colloquial_dates:
            self._dates(slots, facts, day)
        if knobs.short_names and rand() < knobs.short_names:
            self._names(slots, facts)
        if knobs.fact_omission:
            for key in _OMITTABLE:
                if key in facts and rand() < knobs.fact_omission:
                    slots[key] = ""
        return template

    def _dates(self, slots: dict[str, str], facts: Facts, day: date) -> None:
        rng = self.rng
        for key in _DATES:
            if key in facts:
                slots[key] = spoken_date(facts[key], day, rng)
        if "period" in facts:
            slots["period"] = spoken_period(facts["period"], day, rng)
        for key in _YEARS:
            if key in facts:
                slots[key] = spoken_year(facts[key], day)
        for key in ("months", "years"):
            if facts.get(key, "").isdigit():
                slots[key] = chinese_number(int(facts[key]))

    def _names(self, slots: dict[str, str], facts: Facts) -> None:
        rng = self.rng
        forms = company_forms(facts.get("org", ""))
        if forms:
            slots["org"] = pick(rng, forms)
            slots["org_short"] = facts["org"] if rng.random() < 0.5 else pick(rng, forms)
        if "project" in facts:
            projects = project_forms(facts["project"])
            if projects:
                slots["project"] = pick(rng, projects)
