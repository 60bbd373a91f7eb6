"""The whole-column fast paths agree with the scalar reference checks on every value."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from expectations.custom._text_scan import combine
from expectations.custom.clean_text import _clean_texts, is_clean_text
from expectations.custom.phone import _valid_phones, is_valid_phone
from expectations.custom.resident_id import _valid_ids, is_valid_resident_id

pytestmark = pytest.mark.unit

_ALPHABET = "0123456789Xx０１２ｘ \n\t\r-+()\x00\x7f\x85\ufffd\ud800张"
_SEEDS = (
    "620102198703151236",
    "11010519491231002X",
    "11010519491231002x",
    "620102870315123",
    "990102198703151236",
    "620102200002290016",
    "620102190002290011",
    "13893112345",
    "+8613893112345",
    "0086 931 8123456",
    "010-62345678",
    "09318123456",
    "12345",
    "反映拖欠工资",
    "",
)


def _mutations(count: int, seed: int = 11) -> list[str]:
    """Valid values with zero to two characters replaced by digits, separators, controls, full-width forms."""
    rng = random.Random(seed)
    values = []
    for _ in range(count):
        chars = list(rng.choice(_SEEDS))
        for _ in range(rng.randint(0, 2)):
            if chars:
                chars[rng.randrange(len(chars))] = rng.choice(_ALPHABET)
        values.append("".join(chars))
    return values


@pytest.mark.parametrize(
    ("fast", "scalar"),
    [
        pytest.param(
            lambda t: _valid_ids(t, True), lambda v: is_valid_resident_id(v, allow_legacy=True), id="id"
        ),
        pytest.param(
            lambda t: _valid_ids(t, False),
            lambda v: is_valid_resident_id(v, allow_legacy=False),
            id="id without legacy",
        ),
        pytest.param(_valid_phones, is_valid_phone, id="phone"),
        pytest.param(
            lambda t: _clean_texts(t, 1, 12),
            lambda v: is_clean_text(v, min_length=1, max_length=12),
            id="clean text",
        ),
    ],
)
def test_fast_path_equals_scalar_check(fast, scalar) -> None:  # type: ignore[no-untyped-def]
    values = _mutations(20_000)
    expected = np.array([scalar(v) for v in values])
    assert expected.any() and not expected.all()  # the sample exercises both outcomes
    assert (fast(values) == expected).all()


def test_non_strings_go_to_the_scalar_check() -> None:
    column = pd.Series(["13893112345", 13893112345, "1389"], index=[5, 7, 9], dtype=object)
    result = combine(column, _valid_phones, is_valid_phone)
    assert result.to_dict() == {5: True, 7: False, 9: False}
