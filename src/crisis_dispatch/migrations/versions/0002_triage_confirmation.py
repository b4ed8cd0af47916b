"""who confirmed a text-only triage decision, and when (issue 10)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable columns: existing incidents keep NULL (their decisions were never unconfirmed).
    # A batch keeps SQLite happy (it rebuilds the table when needed); PostgreSQL adds the columns.
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("triage_confirmed_by", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("triage_confirmed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("triage_confirmed_at")
        batch_op.drop_column("triage_confirmed_by")
