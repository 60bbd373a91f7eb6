"""Keyed hashes (HMAC-SHA256) of phones, id numbers and blocking keys, and where the key comes from.

The key is ``HUB_HASH_KEY`` (any string of 32+ characters), else the password of the Airflow connection
``hub_hash_key`` when Airflow hands it over as ``AIRFLOW_CONN_HUB_HASH_KEY``, else — the embedded default —
a random key in ``<data dir>/hash.key``, created with mode 0600 on first use. The warehouse stores the
key's fingerprint (``hash_key``) and refuses to hash with another one: a changed key would make new
hashes silently stop joining old ones. ``python -m warehouse rehash`` moves everything to a new key.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa

from warehouse.engine import data_dir
from warehouse.schema import HashKey, table_of

KEY_ENV = "HUB_HASH_KEY"
CONNECTION_ENV = "AIRFLOW_CONN_HUB_HASH_KEY"
KEY_FILE = "hash.key"
MIN_KEY_LENGTH = 32


class HashKeyMismatch(RuntimeError):
    """The configured key is not the one the warehouse's hashes were made with."""


def _from_connection(value: str) -> str | None:
    # Airflow serialises connections in the environment as JSON or as a URI; the key is the password.
    if value.lstrip().startswith("{"):
        password = json.loads(value).get("password")
        return str(password) if password else None
    password = urlsplit(value).password
    return unquote(password) if password else None


def _key_file() -> Path:
    path = data_dir() / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two tasks starting at once must not each write a different key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    return path


@lru_cache(maxsize=1)
def hash_key() -> bytes:
    """The key for keyed hashes: environment, then Airflow connection, then the local key file.

    Raises:
        ValueError: if a configured key is shorter than :data:`MIN_KEY_LENGTH` characters.
    """
    key = os.environ.get(KEY_ENV) or (
        _from_connection(os.environ[CONNECTION_ENV]) if os.environ.get(CONNECTION_ENV) else None
    )
    if key is None:
        key = _key_file().read_text(encoding="utf-8").strip()
    if len(key) < MIN_KEY_LENGTH:
        raise ValueError(f"the hash key must have at least {MIN_KEY_LENGTH} characters")
    return key.encode("utf-8")


def keyed_hash(value: str | None, key: bytes | None = None) -> str | None:
    """HMAC-SHA256 of ``value`` as 64 hex characters; ``None`` stays ``None``."""
    if value is None or value == "":
        return None
    return hmac.digest(key or hash_key(), value.encode("utf-8"), "sha256").hex()


def fingerprint(key: bytes | None = None) -> str:
    """A short, non-reversible name for a key (what the warehouse stores to recognise it)."""
    return hmac.digest(key or hash_key(), b"complaint-hub key fingerprint", "sha256").hex()[:16]


def check_key(conn: sa.Connection, key: bytes | None = None) -> None:
    """Make sure ``key`` is the warehouse's active key; the first key ever used becomes it.

    Raises:
        HashKeyMismatch: if the warehouse's hashes were made with another key.
    """
    t = table_of(HashKey)
    active = conn.execute(sa.select(t.c.fingerprint).where(t.c.retired_at.is_(None))).scalars().all()
    mine = fingerprint(key)
    if not active:
        conn.execute(sa.insert(t).values(fingerprint=mine))
    elif mine not in active:
        raise HashKeyMismatch(
            f"the hash key (fingerprint {mine}) is not the warehouse's (fingerprint {active[0]}): set "
            f"{KEY_ENV} to the key in use, or move the warehouse to this key with `python -m warehouse rehash`"
        )


def hash_records(rows: Sequence[dict[str, object]], key: bytes | None = None) -> None:
    """Add ``phone_hash`` and ``id_number_hash`` to canonical records, in place.

    A complainant's reports repeat the same phone and id, so each distinct value is hashed once and
    the column is filled by one lookup per row.
    """
    key = key or hash_key()
    digest = hmac.digest
    for column, target in (("phone", "phone_hash"), ("id_number", "id_number_hash")):
        values = [row.get(column) for row in rows]
        memo: dict[object, str | None] = {
            v: digest(key, str(v).encode("utf-8"), "sha256").hex()
            for v in set(values)
            if v is not None and v != ""
        }
        memo[None] = memo[""] = None
        for row, hashed in zip(rows, map(memo.__getitem__, values), strict=True):
            row[target] = hashed


def hash_blocking_key(rule: str, key_value: str, key: bytes | None = None) -> str:
    """The stored form of a blocking key: the rule is part of the message, so equal raw keys of two
    rules never collide."""
    return hmac.digest(key or hash_key(), f"{rule}\x1f{key_value}".encode(), "sha256").hex()
