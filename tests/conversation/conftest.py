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
def redis_server_url(tmp_path_factory) -> Iterator[str]:
    """REDIS_TEST_URL when set (CI starts one), else a redis-server of our own on a free port."""
    import shutil
    import subprocess
    import time

    import redis
    from pgserver import free_port

    given = os.environ.get("REDIS_TEST_URL")
    if given:
        yield given
        return
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is required under CI")
        pytest.skip("redis-server not installed")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                "no", "--dir", str(tmp_path_factory.mktemp("redis"))],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.02)  # waiting for a real process to come up
    client.close()
    yield url
    process.terminate()
    process.wait(timeout=10)
