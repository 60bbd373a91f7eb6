"""Addresses in Lanzhou and the ways each channel writes the same one down.

One :class:`Address` is a place; :func:`formal`, :func:`terse`, :func:`dictated` and :func:`typed` render
it as a petition registrar, a police dispatcher, a hotline operator and a citizen in the app would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from itertools import accumulate

from simulators.dice import between, pick, weighted
from simulators.places import CENTRES, DISTRICT_WEIGHTS, geography, short_district

PROVINCE_CITY = "甘肃省兰州市"
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_DISTRICTS = tuple(DISTRICT_WEIGHTS)
_DISTRICT_CUM = tuple(accumulate(DISTRICT_WEIGHTS.values()))
_CITY = geography()


@dataclass(frozen=True, slots=True)
class Address:
    """One place: a home, a building site, a hospital, an intersection.

    Attributes:
        district: full division name (``城关区``; outside Lanzhou only in injected bad rows).
        street: 街道 or 镇.
        community: 社区 or 村.
        road: road the place is on (a village's 社 for rural homes is ``she``).
        number: house number on the road (号).
        compound: residential compound, project or building name, if any.
        building, unit, room: 栋 / 单元 / 室 inside a compound.
        she: village group (社) number for rural homes, else 0.
        place: a named landmark at the address (hospital, mall, office tower).
        cross: the crossing road for an intersection.
        lat, lon: WGS84 coordinates.
    """

    district: str
    street: str
    community: str
    road: str
    number: int
    compound: str = ""
    building: int = 0
    unit: int = 0
    room: int = 0
    she: int = 0
    place: str = ""
    cross: str = ""
    lat: float = 0.0
    lon: float = 0.0


def full_width(text: str) -> str:
    """Turn ASCII digits into full-width digits (what some phone keyboards emit)."""
    return text.translate(_FULL_WIDTH)


def sample_district(rng: random.Random) -> str:
    """A district weighted by population."""
    return weighted(rng, _DISTRICTS, _DISTRICT_CUM)


def _coords(rng: random.Random, district: str, spread: float) -> tuple[float, float]:
    """A point around the district's centre (triangular scatter: two uniforms are cheaper than a Gaussian)."""
    lat, lon = CENTRES[district]
    rand = rng.random
    return lat + (rand() - rand()) * spread * 2, lon + (rand() - rand()) * spread * 2.4


def make_home(
    rng: random.Random, district: str | None = None, street: str | None = None, compound: str | None = None
) -> Address:
    """A home address; ``district``, ``street`` and ``compound`` pin it down when given."""
    rand = rng.random
    district = district or weighted(rng, _DISTRICTS, _DISTRICT_CUM)
    places = _CITY[district]
    streets, roads = places.streets, places.roads
    street = street or streets[int(rand() * len(streets))]
    communities = places.communities[street]
    community = communities[int(rand() * len(communities))]
    road = roads[int(rand() * len(roads))]
    lat, lon = CENTRES[district]
    if street in places.rural and compound is None:
        lat += (rand() - rand()) * 0.1
        lon += (rand() - rand()) * 0.12
        return Address(
            district,
            street,
            community,
            road,
            1 + int(rand() * 120),
            "",
            0,
            0,
            0,
            1 + int(rand() * 12),
            "",
            "",
            lat,
            lon,
        )
    lat += (rand() - rand()) * 0.03
    lon += (rand() - rand()) * 0.036
    number = 1 + int(rand() * 400)
    if compound is None and rand() < 0.3:
        return Address(district, street, community, road, number, "", 0, 0, 0, 0, "", "", lat, lon)
    if not compound:
        compounds = places.compounds
        compound = compounds[int(rand() * len(compounds))]
    room = (1 + int(rand() * 26)) * 100 + 1 + int(rand() * 4)
    return Address(
        district,
        street,
        community,
        road,
        number,
        compound,
        1 + int(rand() * 30),
        1 + int(rand() * 6),
        room,
        0,
        "",
        "",
        lat,
        lon,
    )


def neighbour_of(rng: random.Random, home: Address) -> Address:
    """Another flat in the same compound (or another house in the same village)."""
    if home.she:
        return replace(home, number=between(rng, 1, 120), she=between(rng, 1, 12))
    if not home.compound:
        return replace(home, number=home.number + pick(rng, (-4, -2, 2, 4)))
    floor = between(rng, 1, 26)
    return replace(
        home, building=between(rng, 1, 30), unit=between(rng, 1, 6), room=floor * 100 + between(rng, 1, 4)
    )


def make_site(rng: random.Random, name: str, district: str | None = None) -> Address:
    """A named site (building project, office tower, factory, shop) on a road."""
    district = district or sample_district(rng)
    places = geography()[district]
    street = pick(rng, places.streets)
    lat, lon = _coords(rng, district, 0.02)
    return Address(
        district, street, pick(rng, places.communities[street]), pick(rng, places.roads), between(rng, 1, 600),
        place=name, lat=lat, lon=lon,
    )  # fmt: skip


def make_crossing(rng: random.Random, district: str | None = None) -> Address:
    """An intersection (where traffic accidents happen)."""
    district = district or sample_district(rng)
    places = geography()[district]
    road, cross = rng.sample(places.roads, 2)
    street = pick(rng, places.streets)
    lat, lon = _coords(rng, district, 0.02)
    return Address(district, street, places.communities[street][0], road, 0, cross=cross, lat=lat, lon=lon)


def _body(a: Address, unit_style: str = "栋", yard: str = "号", with_number: bool = True) -> str:
    if a.cross:
        return f"{a.road}与{a.cross}交叉口"
    if a.she:
        return f"{a.community}{a.she}社{a.number}号" if with_number else f"{a.community}{a.she}社"
    head = f"{a.road}{a.number}{yard}" if with_number else a.road
    if a.place:
        return head + a.place
    if a.compound:
        flat = f"{a.building}{unit_style}{a.unit}单元{a.room}" + ("室" if unit_style == "栋" else "")
        return head + a.compound + flat if with_number else head + a.compound
    return head


def formal(a: Address) -> str:
    """How the petition office registers it: province, city, district, street, community, number."""
    community = "" if a.she else a.community
    return f"{PROVINCE_CITY}{a.district}{a.street}{community}{_body(a)}"


def terse(a: Address, rng: random.Random) -> str:
    """How a dispatcher jots the incident location: short district, road and number."""
    district = a.district if rng.random() < 0.5 else short_district(a.district)
    if a.cross:
        return (district if rng.random() < 0.5 else "") + _body(a)
    if a.she:
        return f"{district}{a.street}{a.community}"
    if a.place:
        if rng.random() < 0.5:
            return a.place if a.place.startswith(district[:2]) else district + a.place
        return f"{district}{a.road}{a.number}号"
    if a.compound and rng.random() < 0.4:
        return f"{district}{a.compound}"
    return f"{district}{a.road}{a.number}号"


def dictated(a: Address, rng: random.Random) -> str:
    """How an operator types what a caller says: no province/city, sometimes no number."""
    district = a.district if rng.random() < 0.6 else ""
    with_number = rng.random() >= 0.25
    unit_style = "号楼" if rng.random() < 0.5 else "栋"
    yard = "号院" if a.compound and rng.random() < 0.3 else "号"
    return district + _body(a, unit_style=unit_style, yard=yard, with_number=with_number)


def typed(a: Address, rng: random.Random) -> str:
    """How a citizen types it in the app: city prefix, 号院/号, 路/街 and full-width digits vary."""
    roll = rng.random()
    prefix = PROVINCE_CITY if roll < 0.65 else ("兰州市" if roll < 0.85 else "")
    yard = "号院" if rng.random() < 0.35 else "号"
    text = prefix + a.district + _body(a, unit_style="栋" if rng.random() < 0.6 else "号楼", yard=yard)
    if rng.random() < 0.12:
        text = text.replace("路", "街", 1) if "路" in text else text.replace("街", "路", 1)
    if rng.random() < 0.15:
        text = full_width(text)
    return text
