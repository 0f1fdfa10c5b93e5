"""Cold-start wall time of one-shot commands, as a user runs them (target: `ask` under 0.5 s).

Usage: python benchmarks/bench_cli.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "INVITATIONS_"))}
COMMANDS = {
    "ask (pasted label)": ["ask", "Ej levererad – SPF-fel"],
    "ask (free question)": ["ask", "why are our invitations failing with SPF?"],
    "ask (greeting)": ["ask", "hej"],
    "check": ["check"],
}


def wall(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=ENV, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    wall(["ask", "warm the file cache"])
    print(f"cold start, {runs} runs each (python {sys.version.split()[0]})")
    for name, args in COMMANDS.items():
        times = sorted(wall(args) for _ in range(runs))
        print(f"  {name:22} median {statistics.median(times) * 1000:6.0f} ms   max {times[-1] * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
