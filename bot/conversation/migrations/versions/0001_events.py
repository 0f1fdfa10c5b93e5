"""The event table: feedback, unanswered questions, hand-offs and unknown status codes.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("language", sa.String(2)),
        sa.Column("text", sa.Text),
        sa.Column("status", sa.String(64)),
        sa.Column("vote", sa.String(4)),
        sa.Column("picked", sa.String(64)),
        sa.Column("code", sa.String(64)),
        sa.Column("business_unit_id", sa.String(24)),
        sa.Column("invitation_id", sa.String(24)),
    )
    op.create_index("ix_events_at", "events", ["at"])


def downgrade() -> None:
    op.drop_index("ix_events_at", "events")
    op.drop_table("events")
