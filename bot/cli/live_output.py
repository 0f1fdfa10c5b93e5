"""What `status`, `find` and `summary` share: the business unit argument, running the desk, output and exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from typing import Any

from bot.cli.common import EXIT_DATA, EXIT_USAGE, components_or_none, fail, settings_or_none, setup_logging
from bot.config import Settings
from bot.core.entities import BusinessUnitRef, LiveRequest
from bot.core.models import Asker, Question, Reply
from bot.i18n.catalog import gettext_for
from bot.invitations.models import is_valid_id
from bot.render.text import render_text

# The API could not be reached or answered wrongly (documented in the README with the other exit codes).
EXIT_API = 3


def language_of(args: argparse.Namespace, settings: Settings) -> str:
    return str(args.lang) if getattr(args, "lang", None) else settings.language


# The longest domain name DNS allows.
MAX_DOMAIN = 253
# How much of a user's argument an error line repeats: enough to recognise it, never a screenful.
SHOWN_CHARS = 60


def shown(value: str) -> str:
    """A user's argument as an error line repeats it: one line, cut to SHOWN_CHARS."""
    value = " ".join(value.split())
    return value if len(value) <= SHOWN_CHARS else value[: SHOWN_CHARS - 1] + "…"


def business_unit_ref(value: str, language: str) -> BusinessUnitRef | str:
    """The --business-unit argument as a reference, or the error line to print."""
    value = value.strip()
    if is_valid_id(value) or (
        "." in value and " " not in value and len(value) <= MAX_DOMAIN and not _looks_like_id(value)
    ):
        return BusinessUnitRef(value if is_valid_id(value) else value.lower())
    _ = gettext_for(language)
    return _(
        "%(value)s is neither a business unit id (24 characters 0-9 and a-f) nor a domain such as shop.example."
    ) % {"value": shown(value)}


def _looks_like_id(value: str) -> bool:
    return len(value) >= 20 and all(c in "0123456789abcdefABCDEF" for c in value)


def run_live(
    args: argparse.Namespace,
    build: Callable[[Settings, str], LiveRequest | str],
    question_text: str,
) -> int:
    """Builds the request (or an error line, exit 2), asks the desk as the console user, prints, exits."""
    # Warnings (retries, knowledge gaps) would bury the one line a user needs; errors still show.
    setup_logging(logging.ERROR)
    settings = settings_or_none()
    if settings is None:
        return EXIT_USAGE
    language = language_of(args, settings)
    request = build(settings, language)
    if isinstance(request, str):
        return fail([request], EXIT_USAGE)
    components = components_or_none(settings)
    if components is None:
        return EXIT_DATA
    try:
        question = Question(text=question_text, language=language, fallback_language=settings.language,
                            asker=Asker.console())
        reply = components.live.answer(request, question, language)
    finally:
        components.close()
    return emit(reply, bool(getattr(args, "json", False)))


def emit(reply: Reply, as_json: bool) -> int:
    """Prints the reply (text or JSON) and returns the exit code its outcome calls for."""
    error = reply.data.get("error")
    if error == "invalid_id":
        return fail([reply.title], EXIT_USAGE)
    if error in ("unknown_business_unit", "business_unit_needed"):
        return fail([reply.title], EXIT_DATA)
    api_trouble = isinstance(error, str) and error.startswith("api_")
    rendered = render_text(reply)
    if as_json:
        payload: dict[str, Any] = {**reply.data, "text": rendered}
        print(json.dumps(payload, ensure_ascii=False, default=str))
    elif not api_trouble or reply.sections:
        # With the API down, only the knowledge-base part (when there is one) is worth printing.
        sys.stdout.write(rendered)
    if api_trouble:
        return fail([" ".join(reply.notices) or reply.title], EXIT_API)
    return 0
