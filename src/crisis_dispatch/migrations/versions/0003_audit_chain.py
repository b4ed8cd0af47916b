"""the audit log as a hash chain: audit_log.prev_hash and row_hash

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from crisis_dispatch.adapters.types import UTCDateTime
from crisis_dispatch.domain.audit_chain import GENESIS, row_hash
from crisis_dispatch.domain.users import AuditRecord

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

#: Rows hashed and written per round trip when chaining the existing log.
_BATCH = 1000

# The table as this revision sees it (not the application's metadata, which moves on).
_audit_log = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("at", UTCDateTime()),
    sa.column("user_id", sa.String),
    sa.column("username", sa.String),
    sa.column("role", sa.String),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.String),
    sa.column("detail", sa.Text),
    sa.column("prev_hash", sa.String),
    sa.column("row_hash", sa.String),
)
_FIELDS = ("id", "at", "user_id", "username", "role", "action", "object_type", "object_id", "detail")


def upgrade() -> None:
    # Nullable first, so that the existing rows can be chained; NOT NULL once they are.
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
    _chain_existing_rows()
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("row_hash", existing_type=sa.String(length=64), nullable=False)


def _chain_existing_rows() -> None:
    """Hash the rows written before this revision, in id order (the one time rows are updated)."""
    conn = op.get_bind()
    t = _audit_log.c
    update = (
        sa.update(_audit_log)
        .where(t.id == sa.bindparam("b_id"))
        .values(prev_hash=sa.bindparam("b_prev"), row_hash=sa.bindparam("b_hash"))
    )
    prev, last_id = GENESIS, None
    while True:
        q = sa.select(*(t[name] for name in _FIELDS)).order_by(t.id).limit(_BATCH)
        if last_id is not None:
            q = q.where(t.id > last_id)
        rows = conn.execute(q).all()
        if not rows:
            return
        values = []
        for row in rows:
            record = AuditRecord(**row._asdict())
            digest = row_hash(record, prev)
            values.append({"b_id": row.id, "b_prev": prev, "b_hash": digest})
            prev, last_id = digest, row.id
        conn.execute(update, values)


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("row_hash")
        batch_op.drop_column("prev_hash")
