"""Working days of the official Chinese calendar (holidays and swapped working weekends), with overrides.

The pinned ``chinese-calendar`` package knows each year once the State Council has published it; a year
it does not know yet (or a correction) goes into ``alerting/config/calendar_overrides.yaml``. A year
neither knows raises :class:`UnknownCalendarYear` naming that file, never a weekend-only guess.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import yaml

SHANGHAI = ZoneInfo("Asia/Shanghai")
OVERRIDES = Path(__file__).with_name("config") / "calendar_overrides.yaml"


class UnknownCalendarYear(LookupError):
    """A working-day question about a year that neither the package nor the override file knows."""


class WorkingCalendar:
    """Working days: the package's official calendar, overridden per year by the override file.

    Args:
        overrides: the YAML file of per-year ``holidays`` and ``workdays`` (default: the shipped one).
    """

    def __init__(self, overrides: Path | None = None) -> None:
        self.overrides_path = Path(overrides or OVERRIDES)
        self._years: dict[int, np.ndarray] = {}
        self.missing_years: set[int] = set()  # years a lenient question needed and nobody knows

    @cached_property
    def _overrides(self) -> dict[int, dict[date, bool]]:
        """``{year: {day: is_workday}}`` from the override file."""
        text = self.overrides_path.read_text(encoding="utf-8") if self.overrides_path.exists() else ""
        raw: dict[str, Any] = yaml.safe_load(text) or {}
        years: dict[int, dict[date, bool]] = {}
        for year, days in (raw.get("years") or {}).items():
            days = days or {}
            unknown = set(days) - {"holidays", "workdays"}
            if unknown:
                raise ValueError(
                    f"{self.overrides_path}: year {year} has unknown keys {sorted(unknown)} "
                    "(only holidays and workdays)"
                )
            marks = {_as_date(d): False for d in days.get("holidays") or ()}
            for d in days.get("workdays") or ():
                if _as_date(d) in marks:
                    raise ValueError(f"{self.overrides_path}: {d} is listed as both a holiday and a workday")
                marks[_as_date(d)] = True
            bad = [d for d in marks if d.year != int(year)]
            if bad:
                raise ValueError(f"{self.overrides_path}: {bad[0]} is listed under year {year}")
            years[int(year)] = marks
        return years

    def is_workday(self, day: date) -> bool:
        """Whether ``day`` is a working day.

        Raises:
            UnknownCalendarYear: neither the package nor the override file knows ``day.year``.
        """
        days = self.workdays_of_year(day.year)
        return bool(np.isin(np.datetime64(day, "D"), days))

    def workdays_of_year(self, year: int) -> np.ndarray:
        """The sorted working days of ``year`` as ``datetime64[D]`` (cached)."""
        if year not in self._years:
            self._years[year] = self._compute_year(year)
        return self._years[year]

    def _compute_year(self, year: int) -> np.ndarray:
        import chinese_calendar

        marks = self._overrides.get(year)
        days = [
            date(year, 1, 1) + timedelta(days=i)
            for i in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)
        ]
        try:
            official = [chinese_calendar.is_workday(d) for d in days]
        except NotImplementedError:
            if marks is None:
                raise UnknownCalendarYear(
                    f"the working-day calendar of {year} is unknown: chinese-calendar "
                    f"{getattr(chinese_calendar, '__version__', '?')} does not cover it and {self.overrides_path} "
                    f"has no entry for it. Add {year}'s holidays and swapped working days (调休) to that file "
                    "(its header shows how) once the State Council has published them."
                ) from None
            official = [d.weekday() < 5 for d in days]
        marks = marks or {}
        return np.array(
            [d for d, work in zip(days, official, strict=True) if marks.get(d, work)], dtype="datetime64[D]"
        )

    def add_working_days(self, days: np.ndarray, n: int, unknown: str = "raise") -> np.ndarray:
        """The ``n``-th working day after each of ``days`` (``datetime64[D]``; the day itself never counts).

        Vectorised: one ``searchsorted`` over the working days of the years involved.

        Args:
            days: the start days.
            n: how many working days (1 or more).
            unknown: ``"raise"`` (default): a year the calendar does not know raises
                :class:`UnknownCalendarYear`; ``"nat"``: the days whose answer needs such a year get
                ``NaT`` and every other day its answer (the unknown years are in :attr:`missing_years`).
        """
        days = np.asarray(days, dtype="datetime64[D]")
        if days.size == 0:
            return days.copy()
        if n < 1:
            raise ValueError("n must be at least 1")
        first = int(str(days.min())[:4])
        last = int(str(days.max())[:4])
        known: list[np.ndarray] = []
        year, complete = first, False
        while True:  # the years from the first start on, until the limits of every day fit or one is unknown
            try:
                known.append(self.workdays_of_year(year))
            except UnknownCalendarYear:
                if unknown != "nat":
                    raise
                self.missing_years.add(year)
                break
            if year >= last and np.count_nonzero(known[-1] > days.max()) >= n:
                complete = True
                break
            year += 1
        pool = np.concatenate(known) if known else np.empty(0, dtype="datetime64[D]")
        at = np.searchsorted(pool, days, side="right") + n - 1
        if complete:
            return pool[at]
        # The pool ends at the last known year: a day inside it whose answer lies inside it is answered.
        end = np.datetime64(f"{year}-01-01", "D")
        fits = (at < len(pool)) & (days < end)
        out = np.full(days.shape, np.datetime64("NaT"), dtype="datetime64[D]")
        out[fits] = pool[at[fits]]
        return out

    def working_days_before(self, days: np.ndarray, n: int) -> np.ndarray:
        """The ``n``-th working day before each of ``days`` (``datetime64[D]``; the day itself never counts);
        ``NaT`` where a year involved is unknown (vectorised like :meth:`add_working_days`)."""
        days = np.asarray(days, dtype="datetime64[D]")
        out = np.full(days.shape, np.datetime64("NaT"), dtype="datetime64[D]")
        known = ~np.isnat(days)
        if not known.any():
            return out
        years = days[known].astype("datetime64[Y]").astype(int) + 1970
        pools, first_known = [], None
        for year in range(int(years.min()) - 1, int(years.max()) + 1):
            try:
                pools.append(self.workdays_of_year(year))
                first_known = year if first_known is None else first_known
            except UnknownCalendarYear:
                self.missing_years.add(year)
                if first_known is not None:
                    break
        if not pools:
            return out
        pool = np.concatenate(pools)
        at = np.searchsorted(pool, days, side="left") - n
        fits = known & (at >= 0) & (days <= pool[-1] + np.timedelta64(1, "D"))
        out[fits] = pool[at[fits]]
        return out

    @property
    def known_until(self) -> date:
        """The last day the calendar knows without a gap: the package's last year, then the override file's
        years that follow it."""
        import chinese_calendar

        year = max(chinese_calendar.constants.holidays).year + 1
        while year in self._overrides:  # the years after the package's, without a gap
            year += 1
        return date(year - 1, 12, 31)

    def deadline(self, received: datetime, working_days: int) -> datetime:
        """End (Beijing midnight) of the ``working_days``-th working day after ``received``'s Beijing day."""
        day = received.astimezone(SHANGHAI).date()
        due = self.add_working_days(np.array([day], dtype="datetime64[D]"), working_days)[0]
        return datetime.combine(due.astype(date) + timedelta(days=1), time(), tzinfo=SHANGHAI)


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
