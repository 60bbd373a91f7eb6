"""What validation keeps for the audit is masked: samples, and GX's own result document."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

import pandas as pd
import pytest

from expectations._masking import masked
from expectations.suites import build_suite_for
from expectations.validate import validate_records

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        pytest.param("phone", "13893112345", "138******45", id="phone"),
        pytest.param("id_number", "620102198703151236", "620*************36", id="id number"),
        pytest.param("phone,id_number", "1389", "****", id="short pair value"),
        pytest.param("content", "来电13893112345说", "来电138******45说", id="phone inside free text"),
        pytest.param("address", "永昌路88号", "永昌路88号", id="house numbers stay"),
        pytest.param("category", "劳资欠薪", "劳资欠薪", id="not personal"),
        pytest.param("content", "半个\ud83d", "半个\ufffd", id="lone surrogate"),
        pytest.param("name", None, "<null>", id="null"),
    ],
)
def test_masked(column: str, value: object, expected: str) -> None:
    assert masked(column, value) == expected


def test_gx_document_keeps_no_unmasked_value(
    make_frame: Callable[..., pd.DataFrame], window_end: datetime
) -> None:
    frame = make_frame(
        "hotline", n=3, overrides={0: {"phone": "1389311234"}, 1: {"content": "电话13893112345\x00"}}
    )
    outcome = validate_records(frame, build_suite_for("hotline"), parameters={"window_end": window_end})
    document = outcome.masked_document()
    assert document is not None
    text = json.dumps(document, ensure_ascii=False)
    assert "1389311234" not in text and "13893112345" not in text and "hotline:00000" not in text
    phone = next(r for r in document["results"] if r["expectation_config"]["type"].endswith("valid_phone"))
    assert phone["result"]["partial_unexpected_list"] == ["138*****34"]
    assert phone["expectation_config"]["kwargs"]["column"] == "phone"  # GX leaves the default out
