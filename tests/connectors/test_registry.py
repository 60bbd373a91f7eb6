"""The registry: every source's declaration is complete, and the connections derived from it are usable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from connectors import CONNECTORS, FileDropConnector
from connectors.__main__ import main
from connectors.registry import airflow_connections, stand_in_connections
from connectors.taxonomy import CONFIG_DIR

pytestmark = pytest.mark.unit

SOURCES = [cls.source for cls in CONNECTORS]
ARGS = {"base_url": "http://sim:8765", "token": "tok-{0}-x", "data_dir": "/srv/sources"}


def test_sources_and_connection_ids_are_unique() -> None:
    assert len(set(SOURCES)) == len(SOURCES)
    assert len({cls.conn_id for cls in CONNECTORS}) == len(CONNECTORS)


@pytest.mark.parametrize("cls", CONNECTORS, ids=SOURCES)
def test_every_source_declares_a_suite_a_schedule_and_its_categories(cls: type) -> None:
    from expectations.suites.declaration import declared_suite
    from orchestration.schedules import source_policy

    declared = declared_suite(cls)
    assert declared is not None and declared.raw is not None, cls.suite
    assert set(declared.raw.required) <= set(declared.raw.known)
    policy = source_policy(cls.source)  # raises on a key schedules.yaml's defaults do not have
    assert {key: getattr(policy, key) for key in cls.schedule} == dict(cls.schedule)
    assert cls.category_codes(), f"no block for {cls.source} in categories.yaml"


def test_categories_config_names_only_registered_sources() -> None:
    blocks = yaml.safe_load((CONFIG_DIR / "categories.yaml").read_text(encoding="utf-8"))
    assert sorted(blocks) == sorted(SOURCES)


@pytest.mark.parametrize("cls", CONNECTORS, ids=SOURCES)
def test_each_derived_connection_builds_its_connector(cls: type) -> None:
    from airflow.sdk import Connection

    conn = stand_in_connections(**ARGS)[cls.conn_id]
    connector = cls.from_connection(Connection.from_json(json.dumps(conn), conn_id=cls.conn_id))
    if issubclass(cls, FileDropConnector):
        assert connector.drop_dir == Path("/srv/sources") / cls.source
    elif hasattr(connector, "base_url"):
        assert connector.base_url == "http://sim:8765"
    else:
        assert connector.url == "sqlite:////srv/sources/petition.db"


def test_the_token_goes_only_where_a_template_asks_for_it() -> None:
    env = airflow_connections(**ARGS)
    assert sorted(env) == sorted(f"AIRFLOW_CONN_{cls.conn_id.upper()}" for cls in CONNECTORS)
    assert [name for name, value in env.items() if "tok-" in value] == ["AIRFLOW_CONN_COMPLAINTS_HOTLINE"]
    assert json.loads(env["AIRFLOW_CONN_COMPLAINTS_HOTLINE"])["password"] == "tok-{0}-x"  # braces kept


@pytest.mark.parametrize("form", ["json", "env"])
def test_the_cli_prints_the_same_connections(
    form: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIM_TOKEN", ARGS["token"])
    argv = ["connections", "--base-url", ARGS["base_url"], "--data-dir", ARGS["data_dir"]]
    assert main([*argv, "--token-env", "SIM_TOKEN", "--format", form]) == 0
    out = capsys.readouterr().out
    if form == "json":
        assert json.loads(out) == stand_in_connections(**ARGS)
    else:
        assert dict(line.split("=", 1) for line in out.splitlines()) == airflow_connections(**ARGS)
