"""Prints what hostile text costs: answers masked for a shared channel, and an export built to make
column detection backtrack. A merchant can send either; seconds of CPU each (the regex engine holds
the GIL) would stall every other answer of the instance.

    python benchmarks/bench_hostile_text.py
"""

from __future__ import annotations

import io
import logging
import time

# Each is one message as a merchant could paste it (the brain reads at most 20,000 characters).
QUESTIONS = {
    "20,000 digits": "1" * 20_000,
    "20,000 hex characters": "0123456789abcdef" * 1_250,
    "20,000 letters": "a" * 20_000,
    "10,000 'a.'": "a." * 10_000,
    "20,000 dashes": "-" * 20_000,
}
# A cell of an export: "a@b.b.b…<" (what column detection takes for an almost-address), ~40 KB.
ALMOST_ADDRESS = "a@" + "b." * 20_000 + "<"


def _seconds(call: object) -> float:
    start = time.perf_counter()
    call()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    logging.getLogger("bot.knowledge_gaps").setLevel(logging.ERROR)
    from bot.cli.wiring import load_components
    from bot.config import Settings
    from bot.core.models import Asker, Question

    components = load_components(Settings())
    try:
        assistant = components.assistant
        merchant = Asker(user_id="U0MERCHANT", team_id="T0MERCHANT", internal=False, channel_id="C0SHARED",
                         shared_channel=True)
        assistant.answer(Question(text="hej", asker=merchant))  # warm up: catalogs, matcher
        for name, text in QUESTIONS.items():
            seconds = _seconds(lambda text=text: assistant.answer(Question(text=text, asker=merchant)))
            print(f"answer masked for a shared channel, {name}: {seconds * 1000:.0f} ms")

        desk = components.triage
        rows = [";".join([ALMOST_ADDRESS] * 5)] + ["x@example.se;Levererad;2026-11-02"] * 3
        data = ("\n".join(rows) + "\n").encode()
        for mask in (False, True):
            seconds = _seconds(lambda mask=mask: desk.triage(io.BytesIO(data), "hostile.csv", size=len(data),
                                                             language="en", fallback="en", mask=mask))
            print(f"triage of a {len(data) // 1024} KB export of almost-addresses (masked: {mask}): "
                  f"{seconds * 1000:.0f} ms")
    finally:
        components.close()


if __name__ == "__main__":
    main()
