"""Resident identity number expectation: GB 11643 check digit, real birth date, optional 15-digit legacy form."""

from __future__ import annotations

import operator
import re
import unicodedata
from datetime import date
from functools import partial
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

from expectations.custom._text_scan import code_points, combine, lengths_of

# ISO 7064 MOD 11-2 weights 2^(17-i) mod 11 for the first 17 digits, and the check character per remainder.
_WEIGHTS: tuple[int, ...] = tuple(pow(2, 17 - i, 11) for i in range(17))
_CHECK_CHARS = "10X98765432"
_ZERO_OFFSET = ord("0") * sum(_WEIGHTS)
# GB/T 2260 province-level prefixes; 81/82/83 are the HK, Macao and Taiwan residence permits (GB 11643 form).
_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
_ID18 = re.compile(r"[0-9]{17}[0-9X]")
_ID15 = re.compile(r"[0-9]{15}")
_FIRST_BIRTH_YEAR = 1900
_LAST_BIRTH_YEAR = 2099


def normalize_resident_id(value: str) -> str:
    """NFKC-normalise (full-width digits and Ｘ become ASCII), strip and upper-case an identity number."""
    return unicodedata.normalize("NFKC", value).strip().upper()


def resident_id_check_char(body: str) -> str:
    """The GB 11643 check character for the first 17 (ASCII) digits of an identity number."""
    # Summing the bytes and subtracting the weighted "0"s is about three times faster than int() per digit.
    total = sum(map(operator.mul, body[:17].encode("ascii"), _WEIGHTS)) - _ZERO_OFFSET
    return _CHECK_CHARS[total % 11]


def _real_date(year: int, month: int, day: int) -> bool:
    if not _FIRST_BIRTH_YEAR <= year <= _LAST_BIRTH_YEAR:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _plausible_region(number: str) -> bool:
    # The 2023 foreigners' permanent residence card uses the same layout with a leading 9.
    return number[:2] in _PROVINCES or number[0] == "9"


def is_valid_resident_id(value: Any, *, allow_legacy: bool = True) -> bool:
    """Whether ``value`` is a valid resident identity number.

    An 18-character number needs a plausible region prefix, a real birth date (1900-2099) in
    characters 7-14 and a correct check character (``X``/``x`` for 10). A 15-digit first-generation
    number has no check digit; it passes only when ``allow_legacy`` is set, its province prefix is
    plausible and its ``YYMMDD`` birth date is real in the 1900s.

    Args:
        value: the value as stored; only strings can be valid.
        allow_legacy: accept 15-digit first-generation numbers.

    Returns:
        True when the number is valid.
    """
    if not isinstance(value, str):
        return False
    number = normalize_resident_id(value)
    if _ID18.fullmatch(number):
        return (
            _plausible_region(number)
            and _real_date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
            and resident_id_check_char(number[:17]) == number[17]
        )
    if allow_legacy and _ID15.fullmatch(number):
        return _plausible_region(number) and _real_date(
            1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])
        )
    return False


_PROVINCE_CODES = np.array(sorted(int(code) for code in _PROVINCES))
_DAYS_IN_MONTH = np.array((31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31))


