"""Plan the world: who complains about what, and on which channels, when.

The planner draws disputes (with their hard cases: group disputes, repeat complainants, namesakes
in one district) and each dispute's reports until the requested number of source records is
reached. Rendering those reports into each source's raw rows is :mod:`.channels`' job.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate

from connectors.simulators.addresses import (
    Address,
    make_crossing,
    make_home,
    make_site,
    neighbour_of,
    sample_district,
)
from connectors.simulators.facts import Facts, brand, dispute_facts, group_facts
from connectors.simulators.places import HOSPITALS, MALLS, geography
from connectors.simulators.people import Person, Population

CHANNELS: tuple[str, ...] = ("hotline", "app", "police", "petition")
# Dispute mix (percent); hot categories are common, and group disputes add more of them.
CATEGORY_WEIGHTS: dict[str, int] = {
    "劳资欠薪": 13, "逾期交房": 7, "拆迁安置": 5, "投资受损": 5, "物业纠纷": 15, "医疗纠纷": 4,
    "交通事故": 7, "邻里纠纷": 13, "婚姻家庭": 7, "消费维权": 11, "环境污染": 8, "其他": 5,
}  # fmt: skip
# How likely each channel is for a category: hotline, app, police, petition.
CHANNEL_WEIGHTS: dict[str, tuple[float, ...]] = {
    "劳资欠薪": (38, 18, 17, 27), "逾期交房": (36, 22, 5, 37), "拆迁安置": (28, 12, 5, 55),
    "投资受损": (28, 14, 28, 30), "物业纠纷": (52, 38, 4, 6), "医疗纠纷": (40, 14, 18, 28),
    "交通事故": (28, 9, 58, 5), "邻里纠纷": (36, 20, 36, 8), "婚姻家庭": (30, 10, 45, 15),
    "消费维权": (50, 42, 5, 3), "环境污染": (50, 46, 2, 2), "其他": (50, 32, 8, 10),
}  # fmt: skip
GROUP_CATEGORIES: dict[str, int] = {"劳资欠薪": 34, "逾期交房": 24, "拆迁安置": 12, "投资受损": 14, "物业纠纷": 10, "环境污染": 6}
# Popular names that are deliberately given to two people of one district.
NAMESAKES: tuple[tuple[str, str, str], ...] = (
    ("张", "伟", "m"), ("王", "芳", "f"), ("李", "娜", "f"), ("刘", "洋", "m"), ("王", "伟", "m"), ("李", "静", "f"),
    ("张", "敏", "f"), ("王", "静", "f"), ("刘", "伟", "m"), ("张", "丽", "f"), ("王", "磊", "m"), ("李", "强", "m"),
    ("马", "军", "m"), ("杨", "帆", "m"), ("陈", "静", "f"), ("张", "杰", "m"), ("李", "秀英", "f"), ("王", "建国", "m"),
)  # fmt: skip
# Hour-of-day weights per channel (calls peak in office hours, 110 in the evening, the app at night too).
_HOURS = {
    "hotline": (1, .5, .3, .3, .3, .5, 1, 3, 6, 9, 10, 9, 7, 7, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1.5),
    "app": (2, 1, .5, .3, .3, .5, 1, 3, 5, 6, 6, 6, 7, 6, 5, 5, 5, 5, 6, 7, 8, 8, 6, 4),
    "police": (3, 2, 1.5, 1, 1, 1, 2, 3, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 7, 8, 8, 7, 6, 4),
}
_HOUR_CUM = {channel: tuple(accumulate(weights)) for channel, weights in _HOURS.items()}
_OFFICE = ((8 * 3600 + 1800, 12 * 3600), (14 * 3600, 17 * 3600 + 1800))  # petition office hours
_K_CUM = (0.58, 0.84, 0.95, 1.0)  # 1, 2, 3 or 4 distinct channels per dispute
DAY = 86400


@dataclass(slots=True)
class Dispute:
    """One complainant's one dispute: the unit of a case."""

    key: str
    person: Person
    category: str
    facts: Facts
    site: Address
    group_key: str = ""
    group_size: int = 0


@dataclass(slots=True)
class Report:
    """One report of a dispute on one channel at ``t`` seconds after the span's start."""

    dispute: Dispute
    channel: str
    t: int
    proxy: Person | None = None
    proxy_relation: str = ""


