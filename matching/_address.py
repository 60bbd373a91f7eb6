"""Parsing a Chinese address into district / street / community / road + number, with variants folded.

Lanzhou's divisions come from the taxonomy (its short forms too: 城关 for 城关区); any other city's
province, city and district are read by their form (四川省成都市武侯区), so the next city's addresses fold
as Lanzhou's do."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from matching._chinese import chinese_numerals_to_digits, fold_text, is_missing
from matching.facts import building_marks

_PROVINCE_CITY = re.compile(r"^(?:中国)?(?:甘肃省|甘肃)?(?:兰州市|兰州)?")
# Another city's prefixes, by their form: a province (or autonomous region, or one of the four cities
# that are provinces), then a city. A city is only taken when a province came first or a county follows:
# 东部市场, 新城市广场 and 华联超市 are places, not cities.
_PROVINCE = re.compile(
    r"^(?:中国)?(?:[\u4e00-\u9fff]{2,3}省|内蒙古(?:自治区)?|广西(?:壮族自治区)?|西藏(?:自治区)?"
    r"|宁夏(?:回族自治区)?|新疆(?:维吾尔自治区)?|(?:北京|上海|天津|重庆)市?)"
)
_CITY = re.compile(r"^[\u4e00-\u9fff]{2,4}?(?:自治州|地区|(?<!联)盟|(?<![超夜门菜股])市)(?![场民政区部])")
# A district or county: 武侯区, 高新区, 天府新区, 榆中县; never a compound's or a campus's 区 (金港城小区,
# 西湖社区, 产业园区, 景区, 校区, 厂区, 片区, 矿区), nor a road named after one (园区路).
_COUNTY = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,4}?(?<![小社园景校厂片矿营])(?:区|县)"
    # or a development zone written in full, which a city runs as a district (东湖新技术开发区, 经济技术开发区)
    r"|[\u4e00-\u9fff]{0,6}?(?:高新技术产业开发区|新技术产业开发区|经济技术开发区|新技术开发区|经济开发区))"
    r"(?![路街巷道号\d])"
)
_ROAD_SUFFIX = r"(?:大道|大街|路|街|巷|胡同|道)"
# A long road's section belongs to the road: 人民南路4段, 天府大道北段, 二环路东2段.
_SECTION = r"(?:[东南西北中]?\d{0,2}段)?"
# Road then house number: 永昌路88号, 永昌街88号院, 滨河东路3-1号, 红星路3段35号. The road name is at most
# 8 characters.
_ROAD_NUMBER = re.compile(
    r"(?P<road>[\u4e00-\u9fffa-z]{1,8}?"
    + _ROAD_SUFFIX
    + _SECTION
    + r")(?P<num>\d+(?:-\d+)?)(?![\d段])(?:号院|号|弄|院)?"
)
_ROAD_ONLY = re.compile(r"(?P<road>[\u4e00-\u9fffa-z]{1,6}?" + _ROAD_SUFFIX + _SECTION + ")")
_ROAD_END = re.compile(_ROAD_SUFFIX + "(?=" + _SECTION + "$)")
_DASH_MARK = re.compile(r"(?<=\d)x(?=\d)")
# A dash between two numbers (12-3号) is part of the house number, not punctuation.
_NUMBER_DASH = re.compile(r"(?<=[0-9０-９])\s*[-－—–~～]\s*(?=[0-9０-９])")
_LEADING_NAME = re.compile(r"[\u4e00-\u9fffa-z]{2,16}")
_COMMUNITY_OFFICE = re.compile(r"(?:社区居委会|社区|居委会|村委会)$")
_GENERIC_TAIL = re.compile(r"(?:小区|项目|工地|院内|院)+$")
_GENERIC_STREET = re.compile(r"^[\u4e00-\u9fff]{2,6}?(?:街道办事处|街道办|街道|镇|乡)(?![路街巷道号\d])")
_COMMUNITY = re.compile(r"^[\u4e00-\u9fff]{2,8}?(?:社区居委会|社区|居委会|村委会|村)(?![路街巷道号\d委])")
# A road written before a compound called 新村 (华林路丝路新村): the road and the compound, not a village
# named after both (a community named after its road, 永昌路社区, is one). A one-character road (丝路新村's
# 丝路) is the compound's own name.
_ROAD_BEFORE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,6}?(?:大道|大街|路|街|巷)(?=[\u4e00-\u9fff]{2})")
# Dictated and typed addresses end with vague position words that say nothing about the place.
_VAGUE_ENDINGS = ("附近", "对面", "旁边", "门口", "楼下", "门前", "一带", "路口", "处", "周边", "周围", "后面", "背后",
                  "东侧", "西侧", "南侧", "北侧", "东边", "西边", "南边", "北边",
                  "东北角", "东南角", "西北角", "西南角")  # fmt: skip
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


# A bare short form (城关, 西固) must not eat the start of a street or town (城关镇, 西固城街道), nor of a road
# named after its district (安宁西路, 西固中路, 七里河北街, 城关大道, 锦江大道).
_SHORT_FORM_END = r"(?![镇乡街路道城堡村]|[东南西北中]{0,2}(?:大道|大街))(?![东南西北中]{1,2}(?:路|街|巷|道))"


@lru_cache(maxsize=8)
def _division_patterns(
    divisions: tuple[str, ...] = (),
) -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """Lanzhou's divisions and ``divisions`` (a city's own, from the settings), each also by its short form
    (城关 for 城关区, 锦江 for 锦江区)."""
    from connectors.taxonomy import DISTRICT_NAMES, DIVISIONS

    names = (*DISTRICT_NAMES, *divisions)
    aliases = {name: name for name in names}
    for name in names:
        if name.endswith(("区", "县")) and len(name) > 2:
            aliases.setdefault(name[:-1], name)
    aliases["新区"] = "兰州新区"
    alternation = "|".join(
        re.escape(alias) + ("" if alias == full else _SHORT_FORM_END)
        for alias, full in sorted(aliases.items(), key=lambda item: -len(item[0]))
    )
    district = re.compile("^(?:" + alternation + ")")
    streets = sorted({s for d in DIVISIONS for s in d.streets}, key=len, reverse=True)
    street = re.compile("^(?:" + "|".join(re.escape(s) for s in streets) + ")")
    return district, street, aliases


def parse_address(value: object, divisions: tuple[str, ...] = ()) -> AddressParts:
    """Fold and parse one address.

    Folds: NFKC and traditional characters; the province and city (甘肃省兰州市, 四川省成都市); 号院 -> 号;
    numerals before a unit or section (三段 -> 3段); the road's suffix (路/街/大街/大道/巷) is dropped from
    the key, so 永昌路88号 and 永昌街88号院 share ``key`` 永昌88, and 人民南路四段12号 and 人民南路4段12号
    share 人民南4段12.

    Args:
        value: the address as sent.
        divisions: a city's own districts and counties (``divisions`` in the settings), read like
            Lanzhou's, short forms too; any other is read by its form.

    Returns:
        The parts; all ``None`` for an empty address.
    """
    if is_missing(value):
        return _EMPTY
    raw = building_marks(str(value))  # 5#2-301: the building's # would fold away
    text = fold_text(_NUMBER_DASH.sub("x", raw) if _HAS_DASH.search(raw) else raw)
    if text is None:
        return _EMPTY
    district_re, street_re, aliases = _division_patterns(divisions)
    rest = chinese_numerals_to_digits(_strip_province_city(text, district_re))
    district = street = community = None
    if match := district_re.match(rest):
        district, rest = aliases[match.group(0)], rest[match.end() :]
    elif (match := _COUNTY.match(rest)) and match.end() < len(rest):
        district, rest = match.group(0), rest[match.end() :]
    if match := street_re.match(rest) or _GENERIC_STREET.match(rest):
        street, rest = match.group(0), rest[match.end() :]
    if (
        (match := _COMMUNITY.match(rest))
        and not (match.group(0).endswith("村") and _ROAD_BEFORE_NAME.match(match.group(0)))
        and not rest.startswith("小区", match.end())  # 黄家湖新村小区: a compound named like a village
    ):
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
        key = f"{road}{number.split('-')[0].lstrip('0') or '0'}"  # 永昌路088号 is 永昌路88号
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

# A village house: its group (社, 组, 队: a village's production team) and house number (五一村11社118号).
_VILLAGE_HOUSE = re.compile(r"村(\d{1,3})(?:社|组|队|小组)(\d{1,4})号")


def village_house(norm: object, place: object) -> str | None:
    """The house a folded village address names down to its number (``v五一村-11-118`` for 五一村11社118号,
    its ``place`` 五一村), else ``None``. Such a house is one household's, as a town flat down to its unit
    is (``r14-5-1403``); a village or a group alone (华林村9社) is many households'. The village is the
    address's place, so 永登大同镇工农村3社51号 and 工农村3社51号 are one house."""
    if not isinstance(norm, str) or not isinstance(place, str) or "村" not in norm:
        return None
    match = _VILLAGE_HOUSE.search(norm)
    return f"v{place}-{match.group(1)}-{match.group(2)}" if match else None


