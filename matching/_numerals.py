"""Numbers as people write them: Chinese, financial and mixed numerals (三万二, 3万2千, 壹万贰仟, 十几万)."""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
          "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}  # fmt: skip
_SMALL = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "k": 1000, "K": 1000}
_BIG = {"万": 10_000, "w": 10_000, "W": 10_000, "亿": 100_000_000}
# The characters a numeral is written with (the regexes in facts.py are built from these).
NUMERAL_CHARS = "".join(DIGITS) + "十拾百佰千仟万亿"
_DIGITS_ONLY = re.compile(f"[{''.join(DIGITS)}]+")
_AS_ASCII = str.maketrans({char: str(value) for char, value in DIGITS.items()})
_TOKEN = re.compile(r"\d+(?:\.\d+)?|.")
_NAMES = "零一二三四五六七八九"
# 三四万, 七八千, 一两万, 两三千: two neighbouring digits before a unit mean "three or four (ten thousand)".
_PAIR = re.compile(r"([一两二三四五六七八九])([两二三四五六七八九])(?=[十百千万亿])")
# Words before a number that make it rough (约3万) or an upper bound (将近5000).
ROUGH = ("约", "大约", "大概", "差不多")
BELOW = ("近", "将近", "不到", "快", "小")  # 小两万: a little under twenty thousand


def parse_number(run: str) -> float | None:
    """The value of one written number, or ``None`` when it is not a well-formed number.

    Handles Arabic digits (``3.2``), Chinese and financial numerals with their units (``八万七千六百``,
    ``壹万贰仟``, ``两千零五``), digit-by-digit Chinese (``九零二`` = 902, ``二〇二四`` = 2024), mixed
    forms (``3万2千``, ``1.5万``, ``3.2w``, ``32k``) and the spoken abbreviation in which a last digit
    counts in the unit below the one before it (``三万二`` = 32000, ``一百二`` = 120, ``1万5`` = 15000).
    A unit without a number before it (``千万``, ``万一``, ``百姓``) is not a number, except ``十`` at
    the start (``十五``, ``十万``).

    Args:
        run: the characters of the number, nothing else.

    Returns:
        The value, or ``None``.
    """
    if run.isascii() and run.replace(".", "", 1).isdigit():
        return float(run)
    if _DIGITS_ONLY.fullmatch(run):
        return float(run.translate(_AS_ASCII))
    total = section = 0.0
    pending: float | None = None
    pending_digits = 0
    last_unit, biggest, after_zero = 0, 0, False
    for token in _TOKEN.findall(run):
        if token[0].isdigit() or token in DIGITS:
            if pending is not None:
                return None  # two numbers in a row after a unit ("三万二三")
            value = float(token) if token[0].isdigit() else DIGITS[token]
            if value == 0 and not token[0].isdigit():
                after_zero = True
                continue
            pending, pending_digits = value, len(token)
        elif token in _SMALL:
            if pending is None:
                if token not in "十拾" or section or (total and last_unit != biggest):
                    return None
                pending = 1.0
            section += pending * _SMALL[token]
            pending, last_unit, after_zero = None, _SMALL[token], False
        elif token in _BIG:
            unit = _BIG[token]
            section += pending or 0.0
            if not section:
                return None
            total = (total + section) * unit if unit > biggest else total + section * unit
            biggest = max(biggest, unit)
            section, pending, last_unit, after_zero = 0.0, None, unit, False
        else:
            return None
    if pending is not None:
        abbreviated = last_unit >= 100 and not after_zero and pending_digits == 1 and pending == int(pending)
        section += pending * last_unit / 10 if abbreviated else pending
    return total + section


def place(value: float, fine: bool = False) -> float:
    """The unit of a round number's last significant digit (32000 -> 1000, 20000 -> 10000, 15 -> 1).

    Args:
        value: the number.
        fine: read a lone significant ``1`` one place finer (``十万`` is "ten 万" when rounding, so
            ``约十万`` is give or take 万, not 十万).

    Returns:
        The unit.
    """
    if value != int(value) or value <= 0:
        return 1.0
    digits = str(int(value))
    significant = digits.rstrip("0")
    unit = 10.0 ** (len(digits) - len(significant))
    return unit / 10 if fine and significant == "1" and unit >= 10 else unit


