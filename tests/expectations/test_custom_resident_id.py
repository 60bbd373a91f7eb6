"""ExpectColumnValuesToBeValidResidentId: GB 11643 check digit, birth date, legacy 15-digit numbers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from expectations.custom import (
    ExpectColumnValuesToBeValidResidentId,
    is_valid_resident_id,
    resident_id_check_char,
)

pytestmark = pytest.mark.unit

CASES = [
    pytest.param("11010519491231002X", True, id="GB 11643 example, X check"),
    pytest.param("11010519491231002x", True, id="lower-case x"),
    pytest.param("620102198703151236", True, id="Lanzhou Chengguan"),
    pytest.param("620105198812120024", True, id="Lanzhou Anning"),
    pytest.param("６２０１０２１９８７０３１５１２３６", True, id="full-width digits"),
    pytest.param("11010519491231002Ｘ", True, id="full-width X"),
    pytest.param(" 620102198703151236 ", True, id="surrounding spaces"),
    pytest.param("620102200002290014", True, id="29 Feb of a leap year"),
    pytest.param("810000199001010019", True, id="Hong Kong residence permit (81)"),
    pytest.param("910000199001010012", True, id="foreigner permanent residence card (9)"),
    pytest.param("620102198703151230", False, id="wrong check digit"),
    pytest.param("110105194912310021", False, id="digit where X is due"),
    pytest.param("620102198702301239", False, id="30 February, check digit right"),
    pytest.param("620102198713011237", False, id="month 13, check digit right"),
    pytest.param("620102190002290018", False, id="29 Feb 1900 (not a leap year)"),
    pytest.param("440524188001010014", False, id="GB example born 1880: implausible birth year"),
    pytest.param("620102198700001232", False, id="month 00"),
    pytest.param("000000198703151232", False, id="region 00, check digit right"),
    pytest.param("62010219870315123", False, id="17 characters"),
    pytest.param("6201021987031512366", False, id="19 characters"),
    pytest.param("62010219870315123A", False, id="letter other than X"),
    pytest.param("6201021987-03151236", False, id="inner separator"),
    pytest.param("", False, id="empty string"),
    pytest.param(620102198703151236, False, id="integer, not text"),
]

LEGACY_CASES = [
    pytest.param("620102870315123", True, True, id="legacy 15 digits accepted"),
    pytest.param("620102870315123", False, False, id="legacy 15 digits refused when disabled"),
    pytest.param("620102870230123", True, False, id="legacy with 30 February"),
    pytest.param("620102871301123", True, False, id="legacy with month 13"),
    pytest.param("000000870315123", True, False, id="legacy with region 00"),
    pytest.param("62010287031512X", True, False, id="legacy with X"),
    pytest.param("６２０１０２８７０３１５１２３", True, True, id="legacy full-width"),
]


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_is_valid_resident_id(value: Any, expected: bool) -> None:
    assert is_valid_resident_id(value) is expected


@pytest.mark.parametrize(("value", "allow_legacy", "expected"), LEGACY_CASES)
def test_legacy_numbers(value: str, allow_legacy: bool, expected: bool) -> None:
    assert is_valid_resident_id(value, allow_legacy=allow_legacy) is expected


@pytest.mark.parametrize(
    ("body", "check"),
    [
        pytest.param("11010519491231002", "X", id="remainder 2 gives X"),
        pytest.param("44052418800101001", "4", id="second GB example"),
        pytest.param("62010219870315123", "6", id="Lanzhou"),
    ],
)
def test_check_char(body: str, check: str) -> None:
    assert resident_id_check_char(body) == check


def test_expectation_flags_exactly_the_invalid_rows(
    failing_rows: Callable[[Any, Sequence[Any]], list[int]],
) -> None:
    values = [case.values[0] for case in CASES if isinstance(case.values[0], str)] + [None, "620102870315123"]
    expected = [i for i, value in enumerate(values) if value is not None and not is_valid_resident_id(value)]
    assert expected  # the table holds negative cases
    assert failing_rows(ExpectColumnValuesToBeValidResidentId(column="id_number"), values) == expected


def test_expectation_refuses_legacy_when_asked(
    failing_rows: Callable[[Any, Sequence[Any]], list[int]],
) -> None:
    values = ["620102198703151236", "620102870315123"]
    assert failing_rows(
        ExpectColumnValuesToBeValidResidentId(column="id_number", allow_legacy=False), values
    ) == [1]
