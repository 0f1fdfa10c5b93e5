"""`invitation-bot gaps`: the report from a seeded store in three formats, and one clear line for every mistake."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.conversation.store import open_store
from bot.core.ports import Event, EventKind

ROOT = Path(__file__).resolve().parents[2]


def gaps(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "bot", "gaps", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def seeded(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'events.db'}"
    store = open_store(url)
    now = datetime.now(UTC)
    store.write([Event(EventKind.UNANSWERED, "slack", at=now - timedelta(days=1), text="Kan jag byta logga?"),
                 Event(EventKind.UNANSWERED, "slack", at=now - timedelta(days=2), text="kan jag byta loggan"),
                 Event(EventKind.UNANSWERED, "slack", at=now - timedelta(days=20), text="old question"),
                 Event(EventKind.FEEDBACK, "slack", at=now, status="queued", vote="down"),
                 Event(EventKind.HANDOFF, "slack", at=now)])
    store.close()
    return url


def test_json_report_of_the_last_week_by_default(tmp_path):
    result = gaps("--format", "json", url=seeded(tmp_path))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"since", "unanswered", "feedback", "unknownCodes", "handoffs"}
    assert [g["count"] for g in data["unanswered"]] == [2]
    assert data["feedback"][0] == {"status": "queued", "up": 0, "down": 1, "picked": {}, "notes": []}
    assert data["handoffs"] == 1


def test_since_widens_the_report_and_table_and_csv_are_readable(tmp_path):
    url = seeded(tmp_path)
    since = (datetime.now(UTC) - timedelta(days=30)).date().isoformat()
    table = gaps("--since", since, url=url)
    assert table.returncode == 0 and "old question" in table.stdout and "Hand-offs to a person: 1" in table.stdout
    csv = gaps("--since", since, "--format", "csv", url=url)
    assert csv.stdout.splitlines()[0] == "section,key,count,detail"


def test_a_bad_date_and_an_unreachable_database_each_give_one_line(tmp_path):
    bad = gaps("--since", "last tuesday", url=seeded(tmp_path))
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "--since" in bad.stderr
    down = gaps(url="postgresql://nobody@127.0.0.1:1/none")
    assert down.returncode == 3 and down.stderr.count("\n") == 1 and "Traceback" not in down.stderr
    wrong = gaps(url="mysql://x@y/z")
    assert wrong.returncode == 2 and "DATABASE_URL" in wrong.stderr
