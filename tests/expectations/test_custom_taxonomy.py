"""ExpectValidDistrict, ExpectValidCategory (set membership from the taxonomy) and ExpectPhoneOrIdNumber."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import great_expectations as gx
import pandas as pd
import pytest

from connectors.taxonomy import CATEGORIES, DISTRICT_NAMES
from expectations.custom import ExpectPhoneOrIdNumber, ExpectValidCategory, ExpectValidDistrict
from expectations.validate import validate_records

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("values", "failing"),
    [
        pytest.param(list(DISTRICT_NAMES), [], id="every division"),
        pytest.param(["兰州新区", None], [], id="new area and missing"),
        pytest.param(
            ["城关", "620102", "天水市秦州区", "城关区 "],
            [0, 1, 2, 3],
            id="short form, code, other city, space",
        ),
    ],
)
def test_valid_district(
    values: list[Any], failing: list[int], failing_rows: Callable[[Any, Sequence[Any]], list[int]]
) -> None:
    assert failing_rows(ExpectValidDistrict(), values) == failing


@pytest.mark.parametrize(
    ("values", "failing"),
    [
        pytest.param(list(CATEGORIES), [], id="every category"),
        pytest.param(["JF01", "劳资纠纷", "其它"], [0, 1, 2], id="source code, near miss, variant character"),
    ],
)
def test_valid_category(
    values: list[Any], failing: list[int], failing_rows: Callable[[Any, Sequence[Any]], list[int]]
) -> None:
    assert failing_rows(ExpectValidCategory(), values) == failing


def test_taxonomy_expectations_default_to_their_columns_and_describe_themselves() -> None:
    assert ExpectValidDistrict().column == "district"
    assert ExpectValidCategory().column == "category"
    assert "兰州新区" in ExpectValidDistrict().value_set
    assert ExpectValidDistrict().description and ExpectValidCategory().description


def test_phone_or_id_number() -> None:
    frame = pd.DataFrame(
        {
            "record_id": ["both", "phone", "id", "neither"],
            "phone": ["13893112345", "13893112345", None, None],
            "id_number": ["620102198703151236", None, "620102198703151236", None],
        }
    )
    suite = gx.ExpectationSuite(name="contact", expectations=[ExpectPhoneOrIdNumber()])
    outcome = validate_records(frame, suite)
    assert outcome.failures_by_key == {"neither": ("phone,id_number: ExpectPhoneOrIdNumber",)}
