"""`python -m bot teams` in a subprocess with its log in a file, against the stand-in Bot Connector (anonymous
mode: no Bot Framework token; our tenant set, so the stand-in's staff are staff)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from connectorstub import OUR_TENANT, free_port, get

ROOT = Path(__file__).resolve().parents[2]
TEAMS = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"


@dataclass
class ServedTeams:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

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


def serve_teams(log: Path, **env: str) -> Iterator[ServedTeams]:
    """Start `python -m bot teams`; yields once /healthz answers, stops it afterwards."""
    port = free_port()
    environment = {
        "PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "PYTHONPATH": str(ROOT),
        "PORT": str(port), "BOT_LANGUAGE": "en", TEAMS + "TENANTID": OUR_TENANT, **env,
    }
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "bot", "teams"], env=environment, cwd=ROOT,
                                   stdout=sink, stderr=subprocess.STDOUT)
    served = ServedTeams(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(served.url + "/healthz", timeout=1).status == 200:
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"teams did not start: {served.log_text()[-2000:]}") from None
                time.sleep(0.05)  # waiting for a real process to come up, not for application time
        yield served
    finally:
        served.stop()
