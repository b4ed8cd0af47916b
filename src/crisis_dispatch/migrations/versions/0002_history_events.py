"""status history carries escalation events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("status_history") as batch_op:
        batch_op.add_column(sa.Column("event", sa.String(length=60), nullable=False, server_default="status"))


def downgrade() -> None:
    with op.batch_alter_table("status_history") as batch_op:
        batch_op.drop_column("event")
