"""Prints the matcher's build time, per-match latency, batch command wall time and accuracy per kind.

Usage: python benchmarks/bench_matcher.py [QUERIES.tsv]
The TSV has query<TAB>expected<TAB>kind lines (expected "none" for out-of-scope, several ids with |).
Without it, label variants generated from the knowledge base, tests/matching/questions.tsv, the
calibration set tests/matching/calibration.tsv, tests/matching/paraphrases.tsv (kinds "para:...") and
tests/matching/polarity.tsv (kinds "pol:...", questions that say whether the invitation arrived) are
used; their kinds are prefixed with their split ("tune:" rows are for tuning, "held:" rows measure how well
that generalises).
Accuracy is compared with a plain rapidfuzz.process.extractOne over the labels (WRatio, cutoff 80).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parent.parent
# Runs from a checkout as well as from an installed package.
sys.path.insert(0, str(ROOT))

from bot.core.acts import read_message  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402
from bot.knowledge.model import KnowledgeBase  # noqa: E402
from bot.matching.matcher import Matcher  # noqa: E402
from bot.matching.variants import label_variants  # noqa: E402

OWN_QUESTIONS = ROOT / "tests" / "matching" / "questions.tsv"
CALIBRATION = ROOT / "tests" / "matching" / "calibration.tsv"
PARAPHRASES = ROOT / "tests" / "matching" / "paraphrases.tsv"
POLARITY = ROOT / "tests" / "matching" / "polarity.tsv"
REALISTIC = ROOT / "benchmarks" / "data" / "realistic-dev.tsv"
BASELINE_CUTOFF = 80
BATCH_LINES = 10_000


def read_tsv(path: Path, tag: str = "") -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("query\t"):
            continue
        query, expected, kind, *split = line.split("\t")
        rows.append((query, expected, f"{split[0]}:{tag}{kind}" if split else kind))
    return rows


def default_rows(kb: KnowledgeBase) -> list[tuple[str, str, str]]:
    variants = [(text, status, f"variant_{kind}") for text, status, kind in label_variants(kb)]
    questions = read_tsv(OWN_QUESTIONS) + read_tsv(CALIBRATION)
    return variants + questions + read_tsv(PARAPHRASES, "para:") + read_tsv(POLARITY, "pol:")


def is_right(got: str | None, expected: str) -> bool:
    return got is None if expected == "none" else got in expected.split("|")


def baseline(kb: KnowledgeBase):
    choices = {}
    for entry in kb:
        choices[f"{entry.id}:sv"] = entry.label.sv
        choices[f"{entry.id}:en"] = entry.label.en

    def guess(query: str) -> str | None:
        found = process.extractOne(
            query, choices, scorer=fuzz.WRatio, processor=utils.default_process, score_cutoff=BASELINE_CUTOFF
        )
        return found[2].split(":")[0] if found else None

    return guess


def build_times(kb: KnowledgeBase) -> list[float]:
    times = []
    for _ in range(20):
        start = time.perf_counter()
        Matcher(kb)
        times.append((time.perf_counter() - start) * 1000)
    return times


def latencies(kb: KnowledgeBase, queries: list[str]) -> tuple[list[float], list[float]]:
    """Per-match milliseconds, sorted: on first sight of each query, then again (answered from memory)."""
    matcher = Matcher(kb)
    runs: list[list[float]] = [[], []]
    for times in runs:
        for query in queries:
            start = time.perf_counter()
            matcher.match(query)
            times.append((time.perf_counter() - start) * 1000)
    return sorted(runs[0]), sorted(runs[1])


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[min(int(share * len(sorted_values)), len(sorted_values) - 1)]


def batch_wall_time(queries: list[str]) -> tuple[float, int]:
    lines = [queries[i % len(queries)] for i in range(BATCH_LINES)]
    payload = "\n".join(line.replace("\n", " ") for line in lines) + "\n"
    env = dict(os.environ)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "match"], input=payload, capture_output=True, text=True, cwd=ROOT, env=env
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
    return elapsed, len(done.stdout.splitlines())


def _made_up(number: int) -> str:
    """A word of no language, different for each number: "qzb", "qzc", ..."""
    letters = "bcdfghjklmnpqrstvwxz"
    word = ""
    while True:
        number, digit = divmod(number, len(letters))
        word += letters[digit]
        if not number:
            return "qz" + word


def realistic_timings(kb: KnowledgeBase) -> None:
    """Whole chat messages (tickets, pastes, small talk) read as the chat reads them, each on first sight, and
    10,000 of them through `match` (the set over and over, so most are answered from memory)."""
    if not REALISTIC.exists():
        return
    messages = [line.split("\t", 2)[2].replace("\\n", "\n") for line in REALISTIC.read_text("utf-8").splitlines()[1:]]
    matcher = Matcher(kb)
    now = datetime.now(UTC)
    times = []
    for message in messages:
        start = time.perf_counter()
        read_message(message, matcher, now)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(
        f"realistic messages ({len(messages)}) read by the chat, first sight: p50 {percentile(times, 0.5):.2f} ms,"
        f" p99 {percentile(times, 0.99):.2f} ms, max {times[-1]:.2f} ms"
    )
    elapsed, produced = batch_wall_time([message.replace("\n", "\\n") for message in messages])
    print(f"python -m bot match, {BATCH_LINES} realistic lines: {elapsed:.2f} s wall, {produced} lines out")


def main() -> None:
    kb = load_knowledge()
    source = sys.argv[1] if len(sys.argv) > 1 else None
    rows = read_tsv(Path(source)) if source else default_rows(kb)
    own = " + ".join(str(path.relative_to(ROOT)) for path in (OWN_QUESTIONS, CALIBRATION, PARAPHRASES, POLARITY))
    print(f"queries: {len(rows)} from {source or 'generated label variants + ' + own}")

    builds = build_times(kb)
    print(f"build Matcher(kb): median {statistics.median(builds):.1f} ms, max {max(builds):.1f} ms (20 builds)")

    queries = [query for query, _, _ in rows]
    first, warm = latencies(kb, queries)
    for name, times in (("first sight", first), ("again, answer remembered", warm)):
        print(
            f"match in process, {name}: p50 {percentile(times, 0.5) * 1000:.0f} µs,"
            f" p99 {percentile(times, 0.99) * 1000:.0f} µs, max {times[-1] * 1000:.0f} µs"
        )
    matcher = Matcher(kb)

    elapsed, produced = batch_wall_time(queries)
    print(f"python -m bot match, {BATCH_LINES} lines: {elapsed:.2f} s wall, {produced} lines out")
    # The same with no line met twice (a made-up word appended to each), so that nothing is answered from memory.
    unique = [f"{queries[i % len(queries)]} {_made_up(i)}" for i in range(BATCH_LINES)]
    elapsed, produced = batch_wall_time(unique)
    print(f"python -m bot match, {BATCH_LINES} lines, all different: {elapsed:.2f} s wall, {produced} lines out")
    realistic_timings(kb)

    guess = baseline(kb)
    ours: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    theirs: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for query, expected, kind in rows:
        got = matcher.match(query).status
        ours[kind][0] += is_right(got, expected)
        ours[kind][1] += 1
        theirs[kind][0] += is_right(guess(query), expected)
        theirs[kind][1] += 1
        if not is_right(got, expected):
            misses.append(f"  {kind}: {query[:80]!r} -> {got} (want {expected})")
    print(f"\n{'kind':26} {'matcher':>16} {'extractOne':>16}")
    for kind in sorted(ours):
        good, total = ours[kind]
        base, _ = theirs[kind]
        print(f"{kind:26} {good:5}/{total:<5} {good / total:6.1%} {base:5}/{total:<5} {base / total:6.1%}")
    good = sum(v[0] for v in ours.values())
    base = sum(v[0] for v in theirs.values())
    total = sum(v[1] for v in ours.values())
    print(f"{'all':26} {good:5}/{total:<5} {good / total:6.1%} {base:5}/{total:<5} {base / total:6.1%}")
    for tag in ("", "para:", "pol:"):
        for split in ("tune", "held"):
            for family in ("question", "out_of_scope"):
                parts = [v for k, v in ours.items() if k.startswith(f"{split}:{tag}{family}")]
                if parts:
                    good, total = sum(p[0] for p in parts), sum(p[1] for p in parts)
                    name = f"{split} {tag}{family}"
                    print(f"{name:26} {good:5}/{total:<5} {good / total:6.1%}")
    # Held-out misses stay unlisted: reading them would turn the held-out half into a tuning half.
    shown = [line for line in misses if not line.startswith("  held:")]
    if shown:
        print(f"\nmatcher misses outside the held-out half ({len(shown)}):")
        print("\n".join(shown[:60]))


if __name__ == "__main__":
    main()
