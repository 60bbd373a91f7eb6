"""Dates as fact tokens: absolute dates at the precision written, and dates said relative to the report."""

from __future__ import annotations

from datetime import date, datetime

from matching._chinese import is_missing

_DAYS_BACK = {"今天": 0, "昨天": 1, "前天": 2}
_YEARS_BACK = {"今年": 0, "去年": 1, "前年": 2}


def as_date(reported: date | datetime | str | None) -> date | None:
    """The day a report was made, from a date, a datetime or an ISO string (its local date part)."""
    if reported is None or is_missing(reported):
        return None
    if isinstance(reported, datetime):
        return reported.date()
    if isinstance(reported, date):
        return reported
    try:
        return date.fromisoformat(str(reported)[:10])
    except ValueError:
        return None


def date_token(year: int | None, month: int | None, day: int | None) -> str | None:
    """``d<yyyy>``, ``d<yyyymm>`` or ``d<yyyymmdd>``, or ``None`` for a year outside 1950-2099 or an
    impossible month or day."""
    if year is None or not 1950 <= year <= 2099 or (month is not None and not 1 <= month <= 12):
        return None
    if month is None:
        return f"d{year}"
    if day is None:
        return f"d{year}{month:02d}"
    return f"d{year}{month:02d}{day:02d}" if 1 <= day <= 31 else None


def months_back(reported: date, months: int, day: int | None = None) -> str | None:
    """The month ``months`` before the report's (上个月 = 1, 半年前 = 6), with ``day`` if said."""
    index = reported.year * 12 + reported.month - 1 - months
    return date_token(index // 12, index % 12 + 1, day)


def days_back(reported: date, days: int) -> str | None:
    """The day ``days`` before the report's (昨天 = 1, 十天前 = 10)."""
    moment = date.fromordinal(reported.toordinal() - days)
    return date_token(moment.year, moment.month, moment.day)


def relative_date(
    word: str, month: int | None, day: int | None, reported: date, *, further: bool = False
) -> str | None:
    """A date named by a word relative to the report: 去年10月, 今年3月5号, 上个月15号, 这个月, 昨天.

    Args:
        word: 去年, 今年, 前年, 上个月, 上月, 这个月, 本月, 昨天, 前天 or 今天.
        month: the month said after a year word, if any.
        day: the day said after it, if any.
        reported: the day the report was made.
        further: one step further back (上上个月, 大前天, 大前年).

    Returns:
        The ``d`` token, or ``None`` when the words do not fit together (昨天3月).
    """
    step = int(further)
    if word in _DAYS_BACK:
        return days_back(reported, _DAYS_BACK[word] + step) if month is None else None
    if word in _YEARS_BACK:
        return date_token(reported.year - _YEARS_BACK[word] - step, month, day if month else None)
    if month is not None:
        return None
    return months_back(reported, (1 if word.startswith("上") else 0) + step, day)
