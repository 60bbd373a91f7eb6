"""Chinese personal names: surname frequencies, era-typed given names, and the homophones operators type.

Surname weights follow the national census order with a Gansu tilt (马, 魏, 牛 and 雒 are common in
Lanzhou). Given names are drawn from era-typical pools so that namesakes such as 张伟, 王芳 and 李娜
occur as often as they do in a real city.
"""

from __future__ import annotations

import random
from functools import lru_cache
from itertools import accumulate

# (surname, weight per 10,000 people)
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 720), ("李", 720), ("张", 680), ("刘", 540), ("陈", 450), ("杨", 310), ("马", 240),
    ("赵", 230), ("黄", 200), ("周", 190), ("吴", 190), ("徐", 160), ("孙", 150), ("魏", 120),
    ("胡", 130), ("朱", 120), ("高", 130), ("林", 90), ("何", 110), ("郭", 120), ("罗", 90),
    ("梁", 90), ("宋", 90), ("郑", 80), ("谢", 70), ("韩", 80), ("唐", 70), ("冯", 80), ("于", 60),
    ("董", 70), ("肖", 60), ("程", 60), ("曹", 60), ("袁", 60), ("邓", 50), ("许", 60), ("傅", 40),
    ("沈", 40), ("曾", 40), ("彭", 50), ("吕", 50), ("苏", 50), ("卢", 50), ("蒋", 40), ("蔡", 40),
    ("贾", 60), ("丁", 45), ("薛", 40), ("叶", 30), ("阎", 40), ("余", 30), ("潘", 40), ("杜", 45),
    ("戴", 25), ("夏", 30), ("钟", 25), ("汪", 30), ("田", 45), ("任", 45), ("姜", 35), ("范", 35),
    ("方", 30), ("石", 35), ("姚", 30), ("谭", 20), ("文", 20), ("金", 25), ("陆", 20), ("郝", 30),
    ("孔", 20), ("白", 40), ("崔", 30), ("康", 30), ("毛", 20), ("邱", 15), ("秦", 30), ("侯", 25),
    ("孟", 25), ("段", 25), ("雷", 25), ("常", 30), ("武", 30), ("乔", 20), ("贺", 20), ("牛", 40),
    ("祁", 20), ("安", 20), ("雒", 15), ("景", 10), ("拜", 8), ("欧阳", 4), ("司马", 2), ("上官", 1),
)

# Given names by birth era: (popular full names, male single chars, female single chars).
_POPULAR = {
    "old": (
        ("建国", "m"), ("建华", "m"), ("国庆", "m"), ("德明", "m"), ("学军", "m"), ("卫东", "m"),
        ("红军", "m"), ("志刚", "m"), ("永红", "f"), ("秀英", "f"), ("桂英", "f"), ("秀兰", "f"),
        ("桂兰", "f"), ("玉兰", "f"), ("淑珍", "f"), ("凤英", "f"), ("玉梅", "f"), ("春梅", "f"),
    ),
    "mid": (
        ("伟", "m"), ("强", "m"), ("磊", "m"), ("军", "m"), ("勇", "m"), ("杰", "m"), ("涛", "m"),
        ("明", "m"), ("超", "m"), ("刚", "m"), ("平", "m"), ("辉", "m"), ("志强", "m"), ("海涛", "m"),
        ("晓东", "m"), ("永强", "m"), ("芳", "f"), ("娜", "f"), ("敏", "f"), ("静", "f"), ("丽", "f"),
        ("艳", "f"), ("娟", "f"), ("霞", "f"), ("燕", "f"), ("玲", "f"), ("海燕", "f"), ("丽娟", "f"),
        ("晓燕", "f"), ("雪梅", "f"),
    ),
    "young": (
        ("浩", "m"), ("宇", "m"), ("鑫", "m"), ("鹏", "m"), ("帅", "m"), ("博", "m"), ("凯", "m"),
        ("洋", "m"), ("俊杰", "m"), ("浩然", "m"), ("子轩", "m"), ("宇航", "m"), ("家豪", "m"),
        ("文博", "m"), ("婷", "f"), ("雪", "f"), ("琳", "f"), ("倩", "f"), ("颖", "f"), ("欣怡", "f"),
        ("梓涵", "f"), ("诗涵", "f"), ("雨萱", "f"), ("佳怡", "f"), ("一诺", "f"), ("洋", "f"),
    ),
}
_FIRST = {
    "m": "志建国海晓永德学文明俊家子宇浩天振新",
    "f": "秀桂玉丽凤淑春海晓雪欣梓诗雨佳静慧美小",
}
_SECOND = {
    "m": "强军明华东平伟杰涛刚龙峰亮成博轩豪航宇鹏辉民庆斌健",
    "f": "英兰梅珍华燕娟艳霞玲婷琳萍芳娜敏静莉倩洁颖怡涵萱雯",
}

