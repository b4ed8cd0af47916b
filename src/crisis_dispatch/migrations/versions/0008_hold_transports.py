"""hold transports (issue 14 item 1): incidents.hold_transport, the request, pickup check and handover

Revision ID: 0008_hold_transports
Revises: 0006
Create Date: 2026-12-03 08:00:00

(Numbered 0008 when written beside 0005 and 0006; there is no 0007.)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008_hold_transports"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: every existing incident is a 911 call, not a hold transport.
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "hold_transport",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("hold_transport")
