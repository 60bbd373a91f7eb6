"""A source added by its declaration alone reaches every DAG, gate and runner: nothing else is edited.

The throwaway ``mailbox`` source (``tests/_support/mailbox_source.py``) is appended to the registry's
list for the test; its categories stand in for its block of ``categories.yaml``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from mailbox_source import CATEGORY_CODES, MailboxConnector

from connectors import registry, taxonomy

ROOT = Path(__file__).resolve().parents[2]
LETTER: dict[str, Any] = {
    "letter_id": "XX0001",
    "sent_at": "2026-11-20 09:00:00",
    "writer": "张伟",
    "phone": "13893112345",
    "district": "城关区",
    "topic": "工资",
    "body": "工地拖欠三个月工资",
}

pytestmark = pytest.mark.unit


@pytest.fixture
def mailbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[MailboxConnector]]:
    """The source registered: one line in ``CONNECTORS`` (the list itself, so every importer sees it)."""
    monkeypatch.setitem(taxonomy._category_codes(), "mailbox", CATEGORY_CODES)
    registry.CONNECTORS.append(MailboxConnector)
    try:
        yield MailboxConnector
    finally:
        registry.CONNECTORS.remove(MailboxConnector)


@pytest.fixture
def dags(mailbox: type[MailboxConnector], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    for name, value in {
        "AIRFLOW_HOME": str(tmp_path),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{tmp_path / 'airflow.db'}",
    }.items():
        monkeypatch.setenv(name, os.environ.get(name, value))
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags"))
    assert bag.import_errors == {}
    return dict(bag.dags)


def test_the_source_gets_its_own_dag_on_its_declared_schedule(dags: dict[str, Any]) -> None:
    dag = dags["complaint_source_mailbox"]
    assert dag.timetable.expression == "45 */2 * * *"
    graph = {task_id: sorted(task.downstream_task_ids) for task_id, task in dag.task_dict.items()}
    assert graph == {
        "extract": ["archive_files", "validate"],
        "validate": ["held", "publish_staged"],
        "publish_staged": [],
        "held": ["request_approval"],
        "request_approval": [],
        "archive_files": [],
    }
    assert [a.name for a in dag.get_task("publish_staged").outlets] == ["complaint_staged_mailbox"]
    assert {task.execution_timeout for task in dag.tasks} == {timedelta(minutes=5)}


def test_the_hub_dag_fans_out_to_it_and_the_pool_follows_it(dags: dict[str, Any]) -> None:
    extract = dags["complaint_hub"].get_task("extract")
    assert "mailbox" in extract.op_kwargs_expand_input.value["source"]
    condition = dags["complaint_pool"].timetable.asset_condition
    assert "complaint_staged_mailbox" in {a.name for a in condition.objects}


def test_the_embedded_runner_and_compose_give_it_a_connection(
    mailbox: type[MailboxConnector], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from airflow.sdk import Connection
    from embedded import Embedded, airflow_env

    from connectors.__main__ import main

    env = airflow_env(Embedded(tmp_path, f"sqlite:///{tmp_path / 'hub.db'}"), "http://127.0.0.1:1", "t")
    conn = json.loads(env["AIRFLOW_CONN_COMPLAINTS_MAILBOX"])
    assert conn == {"conn_type": "fs", "extra": {"path": f"{tmp_path}/sources/mailbox"}}
    built = MailboxConnector.from_connection(
        Connection.from_json(json.dumps(conn), conn_id="complaints_mailbox")
    )
    assert built.drop_dir == tmp_path / "sources" / "mailbox"
    assert (
        main(["connections", "--base-url", "http://simulators:8765", "--data-dir", "/opt/hub/var/sources"])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["complaints_mailbox"]["extra"]["path"] == (
        "/opt/hub/var/sources/mailbox"
    )


def test_its_schedule_suite_and_categories_are_found_from_the_registry(
    mailbox: type[MailboxConnector],
) -> None:
    import great_expectations as gx

    from expectations.suites import RAW_SCHEMAS, SUITES, build_suite_for
    from orchestration.schedules import source_policy

    assert source_policy("mailbox").cron == "45 */2 * * *"
    suite = build_suite_for("mailbox")
    assert suite.name == "complaints.mailbox"
    assert any(
        isinstance(e, gx.expectations.ExpectColumnValuesToNotBeNull) and e.column == "phone"
        for e in suite.expectations
    )
    assert SUITES["mailbox"]().name == "complaints.mailbox"
    assert RAW_SCHEMAS["mailbox"].required == ("letter_id", "sent_at", "phone", "topic", "body")
    assert registry.connector_class("mailbox").category_codes() == CATEGORY_CODES


def test_its_batches_pass_through_its_suite_and_gates(mailbox: type[MailboxConnector]) -> None:
    from hub_fixtures import DAY

    from expectations.batch import check_batch

    letters = [{**LETTER, "letter_id": f"XX{i:04d}"} for i in range(30)]
    letters[0] = {**letters[0], "phone": None}  # the suite's own requirement
    checked = check_batch(
        mailbox, [(i, letter["letter_id"], letter) for i, letter in enumerate(letters)], DAY.end
    )
    assert [q["source_record_id"] for q in checked.quarantined] == ["XX0000"]
    assert "phone: ExpectColumnValuesToNotBeNull" in checked.quarantined[0]["reasons"]
    assert checked.run["suite"] == "complaints.mailbox"
    gates = {g["gate"]: g for g in checked.gates}
    assert gates["schema_drift"]["reason"] == "all 5 required raw columns present"  # its declared schema

    renamed = [
        {**{k: v for k, v in letter.items() if k != "body"}, "text": letter["body"]} for letter in letters
    ]
    drifted = check_batch(
        mailbox, [(i, letter["letter_id"], letter) for i, letter in enumerate(renamed)], DAY.end
    )
    assert [g["gate"] for g in drifted.gates if not g["passed"]][:1] == ["schema_drift"]
    assert drifted.failed_gates[0]["detail"]["renamed"] == {"body": "text"}
