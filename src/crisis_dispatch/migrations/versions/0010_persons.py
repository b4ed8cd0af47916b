"""the person index (issue 14 item 2): persons, person_links (incident -> person) and person_events

Revision ID: 0010_persons
Revises: 0009_phone_988
Create Date: 2026-12-03 10:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0010_persons"
down_revision = "0009_phone_988"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "persons",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("names", JSON, nullable=False),
        sa.Column("dob", sa.String(length=10), nullable=True),
        sa.Column("phones", JSON, nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("merged_into", sa.String(length=40), nullable=True),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("merged_by", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(["merged_into"], ["persons.id"], name=op.f("fk_persons_merged_into_persons")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_persons")),
    )
    op.create_index("ix_persons_merged_into", "persons", ["merged_into"])
    op.create_table(
        "person_links",
        sa.Column("incident_id", sa.String(length=40), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("linked_by", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name=op.f("fk_person_links_incident_id_incidents")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_person_links_person_id_persons")),
        sa.PrimaryKeyConstraint("incident_id", name=op.f("pk_person_links")),
    )
    op.create_index("ix_person_links_person", "person_links", ["person_id"])
    op.create_table(
        "person_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.String(length=40), nullable=False),
        sa.Column("other_person_id", sa.String(length=40), nullable=True),
        sa.Column("incident_id", sa.String(length=40), nullable=True),
        sa.Column("incidents", JSON, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_events")),
    )
    op.create_index("ix_person_events_person", "person_events", ["person_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_person_events_person", table_name="person_events")
    op.drop_table("person_events")
    op.drop_index("ix_person_links_person", table_name="person_links")
    op.drop_table("person_links")
    op.drop_index("ix_persons_merged_into", table_name="persons")
    op.drop_table("persons")
