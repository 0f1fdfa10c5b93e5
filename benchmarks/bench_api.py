"""Figures for the invitations client and the sandbox: start-up, lookup latency, summary workload, rate limits.

Run from the repository root:  .venv/bin/python benchmarks/bench_api.py
Each sandbox runs in its own process (`python -m bot sandbox --port 0`), as a real API would.
"""

from __future__ import annotations

import logging
import os
import re
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.invitations.client import InvitationsClient  # noqa: E402
from bot.invitations.sandbox import API_KEY, API_SECRET, MEGAMART_ID, NORDIC_SHOES_ID  # noqa: E402

STARTUP_SCRIPT = """
import time
t0 = time.perf_counter()
from bot.invitations.sandbox import start_sandbox
import httpx
sandbox = start_sandbox()
ready = time.perf_counter() - t0
with httpx.Client() as http:
    http.get(sandbox.url + "/v1/business-units/find", params={"name": "megamart.example"},
             headers={"apikey": sandbox.api_key}).raise_for_status()
first = time.perf_counter() - t0
rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS"))
print(ready, first, rss, sum(a.size for a in sandbox.data.accounts), max(a.size for a in sandbox.data.accounts))
"""


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))


@contextmanager
def sandbox_process(*flags: str):
    """`python -m bot sandbox --port 0 ...` in a subprocess; yields (url, process, seconds until it printed its URL)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bot", "sandbox", "--port", "0", "--lang", "en", *flags],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        found = re.search(r"http://[\d.]+:\d+", line)
        if not found:
            raise RuntimeError(f"sandbox did not start: {line!r}")
        yield found.group(0), process, time.perf_counter() - start
    finally:
        process.terminate()
        process.wait(10)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_startup() -> None:
    print("== sandbox start-up (fresh process, all demo accounts incl. the large one)")
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", STARTUP_SCRIPT], cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True).stdout.split()
        runs.append((float(out[0]), float(out[1]), int(out[2]), int(out[3]), int(out[4])))
    ready, first, rss, total, largest = min(runs)
    print(f"  invitations: {total:,} in total, largest account {largest:,}")
    print(f"  import + data + bind: {ready * 1000:.0f} ms (best of 3); first answer after {first * 1000:.0f} ms")
    print(f"  RSS after start: {rss / 1024:.1f} MiB")


def bench_lookups(url: str, process: subprocess.Popen[str]) -> None:
    print("== status of one invitation, client overhead included (200 lookups, keep-alive)")
    now = datetime.now(UTC)
    with InvitationsClient(url, API_KEY, API_SECRET) as client:
        # Ids from both ends of each account: the newest page and one far back.
        ids = [inv.id for inv in islice(client.iter_invitations(NORDIC_SHOES_ID, per_page=50), 50)]
        ids += [inv.id for inv in islice(client.iter_invitations(NORDIC_SHOES_ID, per_page=50,
                                                                 created_to=now - timedelta(days=80)), 50)]
        ids += [inv.id for inv in islice(client.iter_invitations(MEGAMART_ID, per_page=50), 50)]
        ids += [inv.id for inv in islice(client.iter_invitations(MEGAMART_ID, per_page=50,
                                                                 created_to=now - timedelta(days=80)), 50)]
        timings = []
        for n, invitation_id in enumerate(ids):
            start = time.perf_counter()
            found = client.get_invitation(invitation_id, None if n % 2 else (NORDIC_SHOES_ID if n < 100 else
                                                                             MEGAMART_ID))
            timings.append(time.perf_counter() - start)
            assert found is not None and found.id == invitation_id
    ms = [t * 1000 for t in timings]
    print(f"  lookups: {len(ms)}  p50 {statistics.median(ms):.2f} ms  p95 {percentile(ms, 0.95):.2f} ms"
          f"  max {max(ms):.2f} ms")


def bench_summary(url: str, process: subprocess.Popen[str]) -> None:
    print("== summary workload on the large account (2 stats requests + 1 sample request)")
    now = datetime.now(UTC)
    start, middle = now - timedelta(days=60), now - timedelta(days=30)
    walls, total = [], 0
    for _ in range(7):
        # A fresh client each time, so the token fetch is part of the first call, as in a cold bot.
        with InvitationsClient(url, API_KEY, API_SECRET) as client:
            began = time.perf_counter()
            current = client.status_stats(MEGAMART_ID, middle, now)
            previous = client.status_stats(MEGAMART_ID, start, middle)
            failing = [s for s in current.by_status if s not in ("delivered", "queued", "sending")][:5]
            sample = client.sample_invitations(MEGAMART_ID, failing, middle, now, limit=3)
            walls.append(time.perf_counter() - began)
            total = current.total + previous.total
            assert len(sample) == 3
    ms = [w * 1000 for w in walls]
    print(f"  invitations counted: {total:,} (60 days)  wall: median {statistics.median(ms):.1f} ms"
          f"  max {max(ms):.1f} ms  (token fetch included)")
    print(f"  sandbox RSS after the workload: {rss_kib(process.pid) / 1024:.1f} MiB")


def bench_rate_limit() -> None:
    print("== rate limit: sandbox 5 req/s + a 5xx on every 3rd request; client limiter 5/s; 50 lookups in a row")
    with sandbox_process("--rate-limit", "5", "--fail-every", "3") as (url, _process, _):
        # Ids come from a separate client, so the measured run starts with a fresh limiter and token.
        with InvitationsClient(url, API_KEY, API_SECRET, rate_per_second=5) as helper:
            ids = [inv.id for inv in islice(helper.iter_invitations(NORDIC_SHOES_ID, per_page=50), 50)]
        time.sleep(1.5)  # let the server's one-second window empty
        with InvitationsClient(url, API_KEY, API_SECRET, rate_per_second=5) as client:
            began = time.perf_counter()
            ok = sum(1 for invitation_id in ids if client.get_invitation(invitation_id) is not None)
            elapsed = time.perf_counter() - began
            sent = client.requests_sent
            by_status = dict(client.responses_by_status)
    allowed = sent / 5
    print(f"  lookups succeeded: {ok}/{len(ids)}")
    print(f"  requests sent: {sent} (token fetch and retries included)  answers: {by_status}")
    print(f"  429 received: {by_status.get(429, 0)} (must be 0)")
    print(f"  total time {elapsed:.2f} s; the limit allows {sent} requests in {allowed:.2f} s;"
          f" ratio {elapsed / allowed:.2f} (must be <= 1.2)")


def main() -> None:
    # The retries of the rate-limit scenario are expected; their warnings would drown the figures.
    logging.getLogger("bot.invitations").setLevel(logging.ERROR)
    bench_startup()
    with sandbox_process() as (url, process, to_url):
        print(f"  `python -m bot sandbox` printed its URL after {to_url * 1000:.0f} ms"
              f" (interpreter and CLI included); RSS {rss_kib(process.pid) / 1024:.1f} MiB")
        bench_lookups(url, process)
        bench_summary(url, process)
    bench_rate_limit()


if __name__ == "__main__":
    main()
