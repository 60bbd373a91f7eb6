"""Alembic environment: the URL comes from the config (set by warehouse.engine) or HUB_DATABASE_URL."""

from __future__ import annotations

from alembic import context

from warehouse.access.roles import regrant_after_migration
from warehouse.engine import database_url, make_engine
from warehouse.schema import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or database_url())
    with engine.connect() as connection:
        # render_as_batch lets ALTERs work on SQLite, which cannot alter most constraints in place.
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
    # A migration may have replaced views of the read contract, which drops their grants: where the
    # PostgreSQL roles exist, they are granted again at once (``python -m warehouse roles`` does more).
    regrant_after_migration(engine)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
