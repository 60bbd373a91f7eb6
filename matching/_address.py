"""Parsing a Lanzhou address into district / street / community / road + number, with variants folded."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from matching._chinese import chinese_numerals_to_digits, fold_text, is_missing

_PROVINCE_CITY = re.compile(r"^(?:中国)?(?:甘肃省|甘肃)?(?:兰州市|兰州)?")
_ROAD_SUFFIX = r"(?:大道|大街|路|街|巷|胡同|道)"
# Road then house number: 永昌路88号, 永昌街88号院, 滨河东路3-1号. The road name is at most 8 characters.
_ROAD_NUMBER = re.compile(
    r"(?P<road>[\u4e00-\u9fffa-z]{1,8}?" + _ROAD_SUFFIX + r")(?P<num>\d+(?:-\d+)?)(?:号院|号|弄|院)?"
)
_ROAD_ONLY = re.compile(r"(?P<road>[\u4e00-\u9fffa-z]{1,6}?" + _ROAD_SUFFIX + ")")
_ROAD_END = re.compile(_ROAD_SUFFIX + "$")
_DASH_MARK = re.compile(r"(?<=\d)x(?=\d)")
# A dash between two numbers (12-3号) is part of the house number, not punctuation.
_NUMBER_DASH = re.compile(r"(?<=[0-9０-９])\s*[-－—–~～]\s*(?=[0-9０-９])")
_LEADING_NAME = re.compile(r"[\u4e00-\u9fffa-z]{2,16}")
_COMMUNITY_OFFICE = re.compile(r"(?:社区居委会|社区|居委会|村委会)$")
_GENERIC_TAIL = re.compile(r"(?:小区|项目|工地|院内|院)+$")
_GENERIC_STREET = re.compile(r"^[\u4e00-\u9fff]{2,6}?(?:街道办事处|街道办|街道|镇|乡)(?![路街巷道号\d])")
_COMMUNITY = re.compile(r"^[\u4e00-\u9fff]{2,8}?(?:社区居委会|社区|居委会|村委会|村)(?![路街巷道号\d委])")
# Dictated and typed addresses end with vague position words that say nothing about the place.
_VAGUE_ENDINGS = ("附近", "对面", "旁边", "门口", "楼下", "门前", "一带", "路口", "处")
_TRAILING_VAGUE = re.compile("(?:" + "|".join(_VAGUE_ENDINGS) + ")+$")


class AddressParts(NamedTuple):
    """One address, folded: ``norm`` for text similarity, ``key`` for blocking and agreement (road + number,
    else the named place, else the road), ``place`` the compound, project or landmark named."""

    norm: str | None
    district: str | None
    street: str | None
    community: str | None
    road: str | None
    number: str | None
    place: str | None
    key: str | None


@lru_cache(maxsize=1)
def _division_patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    from connectors.taxonomy import DISTRICT_NAMES, DIVISIONS

    aliases = {name: name for name in DISTRICT_NAMES}
    for name in DISTRICT_NAMES:
        if name.endswith(("区", "县")) and len(name) > 2:
            aliases[name[:-1]] = name
    aliases["新区"] = "兰州新区"
    # A bare short form (城关, 西固) must not eat the start of a street or town (城关镇, 西固城街道).
    alternation = "|".join(
        re.escape(alias) + ("" if alias == full else r"(?![镇乡街路道城堡村])")
        for alias, full in sorted(aliases.items(), key=lambda item: -len(item[0]))
    )
    district = re.compile("^(?:" + alternation + ")")
    streets = sorted({s for d in DIVISIONS for s in d.streets}, key=len, reverse=True)
    street = re.compile("^(?:" + "|".join(re.escape(s) for s in streets) + ")")
    return district, street, aliases


def parse_address(value: object) -> AddressParts:
    """Fold and parse one address.

    Folds: NFKC and traditional characters; 甘肃省/兰州市 prefixes; 号院 -> 号; the road's suffix
    (路/街/大街/大道/巷) is dropped from the key, so 永昌路88号 and 永昌街88号院 share ``key`` 永昌88.

    Args:
        value: the address as sent.

    Returns:
        The parts; all ``None`` for an empty address.
    """
    if is_missing(value):
        return _EMPTY
    raw = str(value)
    text = fold_text(_NUMBER_DASH.sub("x", raw) if _HAS_DASH.search(raw) else raw)
    if text is None:
        return _EMPTY
    district_re, street_re, aliases = _division_patterns()
    rest = chinese_numerals_to_digits(_PROVINCE_CITY.sub("", text, count=1))
    district = street = community = None
    if match := district_re.match(rest):
        district, rest = aliases[match.group(0)], rest[match.end() :]
    if match := street_re.match(rest) or _GENERIC_STREET.match(rest):
        street, rest = match.group(0), rest[match.end() :]
    if match := _COMMUNITY.match(rest):
        community, rest = match.group(0), rest[match.end() :]
    rest = rest.replace("号院", "号")
    if rest.endswith(_VAGUE_ENDINGS):
        rest = _TRAILING_VAGUE.sub("", rest)
    if "x" in rest:
        rest = _DASH_MARK.sub("-", rest)
    road = number = key = None
    after = rest
    if match := _ROAD_NUMBER.search(rest):
        road, number = _fold_road(match.group("road")), match.group("num")
        key = f"{road}{number.split('-')[0]}"
        after = rest[match.end() :]
    elif match := _ROAD_ONLY.match(rest):
        road, after = _fold_road(match.group("road")), rest[match.end() :]
    place = _place(after)
    if place is None and community is not None and not after:
        place = _COMMUNITY_OFFICE.sub("", community)  # a village named, nothing after it
    key = key or place or road
    norm = rest or None
    if norm is None and street is not None:
        norm = street
    return AddressParts(norm, district, street, community, road, number, place, key or norm)


_EMPTY = AddressParts(None, None, None, None, None, None, None, None)
_HAS_DASH = re.compile(r"[-－—–~～]")


def _place(text: str) -> str | None:
    """The named place a text starts with (陇原御园 in 陇原御园19栋..., 兴富国际二期 in 兴富国际二期项目),
    unless it is a road or a crossing."""
    match = _LEADING_NAME.match(text)
    if match is None:
        return None
    name = _GENERIC_TAIL.sub("", match.group(0))
    if len(name) < 2 or _ROAD_ONLY.fullmatch(match.group(0)) or "与" in name:
        return None
    return name


def _fold_road(road: str) -> str:
    core = _ROAD_END.sub("", road)
    return core or road
