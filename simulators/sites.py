"""Where a dispute happens: the incident address for each category (and the facts that name it)."""

from __future__ import annotations

import random

from simulators.addresses import Address, make_crossing, make_site
from simulators.dice import pick
from simulators.facts import Facts, brand
from simulators.people import Person
from simulators.places import HOSPITALS, MALLS

_RURAL_ISSUES = ("宅基地边界", "排水沟堵塞", "通行道路被占", "院墙修建", "饲养犬只扰民")


class Sites:
    """Chooses incident addresses; hospitals and malls are fixed places shared by all disputes."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._hospitals = [(name, make_site(rng, name, district)) for name, district in HOSPITALS]
        self._malls = [(name, make_site(rng, name, district)) for name, district in MALLS]

    def choose(self, person: Person, category: str, facts: Facts) -> Address:
        """The incident address of ``person``'s dispute of ``category``; may complete ``facts``.

        Work sites, developers' projects and investment offices get their own address; medical
        disputes happen in a hospital, traffic accidents at a crossing, consumer disputes in a shop
        or mall; neighbour, family, property and pollution disputes happen at home.
        """
        rng = self.rng
        if category in ("劳资欠薪", "逾期交房"):
            return make_site(rng, facts["project"])
        if category == "投资受损":
            return make_site(rng, brand(rng) + pick(rng, ("大厦", "国际中心", "商务楼")))
        if category == "医疗纠纷":
            name, site = pick(rng, self._hospitals)
            facts["org"] = name
            return site
        if category == "交通事故":
            site = make_crossing(rng, person.home.district if rng.random() < 0.6 else None)
            facts["loc"] = f"{site.road}与{site.cross}交叉口"
            return site
        if category == "消费维权" and rng.random() < 0.5:
            name, site = pick(rng, self._malls)
            facts["org"] = name + facts["org"]
            return site
        if category == "消费维权":
            return make_site(rng, facts["org"])
        if category == "邻里纠纷" and person.home.she:  # village neighbours quarrel about village things
            facts["rel"] = "同村村民"
            if facts["issue"] not in _RURAL_ISSUES:
                facts["issue"] = pick(rng, _RURAL_ISSUES)
        elif category == "邻里纠纷":
            if facts["rel"] == "同村村民":
                facts["rel"] = pick(rng, ("楼上住户", "隔壁邻居", "对门邻居"))
            if facts["issue"] in _RURAL_ISSUES:
                facts["issue"] = pick(rng, ("装修噪音", "卫生间漏水", "楼道堆放杂物"))
        if category == "物业纠纷" and "project" not in facts:
            home = person.home
            facts["project"] = home.compound or (
                home.community if home.she else f"{home.road}{home.number}号院"
            )
        return person.home
