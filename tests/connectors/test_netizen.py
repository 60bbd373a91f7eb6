"""Netizen messages (网民留言), the fifth source: recorded exports, mapping, broken files, registry, suite."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hub_fixtures import DAY, FIXTURES
from hub_landing import assert_reconciled, sqlite_warehouse

from connectors import CONNECTORS, connector_class
from connectors.base import RecordError
from connectors.netizen import NetizenConnector
from simulators import generate_world, write_sources
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

EXPORT = "ly_20261120_0600.json"


@pytest.fixture
def drop(tmp_path: Path) -> Path:
    target = tmp_path / "netizen"
    shutil.copytree(FIXTURES / "netizen", target)
    return target


def _rows(drop: Path, name: str) -> list[dict[str, Any]]:
    connector = NetizenConnector(drop)
    (file,) = [f for f in connector.list_files() if f.name == name]
    return list(connector.read_file(file))


def test_adding_the_source_is_one_registry_line_and_one_suite_line() -> None:
    from expectations.suites import SUITES

    assert connector_class("netizen") is NetizenConnector and CONNECTORS[-1] is NetizenConnector
    assert SUITES["netizen"]().name == "complaints.netizen"


def test_an_export_is_read_with_file_and_position(drop: Path) -> None:
    rows = _rows(drop, EXPORT)
    assert [(r["tid"], r["_file"], r["_item"]) for r in rows] == [
        ("LY20261120000004", EXPORT, 1),
        ("LY20261120000005", EXPORT, 2),
        ("LY20261120000006", EXPORT, 3),
    ]


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        pytest.param(
            0,
            {
                "name": None,
                "district": "七里河区",
                "category": "拆迁安置",
                "status": "办理中",
                "resolved_at": None,
            },
            id="anonymous post: nickname only",
        ),
        pytest.param(
            1,
            {
                "name": "孙美雪",
                "district": "兰州新区",
                "category": "投资受损",
                "phone": "18709686615",
                "address": "兰州市兰州新区康乐街17号鑫诚商务楼",
            },
            id="real-name post, replied",
        ),
        pytest.param(
            2,
            {"district": "甘肃省白银市白银区", "category": "物业纠纷"},
            id="a region outside Lanzhou is kept as sent, for validation to name",
        ),
    ],
)
def test_mapping_to_the_canonical_record(drop: Path, index: int, expected: dict[str, Any]) -> None:
    record = NetizenConnector.to_record(_rows(drop, EXPORT)[index])
    assert {k: getattr(record, k) for k in expected} == expected
    assert record.record_id.startswith("netizen:LY") and record.reported_at is not None
    assert (offset := record.reported_at.utcoffset()) is not None and offset.total_seconds() == 8 * 3600


def test_a_truncated_export_becomes_one_error_row_naming_file_and_line(drop: Path) -> None:
    (row,) = _rows(drop, "ly_20261120_1200_truncated.json")
    assert (row["_file"], row["_line"]) == ("ly_20261120_1200_truncated.json", 8)
    with pytest.raises(RecordError, match=r"invalid JSON.*file ly_20261120_1200_truncated.json, line 8"):
        NetizenConnector.to_record(row)


def test_a_message_that_is_not_an_object_is_an_error_row_and_the_rest_loads(drop: Path) -> None:
    bad, good = _rows(drop, "ly_20261120_1800_mixed.json")
    assert bad["_item"] == 1 and "_error" in bad and "LY20261120000020" in bad["_raw_text"]
    assert NetizenConnector.to_record(good).category == "环境污染"


def test_simulated_exports_carry_every_post(tmp_path: Path) -> None:
    world = generate_world(seed=3, n_records=800, start=DAY.start.date(), days=1)
    write_sources(world, tmp_path)
    rows = list(NetizenConnector(tmp_path / "netizen").fetch_raw(DAY))
    assert sorted(r["tid"] for r in rows) == [r["tid"] for r in world.rows["netizen"]]
    records = NetizenConnector.standardise((r["tid"], r) for r in rows)
    assert not records.errors and all(
        r.category for r in records.records if f"netizen:{r.source_record_id}" not in world.defects
    )


@pytest.mark.integration
@pytest.mark.slow
def test_through_the_file_registry_and_the_suite(drop: Path, tmp_path: Path) -> None:
    """The path the DAG takes for a file drop, then the netizen suite: one good export, two damaged ones."""
    from expectations.batch import check_batch
    from warehouse import stage_batch

    engine = sqlite_warehouse(tmp_path)
    connector = NetizenConnector(drop)
    batch_id = open_batch(engine, "netizen", DAY.key, DAY.start, DAY.end)
    files = new_files(engine, "netizen", connector.list_files())
    stats = land_files(engine, batch_id, "netizen", files, connector.keyed(connector.read_files(files)))
    assert stats.fetched == 6
    checked = check_batch(NetizenConnector, read_landed(engine, batch_id), reference_time=DAY.end)
    counts = stage_batch(engine, batch_id, checked.records, checked.quarantined, checked.dq_results)
    assert (counts["landed"], counts["quarantined"]) == (3, 3)
    assert_reconciled(engine, batch_id)
    reasons = {q["source_record_id"]: q["reasons"] for q in checked.quarantined}
    assert reasons["LY20261120000006"] == ["district: ExpectValidDistrict"]
    mark_archived(
        engine, "netizen", connector.archive(loaded_files(engine, "netizen", connector.list_files()))
    )
    assert connector.list_files() == [] and all(r["archived_as"] for r in file_registry(engine, "netizen"))
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM source_file")).scalar_one() == 3
    assert json.loads((drop / "archive" / EXPORT).read_text(encoding="utf-8"))["count"] == 3
