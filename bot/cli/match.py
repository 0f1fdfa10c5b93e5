"""`python -m bot match`: one query a line on stdin, one JSON verdict a line on stdout, same order."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any, TextIO

from bot.cli.common import EXIT_DATA, fail, settings_or_none
from bot.core.acts import read_message
from bot.core.entities import (
    BadIdRequest,
    BulkLookup,
    EmailLookup,
    InvitationLookup,
    LiveRequest,
    ReferenceLookup,
    SummaryRequest,
)
from bot.core.models import Match

# Verdicts kept for lines met again.
_REMEMBERED = 4096


def run(args: argparse.Namespace) -> int:
    settings = settings_or_none()
    if settings is None:
        return 2
    from bot.knowledge.loader import KnowledgeError, load_knowledge
    from bot.matching.matcher import Matcher

    try:
        kb = load_knowledge()
    except KnowledgeError as exc:
        return fail(exc.problems, EXIT_DATA)
    matcher = Matcher(kb)
    stdin, stdout = _text_streams()
    # A batch often repeats itself (the rows of an export): a line met again the same day gets the same verdict.
    verdicts: dict[tuple[str, date], str] = {}
    try:
        for lines in _arrivals(stdin):
            for line in lines:
                query = line.rstrip("\r\n")
                now = datetime.now(UTC)
                verdict = verdicts.get((query, now.date()))
                if verdict is None:
                    # A line break written out ("\\n") is one, as the matcher reads it.
                    reading = read_message(query.replace("\\n", "\n"), matcher, now=now)
                    match, live = reading.match, reading.live
                    verdict = _line(query, match, args.lang or match.language or settings.language, live)
                    if len(verdicts) >= _REMEMBERED:
                        verdicts.clear()
                    verdicts[(query, now.date())] = verdict
                stdout.write(verdict)
            # The verdicts of what has arrived are available at once to whoever feeds the queries one by one.
            stdout.flush()
    except BrokenPipeError:
        # The reader went away (`| head`); nothing more to say and nobody to say it to.
        sys.stdout = None  # type: ignore[assignment]
        return 0
    return 0


def _arrivals(stdin: TextIO) -> Iterator[list[str]]:
    """The input's lines, together as they arrive: a batch piped in comes in large reads (one flush for each),
    a query typed or fed one at a time in a read of its own (answered at once)."""
    raw = getattr(stdin, "buffer", None)
    if raw is None or not hasattr(raw, "read1"):
        # A text stream without bytes underneath (a test's StringIO): a line at a time.
        yield from ([line] for line in stdin)
        return
    pending = b""
    while chunk := raw.read1(65536):
        pending += chunk
        *complete, pending = pending.split(b"\n")
        if complete:
            yield [line.decode("utf-8", errors="replace") for line in complete]
    if pending:
        yield [pending.decode("utf-8", errors="replace")]


def _text_streams() -> tuple[TextIO, TextIO]:
    """stdin and stdout as UTF-8 whatever the locale; undecodable input bytes become U+FFFD."""
    stdin, stdout = sys.stdin, sys.stdout
    if hasattr(stdin, "reconfigure"):
        stdin.reconfigure(encoding="utf-8", errors="replace")
    if hasattr(stdout, "reconfigure"):
        stdout.reconfigure(encoding="utf-8", errors="replace")
    return stdin, stdout


def _line(query: str, match: Match, language: str, live: LiveRequest | None = None) -> str:
    payload: dict[str, Any] = {
        "query": query,
        "status": match.status,
        "score": match.score,
        "alternatives": list(match.alternatives),
        "language": language,
        # Several pasted rows: `status` is the most frequent, these the others.
        "also": list(match.also),
        # What the message does: status, small_talk, out_of_scope or unknown_label.
        "act": str(match.act),
    }
    if live is not None:
        # The bot answers this message with live data, not with the status above.
        payload["live"] = _live(live)
    return json.dumps(payload, ensure_ascii=False) + "\n"


def _live(request: LiveRequest) -> dict[str, Any]:
    """The live request a message makes, as the bot reads it (nothing is fetched)."""
    unit = getattr(request, "business_unit", None)
    shown: dict[str, Any] = {"businessUnit": unit.value if unit is not None else None}
    match request:
        case InvitationLookup():
            return {"kind": "lookup", "id": request.invitation_id, **shown}
        case BulkLookup():
            return {"kind": "bulk", "ids": list(request.invitation_ids), **shown}
        case ReferenceLookup():
            return {"kind": "reference", "reference": request.reference, **shown}
        case EmailLookup():
            return {"kind": "email", "email": request.email, **shown}
        case SummaryRequest():
            period = {"from": request.period.start.isoformat(), "to": request.period.end.isoformat()}
            return {"kind": "summary", **shown, **period, "periodStated": request.period_stated}
        case BadIdRequest():
            return {"kind": "bad_id", "text": request.text}
    raise TypeError(f"unknown live request {request!r}")
