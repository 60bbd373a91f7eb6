"""Plan the world: who complains about what, and on which channels, when.

The planner draws disputes (with their hard cases: group disputes, repeat complainants, namesakes
in one district) and each dispute's reports until the requested number of source records is
reached. Rendering those reports into each source's raw rows is :mod:`.channels`' job.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate

from simulators.addresses import (
    Address,
    make_home,
    make_site,
    neighbour_of,
    sample_district,
)
from simulators.dice import below, between, pick, weighted
from simulators.facts import Facts, brand, dispute_facts, group_facts
from simulators.filing import filed_category
from simulators.knobs import DEFAULT_KNOBS, WorldKnobs
from simulators.mix import (
    AGAIN_CUM,
    CATEGORY_WEIGHTS,
    CHANNEL_CUM,
    CHANNELS,
    DAY,
    GROUP_CATEGORIES,
    GROUP_CUM,
    HOUR_CUM,
    K_CUM,
    NAMESAKES,
    OFFICE,
    P_GROUP_VISIT,
    P_JOIN_VISIT,
    P_REPEAT_COMPLAINANT,
    P_SAME_CATEGORY_REPEAT,
)
from simulators.people import Person, Population
from simulators.places import geography
from simulators.sites import Sites

_BIT = {channel: 1 << i for i, channel in enumerate(CHANNELS)}


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
    channels: int = 0  # bit mask of the channels it was reported on (bit i = CHANNELS[i])
    reports: int = 0


@dataclass(slots=True)
class Report:
    """One report of a dispute on one channel at ``t`` seconds after the span's start."""

    dispute: Dispute
    channel: str
    t: int
    proxy: Person | None = None
    proxy_relation: str = ""
    category: str = ""  # the category this channel files it under, when not the dispute's own


@dataclass
class Plan:
    """Everything the planner decided, before rendering."""

    disputes: list[Dispute] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    groups: int = 0
    namesake_pairs: list[tuple[Person, Person]] = field(default_factory=list)


