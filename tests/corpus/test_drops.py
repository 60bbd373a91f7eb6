"""Bad-input corpus of the file drops: each bad export, end to end through extract, archive and validate.

Every case drops a good export (24 records) and a bad input into the police or netizen drop, runs the
real task bodies (``extract_window`` → ``archive_drop`` → ``validate_batch``) on SQLite and
PostgreSQL, and checks the promised outcome: the good file loads, the bad input is staged,
quarantined with its reason or set aside with its reason, and the batch balances.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from drop_corpus import (
    COLUMNS,
    POLICE,
    Run,
    csv_bytes,
    export,
    messages,
    observe,
    police_rows,
    xlsx_bytes,
)
from hub_fixtures import DAY

from connectors._csv import NO_HEADER
from connectors.drop import REJECTED_DIR
from warehouse import file_registry, make_engine, release_file
from warehouse.cli.main import main as cli
from warehouse.load.files import set_aside_registry

pytestmark = pytest.mark.integration

GOOD = 24  # records of the good export beside each bad input: one bad row stays under the rate gate


@pytest.fixture
def ingest(migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """Drop ``files`` into a source's drop and run the real task bodies over it (for the day ``day``
    days after the corpus's day: each run of a test its own window, hence its own batch)."""
    from orchestration.ingest import archive_drop, extract_window, validate_batch

    monkeypatch.setenv("HUB_DATABASE_URL", migrated_url)
    for source in ("police", "netizen"):
        (tmp_path / source).mkdir()
        conn = {"conn_type": "fs", "extra": {"path": str(tmp_path / source)}}
        monkeypatch.setenv(f"AIRFLOW_CONN_COMPLAINTS_{source.upper()}", json.dumps(conn))

    def run(source: str, files: dict[str, bytes], day: int = 0) -> Run:
        from airflow.sdk.exceptions import AirflowFailException

        drop = tmp_path / source
        for name, data in files.items():
            (drop / name).write_bytes(data)
        start, end = DAY.start + timedelta(days=day), DAY.end + timedelta(days=day)
        batch_id = extract_window(source, start, end, "corpus")
        archive_drop(batch_id)
        held = None
        try:
            validate_batch(batch_id, end)
        except AirflowFailException as exc:
            held = str(exc)
        return observe(migrated_url, batch_id, held, drop)

    return run


def _reasons(run: Run) -> list[str]:
    return [why for reasons in run.quarantined.values() for why in reasons]


def _set_aside(run: Run, name: str, reason: str, good: str = "good.csv") -> None:
    """``name`` was set aside with ``reason``: one quarantined row, moved to rejected/, the good file staged."""
    assert run.held is None and run.batch["status"] == "staged"
    assert run.folders == {"": [], "archive": [good], REJECTED_DIR: [name]}
    set_aside = {rid: why for rid, why in run.quarantined.items() if rid.startswith("set-aside:")}
    assert len(set_aside) == 1, run.quarantined
    [why] = set_aside.values()
    assert why == [f"unmappable: file set aside: {reason} (file {name})"]
    assert len(run.staged) == GOOD and run.batch["quarantined"] == 1


CORRUPT = b"PK\x03\x04 not really a workbook"
WORKBOOK = xlsx_bytes([COLUMNS, *[list(r.values()) for r in police_rows(3, 100)]])

