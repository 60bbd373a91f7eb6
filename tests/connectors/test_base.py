"""The record contract's own checks: storable payloads, usable ids, and time fields that are real times."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.base import (
    SOURCE_ID_MAX_LENGTH,
    RecordError,
    parse_time,
    payload_hash,
    storable_payload,
)
from connectors.netizen import NetizenConnector

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "stored", "problem"),
    [
        pytest.param({"a": "ok"}, {"a": "ok"}, None, id="clean"),
        pytest.param({"a": "x\x00y"}, {"a": "x\ufffdy"}, "NUL character in 'a'", id="NUL"),
        pytest.param({"a": "x\ud800"}, {"a": "x\ufffd"}, "lone surrogate in 'a'", id="surrogate"),
        pytest.param({"a": float("nan")}, {"a": None}, "nan in 'a'", id="NaN"),
        pytest.param({"a": [1, float("-inf")]}, {"a": [1, None]}, "-inf in 'a'", id="infinity in a list"),
        pytest.param({"k\x00": 1}, {"k\ufffd": 1}, "NUL character in 'payload'", id="NUL in a key"),
        pytest.param({"a": "\\u0000 typed"}, {"a": "\\u0000 typed"}, None, id="escape typed as text"),
    ],
)
def test_storable_payload(raw: dict[str, Any], stored: dict[str, Any], problem: str | None) -> None:
    payload, problems = storable_payload(raw)
    assert payload == stored
    assert [found[: len(problem or "")] for found in problems] == ([problem] if problem else [])
    payload_hash(payload)  # always encodable


@pytest.mark.parametrize(
    ("tid", "key_prefix", "reason"),
    [
        pytest.param("T1", "T1", None, id="text"),
        pytest.param(42, "42", None, id="integer"),
        pytest.param("x" * SOURCE_ID_MAX_LENGTH, "x" * SOURCE_ID_MAX_LENGTH, None, id="at the limit"),
        pytest.param("x" * (SOURCE_ID_MAX_LENGTH + 1), "unkeyed-", "more than 120", id="over the limit"),
        pytest.param(True, "unkeyed-", "is a bool", id="boolean"),
        pytest.param({"a": 1}, "unkeyed-", "is a dict", id="object"),
        pytest.param(None, "unkeyed-", "missing primary key", id="none"),
    ],
)
def test_keyed_ids(tid: Any, key_prefix: str, reason: str | None) -> None:
    ((key, _, payload),) = NetizenConnector("/nowhere").keyed([{"tid": tid, "post_time": "2026-12-01 10:00"}])
    assert key.startswith(key_prefix) and len(key) <= SOURCE_ID_MAX_LENGTH
    if reason is None:
        NetizenConnector.to_record(payload)
    else:
        with pytest.raises(RecordError, match=reason):
            NetizenConnector.to_record(payload)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        pytest.param("2026-12-01 11:00:00", None, id="readable"),
        pytest.param("2026-12-01 11:00", None, id="minutes"),
        pytest.param("", None, id="empty"),
        pytest.param("2026-12-01 01:4", "unreadable", id="cut off"),
        pytest.param("明天", "unreadable", id="words"),
        pytest.param("9999-12-31 23:59:59", "year 9999", id="placeholder"),
        pytest.param("1899-12-31 00:00:00", "year 1899", id="too early"),
    ],
)
def test_time_fields_are_real_times(value: str, reason: str | None) -> None:
    raw = {"tid": "T1", "post_time": "2026-12-01 10:00:00", "update_time": value}
    if reason is None:
        NetizenConnector.to_record(raw)
    else:
        with pytest.raises(RecordError, match=f"updated_at: .*{reason}"):
            NetizenConnector.to_record(raw)


def test_a_cut_off_time_is_not_read_with_a_leading_zero() -> None:
    assert parse_time("2026-12-01 01:4", ("%Y-%m-%d %H:%M",)) is None
    assert parse_time("2026-12-01 01:04", ("%Y-%m-%d %H:%M",)) is not None
