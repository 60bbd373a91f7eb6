"""``python -m matching``: a wrong command line exits 2, an unusable input file 1, each with one message and
never a traceback; the stages show on stderr only when asked (tests' stderr is not a terminal)."""

from __future__ import annotations

from pathlib import Path

import pytest
from command_line import assert_usage_error, run_main

from matching.__main__ import main

from .conftest import COLUMNS, frame, wage_case

pytestmark = pytest.mark.unit

HEADER = ",".join(COLUMNS)
FILES = {
    "good.csv": None,  # the wage case, written by the fixture
    "no_id.csv": "name,phone\n张伟,13893112345\n",
    "gbk.csv": "record_id,name\na:1,张伟\n".encode("gbk"),
    "empty.csv": "",
    "repeated.csv": f"{HEADER}\na:1,a,,张伟\na:2,a,,李娜\na:1,a,,张伟\n",
    "blank_id.csv": f"{HEADER}\na:1,a,,张伟\n,a,,李娜\n",
    "list.yaml": "- not\n- a mapping\n",
    "broken.yaml": "fields: [\n",
    "truth.csv": "record_id,entity_id\na:1,e1\n",
    "truth_repeated.csv": "record_id,entity_id\na:1,e1\na:1,e2\n",
    "truth_no_entity.csv": "record_id,name\na:1,x\n",
    "clusters_no_cluster.csv": "record_id\na:1\n",
    "semicolon.csv": "record_id;name;phone\na:1;张伟;13893112345\n",
    "name_twice.csv": f"{HEADER},name\na:1,a,,张伟\n",
    "name_spaced_twice.csv": f"{HEADER}, Name \na:1,a,,张伟\n",
    "unquoted_comma.csv": f"{HEADER}\na:1,a,,张伟\na:2,a,,李娜,,,城关区,永昌路88号,城关区,,,,欠薪\n",
    "open_quote.csv": f'{HEADER}\na:1,a,,"张伟\n',
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, content in FILES.items():
        if content is None:
            frame(wage_case()).to_csv(tmp_path / name, index=False, encoding="utf-8")
        elif isinstance(content, bytes):
            (tmp_path / name).write_bytes(content)
        else:
            (tmp_path / name).write_text(content, encoding="utf-8")
    return tmp_path


def _argv(folder: Path, argv: list[str]) -> list[str]:
    return [arg.format(dir=folder) for arg in argv]


DEDUPE = ["dedupe", "--output", "{dir}/out.csv", "--input"]
TRUTH = ["evaluate", "--clusters", "{dir}/good.csv", "--truth"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param([], "required: command", id="no command"),
        pytest.param(["dedup"], "invalid choice: 'dedup'", id="unknown command"),
        pytest.param(["dedupe", "--input", "{dir}/good.csv"], "required: --output", id="no output"),
        pytest.param([*DEDUPE, "{dir}/missing.csv"], "argument --input: no such file: {dir}/missing.csv", id="missing input"),
        pytest.param(["dedupe", "--input", "{dir}/good.csv", "--output", "{dir}/nowhere/out.csv"],
                     "argument --output: cannot write {dir}/nowhere/out.csv", id="output folder missing"),
        pytest.param(["dedupe", "--input", "{dir}/good.csv", "--output", "{dir}"], "argument --output", id="output is a folder"),
        pytest.param([*DEDUPE, "{dir}/good.csv", "--settings", "{dir}/none.yaml"], "argument --settings: no such file",
                     id="missing settings"),
        pytest.param([*DEDUPE, "{dir}/good.csv", "--settings", "{dir}/list.yaml"], "error: --settings {dir}/list.yaml: ",
                     id="settings not a mapping"),
        pytest.param([*DEDUPE, "{dir}/good.csv", "--settings", "{dir}/broken.yaml"], "error: --settings {dir}/broken.yaml: ",
                     id="settings not YAML"),
        pytest.param([*DEDUPE, "{dir}/good.csv", "--encoding", "nope"], "argument --encoding: unknown encoding: nope",
                     id="unknown encoding"),
        pytest.param(["evaluate", "--truth", "{dir}/good.csv"], "required: --clusters", id="no clusters"),
        pytest.param([*TRUTH, "{dir}/missing.csv"], "argument --truth: no such file", id="missing truth"),
    ],
)  # fmt: skip
def test_usage_errors_exit_2(
    folder: Path, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_main(main, _argv(folder, argv), capsys)
    assert_usage_error(status, err, message.format(dir=folder))
    assert not (folder / "out.csv").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param([*DEDUPE, "{dir}/no_id.csv"], "{dir}/no_id.csv: no record_id column", id="no record_id"),
        pytest.param([*DEDUPE, "{dir}/gbk.csv"], "{dir}/gbk.csv: not a UTF-8 CSV file", id="not UTF-8"),
        pytest.param([*DEDUPE, "{dir}/gbk.csv"], "try --encoding gb18030", id="not UTF-8: what to try"),
        pytest.param([*DEDUPE, "{dir}/repeated.csv"], "1 record_id(s) appear on more than one row ('a:1' on data rows 1, 3)",
                     id="a record_id on two rows"),
        pytest.param([*DEDUPE, "{dir}/blank_id.csv"], "1 row(s) without a record_id: data row(s) 2", id="a blank record_id"),
        pytest.param([*DEDUPE, "{dir}/empty.csv"], "{dir}/empty.csv: not a UTF-8 CSV file", id="empty file"),
        pytest.param([*DEDUPE, "{dir}/semicolon.csv"], "no record_id column (the header is split by ';': save the "
                     "file with commas)", id="split by semicolons"),
        pytest.param([*DEDUPE, "{dir}/name_spaced_twice.csv"], "column(s) ['name'] appear twice in the header",
                     id="a column twice, once spaced and in capitals"),
        pytest.param([*DEDUPE, "{dir}/name_twice.csv"], "column(s) ['name'] appear twice in the header",
                     id="a column twice"),
        pytest.param([*DEDUPE, "{dir}/unquoted_comma.csv"], "a row does not fit the CSV layout (Expected 12 fields in "
                     "line 3, saw 13); a field holding a comma must be in double quotes", id="an unquoted comma"),
        pytest.param([*DEDUPE, "{dir}/open_quote.csv"], "a row does not fit the CSV layout (EOF inside string",
                     id="a quote left open"),
        pytest.param([*TRUTH, "{dir}/truth_no_entity.csv"], "needs record_id and entity_id", id="truth without entities"),
        pytest.param([*TRUTH, "{dir}/truth_repeated.csv"], "('a:1' on data rows 1, 2)", id="truth naming a record twice"),
        pytest.param(["evaluate", "--truth", "{dir}/truth.csv", "--clusters", "{dir}/clusters_no_cluster.csv"],
                     "missing column(s) ['cluster_id']", id="clusters without cluster_id"),
    ],
)  # fmt: skip
def test_unusable_input_exits_1(
    folder: Path, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = run_main(main, _argv(folder, argv), capsys)
    assert status == 1
    assert message.format(dir=folder) in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("flag", "shown"),
    [
        pytest.param([], False, id="not a terminal"),
        pytest.param(["--progress"], True, id="forced"),
        pytest.param(["--no-progress"], False, id="silenced"),
    ],
)
def test_progress_only_when_asked(
    folder: Path, flag: list[str], shown: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run_main(main, _argv(folder, [*DEDUPE, "{dir}/good.csv", *flag]), capsys)
    assert status == 0 and "4 records, 1 clusters" in out
    assert ("deduplicating 4 records" in err) is shown
    assert err == "" or shown


def test_a_gb18030_export_reads_with_its_encoding(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frame(wage_case()).to_csv(folder / "excel.csv", index=False, encoding="gb18030")
    status, out, err = run_main(
        main, _argv(folder, ["dedupe", "--output", "{dir}/out.csv", "--input", "{dir}/excel.csv",
                             "--encoding", "gb18030"]), capsys
    )  # fmt: skip
    assert status == 0 and "4 records, 1 clusters" in out, err


def test_report_times_that_are_no_time_are_named(
    folder: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # The CLI logs warnings to stderr; under pytest its log capture holds them instead.
    rows = wage_case()
    rows[1] = {**rows[1], "reported_at": "昨天下午"}
    frame(rows).to_csv(folder / "times.csv", index=False, encoding="utf-8")
    status, out, _ = run_main(main, _argv(folder, [*DEDUPE, "{dir}/times.csv"]), capsys)
    assert status == 0 and "4 records" in out
    assert "1 of 4 reported_at value(s) are not a time ('昨天下午' at row 2)" in caplog.text


def test_labels_naming_records_not_in_the_input_are_named(
    folder: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # A labels file kept from another export, or an id retyped by hand: the reviewer's work would be
    # silently unused.
    ids = [row["record_id"] for row in wage_case()]
    (folder / "labels.csv").write_text(
        f"record_id_l,record_id_r,decision\n{ids[0]},{ids[1]},same\n{ids[0]},app:nowhere,different\n",
        encoding="utf-8",
    )
    status, out, _ = run_main(
        main, _argv(folder, [*DEDUPE, "{dir}/good.csv", "--labels", "{dir}/labels.csv"]), capsys
    )
    assert status == 0 and "4 records, 1 clusters" in out
    said = f"1 of 2 label(s) in {folder}/labels.csv name a record not in the input (first: app:nowhere, {ids[0]})"
    assert said in caplog.text


def test_a_record_split_by_a_bare_line_break_is_named(
    folder: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # A description holding a carriage return, written without quotes: the text after it reads as a row
    # of its own, a record with an id ("元") and no data, which would pass as a record of the input.
    rows = wage_case()
    text = frame(rows).to_csv(index=False)
    lines = text.splitlines()
    lines[2] = lines[2] + "\r元"
    (folder / "split.csv").write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
    status, out, _ = run_main(main, _argv(folder, [*DEDUPE, "{dir}/split.csv"]), capsys)
    assert status == 0 and "5 records" in out
    said = f"{folder}/split.csv: 1 row(s) hold a record_id and nothing else (data row(s) 3, the first '元')"
    assert said in caplog.text


def test_a_header_with_spaces_or_in_capitals_names_the_settings_columns(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A header typed by hand or exported by another tool: RECORD_ID, " name ", Phone.
    rows = frame(wage_case())
    rows.columns = [f" {c.upper()} " if k % 2 else c.title() for k, c in enumerate(rows.columns)]
    rows.to_csv(folder / "header.csv", index=False, encoding="utf-8")
    status, out, _ = run_main(main, _argv(folder, [*DEDUPE, "{dir}/header.csv"]), capsys)
    assert status == 0 and "4 records, 1 clusters" in out
    assert (folder / "out.csv").read_text(encoding="utf-8").startswith("record_id,cluster_id")
