"""The window a source run covers, including a run triggered by hand without a logical date."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from airflow.sdk import CronDataIntervalTimetable

from orchestration.ingest import run_interval

pytestmark = pytest.mark.unit

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_scheduled_run_covers_its_data_interval() -> None:
    start, end = datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI), datetime(2026, 11, 20, 9, 15, tzinfo=SHANGHAI)
    assert run_interval({"data_interval_start": start, "data_interval_end": end}) == (start, end)


# Between two schedule points, on one, and within a schedule point's minute (seconds and microseconds).
@pytest.mark.parametrize(("minute", "second", "micro"), [(7, 0, 0), (0, 0, 0), (0, 30, 0), (14, 59, 999_999)])
def test_a_manual_run_without_a_logical_date_covers_the_last_complete_interval(
    minute: int, second: int, micro: int
) -> None:
    # Airflow 3 triggers a manual run without a logical date, hence without a data interval.
    after = datetime(2026, 11, 20, 1, minute, second, micro, tzinfo=ZoneInfo("UTC"))
    context = {
        "data_interval_start": None,
        "data_interval_end": None,
        "dag": SimpleNamespace(timetable=CronDataIntervalTimetable("*/15 * * * *", timezone="Asia/Shanghai")),
        "dag_run": SimpleNamespace(run_after=after),
    }
    start, end = run_interval(context)
    assert (start, end) == (
        datetime(2026, 11, 20, 8, 45, tzinfo=SHANGHAI),
        datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI),
    )


def test_a_run_whose_conf_asks_for_window_days_covers_the_days_before_its_interval_end() -> None:
    start, end = datetime(2026, 11, 20, tzinfo=SHANGHAI), datetime(2026, 11, 21, tzinfo=SHANGHAI)
    context = {
        "data_interval_start": start,
        "data_interval_end": end,
        "dag_run": SimpleNamespace(conf={"window_days": 14}),
    }
    assert run_interval(context) == (datetime(2026, 11, 7, tzinfo=SHANGHAI), end)
    with pytest.raises(ValueError, match="window_days"):
        run_interval(context | {"dag_run": SimpleNamespace(conf={"window_days": "14"})})
