"""Police (警情) connector: the dispatch system's CSV/XLSX exports, dropped into a directory."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from connectors.drop import ENCODINGS, FileDropConnector, decode_as, decode_export


class PoliceConnector(FileDropConnector):
    """Each export is loaded once (the warehouse's file registry decides which are new) and archived after.

    CSV in GB18030/GBK or UTF-8 with or without BOM (detected, not assumed) and XLSX. A line that no
    encoding decodes, or whose cells do not match the header, becomes an ``_error`` row with the file
    name and line number; the rest of the file loads.
    """

    source = "police"
    conn_id = "complaints_police"
    primary_key = "接警单编号"
    cursor_field = "更新时间"
    suffixes = (".csv", ".xlsx")
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
    suite = "expectations.suites.police"
    schedule = {"cron": "0 * * * *"}  # hourly CAD exports dropped as files

    def parse(self, name: str, data: bytes) -> Iterator[dict[str, Any]]:
        """Rows of one export (CSV or XLSX) with ``_file`` and ``_line`` lineage."""
        if name.lower().endswith(".xlsx"):
            return _read_xlsx(name, data)
        return read_csv(name, data)


def read_csv(name: str, data: bytes) -> Iterator[dict[str, Any]]:
    """Rows of one CSV export; an undecodable or ragged line becomes an error row, the rest still loads."""
    text = decode_export(data)
    if text is not None:
        lines: list[tuple[int, str | None, bytes]] = [
            (n, line, b"") for n, line in enumerate(text.splitlines(), start=1)
        ]
    else:  # one bad line spoils the whole-file decode: decode line by line to keep the others
        lines = [(n, decode_as(raw, ENCODINGS), raw) for n, raw in enumerate(data.splitlines(), start=1)]
    header: list[str] | None = None
    for number, line, raw in lines:
        if line is None:
            yield {"_file": name, "_line": number, "_error": "undecodable bytes", "_raw_hex": raw.hex()}
            continue
        if not line.strip():
            continue
        cells = next(csv.reader(io.StringIO(line)))
        if header is None:
            header = [cell.strip() for cell in cells]
            continue
        if len(cells) != len(header):
            yield {
                "_file": name,
                "_line": number,
                "_error": f"{len(cells)} cells, header has {len(header)}",
                "_raw_text": line,
            }
            continue
        yield {**dict(zip(header, cells, strict=True)), "_file": name, "_line": number}


def _read_xlsx(name: str, data: bytes) -> Iterator[dict[str, Any]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        rows = book.active.iter_rows(values_only=True)
        header = [str(cell).strip() for cell in next(rows)]
        for number, values in enumerate(rows, start=2):
            cells = [
                "" if v is None else v.strftime("%Y/%m/%d %H:%M:%S") if isinstance(v, datetime) else str(v)
                for v in values
            ]
            yield {**dict(zip(header, cells, strict=False)), "_file": name, "_line": number}
    finally:
        book.close()