# What a district field holds when the channel did not know it.
_NO_DIVISION = frozenset({"不详", "未知", "无", "暂无", "其他", "其它", "空"})
_BELOW_DIVISION = re.compile(r"(?:街道|街道办事处|镇|乡|社区|村|办事处)$")


def division_name(text: str, divisions: tuple[str, ...] = ()) -> str | None:
    """A district field's division: the full name of one of Lanzhou's or of ``divisions`` (兰州市城关区,
    城关 -> 城关区; 锦江 -> 锦江区 when listed), else another by its form, without province, city and the
    区/县 a short form leaves out (成都市武侯区, 武侯 -> 武侯).

    Args:
        text: the folded field.
        divisions: a city's own districts and counties (``divisions`` in the settings).

    Returns:
        The division, or ``None`` for a placeholder (不详).
    """
    from connectors.taxonomy import DISTRICT_NAMES, district_name

    district_re, _, aliases = _division_patterns(divisions)
    rest = _strip_province_city(text, district_re)
    for candidate in (text, rest):
        if (name := district_name(candidate)) in DISTRICT_NAMES:
            return name
        if candidate in aliases:
            return aliases[candidate]
    if not rest or rest in _NO_DIVISION:
        return None
    # The division and, after it, its street or town (城关区张掖路街道, 锦江区春熙路街道): the division.
    if _BELOW_DIVISION.search(rest):
        if (match := district_re.match(rest)) and match.end() < len(rest):
            return aliases[match.group(0)]
        if (match := _COUNTY.match(rest)) and match.end() < len(rest):
            rest = match.group(0)
    short = len(rest) > 2 and rest.endswith(("区", "县")) and not rest.endswith("新区")
    return rest[:-1] if short else rest


