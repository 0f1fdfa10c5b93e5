"""Exports sent to the bot in a Teams personal chat: answer time, the action list's way back, and memory.

Runs `python -m bot teams` in a subprocess (anonymous mode, TEAMS_FILES_URL naming the stand-in) against the
stand-in Bot Connector and OneDrive on loopback (tests/teams/connectorstub.py):

1. a 1,000-row export (demo data, Swedish, semicolons) sent in a personal chat, --runs times after one warm-up:
   activity posted -> answer card at the stand-in (target: within 3 s), -> file consent card; then the consent
   invoke (accept) posted -> file card at the stand-in (the action list uploaded in between);
2. one large export (--large-rows, default 100,000) the same way: answer time, and the Teams process's RSS before
   and at its peak while the file is read and the action list waits for consent (compressed, in memory).

    .venv/bin/python benchmarks/bench_teams_files.py [--rows 1000] [--runs 15] [--large-rows 100000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "teams"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import Bot, RssSampler, rss_kib, running_bot  # noqa: E402
from connectorstub import (  # noqa: E402
    ALICE,
    OUR_TENANT,
    StubConnector,
    file_consent,
    file_message,
    post_activity,
)

from bot.triage.demo import write_export  # noqa: E402

TEAMS = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"


def export_bytes(folder: Path, rows: int) -> bytes:
    path = folder / f"export-{rows}.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        written = write_export(out, "megamart.example", "sv", days=None, rows=rows, delimiter=";")
    assert written == rows, written
    return path.read_bytes()


def attachments_of(stub: StubConnector, content_type: str) -> list[tuple[float, dict]]:
    return [(call.at, attachment) for call in stub.messages() for attachment in call.body.get("attachments") or []
            if attachment["contentType"] == content_type]


def wait_for(stub: StubConnector, content_type: str, count: int, timeout: float = 120) -> tuple[float, dict]:
    stub.wait_for(lambda c: c.method in ("POST", "PUT") and any(
        a.get("contentType") == content_type for a in (c.body or {}).get("attachments") or []), count, timeout)
    return attachments_of(stub, content_type)[-1]


def answered_at(stub: StubConnector, conversation: str) -> float:
    """When the answer card reached the stand-in: posted, or put in place of the reading note."""
    calls = stub.wait_for(lambda c: c.method in ("POST", "PUT") and c.conversation == conversation and any(
        a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        for a in (c.body or {}).get("attachments") or []), 1, 300)
    title = calls[0].body["attachments"][0]["content"]["body"][0]["inlines"][0]["text"]
    if not title.startswith("Genomgång av"):
        raise SystemExit(f"unexpected answer: {title[:100]}")
    return calls[0].at


def send(url: str, stub: StubConnector, content: bytes, n: int) -> tuple[float, float, float, float]:
    """(posted -> answer, posted -> consent card, consent posted -> file card, the answer's own size in bytes)."""
    conversation = f"a:1bench-files-{n:04d}"
    activity = file_message(stub.service_url, [stub.share_file(content, f"export-{n}.csv")], "vad gör vi med de här?",
                            user=ALICE, conversation_id=conversation, locale="sv-SE")
    consents = len(attachments_of(stub, CONSENT))
    started = time.monotonic()
    response = post_activity(url, activity, timeout=30)
    if response.status != 202:
        raise SystemExit(f"file {n}: HTTP {response.status} {response.body!r}")
    answer = answered_at(stub, conversation) - started
    consent_at, card = wait_for(stub, CONSENT, consents + 1)
    infos = len(attachments_of(stub, FILE_INFO))
    accepted = time.monotonic()
    invoke = file_consent(activity, card, "accept", user=ALICE, upload_info=stub.upload_info(card["name"]))
    response = post_activity(url, invoke, timeout=30)
    if response.status != 200:
        raise SystemExit(f"consent {n}: HTTP {response.status} {response.body!r}")
    info_at, _info = wait_for(stub, FILE_INFO, infos + 1)
    return answer, consent_at - started, info_at - accepted, card["content"]["sizeInBytes"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--large-rows", type=int, default=100_000)
    args = parser.parse_args()

    stub = StubConnector().start()
    try:
        with running_bot("teams", {TEAMS + "TENANTID": OUR_TENANT, "TEAMS_FILES_URL": stub.files_url}) as server:
            run(args, stub, server)
    finally:
        stub.stop()
    return 0


def run(args: argparse.Namespace, stub: StubConnector, server: Bot) -> None:
    url = server.url
    messages = url + "/api/messages"
    with tempfile.TemporaryDirectory() as name:
        small = export_bytes(Path(name), args.rows)
        large = export_bytes(Path(name), args.large_rows)
    send(messages, stub, small, 0)  # warm-up: loads the matcher's caches and the SDK's code paths
    figures = [send(messages, stub, small, n) for n in range(1, args.runs + 1)]
    answers, consents, uploads = ([f[i] for f in figures] for i in range(3))
    print(f"{args.rows:,}-row export ({len(small) / 1024:.0f} KiB) sent in a personal chat, {args.runs} runs "
          f"after one warm-up")
    print(f"  posted -> answer card: median {statistics.median(answers) * 1000:.0f} ms, "
          f"max {max(answers) * 1000:.0f} ms; target < 3 s")
    print(f"  posted -> file consent card: median {statistics.median(consents) * 1000:.0f} ms")
    print(f"  accept posted -> action list uploaded and its file card posted ({figures[0][3] / 1024:.0f} KiB): "
          f"median {statistics.median(uploads) * 1000:.0f} ms, max {max(uploads) * 1000:.0f} ms")

    rss_before = rss_kib(server.pid)
    with RssSampler(server.pid) as sampler:
        answer, consent, upload, size = send(messages, stub, large, 9999)
    print(f"\n{args.large_rows:,}-row export ({len(large) / 1048576:.1f} MiB), once")
    print(f"  posted -> answer card {answer:.2f} s, -> consent card {consent:.2f} s; accept -> file card "
          f"{upload:.2f} s (action list {size / 1048576:.1f} MiB)")
    print(f"  Teams process RSS: {rss_before / 1024:.1f} MiB before, peak {sampler.peak / 1024:.1f} MiB")
    print(f"  load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    sys.exit(main())
