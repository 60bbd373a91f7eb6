"""Migrations run forwards and backwards on an empty database of each kind."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from warehouse.engine import alembic_config, make_engine
from warehouse.schema import Base

pytestmark = pytest.mark.integration


def test_upgrade_creates_every_model_table_and_downgrade_removes_them(warehouse_url: str) -> None:
    config = alembic_config(warehouse_url)
    command.upgrade(config, "head")
    engine = make_engine(warehouse_url)
    assert set(Base.metadata.tables) <= set(sa.inspect(engine).get_table_names())
    command.downgrade(config, "base")
    assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
    command.upgrade(config, "head")  # and back up again: nothing left behind by the downgrade
    engine.dispose()


def test_schema_matches_the_models(warehouse_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    command.upgrade(alembic_config(warehouse_url), "head")
    engine = make_engine(warehouse_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
