"""Lanzhou's simulated geography: roads, communities, residential compounds and landmarks per division.

The city is the same for every seed (built from a fixed internal seed), as a real city would be; only
who lives where and what happens there depends on the world's seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from connectors.taxonomy import DIVISIONS

# Population weights (roughly the 2020 census, in 10,000 residents).
DISTRICT_WEIGHTS: dict[str, int] = {
    "城关区": 148,
    "七里河区": 60,
    "西固区": 37,
    "安宁区": 33,
    "红古区": 14,
    "永登县": 35,
    "皋兰县": 13,
    "榆中县": 40,
    "兰州新区": 40,
}
# Approximate centres (WGS84 latitude, longitude).
CENTRES: dict[str, tuple[float, float]] = {
    "城关区": (36.0576, 103.8417),
    "七里河区": (36.0660, 103.7860),
    "西固区": (36.0884, 103.6280),
    "安宁区": (36.1040, 103.7190),
    "红古区": (36.3450, 102.8600),
    "永登县": (36.7360, 103.2600),
    "皋兰县": (36.3320, 103.9470),
    "榆中县": (35.8430, 104.1120),
    "兰州新区": (36.5150, 103.6350),
    "白银区": (36.5450, 104.1740),
}
# GB/T 2260 codes used for residents' id numbers; 兰州新区 residents were registered in 永登/皋兰.
ID_REGION_CODES: dict[str, tuple[str, ...]] = {
    d.name: ((d.code,) if d.code else ("620121", "620122")) for d in DIVISIONS
}
# Migrant workers and newcomers registered elsewhere in Gansu (定西, 天水, 临夏, 会宁, 陇西, 武威, 平凉).
OTHER_GANSU_CODES: tuple[str, ...] = ("621102", "620502", "622901", "620422", "621122", "620602", "620802")

_KNOWN_ROADS: dict[str, str] = {
    "城关区": "张掖路 永昌路 庆阳路 酒泉路 中山路 东岗西路 南昌路 天水南路 天水北路 白银路 皋兰路 武都路 "
    "静宁路 平凉路 定西路 雁滩路 雁园路 金昌路 民主东路 火车站东路 焦家湾路 嘉峪关路 五泉路 渭源路 "
    "盐场路 靖远路 甘南路 临夏路 段家滩路 东岗东路 读者大道 广场南路",
    "七里河区": "西津西路 西津东路 敦煌路 建兰路 西站东路 硷沟沿 龚家湾路 小西湖东街 秀川路 "
    "土门墩路 瓜州路 晏家坪路 七里河北街 五里铺路 南滨河中路 彭家坪路",
    "西固区": "西固中路 福利东路 福利西路 玉门街 合水路 先锋路 山丹街 临洮街 环形东路 牌坊路 陈坪路 西柳沟路",
    "安宁区": "安宁西路 安宁东路 北滨河西路 培黎街 万新路 银滩路 十里店南街 刘家堡路 宝石花路 孔家崖路",
    "红古区": "平安路 海石湾大道 红古路 窑街路 华龙路 矿区路",
    "永登县": "西大街 东大街 南大街 北大街 城关路 红城路 连城路",
    "皋兰县": "石洞路 兰秀路 皋兰大道 什川路 九合路",
    "榆中县": "栖云北路 栖云南路 兴隆路 城关路 夏官营路 金崖路 和平路",
    "兰州新区": "黄河大道 中川大道 昆仑山大道 嵩山路 泰山路 峨眉山路 庐山路 秦岭大道 纬一路 纬二路",
}
_WORDS = (
    "金城 滨河 铁路 东湖 西湖 育才 建设 工农 和平 团结 振兴 民乐 永乐 兴隆 新华 红星 光明 五一 胜利 安康 康乐 "
    "阳光 幸福 朝阳 华林 南山 北山 青年 向阳 利民 丰收 红旗 前进 长征 友谊 黄河 明珠 银滩 兰山 白塔"
)
_COMPOUND_BRANDS = (
    "金城 兰石 万达 碧桂园 保利 恒大 中海 绿地 鸿运 华润 融创 城投 盛达 瑞岭 亚太 天庆 荣光 "
    "鑫源 宏达 安居 润泽 名都 锦绣 紫金 西部 陇原 丝路 黄河 兰亭"
)
_COMPOUND_SUFFIX = "花园 家园 雅苑 华府 名邸 新城 佳苑 公馆 国际 嘉园 小区 新村 丽景 御园 苑"


@dataclass(frozen=True)
class DistrictPlaces:
    """What one division holds: roads, compounds, and the communities of each street."""

    name: str
    streets: tuple[str, ...]
    roads: tuple[str, ...]
    compounds: tuple[str, ...]
    communities: dict[str, tuple[str, ...]]
    rural: frozenset[str]


def _is_rural(street: str, district: str) -> bool:
    return street.endswith("镇") and street != "城关镇" and district != "城关区"


@lru_cache(maxsize=1)
def geography() -> dict[str, DistrictPlaces]:
    """The fixed city, keyed by district name."""
    rng = random.Random(2260)
    words = _WORDS.split()
    brands = _COMPOUND_BRANDS.split()
    suffixes = _COMPOUND_SUFFIX.split()
    city: dict[str, DistrictPlaces] = {}
    for division in DIVISIONS:
        roads = _KNOWN_ROADS[division.name].split()
        generated = [w + rng.choice(("路", "街", "巷")) for w in rng.sample(words, 8)]
        roads = roads + [r for r in generated if r not in roads]
        compounds = sorted({rng.choice(brands) + rng.choice(suffixes) for _ in range(60)})
        communities: dict[str, tuple[str, ...]] = {}
        rural: set[str] = set()
        for street in division.streets:
            count = rng.randint(4, 9)
            if _is_rural(street, division.name):
                rural.add(street)
                names = {rng.choice(words) + "村" for _ in range(count)}
            else:
                names = {rng.choice(roads + words) + "社区" for _ in range(count)}
            communities[street] = tuple(sorted(names))
        city[division.name] = DistrictPlaces(
            name=division.name,
            streets=tuple(division.streets),
            roads=tuple(roads),
            compounds=tuple(compounds),
            communities=communities,
            rural=frozenset(rural),
        )
    return city


def short_district(name: str) -> str:
    """The short form people say: 城关 for 城关区, 新区 for 兰州新区."""
    if name == "兰州新区":
        return "新区"
    return name[:-1] if name.endswith(("区", "县")) and len(name) > 2 else name


HOSPITALS: tuple[tuple[str, str], ...] = (
    ("兰州大学第一医院", "城关区"),
    ("兰州大学第二医院", "城关区"),
    ("甘肃省人民医院", "城关区"),
    ("兰州市第一人民医院", "七里河区"),
    ("甘肃省中医院", "七里河区"),
    ("兰州市第二人民医院", "城关区"),
    ("甘肃省妇幼保健院", "七里河区"),
    ("西固区人民医院", "西固区"),
    ("安宁区人民医院", "安宁区"),
    ("红古区人民医院", "红古区"),
    ("永登县人民医院", "永登县"),
    ("皋兰县人民医院", "皋兰县"),
    ("榆中县第一人民医院", "榆中县"),
    ("兰州新区第一人民医院", "兰州新区"),
)
MALLS: tuple[tuple[str, str], ...] = (
    ("国芳百货", "城关区"),
    ("兰州中心", "七里河区"),
    ("万达广场", "城关区"),
    ("西单商场", "城关区"),
    ("亚欧商厦", "城关区"),
    ("王府井百货", "城关区"),
    ("西固万达广场", "西固区"),
    ("安宁万达广场", "安宁区"),
    ("兰州新区吾悦广场", "兰州新区"),
    ("榆中县百货大楼", "榆中县"),
    ("永登县商贸城", "永登县"),
)
