"""Chinese personal names: surname frequencies, era-typed given names, and the homophones operators type.

Surname weights follow the national census order with a Gansu tilt (马, 魏, 牛 and 雒 are common in
Lanzhou). Given names are drawn from era-typical pools so that namesakes such as 张伟, 王芳 and 李娜
occur as often as they do in a real city.
"""

from __future__ import annotations

import random
import re
from itertools import accumulate

from simulators.dice import pick, weighted

# Surname and weight per 10,000 people.
_SURNAME_TABLE = """
    王720 李720 张680 刘540 陈450 杨310 马240 赵230 黄200 周190 吴190 徐160 孙150 魏120 胡130 朱120 高130 林90 何110 郭120
    罗90 梁90 宋90 郑80 谢70 韩80 唐70 冯80 于60 董70 肖60 程60 曹60 袁60 邓50 许60 傅40 沈40 曾40 彭50 吕50 苏50 卢50 蒋40 蔡40
    贾60 丁45 薛40 叶30 阎40 余30 潘40 杜45 戴25 夏30 钟25 汪30 田45 任45 姜35 范35 方30 石35 姚30 谭20 文20 金25 陆20 郝30 孔20
    白40 崔30 康30 毛20 邱15 秦30 侯25 孟25 段25 雷25 常30 武30 乔20 贺20 牛40 祁20 安20 雒15 景10 拜8 欧阳4 司马2 上官1
"""
SURNAMES: tuple[tuple[str, int], ...] = tuple(
    (m.group(1), int(m.group(2)))
    for m in re.finditer(r"(\D+?)(\d+)", _SURNAME_TABLE.replace("\n", " ").replace(" ", ""))
)

# Popular given names by birth era, each followed by the gender it is given to (m/f).
_POPULAR = {
    "old": "建国m 建华m 国庆m 德明m 学军m 卫东m 红军m 志刚m 永红f 秀英f 桂英f 秀兰f 桂兰f 玉兰f 淑珍f 凤英f 玉梅f 春梅f",
    "mid": "伟m 强m 磊m 军m 勇m 杰m 涛m 明m 超m 刚m 平m 辉m 志强m 海涛m 晓东m 永强m 芳f 娜f 敏f 静f 丽f 艳f 娟f 霞f 燕f 玲f 海燕f 丽娟f 晓燕f 雪梅f",
    "young": "浩m 宇m 鑫m 鹏m 帅m 博m 凯m 洋m 俊杰m 浩然m 子轩m 宇航m 家豪m 文博m 婷f 雪f 琳f 倩f 颖f 欣怡f 梓涵f 诗涵f 雨萱f 佳怡f 一诺f 洋f",
}
_FIRST = {
    "m": "志建国海晓永德学文明俊家子宇浩天振新立世兴成光春长红卫福金玉庆跃鸿少正嘉锦博承瑞宏思泽一雨晨梓皓铭"
    "云兆昌茂汉启耀希广保树连万和守克孝忠爱向东兆胜玉开泰朝炳彦鹤景卓远秋绍宗",
    "f": "秀桂玉丽凤淑春海晓雪欣梓诗雨佳静慧美小金红翠彩月爱艳婉思若可子一紫梦晶芳雅佩素巧明冬亚"
    "瑞凤晴嘉婧晓心语安文书清秋海琳语梦依新春月春冰碧宝彩锦惠兰",
}
_SECOND = {
    "m": "强军明华东平伟杰涛刚龙峰亮成博轩豪航宇鹏辉民庆斌健波林山生荣祥财勇武发贵喜宁安飞超磊鑫阳凯文彬源哲然睿泽琦"
    "斐昊恒毅诚俊逸峻岩松柏涌楠晖铭锋锐钢坤翔鸣璋江河洲海坚良义仁信才德善远",
    "f": "英兰梅珍华燕娟艳霞玲婷琳萍芳娜敏静莉倩洁颖怡涵萱雯琴红芬凤花丽云香莲秀菊琼慧悦彤瑶妍欣宁蓉薇月璐晨茜岚雪露丹萌琪菲媛"
    "娇娥婵嫣姝娅婕妮姗珊瑾瑜璇琦舒蕾蕊芸芝萍荷蓓韵霏霖雁鹃黛",
}
_FIRST = {gender: "".join(dict.fromkeys(chars)) for gender, chars in _FIRST.items()}  # drop repeats
_SECOND = {gender: "".join(dict.fromkeys(chars)) for gender, chars in _SECOND.items()}

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
NEAR_HOMOPHONE_GROUPS: tuple[str, ...] = (
    "林琳玲凌",
    "陈晨程成城",
    "静晶金锦",
    "宁凝玲灵",
    "民敏明铭",
    "斌彬冰兵",
)


