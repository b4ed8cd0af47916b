from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from crisis_dispatch.adapters.orm import metadata
from crisis_dispatch.bootstrap import Container, upgrade


def test_migrations_build_exactly_the_mapped_schema(container: Container) -> None:
    with container.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []


def _head(container: Container) -> str | None:
    from alembic.script import ScriptDirectory

    from crisis_dispatch.bootstrap import alembic_config

    return ScriptDirectory.from_config(alembic_config(container.engine)).get_current_head()


def test_upgrading_twice_changes_nothing(container: Container) -> None:
    upgrade(container.engine)
    upgrade(container.engine)
    with container.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == _head(container)


def test_0002_adds_the_confirmation_columns_to_existing_incidents(container: Container) -> None:
    """From 0001 with an incident in it, to head and back: the incident keeps its data and
    reads as confirmed by nobody (SQLite rebuilds the table in a batch, PostgreSQL alters it)."""
    from alembic import command
    from sqlalchemy import inspect, text

    from crisis_dispatch.bootstrap import alembic_config

    command.downgrade(alembic_config(container.engine), "0001")
    assert "triage_confirmed_by" not in {c["name"] for c in inspect(container.engine).get_columns("incidents")}
    with container.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO incidents (id, status, lat, lon, address, subject_description, version, received_at) "
                "VALUES ('INC-OLD', 'queued', 34.05, -118.25, '', '', 1, '2026-11-27 18:00:00+00:00')"
            )
        )
    upgrade(container.engine)
    with container.engine.connect() as conn:
        row = conn.execute(text("SELECT id, triage_confirmed_by, triage_confirmed_at FROM incidents WHERE id = 'INC-OLD'")).one()
        assert MigrationContext.configure(conn).get_current_revision() == _head(container)
    assert tuple(row) == ("INC-OLD", None, None)


def test_0004_adds_login_state_to_existing_users_and_goes_back_down(container: Container) -> None:
    """From 0002 with a user in it, to head (the user starts with no failures and no lock),
    and back down to 0002 (the failures table and the columns go)."""
    from alembic import command
    from sqlalchemy import inspect, text

    from crisis_dispatch.bootstrap import alembic_config

    command.downgrade(alembic_config(container.engine), "0002")
    assert "login_failures" not in inspect(container.engine).get_table_names()
    with container.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, username, password_hash, role, active, created_at) "
                "VALUES ('USR-OLD', 'old', 'x', 'dispatcher', true, '2026-11-27 18:00:00+00:00')"
            )
        )
    upgrade(container.engine)
    with container.engine.connect() as conn:
        row = conn.execute(text("SELECT failed_logins, locked_until FROM users WHERE id = 'USR-OLD'")).one()
    assert tuple(row) == (0, None)
    command.downgrade(alembic_config(container.engine), "0002")
    inspector = inspect(container.engine)
    assert "login_failures" not in inspector.get_table_names()
    assert {"failed_logins", "locked_until"}.isdisjoint(c["name"] for c in inspector.get_columns("users"))
    upgrade(container.engine)


def test_0006_lets_an_incident_wait_without_coordinates_and_goes_back_down(container: Container) -> None:
    """From 0004 with a placed incident, to head: the incident keeps its place, a new one may
    have none (location to confirm); back down to 0004 the interop tables go and coordinates
    are required again."""
    from alembic import command
    from sqlalchemy import inspect, text

    from crisis_dispatch.bootstrap import alembic_config

    command.downgrade(alembic_config(container.engine), "0004")
    assert {"eido_links", "subscriptions", "outbox"}.isdisjoint(inspect(container.engine).get_table_names())
    insert = (
        "INSERT INTO incidents (id, status, lat, lon, address, subject_description, version, received_at) "
        "VALUES (:id, 'queued', :lat, :lon, 'somewhere', '', 1, '2026-11-27 18:00:00+00:00')"
    )
    with container.engine.begin() as conn:
        conn.execute(text(insert), {"id": "INC-PLACED", "lat": 34.05, "lon": -118.25})
    upgrade(container.engine)
    with container.engine.begin() as conn:
        conn.execute(text(insert), {"id": "INC-TOCONFIRM", "lat": None, "lon": None})
        rows = dict(conn.execute(text("SELECT id, lat FROM incidents WHERE id LIKE 'INC-%'")).all())
    assert rows == {"INC-PLACED": 34.05, "INC-TOCONFIRM": None}
    assert {"eido_links", "subscriptions", "outbox"} <= set(inspect(container.engine).get_table_names())
    with container.engine.begin() as conn:
        conn.execute(text("DELETE FROM incidents WHERE id = 'INC-TOCONFIRM'"))
    command.downgrade(alembic_config(container.engine), "0004")
    assert not any(c["nullable"] for c in inspect(container.engine).get_columns("incidents") if c["name"] in ("lat", "lon"))
    upgrade(container.engine)