def parse_range(run: str) -> tuple[float, float] | None:
    """The range a vague number covers: ``十几万``, ``几千``, ``两万多``-style inner ``多`` (``十多万``),
    and neighbouring digits (``三四万``). ``None`` for an exact number or an unreadable one.

    Rules (both ends inclusive): ``几`` is one digit, 2–9 (0–9 after ``十``, as people say 十几万 of
    104000 too), so ``几万`` = 20000–100000, ``十几万`` = 100000–200000, ``几十万`` = 200000–1000000; an inner ``多``/``余`` adds less than one unit of
    the place before it (``十多万`` = 100000–200000, ``一百多万`` = 1000000–2000000); ``三四万`` =
    30000–50000 (``三万多`` or ``四万多``).

    Args:
        run: the characters of the number.

    Returns:
        ``(low, high)`` or ``None``.
    """
    if "几" in run:
        before, _, after = run.partition("几")
        if "几" in after:
            return None
        values = [parse_number(before + _NAMES[d] + after) for d in (0 if before.endswith("十") else 2, 8, 9)]
        if None in values:
            return None
        low, eight, nine = (v or 0.0 for v in values)
        return low, nine + (nine - eight)
    for mark in "多余":
        if mark in run:
            before, _, after = run.partition(mark)
            number = parse_number(before)
            scale = parse_number("一" + after) if after else 1.0
            if not number or not scale or mark in after:
                return None
            return number * scale, (number + place(number)) * scale
    pair = _PAIR.search(run)
    if pair and DIGITS[pair.group(2)] == DIGITS[pair.group(1)] + 1:
        first = parse_number(run[: pair.start()] + pair.group(1) + run[pair.end() :])
        second = parse_number(run[: pair.start()] + pair.group(2) + run[pair.end() :])
        if first and second:
            return first, second + (second - first)
    return None


def amount_bounds(run: str, approx: str | None, tail: str | None, before: str) -> tuple[float, float] | None:
    """The sum a written amount names: ``(value, value)`` when exact, ``(low, high)`` when vague.

    Vague forms: ranges in the number itself (:func:`parse_range`); 多/余 after it, or 出头 after its unit:
    up to one unit of its last place more (两万多 = 20000-30000, 3000多 = 3000-4000, 十万出头); 把: 0.8-2 times (千把块 = 800-2000: people say it of 1600 too);
    约, 大约, 大概, 差不多, 左右, 上下: give or take a tenth or half its last place, whichever is more
    (约3万 = 25000-35000); 近, 将近, 不到, 快: the same below it only; 来 ("a bit under or over"): that
    much below, up to one unit of its last place above (一万来块 = 9000-20000; a bare 十, 百, 千 or 万 before 把
    or 来 is one of it: 百来块 = 90-200). 以上/以下/以内 bound one
    side only, and a range said vaguely again (十几万多) is vaguer than any rule: ``None``.

    Args:
        run: the number (``3.2万``, ``两万``, ``十几万``).
        approx: the word right after it (多, 余, 来, 把) or ``None``.
        tail: the word after its unit (左右, 上下, 以上 ...) or ``None``.
        before: the few characters before it (for 约, 将近 ...).

    Returns:
        The bounds in yuan, or ``None`` when it names no usable sum.
    """
    if (run.isdigit() and len(run) > 9) or tail in ("以上", "以下", "以内"):
        return None
    vague = None if run.isdigit() else parse_range(run)
    if vague is not None:
        return None if approx or tail in ("左右", "上下") else vague
    value = float(run) if run.isdigit() else parse_number(run)
    if value is None and approx in ("把", "来") and run in ("十", "百", "千", "万"):
        value = parse_number("一" + run)
    if not value:
        return None
    if approx is None and tail is None and not before.endswith(ROUGH + BELOW):
        return value, value
    if approx in ("多", "余") or tail == "出头":
        return value, value + place(value)
    if approx == "把":
        return value * 0.8, value * 2
    slack = max(value / 10, place(value, fine=True) / 2)
    if before.endswith(BELOW):
        return value - slack, value
    if approx == "来":
        return value - slack, value + place(value)
    if tail in ("左右", "上下") or before.endswith(ROUGH):
        return value - slack, value + slack
    return value, value
