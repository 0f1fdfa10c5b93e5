"""The local chat: the same brain as in Slack, on a terminal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from bot.core.bulk import Progress
from bot.core.models import Asker, Question, Reply
from bot.i18n.catalog import gettext_for
from bot.render.text import progress_printer, render_text

_QUIT = {"quit", "exit", "/quit", "/exit", "avsluta", "/avsluta"}


class Answerer(Protocol):
    def answer(self, question: Question, progress: Progress | None = None) -> Reply: ...


def chat(
    assistant: Answerer,
    *,
    language: str | None,
    fallback_language: str,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
) -> int:
    """Question after question until end of input or a quit word; `/lang sv|en|auto` switches language."""
    _ = gettext_for(language or fallback_language)
    write(_("Ask me about an invitation status, an invitation id or an account summary. "
            "Type /lang sv, /lang en or /lang auto to choose the language, and quit to leave."))
    while True:
        try:
            line = read("> ")
        except EOFError:
            write("")
            return 0
        text = line.strip()
        if text.lower() in _QUIT:
            return 0
        if text.lower().startswith("/lang"):
            choice = text[5:].strip().lower()
            if choice in ("sv", "en"):
                language = choice
            elif choice == "auto":
                language = None
            _ = gettext_for(language or fallback_language)
            write(_("Language: %(language)s") % {"language": language or "auto"})
            continue
        if not text:
            continue
        reply = assistant.answer(
            Question(text=text, language=language, fallback_language=fallback_language, asker=Asker.console()),
            progress=progress_printer(write, language or fallback_language),
        )
        write(render_text(reply))
