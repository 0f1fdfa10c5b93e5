"""`python -m bot chat`: the console chat."""

from __future__ import annotations

import argparse

from bot.cli.common import components_or_none, settings_or_none, setup_chat_logging
from bot.console import chat


def run(args: argparse.Namespace) -> int:
    settings = settings_or_none()
    if settings is None:
        return 2
    setup_chat_logging(settings.chat_log_file, verbose=bool(getattr(args, "verbose", False)))
    components = components_or_none(settings)
    if components is None:
        return 1
    try:
        return chat(components.assistant, language=getattr(args, "lang", None), fallback_language=settings.language)
    finally:
        components.close()
