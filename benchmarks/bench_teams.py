"""Teams over HTTP under load: acknowledgements, exactly-once answers, answer latency and the process's memory.

Runs `python -m bot teams` in a subprocess (anonymous mode, to measure its RSS) against a stand-in Bot
Connector on loopback (tests/teams/connectorstub.py), and posts personal-chat activities shaped as Teams sends
them:

1. a burst of 100 messages posted at once, in each of --rounds rounds: every acknowledgement (p50/p99),
   100 answers, none duplicated; the same activities posted again add no answer;
2. paced knowledge-base questions (10 a second): activity posted -> answer at the stand-in, p50/p95
   (target p95 300 ms);
3. the Teams process's RSS through everything (target under 250 MB).

The machine these run on is shared and noisy: the summary quotes medians over the rounds.

    .venv/bin/python benchmarks/bench_teams.py [--burst 100] [--rounds 3] [--paced 100]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "teams"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import Bot, RssSampler, ms, percentile, questions, rss_kib, running_bot  # noqa: E402
from connectorstub import OUR_TENANT, StubConnector, member, personal_message, post_activity  # noqa: E402

TEAMS = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
USERS = [f"29:1bench-agent-{n:03d}" for n in range(20)]


class Load:
    def __init__(self, url: str, stub: StubConnector, texts: list[str]) -> None:
        self.url = url + "/api/messages"
        self.stub = stub
        self.texts = texts
        self.sent_at: dict[str, float] = {}  # conversation id -> when its activity was posted

    def activity(self, n: int) -> dict:
        return personal_message(self.stub.service_url, self.texts[n % len(self.texts)], user=USERS[n % len(USERS)],
                                activity_id=str(1_700_000_000_000 + n), conversation_id=f"a:1bench-{n:07d}")

    def send(self, n: int, *, again: bool = False) -> float:
        activity = self.activity(n)
        started = time.monotonic()
        response = post_activity(self.url, activity, timeout=30)
        if response.status != 202:
            raise RuntimeError(f"activity {n}: HTTP {response.status} {response.body!r}")
        if not again:
            self.sent_at[activity["conversation"]["id"]] = started
        return time.monotonic() - started

    def burst(self, numbers: range, *, again: bool = False) -> list[float]:
        gate = threading.Barrier(len(numbers))

        def one(n: int) -> float:
            gate.wait()
            return self.send(n, again=again)

        with ThreadPoolExecutor(max_workers=len(numbers)) as pool:
            return list(pool.map(one, numbers))

    def answers(self) -> dict[str, list[float]]:
        """conversation id -> when each answer in it reached the stand-in."""
        found: dict[str, list[float]] = {}
        for call in self.stub.messages():
            found.setdefault(call.conversation, []).append(call.at)
        return found

    def wait_answers(self, count: int, timeout: float = 120) -> None:
        self.stub.wait_messages(count, timeout=timeout)

    def latencies(self, numbers: range) -> list[float]:
        answers = self.answers()
        return [answers[c][0] - self.sent_at[c] for c in (f"a:1bench-{n:07d}" for n in numbers)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--burst", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--paced", type=int, default=100)
    args = parser.parse_args()

    stub = StubConnector().start()
    for user in USERS:
        stub.members[user] = member(user, OUR_TENANT)
    try:
        with running_bot("teams", {TEAMS + "TENANTID": OUR_TENANT}) as server:
            run(args, stub, server)
    finally:
        stub.stop()
    print(f"\nteams exit code after SIGTERM: {server.process.returncode}")
    return 0


def run(args: argparse.Namespace, stub: StubConnector, server: Bot) -> None:
    url = server.url
    load = Load(url, stub, questions())
    # Warm up: the first answers load the matcher's caches and open the SDK's code paths; not counted.
    for n in range(900_000, 900_010):
        load.send(n)
    load.wait_answers(10)
    rss_start = rss_kib(server.pid)
    print(f"teams pid {server.pid}, RSS after start-up and warm-up: {rss_start / 1024:.1f} MiB")

    rounds: list[dict[str, float]] = []
    with RssSampler(server.pid) as everything:
        for round_number in range(args.rounds):
            burst = range(round_number * 10_000, round_number * 10_000 + args.burst)
            before = len(stub.messages())
            with RssSampler(server.pid) as sampler:
                started = time.monotonic()
                acks = load.burst(burst)
                load.wait_answers(before + args.burst)
                took = time.monotonic() - started
            answers = load.answers()
            counts = [len(answers.get(f"a:1bench-{n:07d}", [])) for n in burst]
            latencies = load.latencies(burst)
            # The same activities again, as Teams re-sends them: nothing may be added.
            before_again = len(stub.messages())
            again = load.burst(burst, again=True)
            quiet_until = time.monotonic() + 3  # another process: give it time to (not) answer
            while time.monotonic() < quiet_until:
                time.sleep(0.1)
            added = len(stub.messages()) - before_again
            result = {"ack_p50": percentile(acks, 0.5), "ack_p99": percentile(acks, 0.99), "ack_max": max(acks),
                      "answers": sum(counts), "missing": sum(c == 0 for c in counts),
                      "duplicated": sum(c > 1 for c in counts), "latency_p50": percentile(latencies, 0.5),
                      "latency_p95": percentile(latencies, 0.95), "took": took, "rss_peak": sampler.peak,
                      "again_p99": percentile(again, 0.99), "added": added}
            rounds.append(result)
            print(f"\nround {round_number + 1}: burst of {args.burst} personal-chat messages posted at once")
            print(f"  ack: p50 {ms(result['ack_p50'])}, p99 {ms(result['ack_p99'])}, max {ms(result['ack_max'])}"
                  f"; over 3 s: {sum(a >= 3 for a in acks)}")
            print(f"  answers: {result['answers']:.0f} for {args.burst}; without an answer: {result['missing']:.0f}"
                  f", with more than one: {result['duplicated']:.0f}")
            print(f"  posted -> answer at the stand-in: p50 {ms(result['latency_p50'])}, "
                  f"p95 {ms(result['latency_p95'])}; last answer {took:.2f} s after the burst began")
            print(f"  the same {args.burst} activities again: ack p99 {ms(result['again_p99'])}, "
                  f"answers added: {added}")
            print(f"  RSS peak during the burst: {sampler.peak / 1024:.1f} MiB")

        paced = range(500_000, 500_000 + args.paced)
        before = len(stub.messages())
        with ThreadPoolExecutor(max_workers=8) as pool:
            for n in paced:
                pool.submit(load.send, n)
                time.sleep(0.1)  # 10 activities a second
        load.wait_answers(before + args.paced)
        paced_latencies = load.latencies(paced)
    rss_end = rss_kib(server.pid)

    print(f"\npaced: {args.paced} knowledge-base questions at 10 a second")
    print(f"  posted -> answer at the stand-in: p50 {ms(percentile(paced_latencies, 0.5))}, "
          f"p95 {ms(percentile(paced_latencies, 0.95))} (target 300 ms), max {ms(max(paced_latencies))}")

    def median(key: str) -> float:
        return statistics.median(r[key] for r in rounds)

    print(f"\nsummary (medians over {args.rounds} rounds of {args.burst})")
    print(f"  ack p50 {ms(median('ack_p50'))}, p99 {ms(median('ack_p99'))} (target: every ack within 3 s; "
          f"worst single ack {ms(max(r['ack_max'] for r in rounds))})")
    duplicated, added = sum(r["duplicated"] for r in rounds), sum(r["added"] for r in rounds)
    print(f"  answers {median('answers'):.0f} of {args.burst}, duplicated {duplicated:.0f}, "
          f"added by re-sending {added:.0f}")
    print(f"  burst answer latency p95 {ms(median('latency_p95'))}; paced knowledge-base answer p95 "
          f"{ms(percentile(paced_latencies, 0.95))} (target 300 ms)")
    print(f"  RSS: {rss_start / 1024:.1f} MiB after warm-up, peak {everything.peak / 1024:.1f} MiB, "
          f"{rss_end / 1024:.1f} MiB at the end (target under 250 MB)")


if __name__ == "__main__":
    sys.exit(main())