# Characters with the same toneless pinyin: what a pinyin IME offers for one syllable.
HOMOPHONE_GROUPS: tuple[str, ...] = tuple(
    """张章彰璋樟 王汪旺望 李黎理丽利莉力立礼历励 刘柳留流 陈晨辰臣沉 杨阳洋扬羊 赵照昭兆召
    黄皇煌凰晃 周舟州洲 吴武伍吾午五 徐许旭序绪栩 胡湖虎户护 朱祝珠竹诸 林琳霖临麟 何和贺河荷
    郭国果 马玛麻 罗洛骆 梁良亮量 宋松颂 郑正政铮峥 韩涵寒汉晗含 唐堂棠 冯峰锋丰枫风凤
    于余鱼俞宇雨玉钰瑜愉 董东冬栋 肖萧晓小筱 程成城诚承 袁元原园源远媛 傅付富福甫芙 沈申深
    彭鹏蓬 卢陆路鲁璐露禄 蒋江姜 蔡才彩 贾佳嘉家 丁鼎 魏伟卫维威薇玮炜巍为蔚 薛雪学
    阎严颜燕艳岩彦妍 夏霞 钟忠中仲 田天甜 任仁 范凡帆樊 方芳放 石史世诗时施仕 姚瑶遥尧 文温雯
    白柏百 崔翠 毛茂 邱秋 秦琴勤 金锦晋 侯厚 孟梦蒙萌 强墙蔷 磊雷蕾垒 军君俊均峻骏钧 勇永泳咏
    杰洁捷婕 涛韬桃陶 明铭鸣名 超朝潮 刚钢岗纲 平萍苹屏坪 辉慧惠晖会徽 华花桦化 飞菲非斐
    鑫新欣心馨昕 波博勃 斌彬滨宾 浩豪昊皓好 凯开楷锴 健建剑坚俭鉴 宁凝柠 龙隆珑 志智之芝治致
    红宏洪鸿虹弘 民敏闽珉 庆青清晴卿 振珍真贞震镇 子梓紫姿 轩萱宣璇暄 然冉 航杭 佑友有又优
    一怡依义艺毅仪逸宜奕 英颖莹迎盈瑛影 桂贵瑰 兰岚蓝澜 梅美媚玫眉 淑舒书叔 春纯淳 娟鹃涓
    玲灵凌铃苓龄 婷亭庭廷停 娜纳那钠 静晶婧靖菁京敬景 倩茜谦前千""".split()
)

# Near-homophones of the Lanzhou accent (front/back nasals, n/l): 林/玲, 陈/程, 静/金, 宁/玲.
NEAR_HOMOPHONE_GROUPS: tuple[str, ...] = ("林琳玲凌", "陈晨程成城", "静晶金锦", "宁凝玲灵", "民敏明铭", "斌彬冰兵")


def _weights(n: int) -> list[float]:
    return [1.0 / (i + 1) ** 0.7 for i in range(n)]


