"""三色三单 rules: each colour of each rule fires on its condition and not below it."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from alerting.calendar import SHANGHAI
from alerting.feed import WINDOW_COLUMNS
from alerting.rules import RuleSet, evaluate

pytestmark = pytest.mark.unit

AS_OF = datetime(2026, 11, 21, tzinfo=SHANGHAI)
RULES = RuleSet.load()
GROUPS = pd.DataFrame(
    {
        "group_id": pd.array([7], dtype="Int64"),
        "category": ["劳资欠薪"],
        "topic": ["鼎恒国际"],
        "district": [None],
    }
)


def _report(
    case_id: str,
    source: str = "hotline",
    person: str | None = None,
    category: str = "物业纠纷",
    group_id: int | None = None,
    days_ago: float = 1,
    district: str = "城关区",
    street: str | None = "雁南街道",
) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "record_id": f"{source}:{case_id}:{days_ago}",
        "source": source,
        "reported_at": pd.Timestamp(AS_OF - timedelta(days=days_ago)).tz_convert("UTC"),
        "complainant_key": person or f"p-{case_id}",
        "category": category,
        "district": district,
        "street": street,
        "topic": None,
        "group_id": group_id,
    }


def _fire(
    reports: list[dict[str, Any]], overdue: Collection[str] = frozenset(), rule: str | None = None
) -> dict[str, str]:
    frame = pd.DataFrame(reports, columns=list(WINDOW_COLUMNS))
    frame["group_id"] = frame["group_id"].astype("Int64")
    fired = evaluate(RULES, frame, GROUPS, set(overdue), AS_OF)
    return {row.alert_key: row.colour for row in fired.itertuples() if rule is None or row.rule_id == rule}


def _channels(case: str, sources: tuple[str, ...], category: str = "物业纠纷") -> list[dict[str, Any]]:
    return [_report(case, s, category=category) for s in sources]


@pytest.mark.parametrize(
    ("reports", "overdue", "colour"),
    [
        pytest.param(_channels("c1", ("hotline", "app", "police")), (), None, id="3 channels: nothing"),
        pytest.param(
            _channels("c1", ("hotline", "app", "police", "netizen")), (), "yellow", id="4 channels: yellow"
        ),
        pytest.param(
            _channels("c1", ("hotline", "app", "police", "petition"), "劳资欠薪"),
            (),
            "orange",
            id="4 channels, petition, hot: orange",
        ),
        pytest.param(
            _channels("c1", ("hotline", "app", "police")), ("c1",), "orange", id="3 channels, overdue: orange"
        ),
        pytest.param(
            _channels("c1", ("hotline", "app", "petition"), "逾期交房"),
            ("c1",),
            "red",
            id="3 channels, petition, hot, overdue: red",
        ),
    ],
)
def test_multi_channel(reports: list[dict[str, Any]], overdue: tuple[str, ...], colour: str | None) -> None:
    assert _fire(reports, set(overdue), "multi_channel").get("multi_channel:c1") == colour


def test_multi_channel_counts_only_the_window() -> None:
    reports = _channels("c1", ("hotline", "app", "police")) + [_report("c1", "netizen", days_ago=8)]
    assert _fire(reports, rule="multi_channel") == {}


def _cases_of(person: str, n: int, petition: bool = False) -> list[dict[str, Any]]:
    return [
        _report(f"{person}-{i}", "petition" if petition and i == 0 else "hotline", person=person)
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("reports", "overdue", "colour"),
    [
        pytest.param(_cases_of("p1", 2), (), None, id="2 cases: nothing"),
        pytest.param(_cases_of("p1", 2, petition=True), (), "yellow", id="2 cases, petition: yellow"),
        pytest.param(_cases_of("p1", 3), (), "yellow", id="3 cases: yellow"),
        pytest.param(_cases_of("p1", 3, petition=True), (), "orange", id="3 cases, petition: orange"),
        pytest.param(_cases_of("p1", 4, petition=True), (), "red", id="4 cases, petition: red"),
        pytest.param(
            _cases_of("p1", 3, petition=True), ("p1-1",), "red", id="3 cases, petition, overdue: red"
        ),
    ],
)
def test_repeat_complainant(
    reports: list[dict[str, Any]], overdue: tuple[str, ...], colour: str | None
) -> None:
    assert _fire(reports, set(overdue), "repeat_complainant").get("repeat_complainant:p1") == colour


def _group(n: int, petition: bool = False, category: str = "劳资欠薪") -> list[dict[str, Any]]:
    return [
        _report(
            f"g{i}",
            "petition" if petition and i == 0 else "hotline",
            category=category,
            group_id=7,
            district="安宁区" if i % 3 else "城关区",
            street="银滩路街道" if i % 3 else None,
        )
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("reports", "overdue", "colour"),
    [
        pytest.param(_group(2), (), None, id="2 complainants: nothing"),
        pytest.param(_group(3), (), "yellow", id="3 complainants: yellow"),
        pytest.param(_group(5), (), "yellow", id="5 hot, no petition: yellow"),
        pytest.param(_group(5, petition=True), (), "orange", id="5 hot with petition: orange"),
        pytest.param(_group(10, category="物业纠纷"), (), "orange", id="10 complainants: orange"),
        pytest.param(_group(15, petition=True), (), "red", id="15 hot with petition: red"),
        pytest.param(_group(5), ("g2",), "red", id="5 hot, a case overdue: red"),
        pytest.param(_group(30, category="物业纠纷"), (), "red", id="30 complainants: red"),
    ],
)
def test_group_forming(reports: list[dict[str, Any]], overdue: tuple[str, ...], colour: str | None) -> None:
    assert _fire(reports, set(overdue), "group_forming").get("group_forming:7") == colour


def test_an_alert_names_the_district_street_list_and_evidence() -> None:
    frame = pd.DataFrame(_group(6, petition=True), columns=list(WINDOW_COLUMNS))
    frame["group_id"] = frame["group_id"].astype("Int64")
    row = evaluate(RULES, frame, GROUPS, set(), AS_OF).set_index("alert_key").loc["group_forming:7"]
    assert (row["colour"], row["list_name"], row["district"], row["street"]) == (
        "orange",
        "预警单",
        "安宁区",
        "银滩路街道",
    )
    assert (row["category"], row["topic"], row["n_complainants"]) == ("劳资欠薪", "鼎恒国际", 6)
    assert row["evidence"]["case_ids"] == [f"g{i}" for i in range(6)] and row["evidence"]["petition"] is True


def test_unknown_tests_and_colours_fail_at_load(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    text = (
        Path(RuleSet.load.__code__.co_filename).with_name("config").joinpath("rules.yaml").read_text("utf-8")
    )
    bad.write_text(text.replace("min_complainants: 3}", "min_people: 3}"), encoding="utf-8")
    with pytest.raises(ValueError, match="min_people"):
        RuleSet.load(bad)
    bad.write_text(
        text.replace(
            "      orange:\n        - {min_complainants: 10}",
            "      purple:\n        - {min_complainants: 10}",
        ),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="purple"):
        RuleSet.load(bad)