# 新城市广场, 城市广场: a square named for the city, not a county-level city.
_CITY_SQUARE = re.compile(r"^[\u4e00-\u9fff]{0,3}城市广场")


def _strip_province_city(text: str, district_re: re.Pattern[str]) -> str:
    """The address without its province and city: Lanzhou's by name (甘肃兰州 too), another's by form
    (a city only where a district, ``district_re``'s or one by its form, or a road follows)."""
    rest = _PROVINCE_CITY.sub("", text, count=1)
    stripped = len(rest) < len(text)
    if not stripped and (province := _PROVINCE.match(rest)) is not None:
        rest, stripped = rest[province.end() :], True
    city_follows = False
    for level in range(2):  # a prefecture, then a county-level city in it (临夏回族自治州临夏市)
        if (city := _CITY.match(rest)) is None:
            break
        after = rest[city.end() :]
        division_follows = any(p.match(after) for p in (_COUNTY, district_re, _GENERIC_STREET, _ROAD_NUMBER))
        next_city = _CITY.match(after) is not None
        # 宁波市余姚市泗门新苑: the prefecture was taken because a city follows it, so that city goes too
        # (the estate is 泗门新苑 however the county-level city is written, or left out)
        if not (division_follows or city_follows or (level == 0 and (stripped or next_city))):
            break
        city_follows = level == 0 and next_city and not _CITY_SQUARE.match(after)
        rest, stripped = after, True
    return rest


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