def test_0005_adds_the_disclosures_table_and_goes_back_down(container: Container) -> None:
    """Down to 0004 the table goes (incidents untouched); up again it is back, empty and indexed."""
    from alembic import command
    from sqlalchemy import inspect

    from crisis_dispatch.bootstrap import alembic_config

    command.downgrade(alembic_config(container.engine), "0004")
    assert "disclosures" not in inspect(container.engine).get_table_names()
    assert "incidents" in inspect(container.engine).get_table_names()
    upgrade(container.engine)
    found = inspect(container.engine)
    assert {i["name"] for i in found.get_indexes("disclosures")} == {"ix_disclosures_incident", "ix_disclosures_to_username"}
    assert [fk["referred_table"] for fk in found.get_foreign_keys("disclosures")] == ["incidents"]


def test_0008_adds_the_hold_transport_column_to_existing_incidents_and_goes_back_down(container: Container) -> None:
    """From 0004 with an incident in it, to head (a 911 call carries no hold transport), and
    back down to 0004 (the column goes)."""
    from alembic import command
    from sqlalchemy import inspect, text

    from crisis_dispatch.bootstrap import alembic_config

    command.downgrade(alembic_config(container.engine), "0004")
    assert "hold_transport" not in {c["name"] for c in inspect(container.engine).get_columns("incidents")}
    with container.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO incidents (id, status, lat, lon, address, subject_description, version, received_at) "
                "VALUES ('INC-OLD', 'queued', 34.05, -118.25, '', '', 1, '2026-11-27 18:00:00+00:00')"
            )
        )
    upgrade(container.engine)
    with container.engine.connect() as conn:
        row = conn.execute(text("SELECT id, hold_transport FROM incidents WHERE id = 'INC-OLD'")).one()
    assert tuple(row) == ("INC-OLD", None)
    command.downgrade(alembic_config(container.engine), "0004")
    assert "hold_transport" not in {c["name"] for c in inspect(container.engine).get_columns("incidents")}
    upgrade(container.engine)


def test_0009_adds_the_988_columns_and_goes_back_down(container: Container) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from crisis_dispatch.bootstrap import alembic_config

    command.downgrade(alembic_config(container.engine), "0008_hold_transports")
    columns = {c["name"] for c in inspect(container.engine).get_columns("incidents")}
    assert {"phone_988", "handed_back_from"}.isdisjoint(columns) and "hold_transport" in columns
    upgrade(container.engine)
    assert {"phone_988", "handed_back_from"} <= {c["name"] for c in inspect(container.engine).get_columns("incidents")}


def _parent_of(container: Container, revision: str) -> str:
    """The revision a migration follows (the chain is re-ordered as branches land)."""
    from alembic.script import ScriptDirectory

    from crisis_dispatch.bootstrap import alembic_config

    parent = ScriptDirectory.from_config(alembic_config(container.engine)).get_revision(revision).down_revision
    assert isinstance(parent, str)
    return parent


def test_0010_adds_the_person_index_tables_and_goes_back_down(container: Container) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from crisis_dispatch.bootstrap import alembic_config

    tables = {"persons", "person_links", "person_events"}
    command.downgrade(alembic_config(container.engine), _parent_of(container, "0010_persons"))
    assert tables.isdisjoint(inspect(container.engine).get_table_names())
    upgrade(container.engine)
    assert tables <= set(inspect(container.engine).get_table_names())


def test_0012_adds_the_care_petitions_and_goes_back_down(container: Container) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from crisis_dispatch.bootstrap import alembic_config

    command.downgrade(alembic_config(container.engine), _parent_of(container, "0012_care"))
    assert "care_petitions" not in inspect(container.engine).get_table_names()
    upgrade(container.engine)
    columns = {c["name"] for c in inspect(container.engine).get_columns("care_petitions")}
    assert columns == {"id", "incident_id", "prepared_at", "prepared_by", "stage", "record"}
