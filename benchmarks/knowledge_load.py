"""Prints how long loading and validating the bundled knowledge base takes (cold start matters for `ask`)."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

COLD = (
    "import time; t = time.perf_counter(); "
    "from bot.knowledge.loader import load_knowledge; i = time.perf_counter(); kb = load_knowledge(); "
    "e = time.perf_counter(); print(f'{(i - t) * 1000:.1f} {(e - i) * 1000:.1f} {len(kb)}')"
)


def main() -> None:
    from bot.knowledge.loader import _SafeLoader, load_knowledge

    print(f"YAML loader: {_SafeLoader.__name__}")
    colds = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, check=True).stdout
        imported, loaded, count = out.split()
        colds.append((float(imported), float(loaded)))
    print(
        f"cold process, {count} statuses: import {statistics.median(c[0] for c in colds):.1f} ms, "
        f"first load_knowledge() {statistics.median(c[1] for c in colds):.1f} ms (median of 5)"
    )
    runs = []
    for _ in range(30):
        start = time.perf_counter()
        load_knowledge()
        runs.append((time.perf_counter() - start) * 1000)
    print(f"warm load_knowledge(): median {statistics.median(runs):.1f} ms, max {max(runs):.1f} ms (30 runs)")


if __name__ == "__main__":
    main()
