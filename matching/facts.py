"""The facts a complaint quotes (sums, dates, durations, flats), as tokens equal across every way of writing them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from matching._chinese import is_missing
from matching._dates import as_date, date_token, days_back, months_back, relative_date
from matching._numerals import BELOW, NUMERAL_CHARS, ROUGH, amount_bounds, parse_number
from matching._subjects import subject_names, subject_tokens

__all__ = [
    "extract_facts",
    "fact_anchors",
    "fact_tokens",
    "building_marks",
    "names_day_without_year",
    "says_relative_date",
    "subject_names",
    "subject_tokens",
]

_CN = NUMERAL_CHARS + "几"
_CND = "〇零一二三四五六七八九"
# A run of numerals is read up to 24 characters (十二亿三千四百五十六万七千八百九十 is 17): unbounded, a
# run that is no number (a pasted 十十十...) was tried again from each of its characters, quadratic in its
# length (20,000 characters: 13 s).
_CN_RUN, _CN_RUN0 = f"[{_CN}]{{1,24}}", f"[{_CN}]{{0,24}}"
# Traditional forms of the characters the patterns read (full tables cost more than the whole scan).
_TRADITIONAL_CHARS = "萬億兩貳參陸號樓棟單個餘塊圓幾來週禮錢約將後還賠計資費額這頭總"
_FOLD = str.maketrans(_TRADITIONAL_CHARS, "万亿两贰叁陆号楼栋单个余块圆几来周礼钱约将后还赔计资费额这头总")
_TRADITIONAL = re.compile(f"[{_TRADITIONAL_CHARS}]")
# Starts with the comma, so the engine jumps from comma to comma (a leading look-behind tests every place).
# A group of three digits after one of one to three (1,338,100): 2104，2204 is a list of two rooms.
_THOUSANDS = re.compile(r"[,，](?<=\d[,，])(?<!\d{4}[,，])(?=\d{3}(?!\d))")
# Texts with none of these quote no fact: the fast path.
_ANY = re.compile(f"[0-9０-９{_CN}萬億兩貳參陸幾半去今前上这這本昨仨俩倆]")
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_MONTH = r"\d{1,2}|十[一二]?|[一二三四五六七八九]"
_DAY = r"\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_PART = f"\\d{{1,5}}|[{_CND}十百]{{1,6}}"
# Plates (甘A·632MW) identify the vehicle of an accident; scanned apart, as few texts have Latin letters.
_PLATE = re.compile(f"[{_PROVINCES}][A-Za-z]·?[A-Za-z0-9]{{5,6}}(?![A-Za-z0-9])")
_LETTER = re.compile("[A-Za-z]")
_UNUSUAL = re.compile(f"[A-Za-z{_TRADITIONAL_CHARS}]")
_RELATIVE_WORDS = "去年|今年|前年|上个?月|这个月|本月|昨天|前天|今天"
# A unit is 单元 or, in the north, 门 (5号楼2门301); a floor may come between it and the room (2单元3楼301).
# A building or unit may be a letter (B座, A1栋, A单元), as newer estates and office towers name them.
_LETTERED = "(?<![A-Za-z])[A-Za-z]\\d{0,2}"
_FLAT_WITH_UNIT = (
    f"(?P<fb>{_LETTERED}|{_PART})(?:号楼|栋|幢|座|号)(?P<fu>[A-Za-z]|{_PART})(?:单元|门)(?:\\d{{1,2}}[楼层])?"
    # 19栋3单元4楼, 31栋3单元19楼: a floor, no room (and not room 1 of 19楼)
    f"(?P<fr>\\d{{1,5}}(?![\\d楼层])|[{_CND}十百]{{1,6}}(?![{_CND}十百楼层]))"
    # 7-5-902, 7栋5-902, 23—6—504 (a dash, an en or an em dash, as keyboards type them)
    r"|(?<![\d\-—–])(?P<hb>\d{1,3})(?:[-—–]|号楼|栋|幢|座)(?P<hu>\d{1,2})[-—–](?P<hr>\d{3,4})(?![\d\-—–])"
)


def _scanner(relative: bool) -> re.Pattern[str]:
    """One scan, alternatives in priority order: flats, dates, (relative dates), months, halves, numbers.

    The leading look-ahead lets the engine skip every character that cannot start a fact in one test,
    instead of trying each alternative there (8x faster on long texts).
    """
    return re.compile(
        f"(?=[0-9A-Za-z{_CN}半{'去今前上这本昨' if relative else ''}])(?:"
        r"(?P<phone>1[3-9]\d-\d{4}-\d{4}|0\d{2,3}-\d{7,8})"
        f"|{_FLAT_WITH_UNIT}"  # a flat and its unit, written out or dashed (7-5-902)
        f"|(?P<gb>{_LETTERED}|{_PART})(?:号楼|栋|幢|座)(?P<gr>\\d{{3,4}}|[{_CND}]{{3,4}})(?![\\d{_CND}])"
        f"|(?P<y4>\\d{{4}}|[{_CND}]{{4}})年(?:(?P<mo>{_MONTH})月份?(?:(?P<da>{_DAY})[日号])?)?"
        f"|(?P<y2>\\d{{2}}|[{_CND}]{{2}})年(?P<mo2>{_MONTH})月份?(?:(?P<da2>{_DAY})[日号])?"
        r"|(?P<sy>\d{4})(?P<sep>[./-])(?P<sm>\d{1,2})(?P=sep)(?P<sd>\d{1,2})(?![\d.])"
        r"|(?P<ty>\d{4})[-/](?P<tm>\d{1,2})(?![\d/-])"
        r"|(?P<dy>\d{4})\.(?P<dmo>\d{1,2})(?![\d.]|[万千元块wWkK%])"  # 2025.12, 2025.3-2025.10; not 2025.12元
        r"|(?P<dm>\d{1,2})\.(?P<dd>\d{1,2})[日号](?!楼)"  # 12.3号
        + (
            f"|(?P<rel>{_RELATIVE_WORDS})(?:(?P<rmo>{_MONTH})月份?)?(?:(?P<rda>{_DAY})[日号])?"
            if relative
            else ""
        )
        + f"|(?P<mm>{_MONTH})月份?(?:(?P<md>{_DAY})[日号])?"
        r"|(?<![一二三四五六七八九十两\d])半(?P<half>个多月|个月|年多|年)"
        f"|(?P<run>\\d+(?:\\.\\d+)?(?:[多余]?[十拾百佰千仟万亿](?:\\d+(?:\\.\\d+)?|[{_CND}两])?)*"
        r"(?:[wWkK](?![a-zA-Z])(?:\d(?![\d.]))?)?"  # 3.2w, 32k, and 2w5 as 2万5
        f"|{_CN_RUN}[多余]{_CN_RUN0}[万亿千]|{_CN_RUN0}[万亿千仟百佰]{_CN_RUN0}"
        f"|{_CN_RUN}(?=[多余来把元块圆%度]|个[月星礼多半]|年|天|周|平方|左右|上下)|(?<=百分之){_CN_RUN})"
        r"(?P<approx>多|余|来|把)?"
        r"(?P<scale>(?<=来)[万亿])?"  # 二十来万: the scale after 来 (二十多万 keeps it in the number)
        r"(?P<unit>个多月|个半月|个月|年半|年多|年|天|周|个星期|个礼拜|元钱|块钱|元|块|圆|人民币|RMB|rmb|平方米|平米|平方|平(?![台凉安])|m2|%|度)?"
        r"(?P<tail>左右|上下|以上|以下|以内|以前|之前|以后|之后|以来|出头|前|后|了)?)"
    )


_FACT, _FACT_RELATIVE = _scanner(False), _scanner(True)
_MONEY = frozenset({"元", "块", "圆", "元钱", "块钱", "人民币", "RMB", "rmb"})  # 15000RMB as 15000元
_DURATION_MONTHS = {"个月": 1, "个半月": 1, "年": 12, "年半": 12}
_DURATION_DAYS = {"天": 1, "周": 7, "个星期": 7, "个礼拜": 7}
_AGO = frozenset({"前", "以前", "之前"})
_RELATIVE_TAILS = frozenset({"以前", "之前", "以后", "之后", "前", "后"})
_VAGUE_BEFORE = ROUGH + BELOW
# What a scaled number without 元 counts when it is not money (一万多人, 三千米, 两万平方米).
_COUNTERS = frozenset("人户名位家个次套间栋层平亩米斤吨辆台件份岁字条所张只头棵株方步伏瓦")
# A bare number right after these words is a sum (欠了32000, 共计5600): the same fact as 32000元.
_MONEY_CONTEXT = re.compile(r"欠|工资|共计|合计|一共|总共|金额|款|费|投了|投资|赔|押金|定金|借了|花了")
_BLOCKS = frozenset("地砖石板玻牌")
# Characters that make a word with a numeral after a number (两万一直, 三千一共, 五万一分), so the
# numeral is not the spoken last digit of 三万二.
_WORD_STARTS = frozenset("直共起样分点下个些定再拖切般次旦概律向家人年月天号层栋楼单室")
_SCALED = re.compile(r"[万亿千仟wWkK]")
_MORE = ("多", "余")
# The scale said after 来 (二十来万 = 150,000-300,000: 二十来 of 万).
_SCALE_AFTER = {"万": 10_000, "亿": 100_000_000}
_SPOKEN_RANGE = re.compile(f"[{_CND}两]{{2,}}")
# Emergency and government hotlines: every channel's text may name them, whatever the dispute.
_SERVICE_NUMBERS = frozenset({"110", "119", "120", "122", "12345", "12315", "12333", "12348", "12351",
                              "12358", "12365", "12369", "96110"})  # fmt: skip
_CURRENCY = ("¥", "RMB", "rmb", "人民币")
_CODE_MARKS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz·#_")
_YEARS = frozenset({"去年", "今年", "前年"})  # 去年10月 without the report date: no fact at all
_SPAN_END = frozenset("至到~-—、")
_NOT_A_MONTH = frozenset("个每上下几数半这本同当次正腊岁满隔")


def extract_facts(
    value: Any, reported: date | datetime | str | None = None, *, subjects: bool = False
) -> str | None:
    """The facts a description quotes, as sorted distinct typed tokens joined by spaces.

    Every way of writing one fact gives one token, and when a form is unsure nothing is emitted (a
    missing fact is "not comparable", a wrong one would contradict). The first character is the type:

    - ``a<yuan>`` an exact sum: 32000元, 3.2万, 3.2w, 32k, 三万二, 叁万贰仟元, 欠了32000 -> ``a32000``.
    - ``b<low>-<high>`` a vague sum, both ends inclusive (:func:`matching._numerals.amount_bounds`):
      两万多 -> ``b20000-30000``, 十几万 -> ``b100000-200000``, 千把块 -> ``b800-2000``.
    - ``d<yyyy>``, ``d<yyyymm>``, ``d<yyyymmdd>`` a date at the precision written (2024年, 24年8月,
      2024.8.1); relative dates (上个月, 去年10月, 三个月前, 昨天) only when ``reported`` is given.
    - ``m<mm>``, ``m<mmdd>`` a month or day without a year (10月, 8月1号); with ``reported``, also the
      ``d`` date it names then (the latest such day not after the report).
    - ``t<n>m`` / ``t<n>d`` a duration in months (半年 -> ``t6m``, 一年半 -> ``t18m``) or days (两周 ->
      ``t14d``); vague ones (半年多, 三个多月) give nothing.
    - ``r<building>-<unit>-<room>`` / ``r<building>-<room>`` a flat (7号楼5单元902室, 7-5-902); ``h…``
      the same for a neighbour's, named right after 楼下, 邻居, 对门 … (楼下31号1单元1804号).
    - ``c<percent>`` a rate, ``s<m²>`` an area, ``e<n>`` degrees, ``v<plate>`` a number plate.
    - ``n<digits>`` another number of 3-6 digits (a case or house number), not a phone, id or hotline.
    - ``o<name>`` / ``p<name>`` with ``subjects``: an organisation or a project named (:func:`subject_tokens`).

    Args:
        value: the description as sent (full-width digits and traditional characters are folded).
        reported: when the report was made (a date, datetime or ISO string), for relative dates.
        subjects: add ``o<trade name>`` / ``p<trade name>`` tokens for the organisations and the
            projects or places it names (:func:`subject_tokens`).

    Returns:
        The tokens, or ``None`` when the text quotes no facts.
    """
    tokens = fact_tokens(value, reported)
    if subjects:
        tokens |= subject_tokens(value)
    return " ".join(sorted(tokens)) if tokens else None


def fact_anchors(facts: str | None) -> tuple[str | None, str | None]:
    """The two facts of a description specific enough to find its other reports by: ``(sum, flat)``.

    ``sum`` is the largest exact sum it quotes (``a171800``): the amount owed, paid or claimed, which
    every report of one dispute repeats however it is written, while smaller sums are parts of it (a
    month's wage). ``flat`` is the first flat it names (``r7-5-902``). Blocking pairs reports that share
    one (``content_sum`` / ``content_flat``): a caller who gave no name, or an app user who gave no phone,
    shares nothing else with the named reports of the same dispute. Vague sums (``b…``), dates, projects
    and employers are left out: the members of one group dispute share those.

    Args:
        facts: :func:`extract_facts`' tokens (space-separated), or ``None``.

    Returns:
        ``(sum token or None, flat token or None)``.
    """
    if not facts:
        return None, None
    top, top_value, flat = None, -1.0, None
    for token in facts.split():
        if token[0] == "a":
            value = float(token[1:])
            if value > top_value:
                top, top_value = token, value
        elif token[0] == "r" and flat is None:
            flat = token
    return top, flat


_UNIT_FLAT = re.compile(f"(?=[0-9A-Za-z{_CN}])(?:{_FLAT_WITH_UNIT})")


# A building written with # (5#楼2单元301, 5#2-301): the same building as 5号楼.
_HASH_FLAT = re.compile(r"(?<=\d)\s*[#＃]\s*(?=\d{1,2}\s*[-－—–]\s*\d{3,4}(?!\d))")
_HASH_BUILDING = re.compile(r"(?<=\d)\s*[#＃]\s*楼?")


def building_marks(text: str) -> str:
    """``text`` with a building written with # and a room written as its floor and door as the flat
    patterns read them: 5#2-301 -> 5-2-301, 5#楼 and 5# -> 5号楼, 4单元6楼2号 -> 4单元602号, 2门1层1户 ->
    2门101号, 6单元11-3 -> 6单元1103号, 36-2-10-5 -> 36-2-1005."""
    if "单元" in text or "门" in text:
        text = _FLOOR_DOOR.sub(_floor_door, text)
    if _DASHES.search(text):
        text = _FOUR_PART_FLAT.sub(_four_part_flat, text)
    if "#" not in text and "＃" not in text:
        return text
    return _HASH_BUILDING.sub("号楼", _HASH_FLAT.sub("-", text))


# A room said as its floor and its door after the unit (3栋4单元6楼2号, 32楼5号; the north's 2门1层1户 and
# 6单元11-3, floor 11 door 3): room 602, 3205, 101, 1103, as the door plates and the other channels write it.
# A dashed pair is a floor and door only when both are short (6单元1-1502 is no flat of this kind).
_FLOOR_DOOR = re.compile(
    r"(?<=单元|[0-9]门)(\d{1,2})(?:[楼层](\d{1,2})[号户]|[-－—–](\d{1,2}))(?![楼层\d\-－—–])"
)


# The north's building, unit, floor and door dashed (36-2-10-5, 22-6-18-3): the flat 36-2-1005. Not inside a
# longer run of digits and dashes (a phone, a date, a case number).
_DASHES = re.compile("[-－—–]")
_FOUR_PART_FLAT = re.compile(
    r"(?<![\d\-－—–])(\d{1,3})[-－—–](\d{1,2})[-－—–](\d{1,2})[-－—–](\d{1,2})(?![\d\-－—–])"
)


def _four_part_flat(match: re.Match[str]) -> str:
    building, unit, floor, door = (int(part) for part in match.groups())
    return f"{building}-{unit}-{floor}{door:02d}"


def _floor_door(match: re.Match[str]) -> str:
    return f"{int(match.group(1))}{int(match.group(2) or match.group(3)):02d}号"


def unit_flat(value: Any) -> str | None:
    """The flat a text names down to its unit (``r14-5-1403`` for 14号楼5单元1403室 or 14-5-1403), as
    :func:`fact_tokens` writes it, else ``None``: a home's, where a room alone (1501室) may be an office's.
    Of several, the first. One small pattern, not the whole scanner: every address is read."""
    if is_missing(value):
        return None
    for match in _UNIT_FLAT.finditer(str(value)):
        parts = (
            match.group("fb", "fu", "fr") if match.group("fb") is not None else match.group("hb", "hu", "hr")
        )
        building, unit, room = (_flat_part(part) for part in parts)
        if building and unit and room:
            return f"r{building}-{unit}-{room}"
    return None


def _flat_part(part: str | None) -> int | str | None:
    """A building's, unit's or room's number, or its letter as written in capitals (b座 is B座)."""
    if part is not None and part[:1].isascii() and part[:1].isalpha():
        return part.upper()
    return _int(part)


def down_to_unit(token: str) -> bool:
    """Whether a home token names all three of its parts: a flat's building, unit and room
    (``r14-5-1403``; a room alone, ``r1501``, may be an office's) or a village's group and house number
    (``v五一村-11-118``, :func:`matching._address.village_house`)."""
    return token.count("-") == 2


# A decimal said in words before its unit (三点二万 = 3.2万, 十二点五万): written as digits before the scan, which
# would otherwise read 二万 alone. Only before 万/亿/千 or w: 三点二十 is a time of day.
_SPOKEN_DECIMAL = re.compile(f"([{NUMERAL_CHARS}两]+)点([{_CND}]+)(?=[万亿千仟wW])")
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _spoken_decimal(match: re.Match[str]) -> str:
    whole = parse_number(match.group(1))
    if whole is None or whole != int(whole):
        return match.group(0)
    return f"{int(whole)}.{match.group(2).translate(_CN_DIGITS)}"


# 数 as a digit is 几, "some" (数十万 = 几十万, 十数万 = 十几万, 数千元): read as 十万 alone it was an exact sum.
_SEVERAL = re.compile(r"(?<=[十拾])[数數](?=[万萬亿億千仟百佰])|[数數](?=[十拾百佰千仟万萬亿億])")

# A number masked for privacy (138****1234, 620102********9924): its visible ends are no fact, and every
# masked phone of one prefix would share them.
_MASKED_NUMBER = re.compile(r"[0-9A-Za-z]*(?:\*{2,}|×{2,}|[xX]{4,})[0-9A-Za-z]*")


# A duration in years and months (一年零三个月, 1年3个月, 两年又五个月): one duration in months, not a year and
# then three months apart.
_YEARS_AND_MONTHS = re.compile(f"([0-9{_CND}两十]{{1,3}})年(?:零|又)?([0-9{_CND}两十]{{1,3}})个(多)?月")


def _in_months(match: re.Match[str]) -> str:
    years, months = parse_number(match.group(1)), parse_number(match.group(2))
    if years is None or months is None or not 0 < years <= 60 or not 0 < months < 12:
        return match.group(0)  # 2024年3个月 is no duration
    return f"{int(years * 12 + months)}个{match.group(3) or ''}月"  # 一年零三个多月 stays vague


# 仨 and 俩 are 三个 and 两个 in one syllable (拖了仨月, 俩月没发; 俩个月 as typed): read as what they say.
_COUNTED = re.compile("([仨俩倆])个?")
_COUNTED_AS = {"仨": "三个", "俩": "两个", "倆": "两个"}


# What makes a description's facts depend on the day it was said: the relative words (traditional forms too:
# the text is not folded yet) and an interval ago (三个月前, 两周以前). A false alarm (两年前的事) only has a
# text read twice.
_SAYS_RELATIVE = re.compile(f"{_RELATIVE_WORDS}|上個?月|這個月|[年月天周期拜][以之]?前")


def says_relative_date(value: Any) -> bool:
    """Whether a description may name a date relative to its report, so that its facts need the day."""
    return isinstance(value, str) and _SAYS_RELATIVE.search(value) is not None


def _with_years(tokens: set[str], reported: date) -> set[str]:
    """``tokens`` with each day or month said without a year (``m0801``, ``m10``) also as the date it names
    said on ``reported``: the latest such day or month not after it (8月1号 said on 2026-03-10 is
    2025-08-01). The ``m`` token stays, so two reports that straddle the day still agree on it while their
    ``d`` tokens differ; a text quoting 2025年8月1日 agrees with one saying 8月1号."""
    added = set()
    for token in tokens:
        if token[0] != "m" or len(token) not in (3, 5) or not token[1:].isdigit():
            continue
        month, day = int(token[1:3]), int(token[3:5]) if len(token) == 5 else None
        year = reported.year - 1 if (month, day or 1) > (reported.month, reported.day) else reported.year
        if (resolved := date_token(year, month, day)) is not None:
            added.add(resolved)
    return tokens | added


def names_day_without_year(facts: Any) -> bool:
    """Whether facts (:func:`extract_facts`' tokens) hold a day or month said without a year (``m0801``),
    which the day the text was said dates."""
    return isinstance(facts, str) and _MONTH_TOKEN.search(facts) is not None


_MONTH_TOKEN = re.compile(r"(?:^| )m\d")


def fact_tokens(value: Any, reported: date | datetime | str | None = None) -> set[str]:
    """The set of fact tokens of a description (:func:`extract_facts` without the joining)."""
    if is_missing(value) or not _ANY.search(text := str(value)):
        return set()
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if " " in text:
        text = text.replace(" ", "")
    if "*" in text or "×" in text or "xxxx" in text.lower():
        text = _MASKED_NUMBER.sub("|", text)
    if "," in text or "，" in text:
        text = _THOUSANDS.sub("", text)
    text = building_marks(text)
    if "点" in text:
        text = _SPOKEN_DECIMAL.sub(_spoken_decimal, text)
    if "数" in text or "數" in text:
        text = _SEVERAL.sub("几", text)
    if "仨" in text or "俩" in text or "倆" in text:
        text = _COUNTED.sub(lambda match: _COUNTED_AS[match.group(1)], text)
    if "年" in text and "个" in text:
        text = _YEARS_AND_MONTHS.sub(_in_months, text)
    tokens: set[str] = set()
    if _UNUSUAL.search(text):  # one scan for the two rare cases
        if _TRADITIONAL.search(text):
            text = text.translate(_FOLD)
        if _LETTER.search(text):
            tokens.update(f"v{plate.replace('·', '').upper()}" for plate in _PLATE.findall(text))
            text = _PLATE.sub("|", text)
    day = as_date(reported)
    for match in (_FACT if day is None else _FACT_RELATIVE).finditer(text):
        token = _HANDLERS[match.lastgroup or "run"](match, text, day)
        if token:
            tokens.add(token)
    return tokens if day is None else _with_years(tokens, day)


def _int(part: str | None) -> int | None:
    if part is None:
        return None
    if part.isdigit():
        return int(part)
    value = parse_number(part)
    return int(value) if value is not None and value == int(value) else None


def _nothing(match: re.Match[str], text: str, day: date | None) -> str | None:
    return None  # a phone number written with dashes: consumed, so its parts are not read as numbers


def _flat(match: re.Match[str], text: str, day: date | None) -> str | None:
    building, unit, room = match.group("fb", "fu", "fr")
    if building is None:
        building, unit, room = match.group("hb", "hu", "hr")
        if building is None:
            building, room = match.group("gb", "gr")
    b, r = _flat_part(building), _int(room)
    if not b or not r:
        return None
    kind = "h" if _NEIGHBOUR_BEFORE.search(text, max(0, match.start() - 8), match.start()) else "r"
    if unit is None:
        return f"{kind}{b}-{r}"
    u = _flat_part(unit)
    return f"{kind}{b}-{u}-{r}" if u else None


# A flat named right after the neighbour it belongs to, in the same clause (楼下31号1单元1804号阻挠…, 邻居
# 23栋4单元3204长期堆放杂物, 对门9号楼3单元202室): the other side's home, not the complainant's. Its own kind
# (``h``), so that a report naming only the neighbour's flat does not contradict one naming the filer's.
_NEIGHBOUR_BEFORE = re.compile(r"(?:楼上|楼下|邻居|对门|隔壁|对面|邻家)[^，。；;,.!！?？：:]{0,4}$")


def _absolute(match: re.Match[str], text: str, day: date | None) -> str | None:
    year, month, dd = match.group("y4", "mo", "da")
    if year is not None:
        return date_token(_int(year), _int(month), _int(dd))
    year, month, dd = match.group("sy", "sm", "sd")
    if year is not None:
        return date_token(_int(year), _int(month), _int(dd))
    year, month, dd = match.group("y2", "mo2", "da2")
    if year is not None:
        short = _int(year) or 0
        return date_token(short + (2000 if short < 50 else 1900), _int(month), _int(dd))
    if (year := match.group("dy")) is not None:
        return date_token(_int(year), _int(match.group("dmo")), None)
    return date_token(_int(match.group("ty")), _int(match.group("tm")), None)


def _relative(match: re.Match[str], text: str, day: date | None) -> str | None:
    if day is None:
        return None  # 上个月 says nothing without the day it was said
    word, start = match.group("rel"), match.start()
    # 上上个月, 大前天, 大前年: one step further back than the word the scan found inside them; but 楼上 上个月
    # is the flat above, last month.
    further = (
        start > 0
        and (text[start - 1], word[0]) in _FURTHER
        and (word[0] != "上" or text[start - 2 : start - 1] not in _ENDS_WITH_SHANG)
    )
    return relative_date(word, _int(match.group("rmo")), _int(match.group("rda")), day, further=further)


_FURTHER = frozenset({("上", "上"), ("大", "前")})
_ENDS_WITH_SHANG = frozenset("楼晚早马网路身街手加以之墙地顶床桌头面")


def _dotted_day(match: re.Match[str], text: str, day: date | None) -> str | None:
    return _month_token(_int(match.group("dm")), _int(match.group("dd")))


def _month(match: re.Match[str], text: str, day: date | None) -> str | None:
    before = text[match.start() - 1] if match.start() else ""
    if (
        before in _SPAN_END
        or before in _NOT_A_MONTH
        or text[max(0, match.start() - 2) : match.start()] in _YEARS
    ):
        return None  # 2026年3月至6月: the span's start carries the date; 每3月 is no date
    return _month_token(_int(match.group("mm")), _int(match.group("md")))


def _month_token(month: int | None, dd: int | None) -> str | None:
    """``m<mm>`` or ``m<mmdd>`` for a month or day said without a year; ``None`` for no such day."""
    if month is None or not 1 <= month <= 12:
        return None
    if dd is None:
        return f"m{month:02d}"
    return f"m{month:02d}{dd:02d}" if 1 <= dd <= 31 else None


def _half(match: re.Match[str], text: str, day: date | None) -> str | None:
    unit, end = match.group("half"), match.end()
    before = text[max(0, match.start() - 2) : match.start()]
    if "多" in unit or before.endswith(_VAGUE_BEFORE + ("大",)) or before[-1:] in _HALF_OF:
        return None  # 半年多, 大半年; 下半年 is the second half of a year, not six months
    if text[end : end + 1] in ("前", "后"):
        return months_back(day, 6) if day and unit == "年" and text[end] == "前" else None
    return "t6m" if unit == "年" else "t15d"


_HALF_OF = frozenset("上下前后")


def _number(match: re.Match[str], text: str, day: date | None) -> str | None:
    run, approx, scale, unit, tail = match.group("run", "approx", "scale", "unit", "tail")
    start, end = match.start(), match.end()
    before = text[max(0, start - 4) : start]
    if before.endswith(_OFFERED):
        return None  # 对方只肯出3222元: what the other side offers, which each report may say differently
    if unit == "元" and approx is None and tail is None and run.isdigit() and len(run) <= 9:
        if not before.endswith(_VAGUE_BEFORE):
            return f"a{int(run)}"  # the common case, 32000元, decided at once
    currency = before.endswith(_CURRENCY)
    if before[-1:] in _CODE_MARKS and not currency:
        return None  # 甘A·3125W is a number plate, not 31,250,000
    if not run[0].isdigit() and _SPOKEN_RANGE.fullmatch(run):
        return None  # 六七个月, 两三年, 三五千: a spoken range, not 67 or 23
    scaled = scale is not None or (
        unit is None
        and (
            currency
            or _SCALED.search(run) is not None
            or ((approx in _MORE or not run[0].isdigit()) and _money_context(before))
        )
    )
    if unit in _MONEY or scaled:
        if unit is None and text[end : end + 1] in _COUNTERS:
            return None
        if unit == "块" and text[end : end + 1] in _BLOCKS:
            return None
        if not unit and not approx and run[-1] in _CND and text[end : end + 1] in _WORD_STARTS:
            run = run[:-1]  # 两万一直没给: the 一 begins 一直, it is not 两万一 (21000)
        return _amount(run, approx, tail, before, _SCALE_AFTER.get(scale or "", 1))
    if unit in _DURATION_MONTHS or unit in _DURATION_DAYS:
        if text[end : end + 1] == "到":
            return None  # 一年到头, 一天到晚
        if tail in _AGO:
            return _ago(run, approx, unit, before, day)
        return _duration(run, approx, unit, tail, before)
    if unit is not None or approx is not None:
        return _measure(run, approx, unit, tail, before)
    if not run.isdigit() or before.endswith("百分之"):
        return f"c{_plain(parse_number(run))}" if before.endswith("百分之") and parse_number(run) else None
    if len(run) < 3 or len(run) > 6 or run[0] == "0" or run in _SERVICE_NUMBERS:
        return None  # 23号 is a house number; 7+ digits are phones, ids, cards; 12345 is the hotline
    if tail is None and _money_context(before):
        return f"a{int(run)}"
    return f"n{run}"


# What the other side offers or has paid so far, not the sum the dispute is over (the loss, the fee, the
# wage): one report says the offer, another the loss, and the facts guard would hold them apart.
_OFFERED = (
    "只肯出",
    "只肯赔",
    "只肯给",
    "只愿出",
    "只愿赔",
    "只愿意出",
    "只愿意赔",
    "只同意赔",
    "只同意出",
    "只给",
    "只赔",
    "只赔了",
    "只给了",
)


def _amount(run: str, approx: str | None, tail: str | None, before: str, factor: int = 1) -> str | None:
    bounds = amount_bounds(run, approx, tail, before)
    if bounds is None:
        return None
    low, high = round(bounds[0] * factor), round(bounds[1] * factor)
    return f"a{low}" if low == high else f"b{low}-{high}"


def _duration(run: str, approx: str | None, unit: str, tail: str | None, before: str) -> str | None:
    if approx or tail in _RELATIVE_TAILS or tail == "出头" or before.endswith(_VAGUE_BEFORE + ("好", "前")):
        return None  # 三年多, 3个月前, 近半年, 两年出头: vague or relative; 前两天 is "a few days ago"
    value = parse_number(run)
    if not value or value > 600:
        return None
    if unit in _DURATION_MONTHS:
        if unit.startswith("年") and (
            value > 60 or (run.isdigit() and len(run) > 1 and tail not in ("了", "以来"))
        ):
            return None  # 15年的房子 may be 2015
        months = value * _DURATION_MONTHS[unit] + (6 if unit == "年半" else 0.5 if unit == "个半月" else 0)
        # Whole and half months only (两个半月, 2.5个月, 1.5年 = 18 months): 0.3年 is no one's way of saying it.
        return f"t{months:g}m" if months * 2 == int(months * 2) else None
    if value != int(value):
        return None
    return f"t{int(value) * _DURATION_DAYS[unit]}d"


def _ago(run: str, approx: str | None, unit: str, before: str, day: date | None) -> str | None:
    """三个月前 as the month it names, 两年前 as the year, 十天前 as the day; only with the report date."""
    value = parse_number(run)
    if day is None or approx or before.endswith(_VAGUE_BEFORE) or not value or value != int(value):
        return None
    if unit == "个月":
        return months_back(day, int(value)) if value <= 36 else None
    if unit == "年":
        return date_token(day.year - int(value), None, None) if value <= 60 else None
    if unit in _DURATION_DAYS and value * _DURATION_DAYS[unit] <= 366:
        return days_back(day, int(value) * _DURATION_DAYS[unit])
    return None


def _measure(run: str, approx: str | None, unit: str | None, tail: str | None, before: str) -> str | None:
    value = parse_number(run)
    if approx or value is None or tail in ("左右", "上下", "出头") or before.endswith(_VAGUE_BEFORE):
        return None
    kind = {"%": "c", "度": "e"}.get(
        unit or "", "s" if unit in ("平方米", "平米", "平方", "平", "m2") else ""
    )
    return f"{kind}{_plain(value)}" if kind else None


def _money_context(before: str) -> bool:
    return _MONEY_CONTEXT.search(before) is not None


def _plain(value: float | None) -> str:
    return f"{value:g}" if value is not None else ""


_Handler = Callable[[re.Match[str], str, date | None], str | None]
_GROUPS: dict[_Handler, tuple[str, ...]] = {
    _nothing: ("phone",),
    _flat: ("fb", "fu", "fr", "gb", "gr", "hb", "hu", "hr"),
    _absolute: ("y4", "mo", "da", "y2", "mo2", "da2", "sy", "sep", "sm", "sd", "ty", "tm", "dy", "dmo"),
    _relative: ("rel", "rmo", "rda"),
    _month: ("mm", "md"),
    _dotted_day: ("dm", "dd"),
    _half: ("half",),
    _number: ("run", "approx", "scale", "unit", "tail"),
}
# A match's last group says which alternative matched: one dictionary look-up per fact.
_HANDLERS = {name: handler for handler, names in _GROUPS.items() for name in names}
