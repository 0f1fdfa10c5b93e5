"""Slack over HTTP under load: ack latency, exactly-once replies, reply latency and memory of the serving process.

Runs `python -m bot serve` in a subprocess (to measure its RSS) against a stub Slack Web API on
loopback, and sends it signed app_mention events:

1. a burst of 200 events at once (each on its own connection, sent from one selector loop, see
   burst.py): every ack under 3 s (p50/p99, target p99 100 ms), 200 replies, none duplicated;
2. the same burst again as Slack's retries (x-slack-retry-num): no reply added;
3. paced traffic (20 events a second): event sent -> reply posted, p50/p95 (target p95 300 ms);
4. a soak of 5,000 events: the server's RSS before, during and after.

    .venv/bin/python benchmarks/bench_slack.py [--burst 200] [--soak 5000]
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "slack"))

sys.path.insert(0, str(ROOT / "benchmarks"))

from burst import burst, request_bytes  # noqa: E402
from common import SECRET, Bot, RssSampler, ms, percentile, questions, rss_kib, running_bot, slack_env  # noqa: E402
from slackstub import BOT_USER, StubSlack, event_body, mention_event, post, sign  # noqa: E402

CHANNELS = ("C0BENCH1", "C0BENCH2", "C0BENCH3", "C0BENCH4")


class Load:
    def __init__(self, url: str, stub: StubSlack, texts: list[str]) -> None:
        self.url = url + "/slack/events"
        self.stub = stub
        self.texts = texts
        self.sent_at: dict[str, float] = {}  # thread ts -> when the event was sent

    def event(self, n: int) -> tuple[str, bytes]:
        ts = f"1700100000.{n:06d}"
        text = f"<@{BOT_USER}> {self.texts[n % len(self.texts)]}"
        return ts, event_body(mention_event(text, channel=CHANNELS[n % len(CHANNELS)], ts=ts), f"EvBench{n:06d}")

    def send(self, n: int, retry: int | None = None) -> float:
        ts, body = self.event(n)
        started = time.monotonic()
        response = post(self.url, body, "application/json", secret=SECRET, retry_num=retry, timeout=30)
        if response.status != 200:
            raise RuntimeError(f"event {n}: HTTP {response.status}")
        if retry is None:
            self.sent_at[ts] = started
        return time.monotonic() - started

    def burst(self, numbers: range, retry: int | None = None) -> list[float]:
        """Every event on its own connection, all sent at once from one selector loop (burst.py)."""
        requests = []
        for n in numbers:
            _ts, body = self.event(n)
            stamp = str(int(time.time()))
            headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
                       "X-Slack-Signature": sign(SECRET, stamp, body)}
            if retry:
                headers.update({"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"})
            requests.append(request_bytes(self.url, body, headers))
        results = burst(self.url, requests)
        failed = [(n, r.status, r.error) for n, r in zip(numbers, results, strict=True) if r.status != 200]
        if failed:
            raise RuntimeError(f"{len(failed)} events not acknowledged with 200, e.g. {failed[:3]}")
        if retry is None:
            for n, result in zip(numbers, results, strict=True):
                self.sent_at[self.event(n)[0]] = result.started
        return [result.seconds for result in results]

    def replies(self) -> dict[str, list[float]]:
        """thread ts -> when each reply in that thread reached the stub."""
        found: dict[str, list[float]] = {}
        for call in self.stub.calls_to("chat.postMessage"):
            found.setdefault(call.args.get("thread_ts", ""), []).append(call.at)
        return found

    def wait_replies(self, count: int, timeout: float = 120) -> None:
        self.stub.wait_calls("chat.postMessage", count, timeout=timeout)

    def latencies(self, numbers: range) -> list[float]:
        replies = self.replies()
        return [replies[ts][0] - self.sent_at[ts] for ts in (self.event(n)[0] for n in numbers)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--paced", type=int, default=100)
    parser.add_argument("--soak", type=int, default=5000)
    args = parser.parse_args()

    stub = StubSlack().start()
    for user in ("U0ALICE",):
        stub.users[user] = {"id": user, "team_id": "T0HOME", "locale": "en-GB"}
    try:
        with running_bot("serve", slack_env(stub.api_url)) as server:
            run(args, stub, server)
    finally:
        stub.stop()
    print(f"\nserver exit code after SIGTERM: {server.process.returncode}")
    return 0


def run(args: argparse.Namespace, stub: StubSlack, server: Bot) -> None:
    url = server.url
    load = Load(url, stub, questions())
    # Warm up: the first answers load the matcher's caches; not counted.
    for n in range(900_000, 900_010):
        load.send(n)
    load.wait_replies(10)
    warm = len(stub.calls_to("chat.postMessage"))
    rss_start = rss_kib(server.pid)
    print(f"server pid {server.pid}, RSS after start-up and warm-up: {rss_start / 1024:.1f} MiB")

    # 1. Burst.
    burst = range(args.burst)
    with RssSampler(server.pid) as sampler:
        started = time.monotonic()
        acks = load.burst(burst)
        load.wait_replies(warm + args.burst)
        took = time.monotonic() - started
    replies = load.replies()
    counts = [len(replies.get(load.event(n)[0], [])) for n in burst]
    latencies = load.latencies(burst)
    print(f"\nburst of {args.burst} app_mention events sent at once")
    print(f"  ack latency: p50 {ms(percentile(acks, 0.50))}, p99 {ms(percentile(acks, 0.99))}, "
          f"max {ms(max(acks))}; over 3 s: {sum(a >= 3 for a in acks)}")
    print(f"  replies: {sum(counts)} for {args.burst} events; events without a reply: "
          f"{sum(c == 0 for c in counts)}, with more than one: {sum(c > 1 for c in counts)}")
    print(f"  event sent -> reply posted: p50 {ms(percentile(latencies, 0.5))}, "
          f"p95 {ms(percentile(latencies, 0.95))}; wall time from sending {args.burst} events to the last "
          f"reply: {took:.2f} s")
    print(f"  server RSS peak during the burst: {sampler.peak / 1024:.1f} MiB")

    # 2. The same burst replayed as Slack's retries.
    before = len(stub.calls_to("chat.postMessage"))
    retry_acks = load.burst(burst, retry=1)
    quiet_until = time.monotonic() + 3  # the server runs in another process: allow it time to (not) answer
    while time.monotonic() < quiet_until:
        time.sleep(0.1)
    added = len(stub.calls_to("chat.postMessage")) - before
    print(f"\nthe same {args.burst} events again as retries (x-slack-retry-num: 1)")
    print(f"  ack latency p99 {ms(percentile(retry_acks, 0.99))}; replies added: {added}")

    # 3. Paced traffic: reply latency for knowledge-base answers without a queue in front.
    paced = range(100_000, 100_000 + args.paced)
    before = len(stub.calls_to("chat.postMessage"))
    with ThreadPoolExecutor(max_workers=8) as pool:
        for n in paced:
            pool.submit(load.send, n)
            time.sleep(0.05)  # 20 events a second
    load.wait_replies(before + args.paced)
    paced_latencies = load.latencies(paced)
    print(f"\npaced: {args.paced} knowledge-base questions at 20 a second")
    print(f"  event sent -> reply posted: p50 {ms(percentile(paced_latencies, 0.5))}, "
          f"p95 {ms(percentile(paced_latencies, 0.95))} (target p95 300 ms), "
          f"max {ms(max(paced_latencies))}")

    # 4. Soak.
    soak = range(200_000, 200_000 + args.soak)
    before = len(stub.calls_to("chat.postMessage"))
    rss_before = rss_kib(server.pid)
    half = args.soak // 2
    with RssSampler(server.pid) as sampler:
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=32) as pool:
            list(pool.map(load.send, soak[:half]))
        load.wait_replies(before + half)
        rss_half = rss_kib(server.pid)
        with ThreadPoolExecutor(max_workers=32) as pool:
            list(pool.map(load.send, soak[half:]))
        load.wait_replies(before + args.soak, timeout=300)
        took = time.monotonic() - started
    rss_after = rss_kib(server.pid)
    replies = load.replies()
    duplicated = sum(len(replies.get(load.event(n)[0], [])) > 1 for n in soak)
    soak_latencies = load.latencies(soak)
    print(f"\nsoak: {args.soak} events, 32 senders at once")
    print(f"  {args.soak / took:.0f} events a second; duplicated replies: {duplicated}; "
          f"event sent -> reply posted p95 {ms(percentile(soak_latencies, 0.95))}")
    print(f"  server RSS: before {rss_before / 1024:.1f} MiB, after {half} {rss_half / 1024:.1f} MiB, "
          f"after {args.soak} {rss_after / 1024:.1f} MiB, peak {sampler.peak / 1024:.1f} MiB")
    print(f"  (RSS at start-up {rss_start / 1024:.1f} MiB; the de-duplication store keeps two keys an event "
          "for 15 minutes, at most 200,000)")


if __name__ == "__main__":
    sys.exit(main())
