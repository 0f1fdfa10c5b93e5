"""The event store: SQLite (a file, no setup) or PostgreSQL through SQLAlchemy, migrated with Alembic at start."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, func, insert, select, text
from sqlalchemy.engine import make_url

from bot.conversation.schema import events
from bot.core.ports import Event
from bot.matching.normalize import fold_key

log = logging.getLogger(__name__)

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Two instances starting at once on PostgreSQL: one migrates, the other waits (an arbitrary constant key).
_MIGRATION_LOCK = 7_283_561


class StoreError(Exception):
    """The store cannot be opened or migrated (a bad DATABASE_URL, a database that refuses us)."""


def engine_url(url: str) -> str:
    """postgresql:// (and postgres://) URLs use the psycopg 3 driver; anything else as given."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def open_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file's folder is created. Connection attempts give up quickly:
    the writer retries, and nothing on the answer path ever waits for them."""
    parsed = make_url(engine_url(url))
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        connect_args = {"timeout": 5, "check_same_thread": False}
    elif parsed.get_backend_name() == "postgresql":
        connect_args = {"connect_timeout": 3}
    engine = create_engine(parsed, connect_args=connect_args, pool_pre_ping=True)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # WAL: the gaps report reads while the bot writes, from another process.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision` (an upgrade never loses data); raises StoreError when it cannot."""
    from alembic import command

    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            command.upgrade(alembic_config(connection), revision)
    except Exception as exc:
        raise StoreError(f"cannot migrate the event store ({type(exc).__name__}: {exc})") from exc


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _row(item: Event) -> dict[str, Any]:
    return {
        "at": item.at,
        "kind": item.kind.value,
        "platform": item.platform[:20],
        "language": item.language,
        "text": item.text,
        "text_key": fold_key(item.text)[:200] if item.text else None,
        "status": item.status,
        "vote": item.vote,
        "picked": item.picked,
        "code": item.code[:64] if item.code else None,
        "business_unit_id": item.business_unit_id,
        "invitation_id": item.invitation_id,
    }


class EventStore:
    """Writes and prunes events. Callers on the answer path go through BufferedSink, never here."""

    def __init__(self, engine: Engine, retention_days: int = 90) -> None:
        self.engine = engine
        self.retention_days = retention_days

    def write(self, batch: Sequence[Event]) -> None:
        """All of `batch` in one transaction, or none of it (raises on failure)."""
        if not batch:
            return
        with self.engine.begin() as connection:
            connection.execute(insert(events), [_row(item) for item in batch])

    def purge(self, now: datetime | None = None) -> int:
        """Delete events older than the retention period; returns how many went."""
        cutoff = (now or datetime.now(UTC)) - timedelta(days=self.retention_days)
        with self.engine.begin() as connection:
            deleted = connection.execute(delete(events).where(events.c.at < cutoff)).rowcount
        if deleted:
            log.info("deleted %d events older than %d days", deleted, self.retention_days)
        return int(deleted or 0)

    def count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(events)).scalar_one())

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str, retention_days: int = 90) -> EventStore:
    """The migrated store at `url`; raises StoreError when it cannot be opened or migrated."""
    try:
        engine = open_engine(url)
    except Exception as exc:
        raise StoreError(f"cannot open the event store ({type(exc).__name__}: {exc})") from exc
    migrate(engine)
    return EventStore(engine, retention_days)
