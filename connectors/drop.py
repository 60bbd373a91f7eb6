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
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from connectors._endpoint import ConnectionLike
from connectors.base import BaseConnector, Window

ARCHIVE_DIR = "archive"
# GB18030 is a superset of GBK and GB2312, so one codec reads all three.
ENCODINGS = ("utf-8", "gb18030")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class DropFile:
    """One export waiting in a drop directory."""

    name: str
    path: Path
    sha256: str
    size: int


class ChangedFileError(RuntimeError):
    """An export changed between listing and reading (still being written): the task retries later."""


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
        """The rows of one listed export, parsed from exactly the bytes that were hashed."""
        data = file.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != file.sha256:
            raise ChangedFileError(
                f"{file.name} changed since it was listed; it will be read on the next try"
            )
        yield from self.parse(file.name, data)

    def read_files(self, files: Iterable[DropFile]) -> Iterator[dict[str, Any]]:
        """The rows of ``files``, one file after the other."""
        for file in files:
            yield from self.read_file(file)

    def fetch_raw(self, window: Window) -> Iterator[dict[str, Any]]:
        """Every row of every export in the drop; ``window`` selects nothing, as a drop has no time cursor.

        The DAG does not call this: it reads only the files the warehouse's registry has not seen.
        """
        yield from self.read_files(self.list_files())

    def parse(self, name: str, data: bytes) -> Iterator[dict[str, Any]]:
        """Rows of one export's bytes, with ``_file`` and ``_line``/``_item``; an unreadable part becomes
        an ``_error`` row, so that it is quarantined rather than lost."""
        raise NotImplementedError

    def archive(self, files: Sequence[DropFile]) -> list[tuple[DropFile, str]]:
        """Move exports whose rows are committed to ``<drop>/archive/``; returns ``(file, archived_as)``.

        A file already archived under the same name with the same content is just removed from the
        drop; a different file of that name is archived as ``<stem>.<hash prefix><suffix>``.
        """
        target = self.drop_dir / ARCHIVE_DIR
        target.mkdir(exist_ok=True)
        moved = []
        for file in files:
            if not file.path.exists():
                continue
            destination = target / file.name
            if destination.exists() and _sha256(destination) != file.sha256:
                destination = target / f"{file.path.stem}.{file.sha256[:12]}{file.path.suffix}"
            os.replace(file.path, destination)  # atomic within one file system
            moved.append((file, f"{ARCHIVE_DIR}/{destination.name}"))
        return moved


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def decode_export(data: bytes) -> str | None:
    """The export's text: UTF-8 (with or without BOM) or GB18030, detected; ``None`` if neither decodes."""
    if data.startswith(_BOM):
        return decode_as(data[len(_BOM) :], ("utf-8",))
    return decode_as(data, ENCODINGS)


def decode_as(data: bytes, encodings: Sequence[str]) -> str | None:
    """``data`` decoded with the first of ``encodings`` that fits, or ``None``."""
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None
