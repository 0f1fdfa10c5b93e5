"""What the availability tests share: the Slack stand-ins and fixtures of tests/slack, and a way
to run the real `python -m bot serve` in a subprocess with its log in a file.

Test modules import the fixtures they use from here (`from slack_rig import stub, make_app`), so
this folder needs no conftest of its own.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "slack"))

from scripted import TITLES, ScriptedAssistant  # noqa: E402
from slackstub import StubSlack, free_port, get  # noqa: E402

_spec = importlib.util.spec_from_file_location("slack_fixtures", ROOT / "tests" / "slack" / "conftest.py")
assert _spec is not None and _spec.loader is not None
slack_fixtures = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = slack_fixtures
_spec.loader.exec_module(slack_fixtures)

# Fixtures, re-exported for the test modules here.
stub = slack_fixtures.stub
app_host = slack_fixtures.app_host
make_app = slack_fixtures.make_app
redis_url = slack_fixtures.redis_url
SECRET = slack_fixtures.SECRET

__all__ = ["ROOT", "SECRET", "TITLES", "ScriptedAssistant", "Served", "app_host", "make_app", "redis_url", "serve",
           "stub"]


@dataclass
class Served:
    """`python -m bot serve` running in a subprocess, its stderr going to `log`."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    @property
    def events_url(self) -> str:
        return self.url + "/slack/events"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return self.process.returncode


def serve(stub: StubSlack, log: Path, **env: str) -> Iterator[Served]:
    """Start `python -m bot serve` against `stub`; yields once /healthz answers, stops it afterwards."""
    port = free_port()
    environment = {
        "PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "PYTHONPATH": str(ROOT),
        "SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_API_URL": stub.api_url,
        "PORT": str(port), "BOT_LANGUAGE": "en", **env,
    }
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env=environment, cwd=ROOT,
                                   stdout=sink, stderr=subprocess.STDOUT)
    served = Served(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(served.url + "/healthz", timeout=1).status == 200:
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"serve did not start: {served.log_text()[-2000:]}") from None
                time.sleep(0.05)  # waiting for a real process to come up, not for application time
        yield served
    finally:
        served.stop()
