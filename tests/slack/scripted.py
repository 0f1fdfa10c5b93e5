"""A small assistant for adapter tests: builds real Replies from the question and records every question."""

from __future__ import annotations

import threading

from bot.core.models import Offer, Question, Reply, ReplyKind, Section

TITLES = {"sv": "Ej levererad - SPF-fel", "en": "Not delivered - SPF failure"}


class ScriptedAssistant:
    """Answers every question as the SPF status, in the question's language (else the fallback),
    with seven next steps (and, when the question says "unsure", two other statuses offered); `gate` (an Event)
    can hold answers back to simulate slow lookups."""

    def __init__(self, gate: threading.Event | None = None) -> None:
        self.questions: list[Question] = []
        self.gate = gate
        self._lock = threading.Lock()

    def answer(self, question: Question, progress=None) -> Reply:
        with self._lock:
            self.questions.append(question)
        if self.gate is not None:
            self.gate.wait(timeout=30)
        language = question.language or question.fallback_language
        return Reply(
            kind=ReplyKind.EXPLAIN,
            language=language,
            title=TITLES[language],
            sections=(
                Section(heading="Q", text=question.text),
                Section(heading="Steps", items=tuple(f"step {n} ({language})" for n in range(1, 8)),
                        collapsible=True),
            ),
            status="spf_failure",
            question=question.text,
            offers=(
                (Offer("invalid_sender_address", "Not delivered - Invalid sender email"),
                 Offer("custom_sender_address", "Not delivered - Custom sender email"))
                if "unsure" in question.text
                else ()
            ),
            offers_heading="Did you mean another one?" if "unsure" in question.text else None,
        )
