"""Fixtures for the event store: a SQLite file per test, and one real PostgreSQL server per session."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from pgserver import start_postgres
from sqlalchemy import create_engine, text

from bot.conversation.store import engine_url


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """POSTGRES_TEST_URL when set (CI starts one), else a server of our own.

    Skipped only on a developer machine without PostgreSQL; under CI a missing server fails.
    """
    given = os.environ.get("POSTGRES_TEST_URL")
    if given:
        yield given
        return
    server = start_postgres()
    if server is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is required under CI (set POSTGRES_TEST_URL or install postgresql)")
        pytest.skip("PostgreSQL not installed")
    yield server.url
    server.destroy()


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh, empty database on the server for one test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(engine_url(postgres_server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    base, _slash, _db = postgres_server_url.rpartition("/")
    yield f"{base}/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'events.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request) -> str:
    """Each store test runs on SQLite and on a real PostgreSQL server."""
    return request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "postgres_url")


@pytest.fixture(scope="session")
def redis_server_url(redis_url: str) -> str:
    """The session's redis-server (tests/conftest.py's redis_url), under the name these tests use."""
    return redis_url