class Planner:
    """Draws disputes and reports until ``n_records`` reports exist.

    Behaviours the default knobs leave off draw from ``krng`` (a stream of their own), so that with the
    default knobs the world's own stream, and so the world, is exactly what it was before they existed.
    """

    def __init__(self, rng: random.Random, start: date, days: int, knobs: WorldKnobs = DEFAULT_KNOBS,
                 krng: random.Random | None = None) -> None:  # fmt: skip
        self.rng = rng
        self.krng = krng or random.Random(0)
        self.knobs = knobs
        self.today = start
        self.span = days * DAY
        self.days = days
        self.population = Population(rng, start, popular=knobs.popular_names)
        self.plan = Plan()
        self.complainants: list[Person] = []
        self._relatives: dict[str, tuple[Person, str]] = {}
        self._last: dict[str, str] = {}
        self._categories = tuple(CATEGORY_WEIGHTS)
        self._category_cum = tuple(accumulate(CATEGORY_WEIGHTS.values()))
        self._sites = Sites(rng)
        multi = knobs.multi_channel_share
        # K_CUM's own split of 2, 3 and 4 channels, scaled to the knob (K_CUM itself at the default).
        self._k_cum = (
            K_CUM
            if multi == DEFAULT_KNOBS.multi_channel_share
            else (1 - multi, *(1 - multi + multi * (c - K_CUM[0]) / (1 - K_CUM[0]) for c in K_CUM[1:3]))
        )
        self._gap_rate = 1 / (knobs.repeat_gap_hours * 3600)  # the default, 4 hours, is 1 / 14400
        self._off = {c: knobs.category_off(c) for c in CHANNELS}

    # -- drawing ----------------------------------------------------------------------------------
    def run(self, n_records: int) -> Plan:
        """Plan until there are at least ``n_records`` reports, then cut back to exactly that many."""
        rng = self.rng
        reports = self.plan.reports
        p_group, p_namesake = self.knobs.group_share, self.knobs.namesake_pairs
        while len(reports) < n_records:
            roll = rng.random()
            if roll < p_group:
                self._group()
            elif roll < p_group + p_namesake:
                self._namesake_pair()
            elif roll < p_group + p_namesake + P_REPEAT_COMPLAINANT and self.complainants:
                self._repeat()
            else:
                self._single(self._new_person(), self._category())
        cut = reports[n_records:]
        del reports[n_records:]
        if cut:
            touched = {id(r.dispute): r.dispute for r in cut}
            for dispute in touched.values():
                dispute.channels = dispute.reports = 0
            for report in reports:
                if id(report.dispute) in touched:
                    report.dispute.channels |= _BIT[report.channel]
                    report.dispute.reports += 1
            self.plan.disputes = [d for d in self.plan.disputes if d.reports]
        return self.plan

    def _category(self) -> str:
        return weighted(self.rng, self._categories, self._category_cum)

    def _new_person(self, **kwargs: object) -> Person:
        person = self.population.new(**kwargs)  # type: ignore[arg-type]
        self.complainants.append(person)
        return person

    def _repeat(self) -> None:
        person = pick(self.rng, self.complainants)
        previous = self._last.get(person.key, "")
        category = self._category()
        if self.rng.random() >= P_SAME_CATEGORY_REPEAT:
            while category == previous:
                category = self._category()
        elif previous:
            category = previous
        self._single(person, category)

    def _namesake_pair(self) -> None:
        rng = self.rng
        surname, given, gender = pick(rng, NAMESAKES)
        first = self._new_person(name=(surname, given), gender=gender)
        second = self.population.namesake_of(first, same_street=rng.random() < 0.4)
        self.complainants.append(second)
        self.plan.namesake_pairs.append((first, second))
        category = self._category()
        self._single(first, category)
        self._single(second, category if rng.random() < 0.4 else self._category())

    # -- disputes ---------------------------------------------------------------------------------

    def _single(self, person: Person, category: str, facts: Facts | None = None, site: Address | None = None,
                group: tuple[str, int] = ("", 0), times: tuple[int, ...] = (), forced: str = "") -> Dispute:  # fmt: skip
        rng = self.rng
        if category == "物业纠纷" and person.home.she and not group[0]:
            category = "邻里纠纷"  # village homes have no property company
        facts = facts if facts is not None else dispute_facts(rng, category, self.today)
        site = site or self._sites.choose(person, category, facts)
        dispute = Dispute(f"C{len(self.plan.disputes) + 1:07d}", person, category, facts, site, *group)
        self.plan.disputes.append(dispute)
        person.disputes += 1
        self._last[person.key] = category
        channels = self._channels(category, forced)
        if rng.random() < self.knobs.reported_again:  # calls 12345 again, or files twice
            channels.append(weighted(rng, CHANNELS, AGAIN_CUM))
        first = times[0] if times else self._time(channels[0])
        for index, channel in enumerate(channels):
            t = times[index] if index < len(times) else (first if index == 0 else self._later(first))
            if channel == "petition":
                t = self._office(t)
            report = Report(dispute, channel, t)
            dispute.channels |= _BIT[channel]
            dispute.reports += 1
            if channel == "petition":
                self._maybe_proxy(report)
            elif self.knobs.proxy_calls and self.krng.random() < self.knobs.proxy_calls:
                self._proxy(report)
            if self._off[channel] and self.krng.random() < self._off[channel]:
                report.category = filed_category(channel, category, self.krng)
            self.plan.reports.append(report)
        return dispute

    def _channels(self, category: str, forced: str) -> list[str]:
        rng = self.rng
        roll = rng.random()
        k_cum = self._k_cum
        k = 1 if roll < k_cum[0] else 2 if roll < k_cum[1] else 3 if roll < k_cum[2] else 4
        cum = CHANNEL_CUM[category]
        chosen = [forced] if forced else []
        while len(chosen) < k:
            channel = weighted(rng, CHANNELS, cum)
            if channel not in chosen:
                chosen.append(channel)
        return chosen

    def _maybe_proxy(self, report: Report) -> None:
        person = report.dispute.person
        if person.key in self._relatives:
            report.proxy, report.proxy_relation = self._relatives[person.key]
            return
        elderly = person.age_on(self.today) >= 62
        if self.rng.random() < (self.knobs.proxy_elderly if elderly else self.knobs.proxy_other):
            self._proxy(report)

    def _proxy(self, report: Report) -> None:
        """The complainant's relative (always the same one) files ``report``."""
        person = report.dispute.person
        if person.key not in self._relatives:
            self._relatives[person.key] = self.population.relative_of(person)
        report.proxy, report.proxy_relation = self._relatives[person.key]

    # -- times ------------------------------------------------------------------------------------
    def _time(self, channel: str) -> int:
        rng = self.rng
        day = below(rng, self.days) * DAY
        if channel == "petition":
            return self._office(day)
        hour = weighted(rng, range(24), HOUR_CUM[channel])
        return day + hour * 3600 + below(rng, 3600)

    def _later(self, first: int) -> int:
        rng = self.rng
        gap = min(DAY - 1, 60 + int(rng.expovariate(self._gap_rate)))
        knobs = self.knobs
        if knobs.late_repeat_share and self.krng.random() < knobs.late_repeat_share:
            # Called again after the 5-working-day limit, or went to the petition office a month later.
            days = knobs.late_repeat_days * math.exp(self.krng.gauss(0.0, knobs.late_repeat_sigma))
            gap = max(DAY, int(days * DAY))
        if first + gap < self.span:
            return first + gap
        if first - gap >= 0:
            return first - gap
        return below(rng, self.span)

    def _office(self, t: int) -> int:
        day, seconds = divmod(t, DAY)
        (morning_lo, morning_hi), (noon_lo, noon_hi) = OFFICE
        if morning_lo <= seconds < morning_hi or noon_lo <= seconds < noon_hi:
            return t
        lo, hi = pick(self.rng, OFFICE)
        return day * DAY + between(self.rng, lo, hi - 1)

    # -- groups -----------------------------------------------------------------------------------
    def _group(self) -> None:
        rng = self.rng
        plan = self.plan
        plan.groups += 1
        key = f"G{plan.groups:05d}"
        category = weighted(rng, tuple(GROUP_CATEGORIES), GROUP_CUM)
        knobs = self.knobs
        size = 5 + min(knobs.group_size_max - 5, int(rng.expovariate(1 / knobs.group_size_mean)))
        shared = group_facts(rng, category, self.today)
        home_based = category in ("拆迁安置", "物业纠纷", "环境污染")
        if home_based:
            district = sample_district(rng)
            compound = pick(rng, geography()[district].compounds) if category == "物业纠纷" else None
            site = make_home(rng, district, compound=compound)
            if category == "物业纠纷":
                shared["project"] = site.compound
        else:
            name = shared.get("project") or shared["org"].replace("有限公司", "").replace("有限责任公司", "")
            site = make_site(rng, name if category != "投资受损" else brand(rng) + "大厦")
        base = below(rng, self.days) * DAY + between(rng, 8 * 3600, 16 * 3600)
        visit = self._office(base + between(rng, 0, 2 * 3600)) if rng.random() < P_GROUP_VISIT else -1
        for _ in range(size):
            gender = "m" if category == "劳资欠薪" and rng.random() < 0.85 else None
            home = neighbour_of(rng, site) if home_based else None
            person = self._new_person(home=home, gender=gender)
            facts = dispute_facts(rng, category, self.today, shared)
            first = min(self.span - 1, base + between(rng, 0, 6 * 3600))
            where = home or site
            if visit >= 0 and rng.random() < P_JOIN_VISIT:
                t_visit = min(self.span - 1, visit + between(rng, 0, 2400))
                self._single(person, category, facts, where, (key, size), (t_visit,), "petition")
            else:
                self._single(person, category, facts, where, (key, size), (first,))
