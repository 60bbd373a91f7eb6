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


def _work_order(updated: str | None, status: str) -> dict[str, Any]:
    return {"order_no": "GD1", "create_time": "2026-11-20 08:00:00", "update_time": updated, "status": status}


@pytest.mark.parametrize(
    ("second", "keys", "mark"),
    [
        pytest.param(_work_order("2026-11-20 09:00:00", "受理"), ["GD1"], None, id="the same record again"),
        pytest.param(
            _work_order("2026-11-20 10:00:00", "办结"),
            ["GD1", "GD1"],
            "_supersedes",
            id="newer state: supersedes",
        ),
        pytest.param(
            _work_order("2026-11-20 08:30:00", "办结"), ["GD1", "duplicate-"], "_error", id="older copy"
        ),
        pytest.param(_work_order(None, "办结"), ["GD1", "duplicate-"], "_error", id="copy without its time"),
    ],
)
def test_a_record_served_twice_with_other_content_is_never_passed_silently(
    second: dict[str, Any], keys: list[str], mark: str | None
) -> None:
    from connectors.hotline import HotlineConnector

    first = _work_order("2026-11-20 09:00:00", "受理")
    rows = list(HotlineConnector("http://unused", "token").keyed([first, second]))
    distinct = {digest for _, digest, _ in rows}
    assert [key[: len(k)] for (key, _, _), k in zip(rows, keys, strict=False)] == keys[: len(rows)]
    assert len(distinct) == (1 if mark is None else 2)
    if mark == "_supersedes":
        assert rows[1][2]["_supersedes"] == "item 1 of the fetch"
    if mark == "_error":
        assert rows[1][2]["_error"].startswith("duplicate id GD1: a different record with this id came first")
