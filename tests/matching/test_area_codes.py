"""The area code of local landlines, read off the records (``default_area_code: auto``)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pandas as pd
import pytest

from matching import standardise
from matching._area_codes import city_area_code, landline_area_code

from .conftest import frame, record


@pytest.mark.unit
@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("0551-65123456", "0551"),
        ("(0871)63123456", "0871"),
        ("0551 6512345", "0551"),  # seven digits after the code
        ("+86 551 6512 3456", "0551"),  # dialled from abroad: the trunk 0 dropped
        ("0086-551-65123456", "0551"),
        ("010-62345678", "010"),  # Beijing and the 02x cities: three digits
        ("021 5123 4567", "021"),
        ("65123456", None),  # no code written: what is asked
        ("13893112345", None),  # a mobile
        ("013893112345", None),  # a mobile with the trunk 0, as a switchboard logs it
        ("+86 138 9311 2345", None),
        ("400-800-1234", None),  # a service number
        ("0551-0123456", None),  # no local number begins with 0
    ],
)
def test_the_code_a_landline_is_written_with(number: str, code: str | None) -> None:
    assert landline_area_code(number) == code


def _column(values: Sequence[str | None]) -> tuple[Any, list[Any]]:
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    return codes, uniques.tolist()


@pytest.mark.unit
def test_the_citys_code_is_the_one_most_landlines_carry() -> None:
    # Hefei's landlines, a county's beside them, mobiles and bare local numbers (which say nothing).
    landlines = [f"0551-6512{k:04d}" for k in range(30)] + [f"0565-8812{k:04d}" for k in range(8)]
    others = [f"1385512{k:04d}" for k in range(50)] + [f"6512{k:04d}" for k in range(40)]
    values = [*landlines, *others, *[None] * 5]
    assert city_area_code(*_column(values)) == ("0551", 30, 38)


@pytest.mark.unit
def test_too_few_landlines_or_no_code_most_carry_give_no_code() -> None:
    assert city_area_code(*_column([f"0551-6512{k:04d}" for k in range(19)]))[0] is None
    split = [f"0551-6512{k:04d}" for k in range(20)] + [f"0871-6312{k:04d}" for k in range(21)]
    split += [f"0351-4012{k:04d}" for k in range(20)]
    assert city_area_code(*_column(split))[0] is None  # 21 of 61: no city's


@pytest.mark.unit
def test_auto_reads_a_bare_local_number_with_the_citys_code(settings: Any, caplog: Any) -> None:
    # Kunming's records: the hotline logs 0871-63123456 whole, the police 63123456 bare. Read with the
    # packaged fallback (0931) the two were two numbers; read with the city's code they are one.
    rows = [record(f"hotline:{k:02d}", phone=f"0871-6312{k:04d}") for k in range(25)]
    rows.append(record("police:1", phone="63120007"))
    assert settings.default_area_code == "auto"
    with caplog.at_level(logging.INFO, logger="matching._area_codes"):
        out = standardise(frame(rows), settings).set_index("record_id")
    assert out.loc["police:1", "phone_norm"] == out.loc["hotline:07", "phone_norm"] == "087163120007"
    assert "read as 0871's (25 of 25" in caplog.text
    # A city that writes its code keeps it, whatever the records carry.
    written = standardise(frame(rows), replace(settings, default_area_code="0931")).set_index("record_id")
    assert written.loc["police:1", "phone_norm"] == "093163120007"


@pytest.mark.unit
def test_auto_without_a_citys_code_falls_back_and_says_so(settings: Any, caplog: Any) -> None:
    # Two landlines with a code (a small batch): the fallback, said in the log's info.
    rows = [record("hotline:1", phone="0871-63120001"), record("police:1", phone="63120007")]
    with caplog.at_level(logging.INFO, logger="matching._area_codes"):
        out = standardise(frame(rows), settings).set_index("record_id")
    assert out.loc["police:1", "phone_norm"] == "093163120007"
    assert [r.levelname for r in caplog.records if r.name == "matching._area_codes"] == ["INFO"]
    assert "set default_area_code to the city's" in caplog.text
    # Sixty landlines split over three codes: the city's is unknown where it matters, a warning.
    caplog.clear()
    split = [
        record(f"hotline:{c}{k:02d}", phone=f"{c}-6312{k:04d}")
        for c in ("0551", "0871", "0351")
        for k in range(20)
    ]
    with caplog.at_level(logging.INFO, logger="matching._area_codes"):
        standardise(frame(split), settings)
    assert [r.levelname for r in caplog.records if r.name == "matching._area_codes"] == ["WARNING"]
