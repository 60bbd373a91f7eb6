"""``python -m warehouse`` usage errors: one line, exit code 2, no traceback; no warehouse made by accident."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import warehouse
from warehouse.__main__ import main
from warehouse.cli.main import main as cli_main

pytestmark = pytest.mark.integration

PROJECT = Path(warehouse.__file__).resolve().parents[1]


def _usage_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error: " in err and "Traceback" not in err, err
    return err


@pytest.mark.parametrize(
    ("args", "says"),
    [
        pytest.param(["frobnicate"], "invalid choice: 'frobnicate'", id="unknown command"),
        pytest.param(["batch", "approve", "b1"], "invalid choice: 'approve'", id="unknown action"),
        pytest.param(["report", "--day", "2026-13-01"], "argument --day", id="bad date"),
        pytest.param(["review", "a", "b", "same"], "--reviewer", id="missing option"),
    ],
)
def test_a_bad_command_line_is_one_line_and_exit_2(
    args: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--url", "sqlite://", *args])
    assert exit_.value.code == 2
    assert says in _usage_error(capsys)


@pytest.mark.parametrize(
    ("params", "says"),
    [
        pytest.param(["no_such_query"], "no query 'no_such_query' (known: ", id="unknown query"),
        pytest.param(["cases_by_district_this_week"], "needs week_start=...", id="missing parameter"),
        pytest.param(["cases_by_district_this_week", "2026-11-16"], "name=value", id="not name=value"),
        pytest.param(
            ["cases_by_district_this_week", "week_start=2026-11-16", "day=1"], "takes no day", id="unknown"
        ),
    ],
)
def test_a_bad_query_is_a_usage_error(
    params: list[str], says: str, migrated_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--url", migrated_url, "query", *params]) == 2
    assert says in _usage_error(capsys)


def test_rehash_without_the_matcher_is_a_usage_error(
    migrated_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_main(["--url", migrated_url, "rehash", "--new-key-env", "X"]) == 2
    assert "blocking keys" in _usage_error(capsys)


def test_a_missing_sqlite_file_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "elsewhere" / "hub.db"
    assert main(["--url", f"sqlite:///{missing}", "batch", "held"]) == 2
    assert "no warehouse at" in _usage_error(capsys) and not missing.parent.exists()


def _run(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("HUB_DATABASE_URL", "HUB_DATA_DIR")}
    return subprocess.run(
        [sys.executable, "-m", "warehouse", *args],
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(PROJECT), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_from_another_directory_nothing_is_created_and_nothing_crashes(tmp_path: Path) -> None:
    held = _run(tmp_path, "batch", "held")
    assert held.returncode == 2 and "no warehouse at" in held.stderr and "Traceback" not in held.stderr
    migrate = _run(tmp_path, "migrate")
    assert migrate.returncode == 2 and "refusing to create a warehouse" in migrate.stderr
    assert "Traceback" not in migrate.stderr
    unknown = _run(tmp_path, "frobnicate")
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1 and "Traceback" not in unknown.stderr
    assert list(tmp_path.iterdir()) == []  # no ./var, no hub.db


def test_a_configured_data_dir_is_where_migrate_creates_the_warehouse(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert _run(tmp_path, "migrate", HUB_DATA_DIR=str(data)).returncode == 0
    assert (data / "hub.db").is_file()
    held = _run(tmp_path, "batch", "held", HUB_DATA_DIR=str(data))
    assert held.returncode == 0 and held.stdout.strip() == "[]"


def test_rehash_moves_the_pool_with_the_matchers_keys(
    migrated_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The program hands the matcher's blocking keys to the warehouse (warehouse/__main__.py)."""
    from pool_data import assign, record, rows, stage

    from warehouse import make_engine, publish_matches
    from warehouse.access.hashing import hash_key

    engine = make_engine(migrated_url)
    stage(engine, [record("app:r1", phone="13800000001", category="其他")])
    publish_matches(engine, [assign("app:r1", "c1")], [], [], [])
    new_key = "a-brand-new-key-for-the-cli-rehash-test-01"
    monkeypatch.setenv("HUB_NEW_HASH_KEY", new_key)
    try:
        assert main(["--url", migrated_url, "rehash", "--new-key-env", "HUB_NEW_HASH_KEY"]) == 0
    finally:
        hash_key.cache_clear()
    moved = json.loads(capsys.readouterr().out)
    assert moved["records"] == 1 and moved["match_keys"] >= 1  # the matcher's rules give this record keys
    assert len(rows(engine, "SELECT key FROM match_key")) == moved["match_keys"]
    engine.dispose()


def test_reblock_gives_pooled_records_the_keys_of_the_matchers_current_rules(
    migrated_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Records pooled without keys for some rule (before the rule existed) get them, under the current key."""
    from pool_data import assign, record, rows, stage

    from warehouse import make_engine, publish_matches

    engine = make_engine(migrated_url)
    stage(engine, [record("app:r1", phone="13800000001", name="王茂彬", category="其他")])
    publish_matches(engine, [assign("app:r1", "c1")], [], [], [])
    assert rows(engine, "SELECT rule FROM match_key WHERE rule = 'name_fuzzy'") == []
    assert main(["--url", migrated_url, "reblock"]) == 0
    counts = json.loads(capsys.readouterr().out)
    keys = rows(engine, "SELECT rule, key FROM match_key")
    assert counts["match_keys"] == len(keys) and counts["rules"] == len({k["rule"] for k in keys})
    assert {"phone_norm", "name_fuzzy"} <= {k["rule"] for k in keys}
    assert all("王茂彬" not in k["key"] and "13800000001" not in k["key"] for k in keys)  # keyed hashes
    assert main(["--url", migrated_url, "reblock"]) == 0  # idempotent
    assert json.loads(capsys.readouterr().out) == counts
    engine.dispose()
