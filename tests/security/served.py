"""A `python -m bot COMMAND` subprocess with its log in a file, up once /healthz answers: what the Slack and
Teams rigs (slack_rig.py, teams_rig.py) share."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Served:
    """`python -m bot COMMAND` running in a subprocess, its stdout and stderr going to `log`."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    @property
    def events_url(self) -> str:
        return self.url + "/slack/events"

    @property
    def messages_url(self) -> str:
        return self.url + "/api/messages"

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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    finally:
        connection.close()


def run_bot(command: str, log: Path, settings: Mapping[str, str]) -> Iterator[Served]:
    """Start `python -m bot COMMAND` with only these settings (English by default); yields once /healthz
    answers, stops it afterwards."""
    port = _free_port()
    environment = {
        "PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "PYTHONPATH": str(ROOT),
        "PORT": str(port), "BOT_LANGUAGE": "en", **settings,
    }
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "bot", command], env=environment, cwd=ROOT,
                                   stdout=sink, stderr=subprocess.STDOUT)
    served = Served(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _healthy(port):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"{command} did not start: {served.log_text()[-2000:]}") from None
                time.sleep(0.05)  # waiting for a real process to come up, not for application time
        yield served
    finally:
        served.stop()
