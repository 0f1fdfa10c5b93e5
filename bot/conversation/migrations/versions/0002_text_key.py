"""Group questions by their folded words: a text_key column (filled for existing rows) and a (kind, at) index.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.matching.normalize import fold_key

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_BATCH = 5_000


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("text_key", sa.String(200)))
    op.create_index("ix_events_kind_at", "events", ["kind", "at"])
    events = sa.table("events", sa.column("id", sa.Integer), sa.column("text", sa.Text),
                      sa.column("text_key", sa.String))
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(events.c.id, events.c.text).where(events.c.id > last, events.c.text.is_not(None))
            .order_by(events.c.id).limit(_BATCH)
        ).all()
        if not rows:
            break
        for row_id, text in rows:
            connection.execute(events.update().where(events.c.id == row_id).values(text_key=fold_key(text)[:200]))
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_index("ix_events_kind_at", "events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("text_key")
