"""How the simulator says facts: Chinese numerals, colloquial sums, relative dates, other names."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from simulators.spoken import (
    chinese_number,
    chinese_short,
    company_forms,
    project_forms,
    spoken_amount,
    spoken_date,
    spoken_period,
    spoken_year,
)

pytestmark = pytest.mark.unit

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("number", "full", "short"),
    [
        pytest.param(171800, "十七万一千八百", "十七万一千八", id="171800"),
        pytest.param(87600, "八万七千六百", "八万七千六", id="87600"),
        pytest.param(32000, "三万二千", "三万二", id="32000"),
        pytest.param(20000, "两万", "两万", id="20000"),
        pytest.param(2500, "两千五百", "两千五", id="2500"),
        pytest.param(1005, "一千零五", "一千零五", id="1005"),
        pytest.param(100500, "十万零五百", "十万零五百", id="100500"),
        pytest.param(3000000, "三百万", "三百万", id="3000000"),
        pytest.param(15, "十五", "十五", id="15"),
    ],
)
def test_chinese_numerals(number: int, full: str, short: str) -> None:
    assert (chinese_number(number), chinese_short(number)) == (full, short)


@pytest.mark.parametrize("amount", [300, 1500, 8700, 32000, 87600, 171800, 2_000_000])
def test_spoken_amounts_are_forms_people_use(amount: int) -> None:
    said = {spoken_amount(amount, random.Random(i)) for i in range(200)}
    assert f"{amount}块" in said and f"{amount}块钱" in said and chinese_number(amount) + "元" in said
    pattern = r"\d+(\.\d+)?(块钱?|万块?|w)|[零一二两三四五六七八九十百千万]+(元|多|块|万|多块|来块|多万)?|几千块|千把块|十几万|十多万块"
    assert all(re.fullmatch(pattern, text) for text in said), said


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        pytest.param("2026年10月3日", {"上个月", "10月份", "今年10月", "10月3号"}, id="last month"),
        pytest.param("2025年10月3日", {"去年10月", "去年10月3号"}, id="last year"),
        pytest.param("2026年11月18日", {"前天"}, id="two days ago"),
        pytest.param("2026年5月1日", {"半年前", "5月份", "今年5月", "5月1号"}, id="half a year"),
        pytest.param("2024年2月1日", {"24年2月", "2024年2月1号"}, id="long ago"),
    ],
)
def test_spoken_dates(text: str, allowed: set[str]) -> None:
    assert {spoken_date(text, TODAY, random.Random(i)) for i in range(50)} <= allowed


def test_spoken_periods_and_years() -> None:
    said = {spoken_period("2026年3月至8月", TODAY, random.Random(i)) for i in range(100)}
    assert {"半年", "这半年", "六个多月"} <= said and any(s.startswith("今年3月到") for s in said)
    assert {spoken_period("2026年9月", TODAY, random.Random(i)) for i in range(20)} <= {
        "一个月",
        "这一个月",
    }
    assert [spoken_year(y, TODAY) for y in ("2025", "2024", "2019")] == ["去", "前", "19"]


def test_other_names() -> None:
    assert company_forms("甘肃宏泰建筑工程有限公司") == (
        "宏泰公司",
        "宏泰建筑",
        "宏泰建筑工程公司",
        "甘肃宏泰建筑工程",
        "宏泰",
    )
    assert company_forms("区征收办") == ()
    assert set(project_forms("鑫源华府二期项目")) == {"鑫源", "鑫源华府", "鑫源华府二期", "鑫源华府小区"}
    assert project_forms("东岗片区棚户区改造项目") == ("东岗棚改", "东岗片区", "东岗改造项目")
