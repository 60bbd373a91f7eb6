"""File-drop sources: exports dropped into a directory, each loaded once by content hash, then archived.

A drop has no time cursor: which files are new is the warehouse's registry's answer, not the
window's. So a file-drop connector stays stateless and offers three steps the DAG strings together:
:meth:`~FileDropConnector.list_files` (name, size and SHA-256 of every export waiting in the drop),
:meth:`~FileDropConnector.read_files` (the rows of the files the registry has not seen) and, once
their rows are committed, :meth:`~FileDropConnector.archive`. Every row carries its lineage:
``_file`` (the export's name) and ``_line`` (its line, or ``_item``, its position in a JSON export).
"""

from __future__ import annotations

import hashlib
import logging
import os
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from connectors._endpoint import ConnectionLike
from connectors.base import BaseConnector, Window

ARCHIVE_DIR = "archive"
# Where an export that cannot be read at all goes, so that it never blocks the drop's other files.
REJECTED_DIR = "rejected"
SET_ASIDE_KEY = "set-aside:"  # the source record id of a set-aside file's row: this + its hash prefix
log = logging.getLogger(__name__)
# GB18030 is a superset of GBK and GB2312, so one codec reads all three.
ENCODINGS = ("utf-8", "gb18030")
_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class DropFile:
    """One export waiting in a drop directory."""

    name: str
    path: Path
    sha256: str
    size: int


class ChangedFileError(RuntimeError):
    """An export changed between listing and reading (still being written): the task retries later."""


class SetAsideError(ValueError):
    """A whole export cannot be read (its message is the reason, and names no value of the file)."""


