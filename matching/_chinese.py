"""Chinese text folding shared by the standardisers: NFKC, traditional -> simplified, numerals, pinyin keys."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import pandas as pd

from chinese_text import to_simplified

# Everything that is not a letter, digit or CJK ideograph is noise for matching (spaces, 、，·（）- ...).
_NOISE = re.compile(r"[\W_]+", re.UNICODE)
# What is typed into a field whose value is not known (无, 不详, 暂无, NULL, #N/A, 同上 ...), as folded: a
# value every such record would share, so 张 at 不详 would agree with every other 张 at 不详.
NO_VALUE = frozenset(
    {"无", "没有", "不详", "不祥", "未知", "不清楚", "不知道", "暂无", "待补充", "未提供", "未填", "未填写", "未告知",
     "未说明", "未留", "保密", "不便透露", "不愿透露", "拒绝透露", "匿名", "同上", "见附件", "详见附件", "略", "空",
     "地址不详", "住址不详", "无地址", "无住址", "不详地址", "未知地址", "无固定住所", "null", "none", "nan", "na",
     "nil", "unknown", "0"}
)  # fmt: skip
_DIGITS = "零一二三四五六七八九"
# Bounded: a run of numerals before no unit was tried again from each of its characters (quadratic).
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百]{1,12}(?=号|栋|幢|单元|楼|层|室|组|社|队|排|段|期)")
# The commonest single-character surnames (about nine in ten people carry one of them).
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康"
    "施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗"
    "谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜"
    "冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
    "洪阎郁鞠封蔺芮荆禹郜揭"
    "冶喇妥撒"  # the north-west's Hui and Salar surnames (冶爱琴, 喇秀芳): few words start with them
)
# Surnames of two characters.
# The words a message board writes before the number, code or masked mobile it names an account by
# (用户8372, 网友c0t4a, 用户131****6961).
BOARD_HANDLE_WORDS = "用户|网友|游客|市民|手机用户|微信用户"
COMPOUND_SURNAMES = frozenset({"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "夏侯", "令狐",
                               "长孙", "宇文", "司徒", "端木", "独孤", "南宫", "西门"})  # fmt: skip
# How Tibetan and Mongolian given names written in characters begin (扎西顿珠, 次仁卓玛, 乌兰图雅, 斯琴高娃): four
# characters or more with no surname, as a board nickname is, but a person's name, often written without
# the dot a transliterated Uyghur or Kazakh name keeps.
TRANSLITERATED_NAME_STARTS = (
    "扎西|次仁|格桑|索朗|旦增|丹增|达瓦|尼玛|洛桑|多吉|央金|拉姆|平措|普布|边巴|强巴|白玛|贡布|德吉|仁青|桑杰|嘎玛|"
    "曲珍|措姆|卓玛|才让|才旦|更登|南杰|拉巴|乌兰|斯琴|额尔|宝音|巴特|巴图|阿拉|哈斯|其木|那仁|图雅|敖其|布和|吉日|"
    # Amdo's (Qinghai's, Gannan's): 拉毛卓玛, 完玛东智, 周毛吉, 索南加措
    "拉毛|完玛|万玛|东智|周毛|加措|嘉措|多杰|华旦|旦正|公保|切吉|南加|昂秀|尕藏|索南|官却|才仁|扎巴|群培|罗布|次旦|"
    "益西|卓嘎|央宗|拉措|桑吉"
)
# Initials and finals that operators and Lanzhou/northwest dialect speakers confuse (zh/z, n/l, in/ing ...).
_INITIAL_FOLDS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("r", "l"), ("f", "h"))
_FINAL_FOLDS = (("iang", "ian"), ("uang", "uan"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


def is_missing(value: Any) -> bool:
    """``None``, NaN, pandas' NA and NaT are all missing."""
    if value is None or value is pd.NA:
        return True
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return False


def fold_text(value: Any) -> str | None:
    """NFKC (full-width -> half-width), simplified, lower-case, with whitespace and punctuation removed.

    Args:
        value: any scalar; ``None``/NaN/empty become ``None``.

    Returns:
        The folded text, or ``None`` when nothing is left or it says the value is not known (:data:`NO_VALUE`).
    """
    if is_missing(value):
        return None
    text = unicodedata.normalize("NFKC", str(value))
    text = to_simplified(text).lower()
    text = _NOISE.sub("", text)
    return text if text and text not in NO_VALUE else None