@lru_cache(maxsize=1)
def _tables() -> dict[str, object]:
    surnames = [s for s, _ in SURNAMES]
    surname_cum = list(accumulate(w for _, w in SURNAMES))
    popular: dict[tuple[str, str], tuple[list[str], list[float]]] = {}
    for era, names in _POPULAR.items():
        for gender in ("m", "f"):
            chosen = [n for n, g in names if g == gender]
            popular[(era, gender)] = (chosen, list(accumulate(_weights(len(chosen)))))
    homophones: dict[str, str] = {}
    for group in HOMOPHONE_GROUPS:
        for char in group:
            homophones[char] = group.replace(char, "")
    near: dict[str, str] = {}
    for group in NEAR_HOMOPHONE_GROUPS:
        for char in group:
            near[char] = group.replace(char, "")
    return {
        "surnames": surnames,
        "surname_cum": surname_cum,
        "popular": popular,
        "homophones": homophones,
        "near": near,
    }


def era_of(birth_year: int) -> str:
    """The naming era of a birth year: ``old`` (< 1965), ``mid`` (< 1988) or ``young``."""
    if birth_year < 1965:
        return "old"
    return "mid" if birth_year < 1988 else "young"


def sample_surname(rng: random.Random) -> str:
    """Draw a surname with census-like frequency."""
    tables = _tables()
    return rng.choices(tables["surnames"], cum_weights=tables["surname_cum"])[0]  # type: ignore[arg-type]


def sample_given_name(rng: random.Random, gender: str, birth_year: int) -> str:
    """Draw a given name typical of the gender (``m``/``f``) and birth era.

    Args:
        rng: the world's random source.
        gender: ``m`` or ``f``.
        birth_year: four-digit year of birth.

    Returns:
        One or two Chinese characters.
    """
    roll = rng.random()
    if roll < 0.45:
        names, cum = _tables()["popular"][(era_of(birth_year), gender)]  # type: ignore[index]
        return rng.choices(names, cum_weights=cum)[0]
    if roll < 0.62:
        return rng.choice(_SECOND[gender])
    return rng.choice(_FIRST[gender]) + rng.choice(_SECOND[gender])


def sample_name(rng: random.Random, gender: str, birth_year: int) -> tuple[str, str]:
    """Draw ``(surname, given name)``."""
    return sample_surname(rng), sample_given_name(rng, gender, birth_year)


def homophone_of(name: str, rng: random.Random, near: bool = False) -> str:
    """Replace one character of ``name`` by a same-sounding one, as an operator's IME would.

    Args:
        name: the correct full name.
        rng: the world's random source.
        near: use the accent's near-homophones (front/back nasal, n/l) instead of exact ones.

    Returns:
        The altered name, or ``name`` itself when no character has a homophone.
    """
    table: dict[str, str] = _tables()["near" if near else "homophones"]  # type: ignore[assignment]
    positions = [i for i, ch in enumerate(name) if ch in table]
    if not positions:
        return name
    # Operators get the surname right more often than the given name.
    given = [i for i in positions if i > 0]
    index = rng.choice(given) if given and rng.random() < 0.7 else rng.choice(positions)
    return name[:index] + rng.choice(table[name[index]]) + name[index + 1 :]


def has_homophone(char: str) -> bool:
    """Whether ``char`` belongs to a homophone group."""
    return char in _tables()["homophones"]  # type: ignore[operator]


def is_homophone_variant(a: str, b: str) -> bool:
    """Whether ``b`` differs from ``a`` in exactly one character that is a (near-)homophone of it."""
    if len(a) != len(b) or a == b:
        return False
    diffs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(diffs) != 1:
        return False
    x, y = diffs[0]
    tables = _tables()
    return y in tables["homophones"].get(x, "") or y in tables["near"].get(x, "")  # type: ignore[attr-defined]
