"""Working days of the official calendar: holidays, swapped working weekends, overrides, unknown years."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest

from alerting.calendar import SHANGHAI, UnknownCalendarYear, WorkingCalendar

pytestmark = pytest.mark.unit


def _nth(calendar: WorkingCalendar, day: str, n: int) -> str:
    return str(calendar.add_working_days(np.array([day], dtype="datetime64[D]"), n)[0])


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        pytest.param("2026-04-03", True, id="Friday before Qingming"),
        pytest.param("2026-04-06", False, id="Qingming Monday off"),
        pytest.param("2026-10-01", False, id="National Day"),
        pytest.param("2026-10-10", True, id="swapped working Saturday"),
        pytest.param("2026-09-20", True, id="swapped working Sunday"),
        pytest.param("2026-11-21", False, id="ordinary Saturday"),
    ],
)
def test_official_calendar(day: str, workday: bool) -> None:
    assert WorkingCalendar().is_workday(date.fromisoformat(day)) is workday


def test_friday_before_a_holiday_skips_the_holiday() -> None:
    # Received Friday 2026-04-03; 4-6 April is Qingming: the 1st working day after is Tuesday the 7th.
    assert _nth(WorkingCalendar(), "2026-04-03", 1) == "2026-04-07"
    assert _nth(WorkingCalendar(), "2026-04-03", 5) == "2026-04-13"


def test_day_before_national_day_skips_the_golden_week_and_counts_the_swapped_saturday() -> None:
    calendar = WorkingCalendar()
    # 30 Sep → 8 Oct (Thu), 9 Oct (Fri), 10 Oct (Sat, swapped working day), 12 Oct, 13 Oct.
    assert _nth(calendar, "2026-09-30", 5) == "2026-10-13"
    due = calendar.deadline(datetime(2026, 9, 30, 14, tzinfo=SHANGHAI), 5)
    assert due == datetime(2026, 10, 14, tzinfo=SHANGHAI)


def test_swapped_working_saturday_counts_as_a_working_day() -> None:
    # Friday 9 Oct: the next working day is Saturday the 10th, not Monday the 12th.
    assert _nth(WorkingCalendar(), "2026-10-09", 1) == "2026-10-10"


def test_a_year_nobody_knows_is_an_error_naming_the_file(tmp_path: Path) -> None:
    overrides = tmp_path / "calendar_overrides.yaml"
    overrides.write_text("years: {}\n", encoding="utf-8")
    with pytest.raises(UnknownCalendarYear, match=str(overrides)):
        WorkingCalendar(overrides).is_workday(date(2031, 3, 3))
    # A limit that runs into the unknown year is the same error, not a weekend-only guess.
    with pytest.raises(UnknownCalendarYear, match="2027"):
        _nth(WorkingCalendar(overrides), "2026-12-30", 5)


def test_the_override_file_adds_a_year_the_package_does_not_know(tmp_path: Path) -> None:
    overrides = tmp_path / "calendar_overrides.yaml"
    overrides.write_text(
        "years:\n  2027:\n    holidays: [2027-01-01, 2027-02-08]\n    workdays: [2027-02-20]\n",
        encoding="utf-8",
    )
    calendar = WorkingCalendar(overrides)
    assert not calendar.is_workday(date(2027, 1, 1))  # listed holiday (a Friday)
    assert calendar.is_workday(date(2027, 2, 20))  # listed swapped working Saturday
    assert calendar.is_workday(date(2027, 1, 4))  # an ordinary Monday
    assert not calendar.is_workday(date(2027, 1, 2))  # an ordinary Saturday
    # A case received on 31 Dec 2026 (Thursday) is due across the new year: 4 Jan is the 1st working day.
    assert _nth(calendar, "2026-12-31", 1) == "2027-01-04"


def test_the_override_file_corrects_a_known_year(tmp_path: Path) -> None:
    overrides = tmp_path / "o.yaml"
    overrides.write_text("years:\n  2026:\n    holidays: [2026-11-20]\n", encoding="utf-8")
    assert not WorkingCalendar(overrides).is_workday(date(2026, 11, 20))
    assert WorkingCalendar(overrides).is_workday(date(2026, 11, 19))


def test_a_day_listed_twice_is_refused(tmp_path: Path) -> None:
    overrides = tmp_path / "o.yaml"
    overrides.write_text(
        "years:\n  2027:\n    holidays: [2027-01-01]\n    workdays: [2027-01-01]\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="both"):
        WorkingCalendar(overrides).is_workday(date(2027, 1, 1))


def test_a_lenient_question_answers_what_the_known_years_can_and_names_the_missing_year(
    tmp_path: Path,
) -> None:
    calendar = WorkingCalendar(tmp_path / "none.yaml")
    days = np.array(["2026-11-20", "2026-12-28", "2026-12-30"], dtype="datetime64[D]")
    with pytest.raises(UnknownCalendarYear):
        calendar.add_working_days(days, 5)  # the default stays strict
    due = calendar.add_working_days(days, 5, unknown="nat")
    # Fri 20 Nov + 5 working days is Fri 27 Nov; 28 Dec + 5 needs January 2027, 30 Dec too.
    assert str(due[0]) == "2026-11-27"
    assert np.isnat(due[1]) and np.isnat(due[2])
    assert calendar.missing_years == {2027}
    # Inside the known year a lenient answer equals the strict one.
    assert (
        calendar.add_working_days(days[:1], 3, unknown="nat")[0] == calendar.add_working_days(days[:1], 3)[0]
    )


def test_the_calendar_knows_until_the_end_of_the_packages_last_year_and_the_override_years_after_it(
    tmp_path: Path,
) -> None:
    assert WorkingCalendar(tmp_path / "none.yaml").known_until == date(2026, 12, 31)
    overrides = tmp_path / "o.yaml"
    overrides.write_text("years:\n  2027:\n    holidays: [2027-01-01]\n  2029:\n    holidays: [2029-01-01]\n")
    assert WorkingCalendar(overrides).known_until == date(2027, 12, 31)  # 2028 missing: 2029 does not count


def test_working_days_before_skips_holidays_and_counts_swapped_weekends() -> None:
    calendar = WorkingCalendar()
    days = np.array(["2026-10-13", "2026-10-09"], dtype="datetime64[D]")
    # Before Tuesday 13 October: Monday 12, then Saturday 10 (a swapped working day); before Friday 9
    # October: Thursday 8, then Wednesday 30 September (the National Day holiday in between).
    assert calendar.working_days_before(days, 2).astype(str).tolist() == ["2026-10-10", "2026-09-30"]
