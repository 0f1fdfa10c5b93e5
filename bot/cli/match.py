"""`python -m bot match`: one query a line on stdin, one JSON verdict a line on stdout, same order."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from multiprocessing import get_all_start_methods, get_context
from multiprocessing.pool import Pool
from typing import TYPE_CHECKING, Any, TextIO

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

if TYPE_CHECKING:
    from bot.matching.matcher import Matcher

# Verdicts kept for lines met again.
_REMEMBERED = 4096
# New lines in one read from which they are shared among worker processes (fewer are answered at once here:
# starting the workers costs more than they save), and the most workers.
_SHARED_FROM = 400
_MOST_WORKERS = 4


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
    judge = _Judge(Matcher(kb), args.lang, settings.language)
    stdin, stdout = _text_streams()
    # A batch often repeats itself (the rows of an export): a line met again the same day gets the same verdict.
    verdicts: dict[tuple[str, date], str] = {}
    workers = _Workers(judge)
    try:
        for lines in _arrivals(stdin):
            day = datetime.now(UTC).date()
            queries = [line.rstrip("\r\n") for line in lines]
            answers = {query: verdicts.get((query, day)) for query in queries}
            new = [query for query, verdict in answers.items() if verdict is None]
            if workers.shares(new):
                answers.update(zip(new, workers.judge(new), strict=True))
            for query in queries:
                verdict = answers[query]
                if verdict is None:
                    verdict = answers[query] = judge(query)
                stdout.write(verdict)
                # Each verdict is available at once to whoever feeds the queries one by one.
                stdout.flush()
            if len(verdicts) + len(new) > _REMEMBERED:
                verdicts.clear()
            verdicts.update(((query, day), answers[query] or "") for query in new[-_REMEMBERED:])
    except BrokenPipeError:
        # The reader went away (`| head`); nothing more to say and nobody to say it to.
        sys.stdout = None  # type: ignore[assignment]
        return 0
    finally:
        workers.close()
    return 0


class _Judge:
    """One query's verdict: what the chat would read it as, as a JSON line."""

    def __init__(self, matcher: Matcher, language: str | None, default_language: str) -> None:
        self._matcher = matcher
        self._language = language
        self._default = default_language

    def __call__(self, query: str) -> str:
        # A line break written out ("\\n") is one, as the matcher reads it.
        reading = read_message(query.replace("\\n", "\n"), self._matcher, now=datetime.now(UTC))
        match = reading.match
        return _line(query, match, self._language or match.language or self._default, reading.live)


# The judge a forked worker inherits from the process that started it.
_INHERITED: _Judge | None = None


def _judge_inherited(query: str) -> str:
    assert _INHERITED is not None
    return _INHERITED(query)


class _Workers:
    """Large batches shared among the machine's processors; small ones (a query fed at a time) answered here.

    The workers are forked once the matcher is built, so each starts with it in memory rather than building
    its own; where processes cannot be forked, or there is one processor, everything is answered here.
    """

    def __init__(self, judge: _Judge) -> None:
        self._judge = judge
        self._pool: Pool | None = None
        self._processes = min(os.cpu_count() or 1, _MOST_WORKERS)

    def shares(self, queries: list[str]) -> bool:
        """Whether these queries are enough to share among workers, and there is more than one processor."""
        return len(queries) >= _SHARED_FROM and self._processes > 1 and "fork" in get_all_start_methods()

    def judge(self, queries: list[str]) -> list[str]:
        """The verdicts of the queries, in their order, worked out by the workers."""
        if self._pool is None:
            global _INHERITED
            _INHERITED = self._judge
            self._pool = get_context("fork").Pool(self._processes)
        share = max(1, len(queries) // (self._processes * 4))
        return self._pool.map(_judge_inherited, queries, chunksize=share)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None


def _arrivals(stdin: TextIO) -> Iterator[list[str]]:
    """The input's lines, together as they arrive: a batch piped in comes in large reads (one flush for each),
    a query typed or fed one at a time in a read of its own (answered at once)."""
    raw = getattr(stdin, "buffer", None)
    if raw is None or not hasattr(raw, "read1"):
        # A text stream without bytes underneath (a test's StringIO): a line at a time.
        yield from ([line] for line in stdin)
        return
    # The start of a line not ended yet, in pieces: a huge line is joined once, not copied on every read.
    pending: list[bytes] = []
    while chunk := raw.read1(65536):
        if b"\n" not in chunk:
            pending.append(chunk)
            continue
        first, *rest = chunk.split(b"\n")
        complete = [b"".join((*pending, first)), *rest[:-1]]
        pending = [rest[-1]]
        yield [line.decode("utf-8", errors="replace") for line in complete]
    if any(pending):
        yield [b"".join(pending).decode("utf-8", errors="replace")]


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
