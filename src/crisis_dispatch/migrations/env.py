"""Alembic environment: the engine comes from the composition root (config.attributes)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from crisis_dispatch.adapters.db import normalise_url
from crisis_dispatch.adapters.orm import metadata

config = context.config


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("no engine or sqlalchemy.url given to alembic")
        engine = create_engine(normalise_url(url))
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise RuntimeError("offline migrations are not supported; run `crisis-dispatch db upgrade`")
run_migrations_online()
