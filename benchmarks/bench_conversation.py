"""Conversations: follow-up vs first-question latency, the gaps report over 100,000 events, a database outage.

    python benchmarks/bench_conversation.py [--events 100000] [--outage 60] [--rate 20] [--skip-outage]

Prints medians and p95s (the machine is shared and noisy: compare medians). PostgreSQL parts need
initdb/pg_ctl (PATH or /usr/lib/postgresql/<version>/bin) or POSTGRES_TEST_URL; Redis parts
need redis-server or REDIS_TEST_URL. Targets: a follow-up's p95 within 20 ms of a first question's;
the gaps report under 1 s on 100,000 events; through the outage every answer given and every event
stored once the database is back.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pgserver import free_port, start_postgres  # noqa: E402

from bot.conversation.buffer import BufferedSink  # noqa: E402
from bot.conversation.gaps import gaps_report  # noqa: E402
from bot.conversation.store import EventStore, open_store  # noqa: E402
from bot.conversation.threads import MemoryThreadStore, thread_store  # noqa: E402
from bot.core.access import AccessPolicy  # noqa: E402
from bot.core.assistant import Assistant  # noqa: E402
from bot.core.conversation import Conversation  # noqa: E402
from bot.core.models import Asker, Question  # noqa: E402
from bot.core.ports import Event, EventKind, NullSink  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402
from bot.matching.matcher import Matcher  # noqa: E402

FIRST = ["Ej levererad – SPF-fel", "Not delivered - Invalid recipient", "why are our invitations stopped by SPF?",
         "the customer typed an address without an @", "Ej levererad – inbjudningsgränsen nådd",
         "Not delivered - Placeholder error"]
FOLLOW = ["kan jag skicka om den?", "who needs to fix it?", "visa på engelska", "vad gör jag nu?",
          "and if the sender is on another domain?", "that's not it"]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


# -- 1. follow-ups ------------------------------------------------------------------------------


def first_questions() -> list[str]:
    """Real questions of the matcher's test set (in both languages), so no two answers in a row are alike."""
    found: list[str] = []
    for name in ("questions.tsv", "paraphrases.tsv"):
        lines = (ROOT / "tests" / "matching" / name).read_text(encoding="utf-8").splitlines()[1:]
        found += [line.split("\t")[0] for line in lines if line.strip()]
    return found or FIRST


def bench_follow_ups(kb, matcher, threads, label: str, rounds: int) -> None:
    conversation = Conversation(Assistant(kb, matcher), kb, AccessPolicy(), threads, NullSink())
    asker = Asker(user_id="U1", team_id="T1", internal=True, channel_id="C1")
    first: list[float] = []
    follow: list[float] = []
    questions = first_questions()
    for i in range(rounds):
        thread = f"slack:C1:{time.time_ns()}.{i}"
        for text, sink in ((questions[i % len(questions)], first), (FOLLOW[i % len(FOLLOW)], follow)):
            started = time.perf_counter()
            conversation.answer(Question(text=text, asker=asker), platform="slack", thread=thread)
            sink.append(time.perf_counter() - started)
    print(f"  {label}: first question p50 {ms(statistics.median(first))} p95 {ms(pct(first, 0.95))}; "
          f"follow-up p50 {ms(statistics.median(follow))} p95 {ms(pct(follow, 0.95))}; "
          f"p95 difference {ms(pct(follow, 0.95) - pct(first, 0.95))} (target: within 20 ms); {rounds} of each")


def redis_url() -> tuple[str | None, subprocess.Popen[bytes] | None]:
    if os.environ.get("REDIS_TEST_URL"):
        return os.environ["REDIS_TEST_URL"], None
    binary = shutil.which("redis-server")
    if binary is None:
        return None, None
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(200):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.02)
    return f"redis://127.0.0.1:{port}/0", process


# -- 2. the gaps report -------------------------------------------------------------------------

QUESTIONS = [
    "why are no invitations sent on {day}", "can I change the logo in the {thing}", "how do I add a {thing} to the "
    "invitation", "varför skickas inga inbjudningar på {day}", "kan jag byta {thing} i mejlet",
    "what does the {thing} setting do", "hur många inbjudningar kan vi skicka per {day}",
    "is there an api for {thing}", "why did the {thing} not show up", "vem ser våra {thing}",
]
FILL = {"day": ["fridays", "friday", "weekends", "sundays", "helgen", "fredagar", "måndagar", "holidays"],
        "thing": ["logo", "colour", "footer", "subject line", "sender name", "template", "reviews", "stars",
                  "banner", "signature", "link", "button"]}
STATUSES = ["spf_failure", "invalid_recipient", "queued", "sending", "delivered", "placeholder_error",
            "custom_sender_address", "invitation_limit_reached"]


def typo(text: str, rng: random.Random) -> str:
    if rng.random() < 0.3 and len(text) > 8:
        i = rng.randrange(len(text) - 1)
        text = text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text.capitalize() + "?" if rng.random() < 0.5 else text


def synthetic_events(count: int, now: datetime, seed: int = 7) -> list[Event]:
    rng = random.Random(seed)
    events: list[Event] = []
    for i in range(count):
        at = now - timedelta(seconds=rng.randrange(90 * 24 * 3600))
        roll = rng.random()
        if roll < 0.45:
            template = rng.choice(QUESTIONS)
            text = template.format(day=rng.choice(FILL["day"]), thing=rng.choice(FILL["thing"]))
            events.append(Event(EventKind.UNANSWERED, "slack", at=at, language="en", text=typo(text, rng)))
        elif roll < 0.85:
            status = rng.choice(STATUSES)
            kind = rng.random()
            if kind < 0.6:
                events.append(Event(EventKind.FEEDBACK, "slack", at=at, status=status,
                                    vote="up" if rng.random() < 0.7 else "down"))
            elif kind < 0.9:
                events.append(Event(EventKind.FEEDBACK, "teams", at=at, status=status, picked=rng.choice(STATUSES)))
            else:
                events.append(Event(EventKind.FEEDBACK, "slack", at=at, status=status, text=f"note {i % 500}"))
        elif roll < 0.95:
            events.append(Event(EventKind.UNKNOWN_CODE, "slack", at=at, code=f"code_{rng.randrange(30)}",
                                invitation_id=f"{i:024x}"))
        else:
            events.append(Event(EventKind.HANDOFF, "slack", at=at))
    return events