def chinese_numerals_to_digits(text: str) -> str:
    """Rewrite small Chinese numerals before address units (三号楼 -> 3号楼, 十二栋 -> 12栋, 四段 -> 4段, 二期 -> 2期)."""
    return _CN_NUMBER.sub(lambda m: str(_cn_to_int(m.group(0))), text)


def _cn_to_int(text: str) -> int:
    text = text.replace("〇", "零").replace("两", "二")
    if "百" not in text and "十" not in text:
        return int("".join(str(_DIGITS.index(c)) for c in text if c in _DIGITS) or 0)
    total, current = 0, 0
    for char in text:
        if char in _DIGITS:
            current = _DIGITS.index(char)
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


# Surnames whose reading differs from the character's everyday one (曾 is zeng, not ceng, as a surname).
SURNAME_READINGS = {"曾": "zeng", "单": "shan", "仇": "qiu", "解": "xie", "查": "zha", "区": "ou", "朴": "piao",
                    "翟": "zhai", "乐": "yue", "盖": "ge", "覃": "qin", "缪": "miao", "员": "yun", "种": "chong",
                    "召": "shao", "繁": "po", "秘": "bi", "长": "chang", "尉": "yu", "句": "gou", "藏": "zang"}  # fmt: skip


@lru_cache(maxsize=65536)
def _char_pinyin(char: str) -> str:
    from pypinyin import lazy_pinyin

    syllables: list[str] = lazy_pinyin(char)
    return "".join(syllables)


def pinyin_syllables(text: str, surname_first: bool = False) -> list[str]:
    """Toneless pinyin, one syllable per character (cached per character, so a million names cost
    little); runs of non-Chinese characters are kept as they are.

    Args:
        text: folded text.
        surname_first: read the first character as a surname (曾 -> zeng).
    """
    syllables: list[str] = []
    latin = ""
    for index, char in enumerate(text):
        if "\u4e00" <= char <= "\u9fff":
            if latin:
                syllables.append(latin)
                latin = ""
            reading = SURNAME_READINGS.get(char) if surname_first and index == 0 else None
            syllables.append(reading or _char_pinyin(char))
        else:
            latin += char
    if latin:
        syllables.append(latin)
    return syllables


@lru_cache(maxsize=1)
def _toneless_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows (about 420), written as its lazy style writes them
    (ü as v: lv, nve)."""
    from pypinyin.constants import PINYIN_DICT

    found = set()
    for readings in PINYIN_DICT.values():
        for reading in readings.split(","):
            marks = unicodedata.normalize("NFKD", reading).replace("u\u0308", "v")
            found.add("".join(c for c in marks if not unicodedata.combining(c)))
    return frozenset(found)


_LATIN_WORD = re.compile(r"[a-z]+")
_LONGEST_NAME = 24


def latin_name_syllables(text: str) -> list[str] | None:
    """A name written in pinyin (Zhang Wei, ZHANG Wei, zhangwei) as its syllables, surname first as
    written, when every word of it splits into two to four syllables in all; else ``None`` (John Smith).

    A word is split longest syllable first, backing off where the rest would not split (xian is one
    syllable, zhangwei two)."""
    words = _LATIN_WORD.findall(unicodedata.normalize("NFKC", text).lower())
    if sum(map(len, words)) > _LONGEST_NAME:
        return None  # four syllables of six letters (Zhuang Shuang) at most; longer is no name, and not split
    syllables: list[str] = []
    for word in words:
        split = _split_syllables(word)
        if split is None:
            return None
        syllables.extend(split)
    return syllables if 2 <= len(syllables) <= 4 else None


def _split_syllables(word: str) -> list[str] | None:
    # From the end backwards, the split of each tail: the longest first syllable whose tail splits. Linear;
    # trying splits recursively was exponential on a typed 'anananan...q' (3 s at 29 letters).
    known = _toneless_syllables()
    splits: list[list[str] | None] = [None] * len(word) + [[]]
    for start in range(len(word) - 1, -1, -1):
        for end in range(min(len(word), start + 6), start, -1):
            if (tail := splits[end]) is not None and word[start:end] in known:
                splits[start] = [word[start:end], *tail]
                break
    return splits[0]


@lru_cache(maxsize=4096)  # a few hundred syllables make every name
def fold_syllable(syllable: str) -> str:
    """Fold one syllable to the sound class confusable by ear: zh/z, ch/c, sh/s, n/l, r/l, f/h, -ng/-n."""
    for source, target in _INITIAL_FOLDS:
        if syllable.startswith(source):
            syllable = target + syllable[len(source) :]
            break
    for source, target in _FINAL_FOLDS:
        if syllable.endswith(source):
            return syllable[: -len(source)] + target
    return syllable
