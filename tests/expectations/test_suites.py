"""Suites: the registry, the canonical fallback, and each suite passing good frames and failing bad rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

import pandas as pd
import pytest

from connectors.base import SHANGHAI
from expectations.suites import SUITES, WINDOW_END_PARAMETER, build_suite_for, canonical
from expectations.validate import validate_records

pytestmark = pytest.mark.unit

SOURCES = ("petition", "police", "hotline", "app", "netizen")


def test_registry_lists_the_four_sources() -> None:
    assert set(SUITES) == set(SOURCES)


@pytest.mark.parametrize("source", SOURCES)
def test_suite_names_and_serialisation(source: str) -> None:
    suite = build_suite_for(source)
    assert suite.name == f"complaints.{source}"
    text = json.dumps(suite.to_json_dict(), ensure_ascii=False)
    assert WINDOW_END_PARAMETER in text  # the reference time is a parameter, not a clock reading


def test_unknown_source_falls_back_to_canonical() -> None:
    suite = build_suite_for("wechat")
    assert suite.name == "complaints.wechat"
    types = [e.expectation_type for e in suite.expectations]
    assert len(types) == len(canonical.build_suite().expectations) + 2
    assert "expect_column_values_to_match_regex" in types


@pytest.mark.parametrize("source", [*SOURCES, "wechat"])
def test_good_frame_passes(
    source: str, make_frame: Callable[..., pd.DataFrame], window_end: datetime
) -> None:
    outcome = validate_records(
        make_frame(source), build_suite_for(source), parameters={"window_end": window_end}
    )
    assert outcome.success, [r for r in outcome.results if not r.success]
    assert outcome.failures_by_key == {}


def test_fixed_reference_time_needs_no_parameter(
    make_frame: Callable[..., pd.DataFrame], window_end: datetime
) -> None:
    late = {0: {"reported_at": window_end + timedelta(minutes=30)}}
    outcome = validate_records(
        make_frame("police", overrides=late), build_suite_for("police", reference_time=window_end)
    )
    assert outcome.failures_by_key == {"police:00000": ("reported_at: ExpectColumnValuesToBeSaneReportTime",)}


# Row overrides valid for every source, and the reason each row must fail with.
BAD_ROWS = {
    0: ({"id_number": "620102198703151230"}, "id_number: ExpectColumnValuesToBeValidResidentId"),
    1: ({"phone": "138931123456"}, "phone: ExpectColumnValuesToBeValidPhone"),
    2: ({"category": None}, "category: ExpectColumnValuesToNotBeNull"),
    3: ({"district": "天水市"}, "district: ExpectValidDistrict"),
    4: ({"content": "乱码\x00"}, "content: ExpectColumnValuesToBeCleanText"),
    5: (
        {"reported_at": datetime(1999, 1, 1, tzinfo=SHANGHAI)},
        "reported_at: ExpectColumnValuesToBeSaneReportTime",
    ),
    6: ({"street": "x" * 65}, "street: ExpectColumnValuesToBeCleanText"),
}


@pytest.mark.parametrize("source", [*SOURCES, "wechat"])
def test_bad_rows_fail_with_their_keys_and_reasons(
    source: str, make_frame: Callable[..., pd.DataFrame], window_end: datetime
) -> None:
    frame = make_frame(source, n=10, overrides={row: changes for row, (changes, _) in BAD_ROWS.items()})
    outcome = validate_records(frame, build_suite_for(source), parameters={"window_end": window_end})
    assert not outcome.success
    assert outcome.failures_by_key == {
        f"{source}:{row:05d}": (reason,) for row, (_, reason) in BAD_ROWS.items()
    }


@pytest.mark.parametrize(
    ("source", "changes", "reasons"),
    [
        pytest.param("police", {"id_number": None}, [], id="police call without an id card"),
        pytest.param(
            "police",
            {"id_number": None, "phone": None},
            ["phone,id_number: ExpectPhoneOrIdNumber"],
            id="police needs phone or id",
        ),
        pytest.param(
            "petition",
            {"id_number": None},
            ["id_number: ExpectColumnValuesToNotBeNull"],
            id="petition needs id",
        ),
        pytest.param(
            "hotline", {"phone": None}, ["phone: ExpectColumnValuesToNotBeNull"], id="hotline needs phone"
        ),
        pytest.param("app", {"phone": None}, ["phone: ExpectColumnValuesToNotBeNull"], id="app needs phone"),
        pytest.param("police", {"phone": None}, [], id="police without phone"),
        pytest.param("hotline", {"id_number": None}, [], id="hotline without id"),
        pytest.param("app", {"district": None}, [], id="app without district"),
        pytest.param(
            "hotline",
            {"district": None},
            ["district: ExpectColumnValuesToNotBeNull"],
            id="hotline needs district",
        ),
        pytest.param(
            "wechat",
            {"phone": None, "id_number": None},
            ["phone,id_number: ExpectPhoneOrIdNumber"],
            id="canonical contact",
        ),
        pytest.param("wechat", {"district": None}, [], id="canonical without district"),
        pytest.param(
            "police",
            {"source": "hotline"},
            ["source: ExpectColumnValuesToBeInSet"],
            id="foreign source value",
        ),
        pytest.param(
            "app",
            {"record_id": "hotline:9"},
            ["record_id: ExpectColumnValuesToMatchRegex"],
            id="foreign record id",
        ),
    ],
)
def test_source_requirements(
    source: str,
    changes: dict[str, object],
    reasons: list[str],
    make_frame: Callable[..., pd.DataFrame],
    window_end: datetime,
) -> None:
    frame = make_frame(source, n=2, overrides={1: changes})
    outcome = validate_records(frame, build_suite_for(source), parameters={"window_end": window_end})
    key = str(frame.loc[1, "record_id"])
    assert outcome.failures_by_key == ({key: tuple(reasons)} if reasons else {})


def test_duplicate_record_ids_both_fail(
    make_frame: Callable[..., pd.DataFrame], window_end: datetime
) -> None:
    frame = make_frame("hotline", n=3, overrides={2: {"record_id": "hotline:00001"}})
    outcome = validate_records(frame, build_suite_for("hotline"), parameters={"window_end": window_end})
    assert outcome.failures_by_key == {"hotline:00001": ("record_id: ExpectColumnValuesToBeUnique",)}
    unique = next(r for r in outcome.results if r.expectation == "ExpectColumnValuesToBeUnique")
    assert unique.unexpected_count == 2


def test_legacy_ids_follow_the_parameter(
    make_frame: Callable[..., pd.DataFrame], window_end: datetime
) -> None:
    frame = make_frame("petition", n=2, overrides={1: {"id_number": "620102870315123"}})
    params = {"window_end": window_end}
    assert validate_records(frame, build_suite_for("petition"), parameters=params).success
    strict = validate_records(frame, build_suite_for("petition", allow_legacy_id=False), parameters=params)
    assert strict.failures_by_key == {"petition:00001": ("id_number: ExpectColumnValuesToBeValidResidentId",)}
