"""Police (警情) connector: the dispatch system's CSV/XLSX exports, dropped into a directory."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from connectors._csv import NO_HEADER, read_csv, unique_names
from connectors.drop import FileDropConnector, SetAsideError
from connectors.events import EventMap


class PoliceConnector(FileDropConnector):
    """Each export is loaded once (the warehouse's file registry decides which are new) and archived after.

    CSV in GB18030/GBK or UTF-8 with or without BOM (detected, not assumed), read as RFC 4180
    records (``connectors._csv``), and XLSX. A line that no encoding decodes, or a record whose cells
    do not match the header, becomes an ``_error`` row with the file name and line number; the rest of
    the file loads. A file that cannot be read at all (no header line, a broken workbook) is set aside.
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
    # 处警记录: the incident's steps as a JSON array in one CSV column.
    event_map = EventMap(
        column="处警记录",
        keys={"type": "环节", "at": "时间", "actor": "处警人", "unit": "单位", "level": "单位层级", "reason": "说明"},
        types={"接警": "registered", "派警": "dispatched", "到场": "arrived", "处置完毕": "closed",
               "当场调解": "closed", "移交": "transferred"},
        detail_keys={"移交单位": "to"},
    )  # fmt: skip
    suite = "expectations.suites.police"
    schedule = {"cron": "0 * * * *"}  # hourly CAD exports dropped as files

    def parse(self, name: str, data: bytes) -> Iterator[dict[str, Any]]:
        """Rows of one export (CSV or XLSX) with ``_file`` and ``_line`` lineage."""
        if name.lower().endswith(".xlsx"):
            return _read_xlsx(name, data, self.declared_columns())
        return read_csv(name, data, self.declared_columns())


def _read_xlsx(name: str, data: bytes, columns: frozenset[str]) -> Iterator[dict[str, Any]]:
    """Rows of the workbook's first sheet; cells past the header are kept under ``_extra_cells``."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        rows = book.active.iter_rows(values_only=True)
        first = next(rows, None)
        names = [_cell(v).strip() for v in first or ()]
        while names and not names[-1]:  # formatted but empty cells right of the header
            names.pop()
        if not names:
            raise SetAsideError("the sheet is empty: no header row")
        if not set(names) & columns:
            raise SetAsideError(NO_HEADER)
        header = unique_names(names)
        for number, values in enumerate(rows, start=2):
            cells = [_cell(v) for v in values]
            row: dict[str, Any] = dict(zip(header, cells, strict=False))
            if any(cells[len(header) :]):  # the verbatim payload keeps what the header does not name
                row["_extra_cells"] = cells[len(header) :]
            yield {**row, "_file": name, "_line": number}
    finally:
        book.close()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value.strftime("%Y/%m/%d %H:%M:%S") if isinstance(value, datetime) else str(value)
