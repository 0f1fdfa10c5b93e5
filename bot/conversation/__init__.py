"""Conversation state outside the brain: thread context (memory, Redis) and the event store (SQLAlchemy)."""
