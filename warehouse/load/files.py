"""The registry of file-drop exports: each file, known by its content hash, loads once and is archived after.

A file drop has no time cursor, so the warehouse keeps its state: ``source_file`` holds every export
whose rows were landed, written in the same transaction as those rows. The extract task lands only
files the registry has not seen; a separate step moves registered files to the drop's archive folder
and records where they went. A crash between the two leaves a registered file in the drop, which the
next run archives without loading it again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa

from warehouse.load.batches import LandingStats, land_in
from warehouse.schema import SourceFile, table_of
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
    """The listed files whose content the registry holds, i.e. whose rows are committed: safe to archive."""
    with engine.connect() as conn:
        done = _registered(conn, source, (f.sha256 for f in files))
    return [f for f in files if f.sha256 in done]


def land_files(
    engine: sa.Engine,
    batch_id: str,
    source: str,
    files: Sequence[DropFileLike],
    rows: Iterable[tuple[str, str, dict[str, Any]]],
) -> LandingStats:
    """Land the rows of ``files`` and register the files, in one transaction.

    Rows name their file in ``payload["_file"]`` (the file-drop connectors' lineage), which gives each
    file's row count. If anything fails, neither the rows nor the registrations are committed, so the
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

    def counting() -> Iterator[tuple[str, str, dict[str, Any]]]:
        for row in rows:
            per_file[str(row[2].get("_file"))] += 1
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
