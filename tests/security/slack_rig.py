"""What the availability tests share: a way to run the real `python -m bot serve` in a subprocess
with its log in a file (the Slack fixtures come from this folder's conftest, redis_url from the
top one)."""

from __future__ import annotations

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

SECRET = "test-signing-secret"  # the signing secret of tests/slack/conftest.py's apps

__all__ = ["ROOT", "SECRET", "TITLES", "ScriptedAssistant", "Served", "serve"]


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