def bench_report(store: EventStore, label: str, events: list[Event], now: datetime) -> None:
    started = time.perf_counter()
    for start in range(0, len(events), 5_000):
        store.write(events[start:start + 5_000])
    loaded = time.perf_counter() - started
    with store.engine.begin() as connection:
        if store.engine.dialect.name == "postgresql":
            connection.exec_driver_sql("ANALYZE events")
        else:
            connection.exec_driver_sql("ANALYZE")
    timings = {}
    for name, days in (("last 7 days", 7), ("last 90 days", 90)):
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            report = gaps_report(store.engine, now - timedelta(days=days))
            runs.append(time.perf_counter() - started)
        timings[name] = (statistics.median(runs), report)
    print(f"  {label}: {store.count():,} events stored in {loaded:.1f} s")
    for name, (median, report) in timings.items():
        print(f"    gaps report, {name}: median {median * 1000:.0f} ms over 5 runs (target < 1 s); "
              f"{sum(g.count for g in report.unanswered):,} unanswered in the top {len(report.unanswered)} groups, "
              f"{len(report.feedback)} statuses with feedback, {len(report.unknown_codes)} unknown codes, "
              f"{report.handoffs:,} hand-offs")


# -- 3. the outage ------------------------------------------------------------------------------


def bench_outage(kb, matcher, server, outage: float, rate: float) -> None:
    store_url = server.url
    sink = BufferedSink(lambda: open_store(store_url))
    conversation = Conversation(Assistant(kb, matcher), kb, AccessPolicy(), MemoryThreadStore(), sink)
    asker = Asker(user_id="U1", team_id="T1", internal=True, channel_id="C1")
    before, during, after = 20.0, outage, 20.0
    latencies: dict[str, list[float]] = {"before": [], "during": [], "after": []}
    answered = 0
    stop_at = time.monotonic() + before + during + after
    phase = ["before"]

    def outage_driver() -> None:
        time.sleep(before)
        server.stop()
        phase[0] = "during"
        print(f"    database stopped ({time.strftime('%H:%M:%S')}); {sink.pending} events pending")
        time.sleep(during)
        server.start()
        phase[0] = "after"
        print(f"    database started again ({time.strftime('%H:%M:%S')}); {sink.pending} events pending")

    driver = threading.Thread(target=outage_driver)
    driver.start()
    interval = 1.0 / rate
    next_at = time.monotonic()
    i = 0
    while time.monotonic() < stop_at:
        # A question the bot cannot place: every answer is also an event to store.
        text = f"zorblax flummox question number {i} about quibbles"
        started = time.perf_counter()
        reply = conversation.answer(Question(text=text, asker=asker), platform="slack", thread=f"slack:C1:{i}")
        latencies[phase[0]].append(time.perf_counter() - started)
        answered += reply is not None
        i += 1
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))
    driver.join()
    flushed = sink.flush(120)
    store = open_store(store_url)
    stored = store.count()
    store.close()
    sink.close()
    print(f"    {i} questions, {answered} answered; {stored} events stored after the outage, {sink.dropped} dropped "
          f"(buffer limit 10,000), all written: {flushed}")
    for name, values in latencies.items():
        if values:
            print(f"    answer latency {name} the outage: p50 {ms(statistics.median(values))} "
                  f"p95 {ms(pct(values, 0.95))} ({len(values)} answers)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    # No more rounds than distinct questions: the matcher caches keyword scores of texts it has seen.
    parser.add_argument("--rounds", type=int, default=260)
    parser.add_argument("--outage", type=float, default=60.0, help="seconds the database is stopped")
    parser.add_argument("--rate", type=float, default=20.0, help="questions a second during the outage test")
    parser.add_argument("--skip-outage", action="store_true")
    args = parser.parse_args()

    kb = load_knowledge()
    matcher = Matcher(kb)
    print("Follow-ups (knowledge-base answers, the brain's part):")
    bench_follow_ups(kb, matcher, MemoryThreadStore(), "thread context in memory", args.rounds)
    url, redis_process = redis_url()
    if url:
        bench_follow_ups(kb, matcher, thread_store(url), "thread context in Redis", args.rounds)
    if redis_process is not None:
        redis_process.terminate()

    now = datetime.now(UTC)
    events = synthetic_events(args.events, now)
    print(f"Gaps report over {len(events):,} events (90 days):")
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{folder}/events.db")
        bench_report(store, "SQLite", events, now)
        store.close()
    server = start_postgres()
    if server is None:
        print("  PostgreSQL: not installed, skipped")
        return
    try:
        store = open_store(server.url)
        bench_report(store, "PostgreSQL", events, now)
        with store.engine.begin() as connection:
            connection.exec_driver_sql("TRUNCATE events")
        store.close()
        if not args.skip_outage:
            print(f"Database stopped for {args.outage:.0f} s under {args.rate:.0f} questions a second (PostgreSQL):")
            bench_outage(kb, matcher, server, args.outage, args.rate)
    finally:
        server.destroy()


if __name__ == "__main__":
    main()
