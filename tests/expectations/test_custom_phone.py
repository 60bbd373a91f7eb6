"""ExpectColumnValuesToBeValidPhone: mainland mobiles and landlines, prefixes, separators, full-width digits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from expectations.custom import ExpectColumnValuesToBeValidPhone, is_valid_phone

pytestmark = pytest.mark.unit

CASES = [
    pytest.param("13893112345", True, id="mobile"),
    pytest.param("19912345678", True, id="mobile 199"),
    pytest.param("+8613893112345", True, id="+86 mobile"),
    pytest.param("008613893112345", True, id="0086 mobile"),
    pytest.param("+86 138-9311-2345", True, id="+86 with spaces and hyphens"),
    pytest.param("138 9311 2345", True, id="mobile with spaces"),
    pytest.param("１３８９３１１２３４５", True, id="full-width mobile"),
    pytest.param("＋８６　１３８９３１１２３４５", True, id="full-width plus and ideographic space"),
    pytest.param("0931-8123456", True, id="Lanzhou landline 7 digits"),
    pytest.param("093182345678", True, id="landline 8 digits after 3-digit area code"),
    pytest.param("010-62345678", True, id="Beijing landline"),
    pytest.param("(0931)8123456", True, id="area code in brackets"),
    pytest.param("+86 931 8123456", True, id="+86 landline without trunk 0"),
    pytest.param("+86 0931 8123456", True, id="+86 landline with trunk 0"),
    pytest.param("138931123456", False, id="12-digit mobile"),
    pytest.param("1389311234", False, id="10-digit mobile"),
    pytest.param("12893112345", False, id="mobile prefix 12"),
    pytest.param("+8513893112345", False, id="foreign country code"),
    pytest.param("8123456", False, id="local number without area code"),
    pytest.param("931-8123456", False, id="area code without trunk 0"),
    pytest.param("0931-0123456", False, id="local number starting with 0"),
    pytest.param("010-6234567", False, id="Beijing with 7 digits"),
    pytest.param("0931-8123456-801", False, id="extension"),
    pytest.param("12345", False, id="service number"),
    pytest.param("1389311234５a", False, id="letter"),
    pytest.param("", False, id="empty"),
    pytest.param(13893112345, False, id="integer, not text"),
]


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_is_valid_phone(value: Any, expected: bool) -> None:
    assert is_valid_phone(value) is expected


def test_expectation_flags_exactly_the_invalid_rows(
    failing_rows: Callable[[Any, Sequence[Any]], list[int]],
) -> None:
    values = [case.values[0] for case in CASES if isinstance(case.values[0], str)] + [None]
    expected = [i for i, value in enumerate(values) if value is not None and not is_valid_phone(value)]
    assert expected
    assert failing_rows(ExpectColumnValuesToBeValidPhone(column="phone"), values) == expected
