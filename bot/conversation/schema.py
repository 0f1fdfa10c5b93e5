"""The event table as SQLAlchemy sees it (the migrations in migrations/versions create and change it)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

# BigInteger ids on PostgreSQL; SQLite only auto-increments a plain INTEGER PRIMARY KEY.
_ID = BigInteger().with_variant(Integer(), "sqlite")

events = Table(
    "events",
    metadata,
    Column("id", _ID, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("platform", String(20), nullable=False),
    Column("language", String(2)),
    Column("text", Text),
    # The text folded to its words (case, dashes, punctuation): what the gaps report groups by.
    Column("text_key", String(200)),
    Column("status", String(64)),
    Column("vote", String(4)),
    Column("picked", String(64)),
    Column("code", String(64)),
    Column("business_unit_id", String(24)),
    Column("invitation_id", String(24)),
    Index("ix_events_kind_at", "kind", "at"),
    Index("ix_events_at", "at"),
)
