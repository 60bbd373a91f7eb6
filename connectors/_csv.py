"""Reading a CSV export as RFC 4180 records: quoted newlines stay in their cell, a header must be a header.

Records are read with the ``csv`` module over physical lines split at CR, LF or CRLF only, so a
quoted newline, or a vertical tab, ``\\x1c``, U+2028 or U+0085 inside a cell, stays in the cell and
one record is one row (``fetched`` counts records, not lines). Each row keeps the line its record
starts on (``_line``). A file whose first record names none of the source's columns has lost its
header line: reading it would take a record for the header, so it is set aside instead.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from connectors.drop import ENCODINGS, SetAsideError, decode_as, decode_export

# A cell longer than this is no dispatch record; the csv module's default limit (131,072) is too low
# for a long free-text description, so the limit is raised to this (the file is set aside beyond it).
MAX_CELL_CHARS = 16 * 1024 * 1024
NO_HEADER = (
    "no header line: the first line names none of the source's columns "
    "(a headerless export, or not this source's)"
)


def read_csv(name: str, data: bytes, columns: Collection[str]) -> Iterator[dict[str, Any]]:
    """Rows of one CSV export, with ``_file`` and ``_line`` (the line the record starts on).

    An undecodable line or a record whose cells do not match the header becomes an ``_error`` row;
    the rest of the file loads.

    Args:
        name: the export's file name (lineage).
        data: its bytes.
        columns: the source's declared columns, against which the header line is checked.

    Returns:
        The rows, one per record.

    Raises:
        SetAsideError: the file has no header line, or the csv module cannot read it.
    """
    csv.field_size_limit(MAX_CELL_CHARS)
    errors: list[dict[str, Any]] = []
    consumed: list[tuple[int, str]] = []  # the physical lines of the record being read

    def feed() -> Iterator[str]:
        for number, line, raw in _physical_lines(data):
            if line is None:
                errors.append(
                    {
                        "_file": name,
                        "_line": number,
                        "_error": "undecodable bytes",
                        "_raw_hex": raw.rstrip(b"\r\n").hex(),
                    }
                )
                continue
            consumed.append((number, line))
            yield line

    header: list[str] | None = None
    reader = csv.reader(feed())
    while True:
        consumed.clear()
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # the csv module's messages name a limit or a position, never a value
            line = consumed[0][0] if consumed else reader.line_num
            raise SetAsideError(f"CSV unreadable from line {line}: {exc}") from None
        yield from errors
        errors.clear()
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue
        number = consumed[0][0]
        if header is None:
            header = _header(cells, columns)
            continue
        if len(cells) != len(header):
            yield {
                "_file": name,
                "_line": number,
                "_error": f"{len(cells)} cells, header has {len(header)}",
                "_raw_text": "".join(text for _, text in consumed),
            }
            continue
        yield {**dict(zip(header, cells, strict=True)), "_file": name, "_line": number}
    yield from errors


def _physical_lines(data: bytes) -> Iterator[tuple[int, str | None, bytes]]:
    """``(number, text or None, raw bytes)`` of each line, split at CR, LF and CRLF only, ends kept."""
    text = decode_export(data)
    if text is not None:
        # newline="" splits at \r, \n and \r\n only (str.splitlines would also split at \x0b, \x1c,
        # U+2028, U+0085...) and hands the csv module the line ends it needs for quoted newlines.
        for number, text_line in enumerate(io.StringIO(text, newline=""), start=1):
            yield number, text_line, b""
        return
    # One bad line spoils the whole-file decode: decode line by line to keep the others.
    for number, raw in enumerate(data.splitlines(keepends=True), start=1):
        line = decode_as(raw, ENCODINGS)
        yield number, line.removeprefix("\ufeff") if line is not None and number == 1 else line, raw


def _header(cells: Sequence[str], columns: Collection[str]) -> list[str]:
    """The header's column names; a repeated name gets a ``#2``, ``#3``... suffix so no cell is overwritten.

    Raises:
        SetAsideError: no cell is one of ``columns`` (the reason names none of the cells: without a
            header line they are a record's values, personal data included).
    """
    names = [cell.strip() for cell in cells]
    if not set(names) & set(columns):
        raise SetAsideError(NO_HEADER)
    return unique_names(names)


def unique_names(names: Sequence[str]) -> list[str]:
    """``names`` with each repeat suffixed ``#2``, ``#3``...: two columns of one name both keep their cells.

    Args:
        names: a header's column names, in order.

    Returns:
        The names, unique.
    """
    seen: dict[str, int] = {}
    unique = []
    taken = set(names)
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        candidate, n = name, seen[name]
        while n > 1 and (candidate := f"{name}#{n}") in taken:
            n += 1
        taken.add(candidate)
        unique.append(candidate)
    return unique
