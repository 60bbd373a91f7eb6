"""Mainland China phone number expectation: mobiles and landlines, with or without +86/0086 and separators."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from great_expectations.execution_engine import PandasExecutionEngine, SqlAlchemyExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnMapMetricProvider,
    column_condition_partial,
)

from expectations.custom._text_scan import combine, has_line_feed, rows_matching

# Separators people and switches write between digit groups: spaces, hyphens, brackets round the area code.
_SEPARATORS = (" ", "-", "(", ")")
_MOBILE = "1[3-9][0-9]{9}"
# Two-digit area codes (010, 020-029) carry 8-digit local numbers, three-digit ones 7 or 8; a local
# number never starts with 0 or 1.
_AREA_AND_LOCAL = "(10|2[0-9])[2-9][0-9]{7}|[3-9][0-9]{2}[2-9][0-9]{6,7}"
# Nationally the trunk 0 is required before the area code; after +86 it is dropped, but tolerated.
PHONE_PATTERN = rf"^((\+|00)86({_MOBILE}|0?({_AREA_AND_LOCAL}))|{_MOBILE}|0({_AREA_AND_LOCAL}))$"
_PHONE = re.compile(PHONE_PATTERN)
_SEPARATOR_RE = re.compile(r"[\s\-()]")
_PHONE_LINES = re.compile(PHONE_PATTERN, re.MULTILINE)


def normalize_phone(value: str) -> str:
    """NFKC-normalise (full-width digits and ＋) and drop whitespace, hyphens and brackets."""
    return _SEPARATOR_RE.sub("", unicodedata.normalize("NFKC", value))


def is_valid_phone(value: Any) -> bool:
    """Whether ``value`` is a mainland mobile (``1[3-9]`` + 9 digits) or a landline with its area code.

    Accepted: an optional ``+86``/``0086`` prefix, separators (spaces, ``-``, brackets) anywhere,
    full-width characters. Rejected: bare local numbers without an area code, extensions, service
    numbers (12345, 95588) and any other length.

    Args:
        value: the value as stored; only strings can be valid.

    Returns:
        True when the number is valid.
    """
    return isinstance(value, str) and _PHONE.fullmatch(normalize_phone(value)) is not None


def _valid_phones(texts: list[str]) -> np.ndarray:
    # A value already in normal form (what standardisation writes) matches the pattern as it is;
    # anything else (separators, full-width digits, a failure) gets the scalar check, as does a value
    # holding a line feed, whose first line alone could otherwise match.
    ok = rows_matching(texts, _PHONE_LINES)
    for position in np.flatnonzero(~ok | has_line_feed(texts)):
        ok[position] = is_valid_phone(texts[position])
    return ok


class ColumnValuesValidPhone(ColumnMapMetricProvider):
    """Row-wise metric behind :class:`ExpectColumnValuesToBeValidPhone`."""

    condition_metric_name = "column_values.valid_cn_phone"
    condition_value_keys = ()

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, **kwargs: Any) -> pd.Series:
        return combine(column, _valid_phones, is_valid_phone)

    @column_condition_partial(engine=SqlAlchemyExecutionEngine)
    def _sqlalchemy(cls, column: Any, **kwargs: Any) -> Any:
        stripped = column
        for separator in _SEPARATORS:
            stripped = sa.func.replace(stripped, separator, "")
        return stripped.regexp_match(PHONE_PATTERN)


class ExpectColumnValuesToBeValidPhone(ColumnMapExpectation):
    """Expect each non-null value to be a valid mainland China mobile or landline number.

    On pandas values are NFKC-normalised first; in SQL only spaces, hyphens and brackets are removed.

    Args:
        column: the column, ``phone`` by default.
    """

    column: str = "phone"
    description: str | None = "Mainland mobile or landline number (optional +86/0086, separators allowed)"

    map_metric = "column_values.valid_cn_phone"
    success_keys = ("mostly",)
    args_keys = ("column",)
