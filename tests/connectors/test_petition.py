"""Petition connector against a real database holding the petition system's table: the simulator's
SQLite file, and a PostgreSQL database with typed timestamp columns."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hub_fixtures import DAY, load
from hub_landing import assert_reconciled, land, landing, sqlite_warehouse, stage_mappable

from connectors.base import Window
from connectors.petition import TABLE, PetitionConnector
from simulators.writers import PETITION_COLUMNS, write_petition_db
from warehouse import read_landed

pytestmark = pytest.mark.integration


@pytest.fixture
def petition_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'petition.db'}"
    rows = load("petition", "xf_petition.json")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f"CREATE TABLE {TABLE} ({', '.join(f'{c} TEXT' for c in rows[0])})"))
        conn.execute(sa.text(f"INSERT INTO {TABLE} VALUES ({', '.join(':' + c for c in rows[0])})"), rows)
    engine.dispose()
    return url


def test_window_is_half_open_with_overlap_for_late_updates(petition_db: str) -> None:
    ids = [r["xfjbh"] for r in PetitionConnector(petition_db).fetch_raw(DAY)]
    # 23:50 the day before is inside the 30-minute overlap; the next day's row is outside [start, end).
    assert ids == ["XF20261119000099", "XF20261120000001", "XF20261120000002"]


def test_rerunning_a_window_returns_the_same_rows(petition_db: str) -> None:
    connector = PetitionConnector(petition_db)
    assert list(connector.fetch_raw(DAY)) == list(connector.fetch_raw(DAY))


@pytest.mark.parametrize(
    ("xfjbh", "name", "id_number", "district", "category"),
    [
        pytest.param("XF20261120000001", "张伟", "620102198703151236", "城关区", "劳资欠薪", id="own visit"),
        pytest.param(
            "XF20261120000002",
            "王建国",
            "620103193912120018",
            "七里河区",
            "拆迁安置",
            id="relative visits: the complainant is the principal",
        ),
    ],
)
def test_mapping_to_the_canonical_record(
    petition_db: str, xfjbh: str, name: str, id_number: str, district: str, category: str
) -> None:
    raw = next(r for r in PetitionConnector(petition_db).fetch_raw(DAY) if r["xfjbh"] == xfjbh)
    record = PetitionConnector.to_record(raw)
    assert (record.record_id, record.name, record.id_number, record.district, record.category) == (
        f"petition:{xfjbh}",
        name,
        id_number,
        district,
        category,
    )
    assert (
        record.reported_at is not None
        and (offset := record.reported_at.utcoffset()) is not None
        and offset.total_seconds() == 8 * 3600
    )


def test_from_connection_reads_the_url_from_extra(petition_db: str) -> None:
    class Conn:
        conn_type: str | None = "generic"
        host: str | None = None
        port: int | None = None
        login: str | None = None
        password: str | None = None
        schema: str | None = None
        extra_dejson = {"url": petition_db}

    assert PetitionConnector.from_connection(Conn()).url == petition_db


NEXT_DAY = Window(DAY.end, DAY.end + timedelta(days=1))
# Besides the recorded rows: one exactly at the widened window's start (in), one tied with
# XF20261120000001 on gxsj (ordered by xfjbh), one exactly at the window's end (out).
EXTRA = [
    ("XF20261119000098", "2026-11-19 23:30:00"),
    ("XF20261120000000", "2026-11-20 10:00:00"),
    ("XF20261120000003", "2026-11-21 00:00:00"),
]
_PG_DDL = ", ".join(
    f"{c} {'timestamptz' if c == 'gxsj' else 'timestamp' if c in ('djsj', 'slsj', 'bjsj') else 'jsonb' if c == 'blgc' else 'text'}"
    + (" PRIMARY KEY" if c == "xfjbh" else "")
    for c in PETITION_COLUMNS
)


def _rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = load("petition", "xf_petition.json")
    template = rows[0]
    return rows + [{**template, "xfjbh": pk, "djsj": gxsj, "slsj": None, "gxsj": gxsj} for pk, gxsj in EXTRA]


@pytest.fixture(params=["sqlite", "postgresql"])
def petition_source(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Callable[..., None]]:
    """The petition system's database, and a way to update one petition as the system would."""
    if request.param == "sqlite":  # the simulator's own writer: the same file `make demo` serves
        path = tmp_path / "petition.db"
        write_petition_db(_rows(), path)
        url, options = f"sqlite:///{path}", {}
    else:  # a PostgreSQL petition system: typed columns, gxsj with a time zone, sessions in Beijing time
        url = str(request.getfixturevalue("postgres_url"))
        options = {"connect_args": {"options": "-c timezone=Asia/Shanghai"}}
        engine = sa.create_engine(url, **options)
        with engine.begin() as conn:
            conn.execute(sa.text(f"CREATE TABLE {TABLE} ({_PG_DDL})"))
            conn.execute(sa.text(f"CREATE INDEX ix_gxsj ON {TABLE} (gxsj, xfjbh)"))
            conn.execute(
                sa.text(
                    f"INSERT INTO {TABLE} ({', '.join(PETITION_COLUMNS)}) VALUES "
                    f"({', '.join(':' + c for c in PETITION_COLUMNS)})"
                ),
                [{c: row.get(c) for c in PETITION_COLUMNS} for row in _rows()],  # no 办理过程 yet
            )
        engine.dispose()

    def update(xfjbh: str, **values: Any) -> None:
        engine = sa.create_engine(url, **options)
        with engine.begin() as conn:
            sets = ", ".join(f"{k} = :{k}" for k in values)
            conn.execute(
                sa.text(f"UPDATE {TABLE} SET {sets} WHERE xfjbh = :xfjbh"), {**values, "xfjbh": xfjbh}
            )
        engine.dispose()

    return url.replace("postgresql+psycopg2://", "postgresql://"), update


