"""`python -m bot ask TEXT...`: one answer, exactly as the chat would give it."""

from __future__ import annotations

import argparse
import json
import sys

from bot.cli.common import components_or_none, settings_or_none, setup_logging
from bot.core.models import Asker, Question
from bot.render.text import progress_printer, render_text


def run(args: argparse.Namespace) -> int:
    setup_logging()
    settings = settings_or_none()
    if settings is None:
        return 2
    components = components_or_none(settings)
    if components is None:
        return 1
    text = " ".join(args.text)
    try:
        reply = components.assistant.answer(
            Question(text=text, language=args.lang, fallback_language=settings.language, asker=Asker.console()),
            progress=progress_printer(lambda line: print(line, file=sys.stderr), args.lang or settings.language),
        )
    finally:
        components.close()
    rendered = render_text(reply)
    if args.json:
        match = reply.match
        payload = {
            "query": text,
            "status": reply.status,
            "score": round(match.score, 1) if match else None,
            "alternatives": list(match.alternatives) if match else [],
            "language": reply.language,
            "kind": str(reply.kind),
            **{key: value for key, value in reply.data.items() if key not in ("text", "query")},
            "text": rendered,
        }
        print(json.dumps(payload, ensure_ascii=False, default=str))
    else:
        print(rendered, end="")
    return 0
