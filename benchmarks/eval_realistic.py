"""Scores the bot on realistic chat messages, per kind, and lists the misses.

Usage: python benchmarks/eval_realistic.py [MESSAGES.tsv] [--python PYTHON] [--quiet]

The TSV (default benchmarks/data/realistic-dev.tsv) has `kind<TAB>expected<TAB>message` lines, a `\\n` in a
message standing for a line break. Every message goes through the real command, `python -m bot match` (the
matcher and the live-request reading the chat uses), in one batch. What counts as right, by expected value:

- a status id: that status, and no live request;
- `a|b|c` (several pasted statuses): `status` is a and `also` is [b, c], in that order ("set" also shows how
  often the statuses were right in any order);
- `none`: no status (no live request either);
- `smalltalk`: the message read as small talk (`act` small_talk), no status;
- `lookup:<id>`: a live lookup of that invitation id;
- `summary:<domain>[:<period>]`: an account summary of that domain, over that period when one is given
  (default, last_N_days, this_week, last_week, this_month, last_month, since_<weekday>, month_<name>).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.periods import MONTHS, Period, days_range, last_days, month_period  # noqa: E402

DEFAULT = ROOT / "benchmarks" / "data" / "realistic-dev.tsv"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def read(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("kind\t"):
            continue
        kind, expected, message = line.split("\t", 2)
        rows.append((kind, expected, message))
    return rows


def expected_period(name: str, now: datetime) -> Period | None:
    """The period a name of the set stands for, as of `now`; None for a name it does not know."""
    today = now.date()
    monday = today - timedelta(days=today.weekday())
    if name in ("default", "last_30_days"):
        return last_days(now, 30)
    if name.startswith("last_") and name.endswith("_days") and name[5:-5].isdigit():
        return last_days(now, int(name[5:-5]))
    if name == "this_week":
        return days_range(monday, today)
    if name == "last_week":
        return days_range(monday - timedelta(days=7), monday - timedelta(days=1))
    if name == "this_month":
        return days_range(today.replace(day=1), today)
    if name == "last_month":
        first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
        return month_period(first.year, first.month)
    if name.startswith("since_") and name[6:] in _WEEKDAYS:
        back = (today.weekday() - _WEEKDAYS.index(name[6:])) % 7 or 7
        return days_range(today - timedelta(days=back), today)
    if name.startswith("month_") and name[6:] in MONTHS:
        month = MONTHS[name[6:]]
        return month_period(today.year if month <= today.month else today.year - 1, month)
    return None


def judge(expected: str, got: dict, now: datetime) -> tuple[bool, bool]:
    """(right, right in any order) for one answer."""
    live = got.get("live")
    status = got.get("status")
    if expected.startswith("lookup:"):
        ok = bool(live) and live["kind"] == "lookup" and live["id"] == expected.split(":", 1)[1]
        return ok, ok
    if expected.startswith("summary:"):
        _, domain, *period = expected.split(":")
        ok = bool(live) and live["kind"] == "summary" and (live.get("businessUnit") or "").lower() == domain
        if ok and period:
            wanted = expected_period(period[0], now)
            got_period = (live["from"], live["to"])
            ok = wanted is not None and got_period == (wanted.start.isoformat(), wanted.end.isoformat())
        return ok, ok
    if live:
        return False, False
    if expected == "smalltalk":
        ok = got.get("act") == "small_talk" and status is None
        return ok, ok
    if expected == "none":
        ok = status is None
        return ok, ok
    wanted = expected.split("|")
    answered = ([status] if status else []) + list(got.get("also") or [])
    if len(wanted) > 1:
        return answered == wanted, set(answered) == set(wanted)
    ok = status == wanted[0]
    return ok, ok


def describe(got: dict) -> str:
    if got.get("live"):
        live = got["live"]
        extra = live.get("id") or live.get("businessUnit") or live.get("text") or ""
        period = f" {live['from'][:10]}..{live['to'][:10]}" if live.get("from") else ""
        return f"live {live['kind']} {extra}{period}"
    parts = [str(got.get("status"))]
    if got.get("also"):
        parts.append("also " + ",".join(got["also"]))
    if got.get("act") not in (None, "status"):
        parts.append(got["act"])
    if got.get("status") is None and got.get("alternatives"):
        parts.append("offers " + ",".join(got["alternatives"]))
    return " ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--python", default=sys.executable, help="the interpreter that runs `-m bot match`")
    parser.add_argument("--quiet", action="store_true", help="figures only, no misses")
    args = parser.parse_args()
    rows = read(args.path)
    now = datetime.now(UTC)
    result = subprocess.run(
        [args.python, "-m", "bot", "match"],
        input="".join(message + "\n" for _, _, message in rows),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    answers = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0 or len(answers) != len(rows):
        print(f"python -m bot match: exit {result.returncode}, {len(answers)} answers for {len(rows)} messages")
        print(result.stderr[-800:])
        return 1
    score: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    misses: list[str] = []
    for (kind, expected, message), got in zip(rows, answers, strict=True):
        ok, any_order = judge(expected, got, now)
        score[kind][0] += ok
        score[kind][1] += any_order
        score[kind][2] += 1
        if not ok:
            misses.append(f"  {kind:10} want {expected:32} got {describe(got)}\n      {message[:160]!r}")
    print(f"{'kind':12} {'right':>9} {'share':>7}")
    for kind in sorted(score):
        good, any_order, total = score[kind]
        extra = f"   (any order {any_order}/{total})" if any_order != good else ""
        print(f"{kind:12} {good:4}/{total:<4} {good / total:7.1%}{extra}")
    good = sum(v[0] for v in score.values())
    total = sum(v[2] for v in score.values())
    print(f"{'all':12} {good:4}/{total:<4} {good / total:7.1%}")
    if not args.quiet and misses:
        print(f"\nmisses ({len(misses)}):")
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
