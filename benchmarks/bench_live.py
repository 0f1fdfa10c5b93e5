"""Prints how fast live requests are recognised and how long summaries take over the sandbox API."""

from __future__ import annotations

import logging
import statistics
import time
from datetime import UTC, datetime

TYPICAL = [
    "status 5f1e9c2a7b3d4e5f6a7b8c9d",
    "referens ORDER-10023 hos nordic-shoes.example",
    "kolla <mailto:anna@example.se|anna@example.se> hos nordic-shoes.example",
    "sammanfattning för nordic-shoes.example senaste 30 dagarna",
    "failure summary for megamart.example in October",
    "Ej levererad – SPF-fel",
    "why are our invitations stopped by SPF?",
]
HOSTILE = ["a" * 100_000, "5f1e" * 25_000, "x." * 50_000, "<mailto:" * 12_000, "order " * 16_000, "1 " * 50_000]


def _per_call_us(texts: list[str], rounds: int) -> float:
    from bot.core.entities import parse_live_request

    now = datetime.now(UTC)
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            parse_live_request(text, now)
    return (time.perf_counter() - start) / (rounds * len(texts)) * 1e6


def main() -> None:
    # The sandbox's deliberate unknown codes would log a knowledge gap on every run.
    logging.getLogger("bot.knowledge_gaps").setLevel(logging.ERROR)
    print(f"parse_live_request, typical messages: {_per_call_us(TYPICAL, 500):.0f} µs per message")
    print(f"parse_live_request, hostile 100 KB inputs: {_per_call_us(HOSTILE, 20):.0f} µs per message")

    from bot.config import Settings
    from bot.core.access import AccessPolicy
    from bot.core.entities import BusinessUnitRef, SummaryRequest
    from bot.core.live import LiveDesk
    from bot.core.models import Question
    from bot.core.periods import last_days
    from bot.invitations.client import InvitationsClient
    from bot.invitations.sandbox import start_sandbox
    from bot.knowledge.loader import load_knowledge

    kb = load_knowledge()
    with start_sandbox() as sandbox, InvitationsClient.from_settings(
        Settings(), base_url=sandbox.url, api_key=sandbox.api_key, api_secret=sandbox.api_secret
    ) as client:
        desk = LiveDesk(client, kb, AccessPolicy())
        for domain in ("nordic-shoes.example", "megamart.example"):
            for days in (30, 365):
                request = SummaryRequest(BusinessUnitRef(domain), last_days(datetime.now(UTC), days))
                timings, total = [], 0
                for _ in range(5):
                    before = client.requests_sent
                    start = time.perf_counter()
                    reply = desk.answer(request, Question(text="summary"), "sv")
                    timings.append(time.perf_counter() - start)
                    requests = client.requests_sent - before
                    total = reply.data["total"]
                print(
                    f"summary {domain}, last {days} days ({total:,} invitations): "
                    f"{statistics.median(timings) * 1000:.0f} ms median of 5, {requests} API requests"
                )


if __name__ == "__main__":
    main()
