"""Petition connector against a real database holding the petition system's table."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from hub_fixtures import DAY, load

from connectors.petition import TABLE, PetitionConnector

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
        pytest.param("XF20261120000002", "王建国", "620103193912120018", "七里河区", "拆迁安置",
                     id="relative visits: the complainant is the principal"),
    ],
)
def test_mapping_to_the_canonical_record(petition_db: str, xfjbh: str, name: str, id_number: str,
                                         district: str, category: str) -> None:
    raw = next(r for r in PetitionConnector(petition_db).fetch_raw(DAY) if r["xfjbh"] == xfjbh)
    record = PetitionConnector.to_record(raw)
    assert (record.record_id, record.name, record.id_number, record.district, record.category) == (
        f"petition:{xfjbh}", name, id_number, district, category)
    assert record.reported_at is not None and record.reported_at.utcoffset().total_seconds() == 8 * 3600


def test_from_connection_reads_the_url_from_extra(petition_db: str) -> None:
    class Conn:
        conn_type, host, port, login, password, schema = "generic", None, None, None, None, None
        extra_dejson = {"url": petition_db}

    assert PetitionConnector.from_connection(Conn()).url == petition_db
