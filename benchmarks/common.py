"""What the serving benchmarks share: starting the bot as a subprocess, its memory, and latency figures.

The bot runs in its own process so that its RSS is the serving process's alone, not the load generator's.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-signing-secret"


def questions() -> list[str]:
    """Knowledge-base questions: every status label in both languages."""
    from bot.knowledge.loader import load_knowledge  # the callers put the project on sys.path first

    return [entry.label.get(language) for entry in load_knowledge() for language in ("sv", "en")]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class RssSampler:
    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_kib(self.pid))
            self._stop.wait(0.05)

    def __enter__(self) -> RssSampler:
        self.peak = rss_kib(self.pid)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def slack_env(api_url: str) -> dict[str, str]:
    """The settings that point `python -m bot serve` at a stand-in Slack Web API."""
    return {"SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_API_URL": api_url}


@dataclass(frozen=True)
class Bot:
    process: subprocess.Popen[bytes]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid


def _healthy(url: str) -> bool:
    port = int(url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    finally:
        connection.close()


@contextmanager
def running_bot(command: str, settings: Mapping[str, str]) -> Iterator[Bot]:
    """`python -m bot COMMAND` on a free port with only these settings, up and healthy; SIGTERM on the way out."""
    port = free_port()
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "HOME": os.environ.get("HOME", "/tmp"),
           "PORT": str(port), **settings}
    process = subprocess.Popen([sys.executable, "-m", "bot", command], env=env, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    bot = Bot(process, port)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _healthy(bot.url):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit(f"{command} did not start")
            time.sleep(0.05)
        yield bot
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
