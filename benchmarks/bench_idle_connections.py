"""Idle connections must not lock Slack out: one client holds many idle connections open to
`python -m bot serve`, and a signed event must still be acknowledged within 3 s.

Opens N connections (default 2,000) on loopback: half send nothing, half send the start of a
request and stop (slowloris). Then sends signed app_mention events, one at a time, and prints how
long each took to be acknowledged. Raises this process's open-file limit as far as allowed.

    .venv/bin/python benchmarks/bench_idle_connections.py [--idle 2000] [--events 5]
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "slack"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import SECRET, Bot, running_bot, slack_env  # noqa: E402
from slackstub import BOT_USER, StubSlack, event_body, mention_event, post  # noqa: E402


def raise_file_limit(wanted: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def open_idle(port: int, count: int) -> list[socket.socket]:
    held = []
    for n in range(count):
        sock = socket.socket()
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        held.append(sock)
        if n % 2:
            # The start of a request that never ends (if not yet connected, it stays an idle attempt).
            with contextlib.suppress(OSError):
                sock.send(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")
    return held


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--idle", type=int, default=2000)
    parser.add_argument("--events", type=int, default=5)
    args = parser.parse_args()
    limit = raise_file_limit(args.idle + 500)
    if limit < args.idle + 100:
        raise SystemExit(f"open-file limit {limit} is too low for {args.idle} connections (ulimit -n)")

    stub = StubSlack().start()
    stub.users["U0ALICE"] = {"id": "U0ALICE", "team_id": "T0HOME", "locale": "en-GB"}
    try:
        with running_bot("serve", slack_env(stub.api_url)) as server:
            run(args, server)
    finally:
        stub.stop()
    return 0


def run(args: argparse.Namespace, server: Bot) -> None:
    url = server.url
    held: list[socket.socket] = []
    try:
        # The first event follows the storm of connections at once: the hardest moment.
        held = open_idle(server.port, args.idle)
        print(f"{args.idle} idle connections held open to serve (pid {server.pid}); signed events:")
        acks = []
        for n in range(args.events):
            body = event_body(mention_event(f"<@{BOT_USER}> spf", ts=f"1700200000.{n:06d}"), f"EvIdle{n}")
            started = time.monotonic()
            try:
                status = post(url + "/slack/events", body, "application/json", secret=SECRET, timeout=60).status
            except OSError as exc:
                status = f"failed ({exc})"
            took = time.monotonic() - started
            acks.append(took)
            print(f"  event {n + 1}: HTTP {status} after {took * 1000:.0f} ms")
        acks.sort()
        print(f"ack latency: median {acks[len(acks) // 2] * 1000:.0f} ms, max {acks[-1] * 1000:.0f} ms "
              f"(target: every ack within 3 s)")
    finally:
        for sock in held:
            sock.close()


if __name__ == "__main__":
    sys.exit(main())