def _weights(n: int) -> list[float]:
    return [1.0 / (i + 1) ** 0.7 for i in range(n)]


def _popular_tables() -> dict[tuple[str, str], tuple[list[str], list[float]]]:
    tables = {}
    for era, names in _POPULAR.items():
        for gender in ("m", "f"):
            chosen = [entry[:-1] for entry in names.split() if entry[-1] == gender]
            tables[(era, gender)] = (chosen, list(accumulate(_weights(len(chosen)))))
    return tables


def _others(groups: tuple[str, ...]) -> dict[str, str]:
    """Each character -> the other characters of its group."""
    return {char: group.replace(char, "") for group in groups for char in group}


_SURNAMES = tuple(s for s, _ in SURNAMES)
_SURNAME_CUM = tuple(accumulate(w for _, w in SURNAMES))
_POPULAR_TABLES = _popular_tables()
_HOMOPHONES = _others(HOMOPHONE_GROUPS)
_NEAR = _others(NEAR_HOMOPHONE_GROUPS)


def era_of(birth_year: int) -> str:
    """The naming era of a birth year: ``old`` (< 1965), ``mid`` (< 1988) or ``young``."""
    if birth_year < 1965:
        return "old"
    return "mid" if birth_year < 1988 else "young"


def sample_surname(rng: random.Random) -> str:
    """Draw a surname with census-like frequency."""
    return weighted(rng, _SURNAMES, _SURNAME_CUM)


def sample_given_name(rng: random.Random, gender: str, birth_year: int, popular: float = 0.10) -> str:
    """Draw a given name typical of the gender (``m``/``f``) and birth era.

    Args:
        rng: the world's random source.
        gender: ``m`` or ``f``.
        birth_year: four-digit year of birth.
        popular: share of names drawn from the era's few most popular ones (namesake density).

    Returns:
        One or two Chinese characters.
    """
    roll = rng.random()
    if roll < popular:
        names, cum = _POPULAR_TABLES[(era_of(birth_year), gender)]
        return weighted(rng, names, cum)
    if roll < popular + 0.12:
        return pick(rng, _SECOND[gender])
    return pick(rng, _FIRST[gender]) + pick(rng, _SECOND[gender])


def sample_name(rng: random.Random, gender: str, birth_year: int, popular: float = 0.10) -> tuple[str, str]:
    """Draw ``(surname, given name)`` (``popular``: see :func:`sample_given_name`)."""
    return sample_surname(rng), sample_given_name(rng, gender, birth_year, popular)


def homophone_of(name: str, rng: random.Random, near: bool = False) -> str:
    """Replace one character of ``name`` by a same-sounding one, as an operator's IME would.

    Args:
        name: the correct full name.
        rng: the world's random source.
        near: use the accent's near-homophones (front/back nasal, n/l) instead of exact ones.

    Returns:
        The altered name, or ``name`` itself when no character has a homophone.
    """
    table = _NEAR if near else _HOMOPHONES
    positions = [i for i, ch in enumerate(name) if ch in table]
    if not positions:
        return name
    # Operators get the surname right more often than the given name.
    given = [i for i in positions if i > 0]
    index = pick(rng, given) if given and rng.random() < 0.7 else pick(rng, positions)
    return name[:index] + pick(rng, table[name[index]]) + name[index + 1 :]


def has_homophone(char: str) -> bool:
    """Whether ``char`` belongs to a homophone group."""
    return char in _HOMOPHONES


def is_homophone_variant(a: str, b: str) -> bool:
    """Whether ``b`` differs from ``a`` in exactly one character that is a (near-)homophone of it."""
    if len(a) != len(b) or a == b:
        return False
    diffs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if len(diffs) != 1:
        return False
    x, y = diffs[0]
    return y in _HOMOPHONES.get(x, "") or y in _NEAR.get(x, "")
