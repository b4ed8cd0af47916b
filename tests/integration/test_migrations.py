from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from crisis_dispatch.adapters.orm import metadata
from crisis_dispatch.bootstrap import Container, upgrade


def test_migrations_build_exactly_the_mapped_schema(container: Container) -> None:
    with container.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []


def test_upgrading_twice_changes_nothing(container: Container) -> None:
    upgrade(container.engine)
    upgrade(container.engine)
    with container.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == "0001"