@pytest.mark.integration
def test_incremental_on_update_time_then_id_with_the_overlap(
    petition_source: tuple[str, Callable[..., None]],
) -> None:
    url, _ = petition_source
    rows = list(PetitionConnector(url).fetch_raw(DAY))
    assert [r["xfjbh"] for r in rows] == [
        "XF20261119000098",
        "XF20261119000099",
        "XF20261120000000",
        "XF20261120000001",
        "XF20261120000002",
    ]
    assert rows[3]["gxsj"] == "2026-11-20 10:00:00"  # Beijing wall-clock text on either engine


@pytest.mark.integration
def test_a_status_change_is_picked_up_again_and_lands_as_a_new_version(
    petition_source: tuple[str, Callable[..., None]], tmp_path: Path
) -> None:
    url, update = petition_source
    engine = sqlite_warehouse(tmp_path)
    day_batch, first = land(engine, PetitionConnector(url), DAY)
    stage_mappable(engine, day_batch, PetitionConnector)
    assert (first.fetched, first.pending) == (5, 5)

    steps = [
        ("登记", "2026-11-20 09:31:02"),
        ("受理", "2026-11-20 10:00:00"),
        ("办结", "2026-11-21 10:00:00"),
    ]
    log = json.dumps([{"hj": hj, "sj": sj, "dw": "城关区信访局", "dwjb": "区县"} for hj, sj in steps])
    update(
        "XF20261120000001", blzt="已办结", bjsj="2026-11-21 10:00:00", gxsj="2026-11-21 10:00:00", blgc=log
    )
    next_batch, second = land(engine, PetitionConnector(url), NEXT_DAY)
    # 2026-11-21 00:00 (the old window's end), the day's new petition, and the changed one.
    assert (second.fetched, second.pending, second.new_versions) == (3, 3, 3)
    stage_mappable(engine, next_batch, PetitionConnector)
    assert_reconciled(engine, next_batch)
    versions = [v for rid, v, _ in landing(engine, "petition") if rid == "XF20261120000001"]
    assert versions == [1, 2]

    # Backfilling the first day again: the changed petition has left that window, and its old version,
    # superseded, is not validated again; the batch still reconciles and staging keeps the new status.
    _, again = land(engine, PetitionConnector(url), DAY)
    assert (again.fetched, again.pending, again.unchanged) == (4, 4, 0)
    assert "XF20261120000001" not in {rid for _, rid, _ in read_landed(engine, day_batch)}
    stage_mappable(engine, day_batch, PetitionConnector)
    assert_reconciled(engine, day_batch)
    with engine.connect() as conn:
        status = conn.execute(
            sa.text("SELECT status FROM complaint_record WHERE record_id = 'petition:XF20261120000001'")
        ).scalar_one()
        events = (
            conn.execute(
                sa.text(
                    "SELECT event_type FROM record_event WHERE record_id = 'petition:XF20261120000001' ORDER BY seq"
                )
            )
            .scalars()
            .all()
        )
    assert status == "已办结"
    # The log that came with the update (a JSON text column in SQLite, jsonb in PostgreSQL) is the record's.
    assert events == ["registered", "accepted", "closed"]
    assert len(landing(engine, "petition")) == 8  # re-running added nothing


def test_repr_hides_the_database_password() -> None:
    connector = PetitionConnector("postgresql://hub:s3cret-pw@db.example:5432/xf")
    assert "s3cret-pw" not in repr(connector) and "db.example" in repr(connector)
