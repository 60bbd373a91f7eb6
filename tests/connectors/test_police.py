"""Police connector: exports in GB18030, UTF-8 with and without BOM, and XLSX; garbled lines kept;
each export loaded once (registry by content hash) and archived only after its rows are committed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hub_fixtures import DAY, load
from hub_landing import assert_reconciled, sqlite_warehouse, stage_mappable

from connectors._csv import read_csv, unique_names
from connectors.base import RecordError
from connectors.drop import ChangedFileError, SetAsideError
from connectors.police import PoliceConnector
from warehouse import (
    file_registry,
    land_files,
    loaded_files,
    mark_archived,
    new_files,
    open_batch,
    read_landed,
)

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
    [
        pytest.param("gb18030", id="GB18030"),
        pytest.param("gbk", id="GBK"),
        pytest.param("utf-8", id="UTF-8"),
        pytest.param("utf-8-sig", id="UTF-8 with BOM"),
    ],
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
    assert (record.district, record.category, record.id_number) == (
        "城关区",
        "劳资欠薪",
        "620102198703151236",
    )
    assert record.reported_at is not None and record.reported_at.hour == 14


def _drop(tmp_path: Path, name: str, rows: list[dict[str, str]], encoding: str = "gb18030") -> Path:
    drop = tmp_path / "drop"
    drop.mkdir(exist_ok=True)
    (drop / name).write_bytes(_csv_text(rows).encode(encoding))
    return drop


def _extract(engine: sa.Engine, connector: PoliceConnector) -> tuple[str, list[str], int]:
    """What the DAG's extract task does for a file drop: land the files the registry has not seen."""
    batch_id = open_batch(engine, "police", DAY.key, DAY.start, DAY.end)
    files = new_files(engine, "police", connector.list_files())
    stats = land_files(engine, batch_id, "police", files, connector.keyed(connector.read_files(files)))
    return batch_id, [f.name for f in files], stats.fetched


@pytest.mark.integration
def test_each_export_loads_once_and_is_archived_after_its_commit(tmp_path: Path) -> None:
    engine = sqlite_warehouse(tmp_path)
    drop = _drop(tmp_path, "jq_20261120_0000.csv", ROWS[:1])
    _drop(tmp_path, "jq_20261120_0600.csv", ROWS[1:])
    connector = PoliceConnector(drop)
    batch_id, loaded, fetched = _extract(engine, connector)
    assert (loaded, fetched) == (["jq_20261120_0000.csv", "jq_20261120_0600.csv"], 2)
    moved = connector.archive(loaded_files(engine, "police", connector.list_files()))
    mark_archived(engine, "police", moved)
    assert connector.list_files() == [] and sorted(p.name for p in (drop / "archive").iterdir()) == loaded
    registry = file_registry(engine, "police")
    assert [(r["file_name"], r["rows"], r["batch_id"], r["archived_as"]) for r in registry] == [
        ("jq_20261120_0000.csv", 1, batch_id, "archive/jq_20261120_0000.csv"),
        ("jq_20261120_0600.csv", 1, batch_id, "archive/jq_20261120_0600.csv"),
    ]

    # The CAD exports the first file again under another name, and a new one: only the new one loads.
    _drop(tmp_path, "jq_20261120_0000_resent.csv", ROWS[:1])
    _drop(
        tmp_path,
        "jq_20261120_1200.csv",
        [{**ROWS[0], "处警状态": "已调解", "更新时间": "2026/11/20 16:00:00"}],
    )
    _, loaded_again, _ = _extract(engine, connector)
    assert loaded_again == ["jq_20261120_1200.csv"]
    assert stage_mappable(engine, batch_id, PoliceConnector)["landed"] == 2
    assert_reconciled(engine, batch_id)
    # The resent copy is registered content: the archive step takes it out of the drop without loading it.
    moved = connector.archive(loaded_files(engine, "police", connector.list_files()))
    assert {f.name for f, _ in moved} == {"jq_20261120_0000_resent.csv", "jq_20261120_1200.csv"}
    assert connector.list_files() == []


@pytest.mark.integration
def test_a_rerun_with_no_new_file_reproduces_the_batch(tmp_path: Path) -> None:
    engine = sqlite_warehouse(tmp_path)
    connector = PoliceConnector(_drop(tmp_path, "jq_20261120_0000.csv", ROWS))
    batch_id, _, _ = _extract(engine, connector)
    first = stage_mappable(engine, batch_id, PoliceConnector)
    connector.archive(loaded_files(engine, "police", connector.list_files()))
    _, loaded, _ = _extract(engine, connector)  # the same DAG run again: the drop is empty now
    assert loaded == []
    assert (
        stage_mappable(engine, batch_id, PoliceConnector)
        == first
        == {"fetched": 2, "landed": 2, "unchanged": 0, "quarantined": 0}
    )


