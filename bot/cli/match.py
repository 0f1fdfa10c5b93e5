"""`python -m bot match`: one query a line on stdin, one JSON verdict a line on stdout, same order."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from bot.cli.common import EXIT_DATA, fail, settings_or_none
from bot.core.models import Match


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
    try:
        for line in stdin:
            query = line.rstrip("\r\n")
            match = matcher.match(query)
            stdout.write(_line(query, match, args.lang or match.language or settings.language))
            # Each verdict is available at once to whoever feeds the queries one by one.
            stdout.flush()
    except BrokenPipeError:
        # The reader went away (`| head`); nothing more to say and nobody to say it to.
        sys.stdout = None  # type: ignore[assignment]
        return 0
    return 0


def _text_streams() -> tuple[TextIO, TextIO]:
    """stdin and stdout as UTF-8 whatever the locale; undecodable input bytes become U+FFFD."""
    stdin, stdout = sys.stdin, sys.stdout
    if hasattr(stdin, "reconfigure"):
        stdin.reconfigure(encoding="utf-8", errors="replace")
    if hasattr(stdout, "reconfigure"):
        stdout.reconfigure(encoding="utf-8", errors="replace")
    return stdin, stdout


def _line(query: str, match: Match, language: str) -> str:
    payload = {
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
    return json.dumps(payload, ensure_ascii=False) + "\n"
