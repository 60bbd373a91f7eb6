"""The console's users: a name, a role and a scrypt-hashed password, kept in a JSON file outside the code.

``python -m console add-user NAME --role clerk`` writes an entry; the file never holds a password in
clear. Roles: **clerk** (the command centre's clerks: settle uncertain matches, correct cases; they see
what the warehouse's reader role sees) and **auditor** (reads everything the clerks do plus the audit
side: held batches with their gates and samples, audit reports; changes nothing).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

CLERK, AUDITOR = "clerk", "auditor"
ROLES = (CLERK, AUDITOR)
# scrypt at N=2^14, r=8, p=1: ~50 ms and 16 MB per check (RFC 7914's interactive-login parameters).
_N, _R, _P = 2**14, 8, 1


@dataclass(frozen=True)
class User:
    """A logged-in console user."""

    name: str
    role: str

    @property
    def may_correct(self) -> bool:
        """Whether the user may decide pairs and split, merge or move records (clerks only)."""
        return self.role == CLERK


def hash_password(password: str) -> str:
    """``scrypt$N$r$p$salt$hash`` (salt and hash in base64) of ``password``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P)
    return "$".join(("scrypt", str(_N), str(_R), str(_P), _b64(salt), _b64(digest)))


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a :func:`hash_password` string (constant-time comparison)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), maxmem=64 * 2**20
    )
    return hmac.compare_digest(candidate, base64.b64decode(digest))


def load_users(path: Path) -> dict[str, dict[str, str]]:
    """``{name: {"role", "password"}}`` from the users file (empty when it does not exist).

    Raises:
        ValueError: an entry names an unknown role or has no password hash.
    """
    if not path.exists():
        return {}
    users: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    for name, entry in users.items():
        if entry.get("role") not in ROLES or not str(entry.get("password", "")).startswith("scrypt$"):
            raise ValueError(f"{path}: user {name!r} needs a role in {ROLES} and a scrypt password hash")
    return users


def add_user(path: Path, name: str, role: str, password: str) -> None:
    """Add or replace one user in the users file (created with mode 0600).

    Raises:
        ValueError: an unknown role, or an empty name or password.
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    if not name.strip() or not password:
        raise ValueError("a user needs a name and a password")
    users = load_users(path)
    users[name.strip()] = {"role": role, "password": hash_password(password)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(users, ensure_ascii=False, indent=2), encoding="utf-8")
    os.chmod(path, 0o600)


def authenticate(path: Path, name: str, password: str) -> User | None:
    """The user when ``name`` and ``password`` match the users file, else ``None``."""
    entry = load_users(path).get(name)
    if entry is None:
        hash_password(password)  # the same work for an unknown name: no timing hint that it is unknown
        return None
    return User(name, entry["role"]) if verify_password(password, entry["password"]) else None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
