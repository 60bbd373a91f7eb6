"""Small, realistic canonical records for the matching tests (the channels' real habits, written by hand)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
import pytest

from matching import MatchSettings, load_settings

COLUMNS = ("record_id", "source", "reported_at", "name", "phone", "id_number", "address", "district", "street",
           "community", "category", "content")  # fmt: skip


def record(record_id: str, **values: Any) -> dict[str, Any]:
    """One canonical record; unspecified fields are empty."""
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row["record_id"] = record_id
    row["source"] = record_id.split(":", 1)[0]
    row.update(values)
    return row


def frame(rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """A canonical DataFrame from records."""
    return pd.DataFrame(list(rows), columns=list(COLUMNS))


@pytest.fixture(scope="session")
def settings() -> MatchSettings:
    """The packaged settings (inputs this small keep its parameters: no training)."""
    return load_settings()


def wage_case() -> list[dict[str, Any]]:
    """One worker's wage dispute on four channels, with each channel's errors."""
    return [
        record("petition:XF1", reported_at="2026-11-20 09:31:02+08:00", name="张伟", phone="13893112345",
               id_number="620102198703151236", address="甘肃省兰州市城关区张掖路街道永昌路社区永昌路88号",
               district="城关区", category="劳资欠薪",
               content="信访人称其在金港城三期项目从事木工工作，兰州宏达建筑工程有限公司拖欠其2026年3月至6月工资32000元至今未付。"),
        record("hotline:GD1", reported_at="2026-11-20 11:02:40+08:00", name="章伟", phone="+86 138-9311-2345",
               address="永昌路88号院", district="城关区", category="劳资欠薪",
               content="来电人反映：其在金港城三期项目做木工，宏达公司拖欠其2026年3月至6月工资共计3.2万元。诉求：尽快结清工资。"),
        record("app:XL1", reported_at="2026-11-20T20:15:00+08:00", name="张 伟", phone="１３８９３１１２３４５",
               address="甘肃省兰州市城关区永昌街８８号", district="城关区", category="劳资欠薪",
               content="我在金港城三期项目干木工，工资一直没给，一共欠了３２０００元，希望领导帮忙要回血汗钱！"),
        record("police:J1", reported_at="2026-11-20 21:40:11+08:00", name="张伟", phone="13893112345",
               id_number="620102198703151236", address="城关区永昌路88号", district="城关区", category="劳资欠薪",
               content="报警称被拖欠工资"),
    ]  # fmt: skip
