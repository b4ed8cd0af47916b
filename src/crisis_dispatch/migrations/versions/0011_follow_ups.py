"""follow-up tasks and warm hand-offs (issue 14 item 3): follow_up_tasks, hand_offs

Revision ID: 0011_follow_ups
Revises: 0010_persons
Create Date: 2026-12-03 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_follow_ups"
down_revision = "0010_persons"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "follow_up_tasks",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("incident_id", sa.String(length=40), nullable=False),
        sa.Column("rule_id", sa.String(length=60), nullable=False),
        sa.Column("disposition", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner_role", sa.String(length=40), nullable=False),
        sa.Column("owner", sa.String(length=63), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("attempts_allowed", sa.Integer(), nullable=False),
        sa.Column("retry_after_minutes", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.String(length=80), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("cancel_reason", sa.Text(), nullable=False),
        sa.Column("retry_of", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name=op.f("fk_follow_up_tasks_incident_id_incidents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_tasks")),
    )
    with op.batch_alter_table("follow_up_tasks", schema=None) as batch_op:
        batch_op.create_index("ix_follow_up_tasks_status_due", ["status", "due_at"], unique=False)
        batch_op.create_index("ix_follow_up_tasks_incident", ["incident_id"], unique=False)
    op.create_table(
        "hand_offs",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("incident_id", sa.String(length=40), nullable=False),
        sa.Column("provider_id", sa.String(length=120), nullable=False),
        sa.Column("provider_name", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("offered_by", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("responder_name", sa.String(length=200), nullable=False),
        sa.Column("recorded_by", sa.String(length=80), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name=op.f("fk_hand_offs_incident_id_incidents")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hand_offs")),
    )
    with op.batch_alter_table("hand_offs", schema=None) as batch_op:
        batch_op.create_index("ix_hand_offs_incident", ["incident_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("hand_offs", schema=None) as batch_op:
        batch_op.drop_index("ix_hand_offs_incident")
    op.drop_table("hand_offs")
    with op.batch_alter_table("follow_up_tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_follow_up_tasks_incident")
        batch_op.drop_index("ix_follow_up_tasks_status_due")
    op.drop_table("follow_up_tasks")
