"""calls sent to 988 (issue 14 item 5): incidents.phone_988 (transfer and result) and handed_back_from

Revision ID: 0009_phone_988
Revises: 0008_hold_transports
Create Date: 2026-12-03 08:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009_phone_988"
down_revision = "0008_hold_transports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: no earlier call recorded a 988 transfer, none was handed back.
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("phone_988", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True)
        )
        batch_op.add_column(sa.Column("handed_back_from", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("handed_back_from")
        batch_op.drop_column("phone_988")