@dataclass
class Plan:
    """Everything the planner decided, before rendering."""

    disputes: list[Dispute] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    groups: int = 0
    namesake_pairs: list[tuple[Person, Person]] = field(default_factory=list)


class Planner:
    """Draws disputes and reports until ``n_records`` reports exist."""

    def __init__(self, rng: random.Random, start: date, days: int) -> None:
        self.rng = rng
        self.today = start
        self.span = days * DAY
        self.days = days
        self.population = Population(rng, start)
        self.plan = Plan()
        self.complainants: list[Person] = []
        self._relatives: dict[str, tuple[Person, str]] = {}
        self._last: dict[str, str] = {}
        self._categories = tuple(CATEGORY_WEIGHTS)
        self._category_cum = tuple(accumulate(CATEGORY_WEIGHTS.values()))
        self._hospitals = [(name, make_site(rng, name, district)) for name, district in HOSPITALS]
        self._malls = [(name, make_site(rng, name, district)) for name, district in MALLS]

    # -- drawing ----------------------------------------------------------------------------------
    def run(self, n_records: int) -> Plan:
        """Plan until there are at least ``n_records`` reports, then cut back to exactly that many."""
        rng = self.rng
        reports = self.plan.reports
        while len(reports) < n_records:
            roll = rng.random()
            if roll < 0.014:
                self._group()
            elif roll < 0.026:
                self._namesake_pair()
            elif roll < 0.10 and self.complainants:
                self._repeat()
            else:
                self._single(self._new_person(), self._category())
        del reports[n_records:]
        kept = {id(r.dispute) for r in reports}
        self.plan.disputes = [d for d in self.plan.disputes if id(d) in kept]
        return self.plan

    def _category(self) -> str:
        return self.rng.choices(self._categories, cum_weights=self._category_cum)[0]

    def _new_person(self, **kwargs: object) -> Person:
        person = self.population.new(**kwargs)  # type: ignore[arg-type]
        self.complainants.append(person)
        return person

    def _repeat(self) -> None:
        person = self.rng.choice(self.complainants)
        previous = self._last.get(person.key, "")
        category = self._category()
        if self.rng.random() < 0.7:
            while category == previous:
                category = self._category()
        elif previous:
            category = previous
        self._single(person, category)

    def _namesake_pair(self) -> None:
        rng = self.rng
        surname, given, gender = rng.choice(NAMESAKES)
        first = self._new_person(name=(surname, given), gender=gender)
        second = self.population.namesake_of(first, same_street=rng.random() < 0.4)
        self.complainants.append(second)
        self.plan.namesake_pairs.append((first, second))
        category = self._category()
        self._single(first, category)
        self._single(second, category if rng.random() < 0.4 else self._category())

    # -- disputes ---------------------------------------------------------------------------------
    def _site(self, person: Person, category: str, facts: Facts) -> Address:
        rng = self.rng
        if category in ("劳资欠薪", "逾期交房"):
            return make_site(rng, facts["project"])
        if category == "投资受损":
            return make_site(rng, brand(rng) + rng.choice(("大厦", "国际中心", "商务楼")))
        if category == "医疗纠纷":
            name, site = rng.choice(self._hospitals)
            facts["org"] = name
            return site
        if category == "交通事故":
            site = make_crossing(rng, person.home.district if rng.random() < 0.6 else None)
            facts["loc"] = f"{site.road}与{site.cross}交叉口"
            return site
        if category == "消费维权" and rng.random() < 0.5:
            name, site = rng.choice(self._malls)
            facts["org"] = name + facts["org"]
            return site
        if category == "消费维权":
            return make_site(rng, facts["org"])
        if category == "物业纠纷" and "project" not in facts:
            home = person.home
            facts["project"] = home.compound or (home.community if home.she else f"{home.road}{home.number}号院")
        return person.home

    def _single(self, person: Person, category: str, facts: Facts | None = None, site: Address | None = None,
                group: tuple[str, int] = ("", 0), times: tuple[int, ...] = (), forced: str = "") -> Dispute:  # fmt: skip
        rng = self.rng
        facts = facts if facts is not None else dispute_facts(rng, category, self.today)
        site = site or self._site(person, category, facts)
        dispute = Dispute(f"C{len(self.plan.disputes) + 1:07d}", person, category, facts, site, *group)
        self.plan.disputes.append(dispute)
        person.disputes += 1
        self._last[person.key] = category
        channels = self._channels(category, forced)
        if rng.random() < 0.06:  # calls 12345 again, or files twice
            channels.append(rng.choices(CHANNELS, weights=(70, 15, 5, 10))[0])
        first = times[0] if times else self._time(channels[0])
        for index, channel in enumerate(channels):
            t = times[index] if index < len(times) else (first if index == 0 else self._later(first))
            if channel == "petition":
                t = self._office(t)
            report = Report(dispute, channel, t)
            if channel == "petition":
                self._maybe_proxy(report)
            self.plan.reports.append(report)
        return dispute

    def _channels(self, category: str, forced: str) -> list[str]:
        rng = self.rng
        roll = rng.random()
        k = next(i + 1 for i, edge in enumerate(_K_CUM) if roll < edge)
        pool = list(CHANNELS)
        weights = list(CHANNEL_WEIGHTS[category])
        chosen = [forced] if forced else []
        if forced:
            index = pool.index(forced)
            del pool[index], weights[index]
        while len(chosen) < k:
            index = rng.choices(range(len(pool)), weights=weights)[0]
            chosen.append(pool.pop(index))
            del weights[index]
        return chosen

    def _maybe_proxy(self, report: Report) -> None:
        person = report.dispute.person
        if person.key in self._relatives:
            report.proxy, report.proxy_relation = self._relatives[person.key]
            return
        elderly = person.age_on(self.today) >= 62
        if self.rng.random() < (0.45 if elderly else 0.05):
            self._relatives[person.key] = self.population.relative_of(person)
            report.proxy, report.proxy_relation = self._relatives[person.key]

    # -- times ------------------------------------------------------------------------------------
    def _time(self, channel: str) -> int:
        rng = self.rng
        day = rng.randrange(self.days) * DAY
        if channel == "petition":
            return self._office(day)
        hour = rng.choices(range(24), cum_weights=_HOUR_CUM[channel])[0]
        return day + hour * 3600 + rng.randrange(3600)

    def _later(self, first: int) -> int:
        rng = self.rng
        gap = min(DAY - 1, 60 + int(rng.expovariate(1 / 14400)))
        if first + gap < self.span:
            return first + gap
        if first - gap >= 0:
            return first - gap
        return rng.randrange(self.span)

    def _office(self, t: int) -> int:
        day, seconds = divmod(t, DAY)
        if any(lo <= seconds < hi for lo, hi in _OFFICE):
            return t
        lo, hi = self.rng.choice(_OFFICE)
        return day * DAY + self.rng.randrange(lo, hi)

    # -- groups -----------------------------------------------------------------------------------
    def _group(self) -> None:
        rng = self.rng
        plan = self.plan
        plan.groups += 1
        key = f"G{plan.groups:05d}"
        category = rng.choices(tuple(GROUP_CATEGORIES), weights=tuple(GROUP_CATEGORIES.values()))[0]
        size = 5 + min(25, int(rng.expovariate(1 / 7)))
        shared = group_facts(rng, category, self.today)
        home_based = category in ("拆迁安置", "物业纠纷", "环境污染")
        if home_based:
            district = sample_district(rng)
            compound = rng.choice(geography()[district].compounds) if category == "物业纠纷" else None
            site = make_home(rng, district, compound=compound)
            if category == "物业纠纷":
                shared["project"] = site.compound
        else:
            name = shared.get("project") or shared["org"].replace("有限公司", "").replace("有限责任公司", "")
            site = make_site(rng, name if category != "投资受损" else brand(rng) + "大厦")
        base = rng.randrange(self.days) * DAY + rng.randint(8 * 3600, 16 * 3600)
        visit = self._office(base + rng.randint(0, 2 * 3600)) if rng.random() < 0.4 else -1
        for _ in range(size):
            gender = "m" if category == "劳资欠薪" and rng.random() < 0.85 else None
            home = neighbour_of(rng, site) if home_based else None
            person = self._new_person(home=home, gender=gender)
            facts = dispute_facts(rng, category, self.today, shared)
            first = min(self.span - 1, base + rng.randint(0, 6 * 3600))
            where = home or site
            if visit >= 0 and rng.random() < 0.8:
                t_visit = min(self.span - 1, visit + rng.randint(0, 2400))
                self._single(person, category, facts, where, (key, size), (t_visit,), "petition")
            else:
                self._single(person, category, facts, where, (key, size), (first,))