SET_ASIDE = [
    pytest.param(
        "bad.xlsx", CORRUPT, "not a readable workbook: a corrupt or truncated .xlsx", id="corrupt xlsx"
    ),
    pytest.param(
        "bad.xlsx",
        WORKBOOK[: len(WORKBOOK) // 2],
        "not a readable workbook: a corrupt or truncated .xlsx",
        id="truncated xlsx",
    ),
    pytest.param("bad.xlsx", xlsx_bytes([]), "the sheet is empty: no header row", id="xlsx empty sheet"),
    pytest.param(
        "bad.xlsx",
        xlsx_bytes([list(r.values()) for r in police_rows(3, 100)]),
        NO_HEADER,
        id="xlsx without header",
    ),
    pytest.param(
        "bad.csv",
        csv_bytes(police_rows(3, 100)).split(b"\r\n", 1)[1],
        NO_HEADER,
        id="csv without header",
    ),
    pytest.param("bad.csv", WORKBOOK, NO_HEADER, id="a workbook named .csv"),
    pytest.param("bad.csv", csv_bytes(police_rows(3, 100)).replace(b",", b";"), NO_HEADER, id="semicolons"),
    pytest.param(
        "bad.csv",
        csv_bytes([]) + b'J1,"' + b"x" * (17 * 1024 * 1024) + b'"\r\n',
        "CSV unreadable from line 2: field larger than field limit (16777216)",
        id="csv cell over 16 MiB",
    ),
]


@pytest.mark.parametrize(("name", "data", "reason"), SET_ASIDE)
def test_a_poisoned_police_file_is_set_aside_and_the_good_one_loads(
    ingest: Callable[..., Run], name: str, data: bytes, reason: str
) -> None:
    run = ingest("police", {"good.csv": csv_bytes(police_rows(GOOD)), name: data})
    _set_aside(run, name, reason)


def test_a_headerless_csv_shows_none_of_its_values_anywhere(
    ingest: Callable[..., Run], migrated_url: str
) -> None:
    rows = police_rows(GOOD)
    headerless = csv_bytes(rows).split(b"\r\n", 1)[1]  # the header line lost: the first record leads
    run = ingest("police", {"good.csv": csv_bytes(police_rows(GOOD, 500)), "bad.csv": headerless})
    engine = make_engine(migrated_url)
    with engine.connect() as conn:  # what auditors read of the batch's gates
        gates = [dict(g) for g in conn.execute(sa.text("SELECT * FROM v_audit_batch_gate")).mappings()]
    engine.dispose()
    assert gates  # the gates ran (and passed): nothing of the file shows in them
    shown = json.dumps([run.batch, _reasons(run), run.held, gates], ensure_ascii=False, default=str)
    for value in rows[0].values():
        assert value not in shown, value
    assert run.batch["status"] == "staged" and run.batch["fetched"] == GOOD + 1


def test_a_set_aside_file_blocks_nothing_and_is_released_after_the_fix(
    ingest: Callable[..., Run], migrated_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = xlsx_bytes([])  # a workbook's bytes carry the time it was saved: made once
    first = ingest("police", {"good.csv": csv_bytes(police_rows(GOOD)), "bad.xlsx": empty})
    assert first.folders[REJECTED_DIR] == ["bad.xlsx"]
    # The same bytes dropped again are known (registered as set aside): they do not load twice.
    again = ingest("police", {"bad.xlsx": empty}, day=1)
    assert again.batch["fetched"] == 0 and again.folders[REJECTED_DIR] == ["bad.xlsx"]
    # The operator fixes the file (new bytes, a new hash): it loads without a release.
    fixed = ingest("police", {"bad.xlsx": WORKBOOK}, day=2)
    assert sorted(fixed.staged) == [r["接警单编号"] for r in police_rows(3, 100)]
    # A release forgets the registration: the same bytes, put back, are read again (set aside again).
    assert cli(["--url", migrated_url, "files", "release", "police", "nothing.xlsx"]) == 1
    engine = make_engine(migrated_url)
    released = release_file(engine, "police", "bad.xlsx")
    assert released["archived_as"] == f"{REJECTED_DIR}/bad.xlsx"
    assert [f["file_name"] for f in file_registry(engine, "police")].count("bad.xlsx") == 1  # the fixed one
    engine.dispose()
    (tmp_path / "police" / REJECTED_DIR / "bad.xlsx").rename(tmp_path / "police" / "bad.xlsx")
    retried = ingest("police", {}, day=3)
    # Its set-aside row is the one already quarantined: counted unchanged; the file is rejected again.
    assert (retried.batch["fetched"], retried.batch["unchanged"]) == (1, 1)
    assert retried.folders[REJECTED_DIR] == ["bad.xlsx"]
    engine = make_engine(migrated_url)
    [shown] = set_aside_registry(engine, "police")
    assert shown["reasons"] == [
        "unmappable: file set aside: the sheet is empty: no header row (file bad.xlsx)"
    ]
    engine.dispose()
    capsys.readouterr()  # the task bodies' logs
    assert cli(["--url", migrated_url, "files", "set-aside", "police"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["reasons"] == shown["reasons"]
    assert cli(["--url", migrated_url, "files", "release", "police", shown["sha256"][:12]]) == 0
    assert set_aside_registry(make_engine(migrated_url), "police") == []


def _one_cell(char: str) -> bytes:
    rows = police_rows(GOOD)
    rows[0]["简要警情"] = f'被拖欠"工资"{char}第二行'
    return csv_bytes(rows)


# A control character, or a content over its length bound: the whole record quarantined.
CONTROL = ["content: ExpectColumnValuesToBeCleanText"]
IN_CELL = [
    pytest.param("\r\n", [], id="quoted CRLF"),
    pytest.param("\n", [], id="quoted LF"),
    pytest.param("\u2028", [], id="line separator"),
    pytest.param("\x0b", CONTROL, id="vertical tab"),
    pytest.param("\x1c", CONTROL, id="file separator"),
    pytest.param("\x85", CONTROL, id="next line"),
]


@pytest.mark.parametrize(("char", "reasons"), IN_CELL)
def test_a_line_break_inside_a_cell_stays_in_the_cell(
    ingest: Callable[..., Run], char: str, reasons: list[str]
) -> None:
    run = ingest("police", {"good.csv": _one_cell(char)})
    first = police_rows(1)[0]["接警单编号"]
    assert run.batch["fetched"] == GOOD and run.quarantined == ({first: reasons} if reasons else {})
    assert run.payloads[first]["简要警情"] == f'被拖欠"工资"{char}第二行'
    assert run.payloads[police_rows(2)[1]["接警单编号"]]["_line"] == 3 + (char in "\r\n")


@pytest.mark.parametrize(
    "encoding",
    [
        pytest.param("gb18030", id="GB18030"),
        pytest.param("utf-8-sig", id="UTF-8 with BOM"),
        pytest.param("utf-16", id="UTF-16 with BOM"),
    ],
)
def test_every_export_encoding_loads(ingest: Callable[..., Run], encoding: str) -> None:
    run = ingest("police", {"good.csv": csv_bytes(police_rows(GOOD), encoding=encoding)})
    assert (len(run.staged), run.batch["quarantined"]) == (GOOD, 0)
    assert run.payloads[police_rows(1)[0]["接警单编号"]]["简要警情"] == POLICE[0]["简要警情"]


def test_an_empty_export_loads_nothing_and_is_archived(ingest: Callable[..., Run]) -> None:
    run = ingest(
        "police", {"good.csv": csv_bytes(police_rows(GOOD)), "empty.csv": b"", "header.csv": csv_bytes([])}
    )
    assert run.batch["fetched"] == GOOD and run.folders["archive"] == ["empty.csv", "good.csv", "header.csv"]


def test_a_long_cell_is_read_whole(ingest: Callable[..., Run]) -> None:
    rows = police_rows(GOOD)
    rows[0]["简要警情"] = "拖欠工资" * 50_000  # 200,000 characters: over the csv module's default limit
    run = ingest("police", {"good.csv": csv_bytes(rows)})
    assert run.batch["fetched"] == GOOD and not run.folders[REJECTED_DIR]
    assert run.payloads[rows[0]["接警单编号"]]["简要警情"] == rows[0]["简要警情"]
    # Read whole, the record is then judged as any: over the content's length bound, quarantined.
    assert run.quarantined == {rows[0]["接警单编号"]: CONTROL} and len(run.staged) == GOOD - 1


def test_a_repeated_header_column_keeps_both_cells(ingest: Callable[..., Run]) -> None:
    rows = [{**r, "extra": "13900000000"} for r in police_rows(GOOD)]
    run = ingest("police", {"good.csv": csv_bytes(rows, [*COLUMNS, "报警人电话"])})
    payload = run.payloads[rows[0]["接警单编号"]]
    assert (payload["报警人电话"], payload["报警人电话#2"]) == (rows[0]["报警人电话"], "13900000000")
    assert len(run.staged) == GOOD


def test_xlsx_cells_past_the_header_stay_in_the_payload(ingest: Callable[..., Run]) -> None:
    rows = [[*r.values(), "", "多出的单元格"] for r in police_rows(GOOD)]
    run = ingest("police", {"good.xlsx": xlsx_bytes([COLUMNS, *rows])})
    payload = run.payloads[police_rows(1)[0]["接警单编号"]]
    assert payload["_extra_cells"] == ["", "多出的单元格"] and len(run.staged) == GOOD


ROW_LEVEL = [
    pytest.param(
        lambda: csv_bytes(police_rows(GOOD)) + b"J1,too,few\r\n",
        "unmappable: 3 cells, header has 11 (file good.csv, line 26)",
        id="ragged record",
    ),
    pytest.param(
        lambda: csv_bytes(police_rows(GOOD), encoding="gb18030") + b"J1,\xff\xfe broken\r\n",
        "unmappable: undecodable bytes (file good.csv, line 26)",
        id="undecodable line",
    ),
    pytest.param(
        lambda: csv_bytes([*police_rows(GOOD), {**police_rows(1)[0], "简要警情": "另一起纠纷"}]),
        "unmappable: duplicate id J6201002026112000000: a different record with this id came first "
        "(file good.csv, line 2) (file good.csv, line 26)",
        id="two records one id",
    ),
]


@pytest.mark.parametrize(("data", "reason"), ROW_LEVEL)
def test_a_bad_record_is_quarantined_with_its_reason(
    ingest: Callable[..., Run], data: Callable[[], bytes], reason: str
) -> None:
    run = ingest("police", {"good.csv": data()})
    assert _reasons(run) == [reason]
    assert (len(run.staged), run.batch["quarantined"], run.batch["status"]) == (GOOD, 1, "staged")


def test_the_same_record_in_two_exports_is_counted_once(ingest: Callable[..., Run]) -> None:
    rows = police_rows(GOOD)
    run = ingest("police", {"a.csv": csv_bytes(rows), "b.csv": csv_bytes(rows[:1])})
    assert (run.batch["fetched"], run.batch["unchanged"], len(run.staged)) == (GOOD + 1, 1, GOOD)
    assert not run.quarantined


NETIZEN = [
    pytest.param(
        b'{"messages": [',
        ["unmappable: invalid JSON: Expecting value (file bad.json, line 1)"],
        id="truncated",
    ),
    pytest.param(b"\xff\xfe\x00", ["unmappable: undecodable bytes (file bad.json, line 1)"], id="binary"),
    pytest.param(
        b"[]", ["unmappable: no messages array in the export (file bad.json, line 1)"], id="no messages"
    ),
    pytest.param(
        export([42]), ["unmappable: message is not an object (file bad.json, item 1)"], id="not an object"
    ),
]


def test_a_netizen_export_too_deep_to_parse_is_set_aside(ingest: Callable[..., Run]) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    run = ingest("netizen", {"good.json": export(messages(GOOD)), "bad.json": deep})
    _set_aside(run, "bad.json", "unreadable export (RecursionError)", good="good.json")


@pytest.mark.parametrize(("data", "reasons"), NETIZEN)
def test_a_broken_netizen_export_is_quarantined_and_the_good_one_loads(
    ingest: Callable[..., Run], data: bytes, reasons: list[str]
) -> None:
    run = ingest("netizen", {"good.json": export(messages(GOOD)), "bad.json": data})
    assert _reasons(run) == reasons and len(run.staged) == GOOD
    assert run.folders["archive"] == ["bad.json", "good.json"]


def test_a_repeated_json_key_keeps_both_values(ingest: Callable[..., Run]) -> None:
    text = (
        export(messages(GOOD))
        .decode()
        .replace('"tid": "LY20261120000000"', '"tid": "LY20261120000000", "phone": "13900000000"', 1)
    )
    run = ingest("netizen", {"good.json": text.encode()})
    payload = run.payloads["LY20261120000000"]
    assert (payload["phone"], payload["phone#2"]) == ("13900000000", messages(1)[0]["phone"])


def test_a_second_netizen_message_with_one_id_is_quarantined(ingest: Callable[..., Run]) -> None:
    sent = messages(GOOD)
    twin = {**sent[0], "content": "另一条留言"}
    run = ingest("netizen", {"good.json": export([*sent, twin])})
    assert _reasons(run) == [
        f"unmappable: duplicate id {twin['tid']}: a different record with this id came first "
        f"(file good.json, item 1) (file good.json, item {GOOD + 1})"
    ]
    assert twin["tid"] in run.staged and run.payloads[twin["tid"]]["content"] == sent[0]["content"]
