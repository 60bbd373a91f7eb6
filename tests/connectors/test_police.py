"""Police connector: exports in GB18030, UTF-8 with and without BOM, and XLSX; garbled lines kept."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hub_fixtures import DAY, load

from connectors.base import RecordError
from connectors.police import PoliceConnector

pytestmark = pytest.mark.unit

ROWS = load("police", "jq_rows.json")


def _csv_text(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "encoding",
    [pytest.param("gb18030", id="GB18030"), pytest.param("gbk", id="GBK"), pytest.param("utf-8", id="UTF-8"),
     pytest.param("utf-8-sig", id="UTF-8 with BOM")],
)
def test_every_export_encoding_is_detected(tmp_path: Path, encoding: str) -> None:
    (tmp_path / "jq_20261120_2200.csv").write_bytes(_csv_text(ROWS).encode(encoding))
    rows = list(PoliceConnector(tmp_path).fetch_raw(DAY))
    assert [r["接警单编号"] for r in rows] == [r["接警单编号"] for r in ROWS]
    assert rows[0]["简要警情"] == "报警称被拖欠工资"


def test_a_garbled_line_becomes_an_error_row_and_the_rest_loads(tmp_path: Path) -> None:
    lines = _csv_text(ROWS).encode("gb18030").split(b"\r\n")
    lines.insert(2, b"J1,\xff\xfe\xfa broken")  # not valid in any supported encoding
    (tmp_path / "jq_20261120_2200.csv").write_bytes(b"\r\n".join(lines))
    rows = list(PoliceConnector(tmp_path).fetch_raw(DAY))
    errors = [r for r in rows if "_error" in r]
    assert len(rows) == 3 and len(errors) == 1
    assert errors[0]["_file"] == "jq_20261120_2200.csv" and errors[0]["_line"] == 3
    with pytest.raises(RecordError, match="line 3"):
        PoliceConnector.to_record(errors[0])


def test_xlsx_export(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(ROWS[0]))
    for row in ROWS:
        sheet.append(list(row.values()))
    book.save(tmp_path / "jq_20261120_2200.xlsx")
    assert len(list(PoliceConnector(tmp_path).fetch_raw(DAY))) == 2


def test_mapping_short_district_and_slash_times() -> None:
    record = PoliceConnector.to_record(ROWS[0])
    assert (record.district, record.category, record.id_number) == ("城关区", "劳资欠薪", "620102198703151236")
    assert record.reported_at is not None and record.reported_at.hour == 14