@pytest.mark.integration
def test_nothing_is_registered_or_archived_when_the_landing_fails(tmp_path: Path) -> None:
    engine = sqlite_warehouse(tmp_path)
    connector = PoliceConnector(_drop(tmp_path, "jq_20261120_0000.csv", ROWS))
    files = new_files(engine, "police", connector.list_files())

    def failing() -> Iterator[tuple[str, str, dict[str, Any]]]:
        yield from connector.keyed(connector.read_files(files))
        raise OSError("connection to the warehouse lost")

    batch_id = open_batch(engine, "police", DAY.key, DAY.start, DAY.end)
    with pytest.raises(OSError):
        land_files(engine, batch_id, "police", files, failing())
    assert file_registry(engine, "police") == [] and read_landed(engine, batch_id) == []
    assert connector.archive(loaded_files(engine, "police", connector.list_files())) == []
    assert [f.name for f in connector.list_files()] == ["jq_20261120_0000.csv"]  # loaded by the next try


def test_a_file_changed_after_listing_is_not_read(tmp_path: Path) -> None:
    drop = _drop(tmp_path, "jq_20261120_0000.csv", ROWS[:1])
    connector = PoliceConnector(drop)
    (listed,) = connector.list_files()
    _drop(tmp_path, "jq_20261120_0000.csv", ROWS)  # the CAD was still writing it
    with pytest.raises(ChangedFileError):
        list(connector.read_file(listed))


def test_a_different_file_of_an_archived_name_is_archived_beside_it(tmp_path: Path) -> None:
    connector = PoliceConnector(_drop(tmp_path, "jq_20261120_0000.csv", ROWS[:1]))
    connector.archive(connector.list_files())
    _drop(tmp_path, "jq_20261120_0000.csv", ROWS)
    (file,) = connector.list_files()
    assert connector.archive([file]) == [(file, f"archive/jq_20261120_0000.{file.sha256[:12]}.csv")]


@pytest.mark.integration
@pytest.mark.slow
def test_a_garbled_line_is_quarantined_with_file_and_line_and_the_rest_staged(tmp_path: Path) -> None:
    from expectations.batch import check_batch
    from warehouse import stage_batch

    lines = _csv_text(ROWS).encode("gb18030").split(b"\r\n")
    lines.insert(2, b"J1,\xff\xfe\xfa broken")
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "jq_20261120_2200.csv").write_bytes(b"\r\n".join(lines))
    engine = sqlite_warehouse(tmp_path)
    batch_id, _, fetched = _extract(engine, PoliceConnector(drop))
    checked = check_batch(PoliceConnector, read_landed(engine, batch_id), reference_time=DAY.end)
    counts = stage_batch(engine, batch_id, checked.records, checked.quarantined, checked.dq_results)
    assert (fetched, counts["landed"], counts["quarantined"]) == (3, 2, 1)
    assert_reconciled(engine, batch_id)
    with engine.connect() as conn:
        reasons, payload = conn.execute(sa.text("SELECT reasons, payload FROM quarantine_record")).one()
    reasons = json.loads(reasons) if isinstance(reasons, str) else reasons
    assert reasons == ["unmappable: undecodable bytes (file jq_20261120_2200.csv, line 3)"]
    payload = json.loads(payload) if isinstance(payload, str) else payload
    assert bytes.fromhex(payload["_raw_hex"]) == b"J1,\xff\xfe\xfa broken"  # the original bytes are kept


@pytest.mark.parametrize(
    ("names", "unique"),
    [
        pytest.param(["a", "b"], ["a", "b"], id="no repeat"),
        pytest.param(["a", "a", "a"], ["a", "a#2", "a#3"], id="repeats numbered"),
        pytest.param(["a", "a", "a#2"], ["a", "a#3", "a#2"], id="a suffix already taken"),
        pytest.param(["", ""], ["", "#2"], id="empty names"),
    ],
)
def test_repeated_column_names_are_kept_apart(names: list[str], unique: list[str]) -> None:
    assert unique_names(names) == unique


@pytest.mark.parametrize(
    ("text", "lines", "content"),
    [
        pytest.param("J1,a\r\nJ2,b\r\n", [2, 3], ["a", "b"], id="plain"),
        pytest.param('J1,"a\r\nb"\r\nJ2,c\r\n', [2, 4], ["a\r\nb", "c"], id="quoted CRLF"),
        pytest.param('J1,"a\rb"\nJ2,c', [2, 4], ["a\rb", "c"], id="quoted CR, no final newline"),
        pytest.param("J1,a\x0bb\nJ2,a\u2028b\n", [2, 3], ["a\x0bb", "a\u2028b"], id="rare breaks unquoted"),
        pytest.param("\r\nJ1,a\r\n\r\nJ2,b", [3, 5], ["a", "b"], id="blank lines skipped"),
    ],
)
def test_csv_records_and_their_first_line(text: str, lines: list[int], content: list[str]) -> None:
    rows = list(read_csv("x.csv", f"接警单编号,简要警情\r\n{text}".encode(), {"接警单编号"}))
    assert [(r["_line"], r["简要警情"]) for r in rows] == list(zip(lines, content, strict=True))


def test_a_csv_without_its_header_is_set_aside_naming_none_of_its_values() -> None:
    with pytest.raises(SetAsideError) as raised:
        list(read_csv("x.csv", b"J1,13893112345\r\nJ2,b\r\n", {"接警单编号"}))
    assert "13893112345" not in str(raised.value) and "J1" not in str(raised.value)
