"""Assistants for adapter tests: one that records questions (answering with the real brain), one that fails."""

from __future__ import annotations

import threading

from bot.core.models import Question, Reply, ReplyKind


class RecordingAssistant:
    """Answers every question with a small help reply in its language; records the questions."""

    def __init__(self) -> None:
        self.questions: list[Question] = []
        self._lock = threading.Lock()

    def answer(self, question: Question, progress=None) -> Reply:
        with self._lock:
            self.questions.append(question)
        language = question.language or question.fallback_language
        return Reply(kind=ReplyKind.HELP, language=language, title=f"answer in {language}", question=question.text)


class FailingAssistant:
    """Raises with personal data in the message, as an unexpected bug deep in a lookup might."""

    def answer(self, question: Question, progress=None) -> Reply:
        raise RuntimeError("lookup blew up for anna@example.se at nordic-shoes.example")
