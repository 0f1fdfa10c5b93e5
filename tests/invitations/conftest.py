"""Fixtures of the invitations tests: a fake clock and a sandbox on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_doubles import DEMO_NOW, FakeClock

from bot.invitations.sandbox import RunningSandbox, SandboxOptions, start_sandbox


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    running = start_sandbox(options=SandboxOptions(now=DEMO_NOW))
    yield running
    running.stop()
