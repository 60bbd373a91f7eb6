"""A fast ``COPY … FROM STDIN`` writer: rows rendered column by column, escaped only when needed, streamed.

Rendering value by value through a Python function costs more than PostgreSQL's whole COPY. Here each
column of a chunk is converted by one list comprehension (plain text needs no conversion at all), the
rows are joined with COPY's own tabs and newlines, and four counts over the chunk tell whether any value
held a tab, newline, carriage return or backslash; only then is the chunk escaped value by value.
Chunks are rendered lazily as psycopg2 reads, so Python renders the next chunk while the server is
still parsing the previous one.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from warehouse.engine import values_left_out
from warehouse.load.pg_copy_binary import HEADER, TRAILER, binary_encoders, encode_chunk, paused_gc

CHUNK_ROWS = 5_000
_NULL = "\\N"


def _timestamp(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r} refused: the warehouse stores aware times only")
    return value.isoformat()


def _converter(column: sa.Column[Any]) -> Callable[[Any], str] | None:
    """How to turn a column's values into text; ``None`` for text columns (their values already are)."""
    kind = column.type
    if isinstance(kind, sa.JSON):
        return lambda v: json.dumps(v, ensure_ascii=False, default=str)
    if isinstance(getattr(kind, "impl", kind), sa.DateTime):  # UtcDateTime decorates DateTime
        return _timestamp
    if isinstance(kind, sa.Boolean):
        return lambda v: "t" if v else "f"
    if isinstance(kind, sa.String):
        return None
    return str


def _escape(text: str) -> str:
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _render_chunk(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], converters: Sequence[Callable[[Any], str] | None]
) -> str:
    fields, nulls = [], 0
    timestamps: dict[Any, str] = {}  # a record's times often repeat (reported = received = updated)
    for name, convert in zip(columns, converters, strict=True):
        values = [row.get(name) for row in rows]  # a key the row lacks is NULL
        nulls += values.count(None)
        if convert is None:
            texts = [_NULL if v is None else v for v in values]
            if not all(type(v) is str for v in texts):  # a number in a text column
                texts = [v if type(v) is str else str(v) for v in texts]
            fields.append(texts)
        elif convert is _timestamp:
            get = timestamps.get
            fields.append(
                [_NULL if v is None else get(v) or timestamps.setdefault(v, _timestamp(v)) for v in values]
            )
        else:
            fields.append([_NULL if v is None else convert(v) for v in values])
    lines = list(zip(*fields, strict=True))
    text = "\n".join(map("\t".join, lines)) + "\n"
    # Values rarely hold a tab, newline, carriage return or backslash: when the counts show that none
    # does (every tab and newline is a separator, every backslash a NULL), the text needs no escaping.
    if (text.count("\t"), text.count("\n"), text.count("\\"), text.count("\r")) == (
        len(rows) * (len(columns) - 1),
        len(rows),
        nulls,
        0,
    ):
        return text
    return "".join("\t".join(v if v is _NULL else _escape(v) for v in line) + "\n" for line in lines)


class _Stream:
    """The file-like object ``copy_expert`` reads: renders chunks on demand (text, or bytes in binary).

    A read takes its part of the current chunk by offset, so a chunk is copied once, not once per read.
    """

    def __init__(self, chunks: Iterator[str | bytes], binary: bool = False) -> None:
        self._chunks = chunks
        self._buffer: Any = b"" if binary else ""
        self._at = 0

    def read(self, size: int = -1) -> Any:
        left = len(self._buffer) - self._at
        while size < 0 or left < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer, self._at = self._buffer[self._at :] + chunk, 0
            left = len(self._buffer)
        end = len(self._buffer) if size < 0 else self._at + size
        out = self._buffer[self._at : end]
        self._at += len(out)
        return out

    def readline(self, size: int = -1) -> Any:  # part of the file protocol; copy_expert does not use it
        return self.read(size)


def fast_copy(
    conn: sa.Connection,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str] | None = None,
    target: str | None = None,
    prepare: Callable[[Sequence[dict[str, Any]]], None] | None = None,
) -> None:
    """``COPY`` ``rows`` into ``table`` (or the table named ``target`` shaped like it) on PostgreSQL.

    In binary format when every column has a type :mod:`warehouse.load.pg_copy_binary` encodes (the server
    parses it twice as fast), in text format otherwise.

    Args:
        conn: a PostgreSQL connection inside the caller's transaction.
        table: gives the column types (how each value is rendered).
        rows: dicts holding every column in ``columns`` (once ``prepare`` has run on them); a missing
            key is NULL.
        columns: the columns to copy (default: all of ``table``'s).
        target: the table to copy into, when not ``table`` itself.
        prepare: called on each chunk of rows just before it is rendered, so that computing values
            (hashes, parsed text) overlaps with the server's work on the chunks already sent.
    """
    names = list(columns or [c.name for c in table.columns])
    encoders = binary_encoders(table, names, conn.dialect)
    converters = [_converter(table.c[name]) for name in names]

    def render(chunk: Sequence[dict[str, Any]]) -> str | bytes:
        if prepare is not None:
            prepare(chunk)
        if encoders is not None:
            return encode_chunk(chunk, names, encoders)
        return _render_chunk(chunk, names, converters)

    chunks: Iterator[str | bytes] = (
        render(rows[i : i + CHUNK_ROWS]) for i in range(0, len(rows), CHUNK_ROWS)
    )
    if encoders is not None:
        chunks = itertools.chain([HEADER], chunks, [TRAILER])
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    quoted = ", ".join(f'"{n}"' for n in names)
    options = " (FORMAT binary)" if encoders is not None else ""
    try:
        with paused_gc(), values_left_out():  # the server quotes the failing row: keep it out of the log
            cursor.copy_expert(
                f'COPY "{target or table.name}" ({quoted}) FROM STDIN{options}',
                _Stream(chunks, binary=encoders is not None),
                size=1 << 18,
            )
    finally:
        cursor.close()
