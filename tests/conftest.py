"""Fixtures for every test: the knowledge base, the brain, a chat turn, a real redis-server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.assistant import Assistant
from bot.core.models import Asker, Question, Reply
from bot.knowledge.loader import load_knowledge
from bot.matching.matcher import Matcher


@pytest.fixture(scope="session")
def kb():
    return load_knowledge()


@pytest.fixture(scope="session")
def assistant(kb):
    return Assistant(kb, Matcher(kb))


@pytest.fixture
def say(assistant):
    """A chat turn: text in, Reply out, as a console user whose fallback language is Swedish."""

    def turn(text: str, language: str | None = None, fallback: str = "sv") -> Reply:
        return assistant.answer(Question(text=text, language=language, fallback_language=fallback,
                                         asker=Asker.console()))

    return turn


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """REDIS_TEST_URL when set (CI starts one), else a redis-server of our own on a free port.

    Skipped only on a developer machine without redis-server; under CI a missing server fails.
    """
    import redis

    given = os.environ.get("REDIS_TEST_URL")
    if given:
        yield given
        return
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is required under CI (set REDIS_TEST_URL or install redis-server)")
        pytest.skip("redis-server not installed")
    port = _free_port()
    workdir: Path = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
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
            time.sleep(0.02)  # waiting for a real process to come up, not for application time
    client.close()
    yield url
    process.terminate()
    process.wait(timeout=10)
