"""Police (警情) connector: reads the dispatch system's CSV/XLSX exports from a drop directory."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from connectors._endpoint import ConnectionLike
from connectors.base import SHANGHAI, BaseConnector, Window, parse_time

_FILE_STAMP = re.compile(r"(\d{8})_?(\d{4})?")
# GB18030 is a superset of GBK and GB2312, so one codec reads all three.
_ENCODINGS = ("utf-8", "gb18030")


class PoliceConnector(BaseConnector):
    """Rows whose update time (or, if unreadable, the export's file stamp) falls in the widened window."""

    source = "police"
    conn_id = "complaints_police"
    primary_key = "接警单编号"
    cursor_field = "更新时间"
    field_map = {
        "reported_at": "报警时间",
        "received_at": "报警时间",
        "name": "报警人姓名",
        "phone": "报警人电话",
        "id_number": "报警人身份证号",
        "address": "发案地址",
        "district": "管辖区县",
        "source_category": "警情类别代码",
        "content": "简要警情",
        "status": "处警状态",
        "updated_at": "更新时间",
    }
    time_formats = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M:%S")

    def __init__(self, drop_dir: str | Path) -> None:
        self.drop_dir = Path(drop_dir)

    @classmethod
    def from_connection(cls, conn: ConnectionLike) -> PoliceConnector:
        """Build from an Airflow connection whose ``extra.path`` (or host) is the drop directory."""
        path = conn.extra_dejson.get("path") or conn.host
        if not path:
            raise ValueError(f"connection {cls.conn_id} needs extra.path, the drop directory")
        return cls(path)

    def fetch_raw(self, window: Window) -> Iterator[dict[str, Any]]:
        """Yield rows of every export in the drop directory that belong to the widened window."""
        wide = window.widened()
        if not self.drop_dir.is_dir():
            raise FileNotFoundError(f"police drop directory {self.drop_dir} does not exist")
        files = sorted(p for p in self.drop_dir.iterdir() if p.suffix.lower() in (".csv", ".xlsx"))
        for path in files:
            stamp = _file_stamp(path.name)
            for row in read_export(path):
                moment = parse_time(row.get(self.cursor_field), self.time_formats) or stamp
                if moment is not None and wide.contains(moment):
                    yield row


def read_export(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of one export with ``_file`` and ``_line`` lineage; an undecodable line becomes an error row."""
    if path.suffix.lower() == ".xlsx":
        yield from _read_xlsx(path)
        return
    data = path.read_bytes()
    text = _decode(data)
    if text is not None:
        lines: list[tuple[int, str | None, bytes]] = [
            (n, line, b"") for n, line in enumerate(text.splitlines(), start=1)
        ]
    else:
        lines = [(n, _decode_line(raw), raw) for n, raw in enumerate(data.splitlines(), start=1)]
    header: list[str] | None = None
    for number, line, raw in lines:
        if line is None:
            yield {"_file": path.name, "_line": number, "_error": "undecodable bytes", "_raw_hex": raw.hex()}
            continue
        if not line.strip():
            continue
        cells = next(csv.reader(io.StringIO(line)))
        if header is None:
            header = [cell.strip() for cell in cells]
            continue
        if len(cells) != len(header):
            yield {"_file": path.name, "_line": number, "_error": f"{len(cells)} cells, header has {len(header)}",
                   "_raw_text": line}
            continue
        yield {**dict(zip(header, cells, strict=True)), "_file": path.name, "_line": number}


def _decode(data: bytes) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        return _try(data[3:], "utf-8")
    for encoding in _ENCODINGS:
        text = _try(data, encoding)
        if text is not None:
            return text
    return None


def _decode_line(raw: bytes) -> str | None:
    for encoding in _ENCODINGS:
        text = _try(raw, encoding)
        if text is not None:
            return text
    return None


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _read_xlsx(path: Path) -> Iterator[dict[str, Any]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = book.active.iter_rows(values_only=True)
        header = [str(cell).strip() for cell in next(rows)]
        for number, values in enumerate(rows, start=2):
            cells = ["" if v is None else v.strftime("%Y/%m/%d %H:%M:%S") if isinstance(v, datetime) else str(v)
                     for v in values]
            yield {**dict(zip(header, cells, strict=False)), "_file": path.name, "_line": number}
    finally:
        book.close()


def _file_stamp(name: str) -> datetime | None:
    match = _FILE_STAMP.search(name)
    if not match:
        return None
    day, hhmm = match.group(1), match.group(2) or "0000"
    try:
        return datetime.strptime(day + hhmm, "%Y%m%d%H%M").replace(tzinfo=SHANGHAI)
    except ValueError:
        return None
