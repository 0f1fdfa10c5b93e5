"""What the availability tests share: a way to run the real `python -m bot serve` in a subprocess
with its log in a file (the Slack fixtures come from this folder's conftest, redis_url from the
top one)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from served import ROOT, Served, run_bot

sys.path.insert(0, str(ROOT / "tests" / "slack"))

from scripted import TITLES, ScriptedAssistant
from slackstub import StubSlack

SECRET = "test-signing-secret"  # the signing secret of tests/slack/conftest.py's apps

__all__ = ["ROOT", "SECRET", "TITLES", "ScriptedAssistant", "Served", "serve"]


def serve(stub: StubSlack, log: Path, **env: str) -> Iterator[Served]:
    """Start `python -m bot serve` against `stub`; yields once /healthz answers, stops it afterwards."""
    settings = {"SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": stub.api_url}
    yield from run_bot("serve", log, {**settings, **env})
