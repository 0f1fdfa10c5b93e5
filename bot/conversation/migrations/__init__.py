"""Alembic migrations of the event store; run at start by bot.conversation.store.migrate."""
