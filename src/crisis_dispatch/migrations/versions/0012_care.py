"""CARE Court petitions (issue 14 item 4): care_petitions (the petition, stages and evidence as JSON)

A CARE referral alongside any disposition lives in the outcome's JSON (``care_referral``): no
column. Revision ID: 0012_care
Revises: 0011_follow_ups
Create Date: 2026-12-03 10:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012_care"
down_revision = "0011_follow_ups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "care_petitions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("incident_id", sa.String(length=40), nullable=False),
        sa.Column("prepared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prepared_by", sa.String(length=80), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("record", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name=op.f("fk_care_petitions_incident_id_incidents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_petitions")),
    )
    with op.batch_alter_table("care_petitions", schema=None) as batch_op:
        batch_op.create_index("ix_care_petitions_incident", ["incident_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("care_petitions", schema=None) as batch_op:
        batch_op.drop_index("ix_care_petitions_incident")
    op.drop_table("care_petitions")
