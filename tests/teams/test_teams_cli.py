"""`invitation-bot teams` as a real process: its port, token checking with a client id, anonymous mode,
`python -m bot` choosing Teams, configuration errors, a clean stop on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from connectorstub import free_port, get, personal_message, post_activity

ROOT = Path(__file__).resolve().parents[2]
TEAMS = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
APP_ID = "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"
TENANT = "9b1c0d2e-3f4a-4b5c-8d6e-7f8091a2b3c4"
CREDENTIALS = {TEAMS + "CLIENTID": APP_ID, TEAMS + "CLIENTSECRET": "not-a-real-secret", TEAMS + "TENANTID": TENANT}


def base_env(**extra: str) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "PYTHONPATH": str(ROOT)}
    env.update(extra)
    return env


class Process:
    def __init__(self, args: list[str], env: dict[str, str], port: int, tmp: Path) -> None:
        tmp.mkdir(parents=True, exist_ok=True)
        self.log = tmp / "stderr.log"
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        with self.log.open("w") as stderr:
            self.popen = subprocess.Popen([sys.executable, "-m", "bot", *args], env=env, cwd=ROOT,
                                          stdout=subprocess.DEVNULL, stderr=stderr)

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if get(self.url + "/healthz", timeout=2).status == 200:
                    return
            except OSError:
                pass
            if self.popen.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"did not come up: {self.log.read_text()}")
            time.sleep(0.05)  # waiting for a real process to start, not for application time

    def stop(self) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
        return self.popen.wait(timeout=30)

    @property
    def stderr(self) -> str:
        return self.log.read_text()


@pytest.fixture
def start(tmp_path: Path) -> Iterator[object]:
    started: list[Process] = []

    def run(args: list[str], env: dict[str, str], port: int) -> Process:
        process = Process(args, env, port, tmp_path / str(len(started)))
        started.append(process)
        process.wait_healthy()
        return process

    yield run
    for process in started:
        if process.popen.poll() is None:
            process.popen.kill()
            process.popen.wait()


def test_with_a_client_id_requests_without_a_valid_token_are_refused(start, stub):
    port = free_port()
    process = start(["teams", "--port", str(port)], base_env(**CREDENTIALS, PORT=str(free_port())), port)
    activity = personal_message(stub.service_url, "Ej levererad – SPF-fel")
    assert post_activity(process.url + "/api/messages", activity).status == 401
    assert post_activity(process.url + "/api/messages", activity, token="not-a-jwt").status == 401
    assert post_activity(process.url + "/api/messages", None, raw=b"{}").status == 401
    assert get(process.url + "/healthz").status == 200  # health needs no token
    assert process.stop() == 0
    assert stub.calls == []  # nothing was posted, nobody was looked up
    assert "ANONYMOUS" not in process.stderr
    assert "tokens are required" in process.stderr


def test_without_a_client_id_it_runs_anonymously_on_port_and_says_so(start, stub):
    port = free_port()
    process = start(["teams"], base_env(PORT=str(port), BOT_LANGUAGE="en"), port)
    assert "ANONYMOUS DEVELOPMENT MODE" in process.stderr
    activity = personal_message(stub.service_url, "Ej levererad – SPF-fel")
    assert post_activity(process.url + "/api/messages", activity).status == 202
    (reply,) = stub.wait_messages(1)
    assert reply.conversation == activity["conversation"]["id"]
    assert reply.body["attachments"][0]["content"]["type"] == "AdaptiveCard"
    assert process.stop() == 0
    assert len(stub.messages()) == 1


def test_python_m_bot_starts_teams_when_only_a_teams_client_id_is_set(start, stub):
    port = free_port()
    process = start([], base_env(**CREDENTIALS, PORT=str(port)), port)
    activity = personal_message(stub.service_url, "hej")
    assert post_activity(process.url + "/api/messages", activity).status == 401
    assert process.stop() == 0


def test_bad_teams_configuration_is_one_clear_line_per_problem():
    env = base_env(**{TEAMS + "CLIENTID": APP_ID, TEAMS + "ANONYMOUS_ALLOWED": "true"})
    result = subprocess.run([sys.executable, "-m", "bot", "teams"], env=env, cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("invitation-bot: ") for line in lines)
    assert "Traceback" not in result.stderr


def test_a_busy_port_is_a_clear_error(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "bot", "teams", "--port", str(port)], env=base_env(),
                                cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"cannot listen on port {port}" in result.stderr and "Traceback" not in result.stderr
