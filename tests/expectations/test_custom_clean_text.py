"""ExpectColumnValuesToBeCleanText: length bounds and forbidden characters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from expectations.custom import ExpectColumnValuesToBeCleanText, is_clean_text

pytestmark = pytest.mark.unit

CASES = [
    pytest.param("被拖欠工资", True, id="plain Chinese"),
    pytest.param("一\t\r\n二", True, id="newlines and tab allowed"),
    pytest.param("12345", True, id="exactly max length"),
    pytest.param("a", True, id="exactly min length"),
    pytest.param("家人\u200d👨", True, id="zero-width joiner allowed"),
    pytest.param("全角　空格", True, id="ideographic space allowed"),
    pytest.param("123456", False, id="one over max length"),
    pytest.param("", False, id="empty"),
    pytest.param("   \n", False, id="whitespace only"),
    pytest.param("bell\x07", False, id="BEL control"),
    pytest.param("nul\x00", False, id="NUL"),
    pytest.param("esc\x1b", False, id="ESC"),
    pytest.param("del\x7f", False, id="DEL"),
    pytest.param("c1\x85", False, id="C1 control from mis-decoding"),
    pytest.param("乱码\ufffd", False, id="replacement character"),
    pytest.param("\ud800", False, id="lone surrogate"),
    pytest.param(12345, False, id="integer, not text"),
]


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_is_clean_text(value: Any, expected: bool) -> None:
    assert is_clean_text(value, min_length=1, max_length=5) is expected


def test_no_upper_bound_by_default() -> None:
    assert is_clean_text("长" * 100_000)


def test_min_length_counts_stripped_characters() -> None:
    assert not is_clean_text("  ab  ", min_length=3)
    assert is_clean_text("  abc  ", min_length=3, max_length=3)


def test_expectation_flags_exactly_the_dirty_rows(
    failing_rows: Callable[[Any, Sequence[Any]], list[int]],
) -> None:
    values = [case.values[0] for case in CASES if isinstance(case.values[0], str)] + [None]
    expected = [
        i for i, value in enumerate(values) if value is not None and not is_clean_text(value, max_length=5)
    ]
    assert expected
    expectation = ExpectColumnValuesToBeCleanText(column="content", min_length=1, max_length=5)
    assert failing_rows(expectation, values) == expected
