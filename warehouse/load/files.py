"""The registry of file-drop exports: each file, known by its content hash, loads once and is archived after.

A file drop has no time cursor, so the warehouse keeps its state: ``source_file`` holds every export
whose rows were landed, written in the same transaction as those rows. The extract task lands only
files the registry has not seen; a separate step moves registered files to the drop's archive folder
and records where they went. A crash between the two leaves a registered file in the drop, which the
next run archives without loading it again.

A file that could not be read at all is *set aside*: registered like the others (its one row, the
reason, is quarantined in the same transaction) but with ``archived_as`` naming ``rejected/`` from the
start, so the archive step moves it there instead. Releasing it (:func:`release_file`) deletes its
registration, so that the same bytes, put back in the drop, are read again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa

from warehouse.load.batches import LandingStats, land_in
from warehouse.schema import QuarantineRecord, SourceFile, table_of
from warehouse.schema.dialect import chunks


class DropFileLike(Protocol):
    """What the registry reads of a listed export (``connectors.drop.DropFile``)."""

    @property
    def name(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def size(self) -> int: ...


F = TypeVar("F", bound=DropFileLike)
REJECTED = "rejected/"  # ``archived_as`` prefix of a set-aside file (``connectors.drop.REJECTED_DIR``)
SET_ASIDE_KEY = "set-aside:"  # a set-aside file's row's source record id prefix (``connectors.drop``)


class NotSetAsideError(LookupError):
    """No set-aside file of that name or hash: nothing to release."""


def _registered(conn: sa.Connection, source: str, hashes: Iterable[str]) -> set[str]:
    t = table_of(SourceFile)
    found: set[str] = set()
    for part in chunks(sorted(set(hashes))):
        found.update(
            conn.execute(sa.select(t.c.sha256).where(t.c.source == source, t.c.sha256.in_(part))).scalars()
        )
    return found


def new_files(engine: sa.Engine, source: str, files: Sequence[F]) -> list[F]:
    """The listed files whose content was never loaded; of two files with the same content, the first.

    Args:
        engine: the warehouse.
        source: the file-drop source.
        files: the drop's listing, in load order.

    Returns:
        The files to load now, in the listing's order.
    """
    with engine.connect() as conn:
        seen = _registered(conn, source, (f.sha256 for f in files))
    fresh = []
    for file in files:
        if file.sha256 not in seen:
            seen.add(file.sha256)
            fresh.append(file)
    return fresh


def loaded_files(engine: sa.Engine, source: str, files: Sequence[F]) -> list[F]:
    """The listed files whose rows the registry holds as loaded (committed, not set aside): to archive."""
    return _registered_as(engine, source, files, set_aside=False)


def set_aside_files(engine: sa.Engine, source: str, files: Sequence[F]) -> list[F]:
    """The listed files the registry holds as set aside (committed with their reason): to reject."""
    return _registered_as(engine, source, files, set_aside=True)


def _registered_as(engine: sa.Engine, source: str, files: Sequence[F], *, set_aside: bool) -> list[F]:
    t = table_of(SourceFile)
    rejected: set[str] = set()
    with engine.connect() as conn:
        done = _registered(conn, source, (f.sha256 for f in files))
        for part in chunks(sorted(done)):
            rejected.update(
                conn.execute(
                    sa.select(t.c.sha256).where(
                        t.c.source == source, t.c.sha256.in_(part), t.c.archived_as.startswith(REJECTED)
                    )
                ).scalars()
            )
    return [f for f in files if f.sha256 in done and (f.sha256 in rejected) == set_aside]


def land_files(
    engine: sa.Engine,
    batch_id: str,
    source: str,
    files: Sequence[DropFileLike],
    rows: Iterable[tuple[str, str, dict[str, Any]]],
) -> LandingStats:
    """Land the rows of ``files`` and register the files, in one transaction.

    Rows name their file in ``payload["_file"]`` (the file-drop connectors' lineage), which gives each
    file's row count; a file whose row is marked ``_set_aside`` is registered as set aside. If anything fails, neither the rows nor the registrations are committed, so the
    files are loaded again by the next try; a file registered concurrently makes the insert fail
    rather than load twice.

    Args:
        engine: the warehouse.
        batch_id: from :func:`~warehouse.load.batches.open_batch`.
        source: the file-drop source.
        files: the files whose rows ``rows`` are (from :func:`new_files`).
        rows: ``(source_record_id, payload_hash, payload)`` of every row of those files.

    Returns:
        The landing counts, as :func:`~warehouse.load.batches.land_batch` returns them.
    """
    per_file: Counter[str] = Counter()
    set_aside: set[str] = set()

    def counting() -> Iterator[tuple[str, str, dict[str, Any]]]:
        for row in rows:
            per_file[str(row[2].get("_file"))] += 1
            if row[2].get("_set_aside"):
                set_aside.add(str(row[2].get("_file")))
            yield row

    with engine.begin() as conn:
        stats = land_in(conn, batch_id, source, counting())
        if files:
            conn.execute(
                sa.insert(table_of(SourceFile)),
                [
                    {
                        "source": source,
                        "sha256": f.sha256,
                        "file_name": f.name,
                        "size_bytes": f.size,
                        "rows": per_file.get(f.name, 0),
                        "batch_id": batch_id,
                        "archived_as": f"{REJECTED}{f.name}" if f.name in set_aside else None,
                    }
                    for f in files
                ],
            )
    return stats


def mark_archived(engine: sa.Engine, source: str, archived: Sequence[tuple[DropFileLike, str]]) -> None:
    """Record where registered files went: ``(file, archived_as)`` pairs, ``archived_as`` relative to the drop."""
    t = table_of(SourceFile)
    with engine.begin() as conn:
        for file, where in archived:
            conn.execute(
                sa.update(t)
                .where(t.c.source == source, t.c.sha256 == file.sha256)
                .values(archived_at=sa.func.current_timestamp(), archived_as=where)
            )


def file_registry(engine: sa.Engine, source: str) -> list[dict[str, Any]]:
    """Every registered file of ``source``, oldest load first (for operators and tests)."""
    t = table_of(SourceFile)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(t).where(t.c.source == source).order_by(t.c.loaded_at, t.c.file_name))
        return [dict(row) for row in rows.mappings()]


def set_aside_registry(engine: sa.Engine, source: str) -> list[dict[str, Any]]:
    """Every set-aside file of ``source`` with the reasons its quarantined row gives (for operators).

    Args:
        engine: the warehouse.
        source: the file-drop source.

    Returns:
        ``file_name``, ``sha256``, ``batch_id``, ``archived_as``, ``archived_at`` and ``reasons`` per
        file, oldest first.
    """
    t, q = table_of(SourceFile), table_of(QuarantineRecord)
    with engine.connect() as conn:
        files = conn.execute(
            sa.select(t.c.file_name, t.c.sha256, t.c.batch_id, t.c.archived_as, t.c.archived_at)
            .where(t.c.source == source, t.c.archived_as.startswith(REJECTED))
            .order_by(t.c.loaded_at, t.c.file_name)
        ).mappings()
        found = [dict(f) for f in files]
        keys = [f"{SET_ASIDE_KEY}{f['sha256'][:16]}" for f in found]
        # By the file's key alone: the same bytes set aside again (after a release) are ``unchanged``,
        # their reason is the row the first batch quarantined.
        reasons = {
            rid: why
            for rid, why in conn.execute(
                sa.select(q.c.source_record_id, q.c.reasons).where(
                    q.c.source == source, q.c.source_record_id.in_(keys)
                )
            )
        }
    for f, key in zip(found, keys, strict=True):
        f["reasons"] = reasons.get(key, [])
    return found


def release_file(engine: sa.Engine, source: str, file: str) -> dict[str, Any]:
    """Release a set-aside file: forget its registration, so that its bytes, back in the drop, load again.

    A file fixed by hand has new bytes, hence a new hash, and loads without a release; this is for
    the same bytes, once the reader is fixed. The set-aside row stays quarantined in its batch (the
    batch's accounting does not change).

    Args:
        engine: the warehouse.
        source: the file-drop source.
        file: the file's name as it was listed, its ``archived_as`` path, or a prefix (8+ hex digits)
            of its SHA-256.

    Returns:
        The registration that was deleted.

    Raises:
        NotSetAsideError: no set-aside file of ``source`` matches, or more than one does.
    """
    t = table_of(SourceFile)
    match = sa.or_(t.c.file_name == file, t.c.archived_as == file)
    if len(file) >= 8 and all(c in "0123456789abcdef" for c in file.lower()):
        match = sa.or_(match, t.c.sha256.startswith(file.lower()))
    with engine.begin() as conn:
        found = [
            dict(row)
            for row in conn.execute(
                sa.select(t).where(t.c.source == source, t.c.archived_as.startswith(REJECTED), match)
            ).mappings()
        ]
        if len(found) != 1:
            raise NotSetAsideError(f"{len(found)} set-aside {source} files match {file!r}; expected one")
        conn.execute(sa.delete(t).where(t.c.source == source, t.c.sha256 == found[0]["sha256"]))
    return found[0]
