"""Keyed hashes: where the key comes from, hashes instead of raw keys, a changed key refused, rotation."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pool_data import assign, record, rows, stage

from warehouse import make_engine, pool_candidates, publish_matches
from warehouse.access.hashing import HashKeyMismatch, fingerprint, hash_key, keyed_hash
from warehouse.derive.columns import mask_identities
from warehouse.pool.rehash import rehash

pytestmark = pytest.mark.integration
NEW_KEY = b"a-brand-new-key-for-the-rotation-test-0001"


@pytest.fixture
def key_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """A clean slate for key resolution; the cached key is forgotten before and after."""
    for name in ("HUB_HASH_KEY", "AIRFLOW_CONN_HUB_HASH_KEY"):
        monkeypatch.delenv(name, raising=False)
    hash_key.cache_clear()
    yield monkeypatch
    hash_key.cache_clear()


@pytest.mark.unit
@pytest.mark.parametrize(
    ("env", "expected"),
    [
        pytest.param({"HUB_HASH_KEY": "k" * 40}, "k" * 40, id="environment"),
        pytest.param(
            {"AIRFLOW_CONN_HUB_HASH_KEY": json.dumps({"conn_type": "generic", "password": "j" * 40})},
            "j" * 40,
            id="airflow connection as JSON",
        ),
        pytest.param(
            {"AIRFLOW_CONN_HUB_HASH_KEY": "generic://:" + "u" * 40 + "@"},
            "u" * 40,
            id="airflow connection URI",
        ),
    ],
)
def test_the_key_comes_from_the_environment_or_airflow(
    key_env: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for name, value in env.items():
        key_env.setenv(name, value)
    assert hash_key() == expected.encode()


@pytest.mark.unit
def test_the_embedded_key_file_is_private_and_reused(key_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    key_env.setenv("HUB_DATA_DIR", str(tmp_path))
    first = hash_key()
    key_file = tmp_path / "hash.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600 and len(first) == 64
    hash_key.cache_clear()
    assert hash_key() == first


@pytest.mark.unit
def test_a_short_key_is_refused(key_env: pytest.MonkeyPatch) -> None:
    key_env.setenv("HUB_HASH_KEY", "short")
    with pytest.raises(ValueError, match="at least"):
        hash_key()


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("电话13893112345请回电", "电话138****2345请回电", id="mobile"),
        pytest.param("身份证62010219870315123X", "身份证620102********123X", id="identity number"),
        pytest.param("座机0931-8123456", "座机093****3456", id="landline"),
        pytest.param("投资1980000元,欠款45000元", "投资1980000元,欠款45000元", id="sums stay"),
    ],
)
def test_numbers_typed_into_descriptions_are_masked(text: str, expected: str) -> None:
    assert mask_identities(text) == expected


def _pool(engine: Any) -> None:
    stage(
        engine,
        [
            record("app:r1", phone="13800000001", id_number="62010219870315123X", category="其他"),
            record("app:r2", phone="13800000002", category="其他"),
        ],
    )
    publish_matches(
        engine,
        [assign("app:r1", "c1"), assign("app:r2", "c2")],
        [],
        [],
        [
            {"record_id": "app:r1", "rule": "phone_norm", "key": "13800000001"},
            {"record_id": "app:r2", "rule": "phone_norm", "key": "13800000002"},
        ],
    )


def test_blocking_keys_are_stored_hashed_and_probed_with_the_same_hash(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    _pool(engine)
    stored = rows(engine, "SELECT rule, key, record_id FROM match_key ORDER BY record_id")
    assert all(len(r["key"]) == 64 and "1380000" not in r["key"] for r in stored)
    found = pool_candidates(engine, [{"record_id": "app:new", "rule": "phone_norm", "key": "13800000001"}])
    assert [c["record_id"] for c in found] == ["app:r1"]
    (staged,) = rows(
        engine, "SELECT phone_hash, id_number_hash FROM complaint_record WHERE record_id = 'app:r1'"
    )
    assert staged == {
        "phone_hash": keyed_hash("13800000001"),
        "id_number_hash": keyed_hash("62010219870315123X"),
    }
    engine.dispose()


def test_another_key_is_refused_and_rehash_moves_everything_to_a_new_key(
    migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(migrated_url)
    _pool(engine)
    before = rows(engine, "SELECT case_id, updated_at FROM complaint_case ORDER BY case_id")

    def phones(records: list[dict[str, Any]]) -> list[dict[str, str]]:
        return [
            {"record_id": r["record_id"], "rule": "phone_norm", "key": r["phone"]}
            for r in records
            if r["phone"]
        ]

    assert rehash(engine, NEW_KEY, phones) == {"records": 2, "match_keys": 2}
    (case,) = rows(engine, "SELECT phone_hash FROM complaint_case WHERE case_id = 'c1'")
    assert case["phone_hash"] == keyed_hash("13800000001", NEW_KEY)
    assert rows(engine, "SELECT fingerprint FROM hash_key WHERE retired_at IS NULL") == [
        {"fingerprint": fingerprint(NEW_KEY)}
    ]
    assert rows(engine, "SELECT case_id, updated_at FROM complaint_case ORDER BY case_id") == before
    with pytest.raises(HashKeyMismatch):  # the old key (still configured) no longer matches the warehouse
        stage(engine, [record("app:r3", phone="13800000003")], key="later")

    monkeypatch.setenv("HUB_HASH_KEY", NEW_KEY.decode())
    hash_key.cache_clear()
    try:
        found = pool_candidates(
            engine, [{"record_id": "app:new", "rule": "phone_norm", "key": "13800000002"}]
        )
        assert [c["record_id"] for c in found] == ["app:r2"]
        stage(engine, [record("app:r3", phone="13800000003")], key="later")
    finally:
        hash_key.cache_clear()
    engine.dispose()
