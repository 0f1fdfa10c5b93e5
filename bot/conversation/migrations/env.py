"""Alembic's environment: always run on the connection bot.conversation.store.migrate hands over."""

from __future__ import annotations

from alembic import context

from bot.conversation.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
