"""`python -m bot chat`: the console chat."""

from __future__ import annotations

import argparse

from bot.cli.common import components_or_none, settings_or_none, setup_chat_logging
from bot.console import chat
from bot.core.bulk import Progress
from bot.core.conversation import Conversation
from bot.core.models import Question, Reply


class ConsoleThread:
    """The whole console session is one thread: follow-ups ("can I resend it?") read in its context."""

    def __init__(self, conversation: Conversation, thread: str) -> None:
        self.conversation = conversation
        self.thread = thread

    def answer(self, question: Question, progress: Progress | None = None) -> Reply:
        return self.conversation.answer(question, platform="console", thread=self.thread, progress=progress)


def run(args: argparse.Namespace) -> int:
    settings = settings_or_none()
    if settings is None:
        return 2
    setup_chat_logging(settings.chat_log_file, verbose=bool(getattr(args, "verbose", False)))
    components = components_or_none(settings)
    if components is None:
        return 1
    try:
        import os

        session = ConsoleThread(components.conversation, f"console:{os.getpid()}")
        return chat(session, language=getattr(args, "lang", None), fallback_language=settings.language)
    finally:
        components.close()
