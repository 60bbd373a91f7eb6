"""Facts as people say them: sums (171800块, 3.2w, 八万七千六百元, 两万多), dates relative to the report
(上个月, 去年10月, 这半年) and companies or projects named in full or shortened.

Each function takes the stream of the knobs' behaviours; none is called when its knob is at zero.
"""

from __future__ import annotations

import random
import re
from datetime import date

from simulators.dice import pick

_DIGITS = "零一二三四五六七八九"
_PLACES = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))


def _below_10k(n: int) -> str:
    out: list[str] = []
    gap = False
    for unit, name in _PLACES:
        digit, n = divmod(n, unit)
        if digit:
            if gap:
                out.append("零")
            out.append(_DIGITS[digit] + name)
            gap = False
        elif out:
            gap = True
    return "".join(out)


def chinese_number(n: int) -> str:
    """``n`` (``1 <= n < 10**8``) in Chinese numerals as spoken: 171800 -> 十七万一千八百, 20000 -> 两万."""
    high, low = divmod(n, 10000)
    if high:
        text = _below_10k(high) + "万" + (("零" if low < 1000 else "") + _below_10k(low) if low else "")
    else:
        text = _below_10k(low)
    if text.startswith("一十"):
        text = text[1:]
    if text[:1] == "二" and text[1:2] in ("千", "万", "百"):
        text = "两" + text[1:]
    return text


def chinese_short(n: int) -> str:
    """The clipped spoken form when the last digit follows the one before: 32000 -> 三万二, 87600 -> 八万七千六."""
    digits = str(n).rstrip("0")
    zeros = len(str(n)) - len(digits)
    full = chinese_number(n)
    if len(digits) >= 2 and digits[-2] != "0" and zeros >= 2 and full[-1] in "千百":
        return full[:-1]
    return full


def _approx(amount: int, rng: random.Random) -> str:
    if amount >= 1_000_000:
        return chinese_number(amount // 1_000_000) + "百多万"
    if 100_000 <= amount < 200_000:
        return pick(rng, ("十几万", "十多万块"))
    if amount >= 10_000:
        return chinese_number(amount // 10_000) + pick(rng, ("万多", "万多块", "万来块"))
    if 1000 <= amount < 2000:
        return pick(rng, ("千把块", "一千多块"))
    if amount >= 1000:
        return pick(rng, ("几千块", chinese_number(amount // 1000) + "千多块"))
    if amount >= 100:
        return chinese_number(amount // 100) + "百多块"
    return f"{amount}块"


def spoken_amount(amount: int, rng: random.Random) -> str:
    """A sum of ``amount`` yuan written colloquially, in one of the forms people use.

    Args:
        amount: yuan.
        rng: the knobs' stream.

    Returns:
        ``171800块``, ``171800块钱``, ``17.18万``, ``17.18w``, ``十七万一千八百元``, ``十七万一千八``, ``十几万`` ...
    """
    forms = [
        f"{amount}块",
        f"{amount}块钱",
        chinese_number(amount) + "元",
        chinese_short(amount),
        _approx(amount, rng),
    ]
    if amount >= 10_000:
        wan = f"{amount / 10000:g}"
        forms += [wan + "万", wan + "w", wan + "万块"]
    return pick(rng, forms)


_DATE = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?")
_PERIOD = re.compile(r"(\d{4})年(\d{1,2})月(?:至(?:(\d{4})年)?(\d{1,2})月)?")


def _month_text(year: int, month: int, today: date, rng: random.Random) -> str:
    back = today.year * 12 + today.month - (year * 12 + month)
    options = []
    if back == 1:
        options.append("上个月")
    if year == today.year:
        options += [f"{month}月份", f"今年{month}月"]
    elif year == today.year - 1:
        options.append(f"去年{month}月")
    if 2 <= back <= 11:
        options.append("半年前" if back == 6 else chinese_number(back) + "个月前")
    return pick(rng, options) if options else f"{str(year)[2:]}年{month}月"


def spoken_date(text: str, today: date, rng: random.Random) -> str:
    """A date (``2026年3月5日``) as said on ``today``: 3月5号, 上个月, 去年10月, 前几天, 半年前."""
    found = _DATE.fullmatch(text)
    if not found:
        return text
    year, month, day = int(found[1]), int(found[2]), int(found[3] or 1)
    try:
        ago = (today - date(year, month, day)).days
    except ValueError:
        return text
    if 0 <= ago <= 7 and found[3]:
        return ("昨天" if ago == 1 else "前天" if ago == 2 else "前几天") if ago else "今天"
    if found[3] and rng.random() < 0.3:
        said = "" if year == today.year else "去年" if year == today.year - 1 else f"{year}年"
        return f"{said}{month}月{day}号"
    return _month_text(year, month, today, rng)


def spoken_period(text: str, today: date, rng: random.Random) -> str:
    """A period (``2025年10月至2026年2月``) as said on ``today``: 去年10月到今年2月, 五个月, 这半年."""
    found = _PERIOD.fullmatch(text)
    if not found:
        return text
    y1, m1 = int(found[1]), int(found[2])
    y2, m2 = (int(found[3] or y1), int(found[4])) if found[4] else (y1, m1)
    months = (y2 * 12 + m2) - (y1 * 12 + m1) + 1
    count = "半年" if months == 6 else ("大半年" if months in (7, 8) else chinese_number(months) + "个月")
    start = _month_text(y1, m1, today, rng)
    options = [count, f"这{count}"]
    if months > 1:
        options += [
            f"{chinese_number(months)}个多月",
            f"{start}到{'现在' if rng.random() < 0.4 else f'{m2}月'}",
        ]
    return pick(rng, options)


def spoken_year(year: str, today: date) -> str:
    """A year as the slot before ``年`` says it: 去(年), 前(年), or two digits (19年)."""
    back = today.year - int(year)
    return "去" if back == 1 else "前" if back == 2 else year[2:]


_COMPANY = re.compile(r"(甘肃|兰州)?(..)(.+?)(有限责任公司|有限公司)")


def company_forms(full: str) -> tuple[str, ...]:
    """Other names of a registered company: 宏泰公司, 宏泰建筑, 宏泰建筑工程公司, 甘肃宏泰建筑工程 ..."""
    found = _COMPANY.fullmatch(full)
    if not found:
        return ()
    place, brand, industry = found[1] or "", found[2], found[3]
    return (
        f"{brand}公司",
        brand + industry[:2],
        f"{brand}{industry}公司",
        f"{place}{brand}{industry}",
        brand,
    )


def project_forms(project: str) -> tuple[str, ...]:
    """Other names of a project: 鑫源华府二期项目 -> 鑫源华府, 鑫源华府二期, 鑫源; 东岗片区棚户区改造项目 -> 东岗棚改."""
    if project.endswith("改造项目"):
        area = project[:2]
        return (area + "棚改", area + "片区", area + "改造项目")
    core = project.removesuffix("项目")
    base = re.sub(r"[二三四]期$", "", core)
    forms = {core, base, project[:2], base + "小区"} - {project}
    return tuple(sorted(forms))
