"""Clean free-text expectation: length within bounds and no control or mis-decoding characters."""

from __future__ import annotations

import re
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from great_expectations.compatibility import pydantic
from great_expectations.execution_engine import PandasExecutionEngine, SqlAlchemyExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnMapMetricProvider,
    column_condition_partial,
)

from expectations.custom._text_scan import combine, rows_matching, stripped_lengths

# C0 controls except tab, line feed and carriage return; DEL and the C1 controls (which appear when
# GBK/UTF-8 bytes are decoded as Latin-1/cp1252); U+FFFD, the replacement character a failed decode
# leaves behind. Format characters (zero-width joiners in emoji, direction marks) are allowed.
FORBIDDEN_CHARS: tuple[str, ...] = tuple(
    chr(code) for code in (*range(0x00, 0x20), *range(0x7F, 0xA0), 0xFFFD) if chr(code) not in "\t\n\r"
)
_FORBIDDEN = re.compile("[" + "".join(FORBIDDEN_CHARS) + "\ud800-\udfff]")
# The same class written with \uXXXX escapes, which Python's re (SQLite's REGEXP) and PostgreSQL's
# regular expressions both read; literal control characters would break GX's rendering of the
# unexpected-rows query. NUL is left out: PostgreSQL text cannot hold it.
_SQL_FORBIDDEN = "[" + "".join(f"\\u{ord(char):04x}" for char in FORBIDDEN_CHARS if char != "\x00") + "]"


def is_clean_text(value: Any, *, min_length: int = 1, max_length: int | None = None) -> bool:
    """Whether ``value`` is text of acceptable length without forbidden characters.

    Length is counted in characters after stripping surrounding whitespace, so whitespace-only text
    fails ``min_length=1``. Forbidden: control characters other than ``\\t``, ``\\n``, ``\\r``; DEL
    and C1 controls; U+FFFD; lone surrogates.

    Args:
        value: the value as stored; only strings can be clean.
        min_length: the fewest characters allowed.
        max_length: the most characters allowed, or ``None`` for no limit.

    Returns:
        True when the text is clean.
    """
    if not isinstance(value, str):
        return False
    length = len(value.strip())
    if length < min_length or (max_length is not None and length > max_length):
        return False
    return _FORBIDDEN.search(value) is None


def _clean_texts(texts: list[str], min_length: int, max_length: int | None) -> np.ndarray:
    # The forbidden class excludes the line feed that joins the texts, so a hit is one text's own.
    lengths = stripped_lengths(texts)
    ok = lengths >= min_length
    if max_length is not None:
        ok &= lengths <= max_length
    clean: np.ndarray = ok & ~rows_matching(texts, _FORBIDDEN)
    return clean


class ColumnValuesCleanText(ColumnMapMetricProvider):
    """Row-wise metric behind :class:`ExpectColumnValuesToBeCleanText`."""

    condition_metric_name = "column_values.clean_text"
    condition_value_keys = ("min_length", "max_length")

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, min_length: int, max_length: int | None, **kwargs: Any) -> pd.Series:
        check = partial(is_clean_text, min_length=min_length, max_length=max_length)
        return combine(column, partial(_clean_texts, min_length=min_length, max_length=max_length), check)

    @column_condition_partial(engine=SqlAlchemyExecutionEngine)
    def _sqlalchemy(cls, column: Any, min_length: int, max_length: int | None, **kwargs: Any) -> Any:
        length = sa.func.length(sa.func.trim(column))
        conditions = [length >= min_length, sa.not_(column.regexp_match(_SQL_FORBIDDEN))]
        if max_length is not None:
            conditions.append(length <= max_length)
        return sa.and_(*conditions)


class ExpectColumnValuesToBeCleanText(ColumnMapExpectation):
    """Expect each non-null value to be clean text within length bounds (see :func:`is_clean_text`).

    Args:
        column: the column, ``content`` by default.
        min_length: the fewest characters after stripping (default 1).
        max_length: the most characters after stripping, or ``None`` (default) for no limit.
    """

    column: str = "content"
    min_length: int = pydantic.Field(default=1, ge=0)
    max_length: int | None = pydantic.Field(default=None, ge=0)
    description: str | None = "Text within length bounds and free of control characters"

    map_metric = "column_values.clean_text"
    success_keys = ("min_length", "max_length", "mostly")
    args_keys = ("column", "min_length", "max_length")