class FileDropConnector(BaseConnector):
    """A source whose exports land in a directory (``extra.path`` of its connection).

    Subclasses set ``suffixes`` and implement :meth:`parse`.
    """

    suffixes: ClassVar[tuple[str, ...]] = ()
    # The simulators write each drop to <data_dir>/<source>.
    connection_template: ClassVar[Mapping[str, Any]] = {
        "conn_type": "fs",
        "extra": {"path": "{data_dir}/{source}"},
    }

    def __init__(self, drop_dir: str | Path) -> None:
        self.drop_dir = Path(drop_dir)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(drop_dir={str(self.drop_dir)!r})"

    @classmethod
    def from_connection(cls, conn: ConnectionLike) -> FileDropConnector:
        """Build from an Airflow connection whose ``extra.path`` (or host) is the drop directory."""
        path = conn.extra_dejson.get("path") or conn.host
        if not path:
            raise ValueError(f"connection {cls.conn_id} needs extra.path, the drop directory")
        return cls(path)

    def lineage_dataset(self) -> tuple[str, str]:
        """The drop directory the exports land in."""
        from connectors.lineage import file_dataset

        return file_dataset(self.drop_dir)

    def list_files(self) -> list[DropFile]:
        """Every export waiting in the drop (not the archive, not half-written ``.tmp`` files), by name."""
        if not self.drop_dir.is_dir():
            raise FileNotFoundError(f"{self.source} drop directory {self.drop_dir} does not exist")
        paths = sorted(
            p
            for p in self.drop_dir.iterdir()
            if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in self.suffixes
        )
        return [DropFile(p.name, p, _sha256(p), p.stat().st_size) for p in paths]

    def read_file(self, file: DropFile) -> Iterator[dict[str, Any]]:
        """The rows of one listed export, parsed from exactly the bytes that were hashed.

        An export that cannot be read at all (a corrupt or truncated workbook, an empty sheet, a CSV
        without its header line...) yields one row instead: the file *set aside* with its reason,
        which is quarantined and moved to ``rejected/`` so that the drop's other files still load.
        The file is parsed whole before its first row is handed on, so a file failing half way
        lands none of its rows.
        """
        data = file.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != file.sha256:
            raise ChangedFileError(
                f"{file.name} changed since it was listed; it will be read on the next try"
            )
        try:
            rows = list(self.parse(file.name, data))
        except SetAsideError as exc:
            reason = str(exc)
        except zipfile.BadZipFile:
            reason = "not a readable workbook: a corrupt or truncated .xlsx"
        except Exception as exc:  # noqa: BLE001 - no parser failure may block the source's other files
            # The type only: a parser's message may quote the file's content.
            reason = f"unreadable export ({type(exc).__name__})"
        else:
            yield from rows
            return
        log.warning("%s: %s set aside: %s", self.source, file.name, reason)
        yield {
            "_file": file.name,
            "_error": f"file set aside: {reason}",
            "_set_aside": reason,
            "_sha256": file.sha256,
            "_size": file.size,
        }

    def read_files(self, files: Iterable[DropFile]) -> Iterator[dict[str, Any]]:
        """The rows of ``files``, one file after the other (a record one of them repeats with other content
        is quarantined by :meth:`BaseConnector.keyed`, naming the file and line of the first)."""
        for file in files:
            yield from self.read_file(file)

    def record_key(self, raw: Mapping[str, Any]) -> str:
        """The source record id; a set-aside file's row is keyed by the file's hash."""
        if raw.get("_set_aside"):
            return f"{SET_ASIDE_KEY}{str(raw.get('_sha256'))[:16]}"
        return super().record_key(raw)

    @classmethod
    def declared_columns(cls) -> frozenset[str]:
        """The columns the source declares (its key, cursor and mapped fields): what a header names."""
        events = (cls.event_map.column,) if cls.event_map is not None else ()
        return frozenset((cls.primary_key, cls.cursor_field, *cls.field_map.values(), *events))

    def fetch_raw(self, window: Window) -> Iterator[dict[str, Any]]:
        """Every row of every export in the drop; ``window`` selects nothing, as a drop has no time cursor.

        The DAG does not call this: it reads only the files the warehouse's registry has not seen.
        """
        yield from self.read_files(self.list_files())

    def parse(self, name: str, data: bytes) -> Iterator[dict[str, Any]]:
        """Rows of one export's bytes, with ``_file`` and ``_line``/``_item``; an unreadable part becomes
        an ``_error`` row, so that it is quarantined rather than lost."""
        raise NotImplementedError

    def archive(self, files: Sequence[DropFile], folder: str = ARCHIVE_DIR) -> list[tuple[DropFile, str]]:
        """Move exports whose rows are committed to ``<drop>/<folder>/``; returns ``(file, archived_as)``.

        A file already there under the same name with the same content is just removed from the drop;
        a different file of that name is moved as ``<stem>.<hash prefix><suffix>``.

        Args:
            files: registered exports still in the drop.
            folder: ``archive`` (loaded) or ``rejected`` (set aside).

        Returns:
            The files moved, each with its path relative to the drop.
        """
        target = self.drop_dir / folder
        target.mkdir(exist_ok=True)
        moved = []
        for file in files:
            if not file.path.exists():
                continue
            destination = target / file.name
            if destination.exists() and _sha256(destination) != file.sha256:
                destination = target / f"{file.path.stem}.{file.sha256[:12]}{file.path.suffix}"
            os.replace(file.path, destination)  # atomic within one file system
            moved.append((file, f"{folder}/{destination.name}"))
        return moved

    def set_aside(self, files: Sequence[DropFile]) -> list[tuple[DropFile, str]]:
        """Move registered exports that could not be read to ``<drop>/rejected/`` (see :meth:`archive`)."""
        return self.archive(files, REJECTED_DIR)


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def decode_export(data: bytes) -> str | None:
    """The export's text: UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's "Unicode text") or
    GB18030, detected; ``None`` if none decodes."""
    if data.startswith(_BOM):
        return decode_as(data[len(_BOM) :], ("utf-8",))
    if data.startswith(_UTF16_BOMS):
        return decode_as(data, ("utf-16",))  # the codec reads the byte order from the BOM and drops it
    return decode_as(data, ENCODINGS)


def decode_as(data: bytes, encodings: Sequence[str]) -> str | None:
    """``data`` decoded with the first of ``encodings`` that fits, or ``None``."""
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None
