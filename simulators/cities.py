"""The simulated world moved to another city: its addresses and district fields written with that city's
province, city and district names, so a benchmark can ask whether the matcher folds a city it has no
gazetteer for as it folds Lanzhou.

Only the administrative names move. Roads, compounds and villages keep their (Lanzhou) names: to the
matcher they are text like any other city's, while 甘肃省兰州市城关区 is the one part its taxonomy knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def _prefix_pattern(districts: dict[str, str], shorts: dict[str, str]) -> re.Pattern[str]:
    # Province and city, then a division (full, or short where the address starts with it and a town or
    # road does not follow: 城关镇 is a town).
    full = "|".join(map(re.escape, sorted({*districts, "新区"}, key=len, reverse=True)))
    short = "|".join(map(re.escape, sorted(shorts, key=len, reverse=True)))
    return re.compile(
        rf"^(?P<province>甘肃省|甘肃)?(?P<city>兰州市|兰州(?!新区))?(?:(?P<full>{full})|(?P<short>{short})(?![镇乡街路道城堡村区县]))?"
    )


@dataclass(frozen=True)
class City:
    """Another city's names for Lanzhou's divisions."""

    province: str
    city: str
    districts: dict[str, str]  # Lanzhou's division -> this city's
    # 城关 -> 锦江: Lanzhou's channels write a district without its 区 or 县 too.
    short_forms: dict[str, str] = field(init=False, repr=False, compare=False)
    # Built once: relocate_address reads it for every record.
    prefix: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        shorts = {lz[:-1]: other[:-1] for lz, other in self.districts.items() if lz.endswith(("区", "县"))}
        object.__setattr__(self, "short_forms", shorts)
        object.__setattr__(self, "prefix", _prefix_pattern(self.districts, shorts))


CITIES: dict[str, City] = {
    "chengdu": City(
        "四川省",
        "成都市",
        {
            "城关区": "锦江区",
            "七里河区": "青羊区",
            "西固区": "金牛区",
            "安宁区": "武侯区",
            "红古区": "成华区",
            "永登县": "金堂县",
            "皋兰县": "大邑县",
            "榆中县": "蒲江县",
            "兰州新区": "天府新区",
        },
    ),  # fmt: skip
    "xian": City(
        "陕西省",
        "西安市",
        {
            "城关区": "新城区",
            "七里河区": "碑林区",
            "西固区": "莲湖区",
            "安宁区": "雁塔区",
            "红古区": "灞桥区",
            "永登县": "蓝田县",
            "皋兰县": "周至县",
            "榆中县": "鄠邑区",
            "兰州新区": "西咸新区",
        },
    ),  # fmt: skip
}


def relocate_address(address: str, city: City) -> str:
    """``address`` as the other city would write it: 甘肃省兰州市城关区永昌路88号 -> 四川省成都市锦江区永昌路88号."""
    match = city.prefix.match(address)
    if match is None or match.end() == 0:
        return _relocate_inside(address, city)
    parts = []
    if match.group("province"):
        parts.append(city.province if match.group("province").endswith("省") else city.province[:-1])
    if match.group("city"):
        parts.append(city.city if match.group("city").endswith("市") else city.city[:-1])
    if full := match.group("full"):
        parts.append(city.districts.get(full, city.districts["兰州新区"]))
    elif short := match.group("short"):
        parts.append(city.short_forms[short])
    return "".join(parts) + _relocate_inside(address[match.end() :], city)


def _relocate_inside(text: str, city: City) -> str:
    # A division named inside the address (康乐街589号兰州新区吾悦广场).
    for lanzhou, other in city.districts.items():
        if lanzhou in text:
            text = text.replace(lanzhou, other)
    return text


def relocate_district(district: str, city: City) -> str:
    """A district field in the other city's names (unknown values unchanged: validation's to report)."""
    return city.districts.get(district, district)