def _real_dates(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    days = _DAYS_IN_MONTH[np.clip(month, 1, 12) - 1] + (leap & (month == 2))
    in_range = (year >= _FIRST_BIRTH_YEAR) & (year <= _LAST_BIRTH_YEAR) & (month >= 1) & (month <= 12)
    real: np.ndarray = in_range & (day >= 1) & (day <= days)
    return real


def _valid_ids(texts: list[str], allow_legacy: bool) -> np.ndarray:
    """:func:`is_valid_resident_id` over many strings: plain ASCII 18-character numbers are judged
    with array arithmetic, every other form (15 digits, full-width, padded, wrong length) by the
    scalar check, so the two always agree."""
    lengths = lengths_of(texts)
    ok = np.zeros(len(texts), dtype=bool)
    rows = np.flatnonzero(lengths == 18)
    codes = code_points(texts if len(rows) == len(texts) else [texts[i] for i in rows], 18)
    digits = codes - ord("0")
    last = np.where(codes[:, 17] == ord("x"), ord("X"), codes[:, 17])
    plain = ((digits[:, :17] >= 0) & (digits[:, :17] <= 9)).all(axis=1) & (
        ((digits[:, 17] >= 0) & (digits[:, 17] <= 9)) | (last == ord("X"))
    )
    d = np.where(plain[:, None], digits, 0)
    check = np.frombuffer(_CHECK_CHARS.encode("ascii"), dtype=np.uint8)[(d[:, :17] @ np.array(_WEIGHTS)) % 11]
    region = np.isin(d[:, 0] * 10 + d[:, 1], _PROVINCE_CODES) | (d[:, 0] == 9)
    year = d[:, 6] * 1000 + d[:, 7] * 100 + d[:, 8] * 10 + d[:, 9]
    born = _real_dates(year, d[:, 10] * 10 + d[:, 11], d[:, 12] * 10 + d[:, 13])
    ok[rows] = plain & region & born & (check == last)
    undecided = np.ones(len(texts), dtype=bool)
    undecided[rows[plain]] = False
    for position in np.flatnonzero(undecided):
        ok[position] = is_valid_resident_id(texts[position], allow_legacy=allow_legacy)
    return ok


def _sql_int(column: Any, start: int, length: int) -> Any:
    return sa.cast(sa.func.substr(column, start, length), sa.Integer)


def _sql_real_date(year: Any, month: Any, day: Any) -> Any:
    leap = sa.or_(sa.and_(year % 4 == 0, year % 100 != 0), year % 400 == 0)
    days_in_month = sa.case(
        (month == 2, sa.case((leap, 29), else_=28)),
        (month.in_((4, 6, 9, 11)), 30),
        else_=31,
    )
    return sa.and_(
        year.between(_FIRST_BIRTH_YEAR, _LAST_BIRTH_YEAR),
        month.between(1, 12),
        day >= 1,
        day <= days_in_month,
    )


def _sql_valid_resident_id(column: Any, allow_legacy: bool) -> Any:
    number = sa.func.upper(sa.func.trim(column))
    region = sa.or_(sa.func.substr(number, 1, 2).in_(sorted(_PROVINCES)), sa.func.substr(number, 1, 1) == "9")
    total = sum((_sql_int(number, i + 1, 1) * weight for i, weight in enumerate(_WEIGHTS)), sa.literal(0))
    check = sa.func.substr(sa.literal(_CHECK_CHARS), (total % 11) + 1, 1)
    valid18 = sa.and_(
        region,
        _sql_real_date(_sql_int(number, 7, 4), _sql_int(number, 11, 2), _sql_int(number, 13, 2)),
        sa.func.substr(number, 18, 1) == check,
    )
    # CASE keeps the casts away from non-digit strings (PostgreSQL would raise on them).
    whens = [(sa.and_(sa.func.length(number) == 18, number.regexp_match("^[0-9]{17}[0-9X]$")), valid18)]
    if allow_legacy:
        valid15 = sa.and_(
            region,
            _sql_real_date(1900 + _sql_int(number, 7, 2), _sql_int(number, 9, 2), _sql_int(number, 11, 2)),
        )
        whens.append((sa.and_(sa.func.length(number) == 15, number.regexp_match("^[0-9]{15}$")), valid15))
    return sa.case(*whens, else_=sa.false())


class ColumnValuesValidResidentId(ColumnMapMetricProvider):
    """Row-wise metric behind :class:`ExpectColumnValuesToBeValidResidentId`."""

    condition_metric_name = "column_values.valid_resident_id"
    condition_value_keys = ("allow_legacy",)

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, allow_legacy: bool, **kwargs: Any) -> pd.Series:
        return combine(
            column,
            partial(_valid_ids, allow_legacy=allow_legacy),
            partial(is_valid_resident_id, allow_legacy=allow_legacy),
        )

    @column_condition_partial(engine=SqlAlchemyExecutionEngine)
    def _sqlalchemy(cls, column: Any, allow_legacy: bool, **kwargs: Any) -> Any:
        return _sql_valid_resident_id(column, allow_legacy)


class ExpectColumnValuesToBeValidResidentId(ColumnMapExpectation):
    """Expect each non-null value to be a valid GB 11643 resident identity number.

    On pandas values are NFKC-normalised first (full-width digits, ``ｘ``); in SQL only trimming and
    upper-casing apply, so a database column is expected to hold ASCII numbers.

    Args:
        column: the column, ``id_number`` by default.
        allow_legacy: accept 15-digit first-generation numbers (see :func:`is_valid_resident_id`).
    """

    column: str = "id_number"
    allow_legacy: bool = True
    description: str | None = "Resident identity number with a valid GB 11643 check digit and birth date"

    map_metric = "column_values.valid_resident_id"
    success_keys = ("allow_legacy", "mostly")
    args_keys = ("column", "allow_legacy")
