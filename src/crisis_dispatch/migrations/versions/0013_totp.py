"""the second factor (issue 11): each user's TOTP secret (encrypted), one being enrolled, and the last code's time step

Revision ID: 0013_totp
Revises: 0012_care
Create Date: 2026-12-03 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_totp"
down_revision = "0012_care"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: nobody has enrolled yet.
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("totp_pending", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_pending")
        batch_op.drop_column("totp_secret")
