"""Answers that were shown, kept so that a button re-renders the answer its audience saw, never a new one.

A button (other language, every step, share) must not re-ask its question with the rights of
whoever clicks it: a staff member's click on a refusal shown to a merchant would fetch the other
merchant's invitation into the shared channel. So an answer is remembered as a value when it is
shown (the question with its ORIGINAL audience: asker, rights, channel, masking, and the moment it
was asked) under an opaque id, and a button holds only that id plus the view it asks for.

How an adapter (Slack, Teams) uses it:

    answers = ShownAnswers(assistant, store)               # store: bot.answer_store.answer_store(url)
    shown = answers.ask(question, shown_in=conversation)   # answer and remember it (shown_in: optional)
    render(shown.reply, buttons=ButtonValue(shown.answer_id, language, full))   # id None: no buttons
    ...
    click = answers.click(answer_id, clicker, language=..., full=..., where=conversation)
    if click.in_place: replace the message that was clicked with click.reply
    else:              show click.reply privately to the clicker; leave the message alone

A click re-renders the answer for the audience it was shown to (the original asker's rights,
masked as it was); the live data is fetched again with those rights. Only the asker's own click
may change the message; anyone else gets a private copy when they may see it, else a short note.
An answer remembered with the conversation it was shown in (`shown_in`) answers clicks from that
conversation only: its id copied into another conversation finds nothing.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.core.bulk import Progress
from bot.core.models import LANGUAGES, Asker, Question, Reply, ReplyKind, Section
from bot.i18n.catalog import gettext_for

# How long a button keeps working.
ANSWER_TTL_SECONDS = 24 * 3600
# Replies drawn from the knowledge base alone (and refusals): nothing in them depends on the asker's rights.
KNOWLEDGE_KINDS = frozenset({ReplyKind.EXPLAIN, ReplyKind.NO_MATCH, ReplyKind.HELP, ReplyKind.REFUSAL})


@dataclass(frozen=True)
class ShownAnswer:
    """An answer as it was shown: enough to render it again for the same audience."""

    # The question as asked: its asker is the audience (rights, channel, masking); language and full as shown.
    question: Question
    kind: ReplyKind
    asked_at: datetime
    # The conversation it was shown in, as the adapter names it (a Teams conversation); None: not tied to one.
    shown_in: str | None = None

    def to_json(self) -> str:
        question = asdict(self.question)
        question.pop("asked_at", None)  # kept once, as askedAt
        data: dict[str, Any] = {"question": question, "kind": str(self.kind), "askedAt": self.asked_at.isoformat()}
        if self.shown_in is not None:
            data["shownIn"] = self.shown_in
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str | bytes) -> ShownAnswer | None:
        """None for anything that is not a stored answer (a foreign or damaged value is never trusted)."""
        try:
            data = json.loads(raw)
            question: dict[str, Any] = dict(data["question"])
            question["asker"] = Asker(**question["asker"])
            question.pop("asked_at", None)
            shown_in = data.get("shownIn")
            if shown_in is not None and not isinstance(shown_in, str):
                return None
            return cls(question=Question(**question), kind=ReplyKind(data["kind"]),
                       asked_at=datetime.fromisoformat(data["askedAt"]), shown_in=shown_in)
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


class AnswerStore(Protocol):
    """Where shown answers wait for clicks (memory, Redis: bot/answer_store). Entries expire on their own."""

    def put(self, answer_id: str, answer: ShownAnswer) -> None: ...

    def get(self, answer_id: str) -> ShownAnswer | None: ...


class Answerer(Protocol):
    def answer(self, question: Question, progress: Progress | None = None) -> Reply: ...


@dataclass(frozen=True)
class Shown:
    reply: Reply
    # None when the reply offers nothing to click (an error).
    answer_id: str | None


@dataclass(frozen=True)
class Click:
    """What a click shows, and where."""

    reply: Reply
    # True: the asker's own click; replace the message. False: show `reply` to the clicker alone.
    in_place: bool
    # The answer the new rendering's buttons point at (None for a note: no buttons).
    answer_id: str | None


def new_answer_id() -> str:
    """Opaque and unguessable: a button value names an answer, it does not prove a right to one."""
    return secrets.token_urlsafe(16)


def _now() -> datetime:
    return datetime.now(UTC)


class ShownAnswers:
    def __init__(self, assistant: Answerer, store: AnswerStore, clock: Callable[[], datetime] = _now) -> None:
        self.assistant = assistant
        self.store = store
        self.clock = clock

    def ask(self, question: Question, progress: Progress | None = None, *, shown_in: str | None = None) -> Shown:
        """The brain's reply, remembered under a new id when it offers buttons (and, with `shown_in`, tied to
        the conversation it is shown in)."""
        asked = replace(question, asked_at=question.asked_at or self.clock())
        return self.remember(asked, self.assistant.answer(asked, progress), shown_in=shown_in)

    def remember(self, question: Question, reply: Reply, *, shown_in: str | None = None) -> Shown:
        """`reply`, given elsewhere (a conversation), remembered as the answer to `question`.

        `question` must stand on its own: asked again it gives the same answer (a follow-up is
        remembered as the question it was read as). Replies that answer a hand-off or feedback get
        no buttons: asked again on their own they would mean something else.
        """
        asked = replace(question, asked_at=question.asked_at or self.clock())
        if reply.kind in (ReplyKind.ERROR, ReplyKind.HANDOFF, ReplyKind.FEEDBACK):
            return Shown(reply, None)
        answer_id = new_answer_id()
        shown_language = asked.language or reply.language
        self.store.put(answer_id, ShownAnswer(replace(asked, language=shown_language), reply.kind,
                                              asked.asked_at or self.clock(), shown_in))
        return Shown(reply, answer_id)

    def click(self, answer_id: str, clicker: Asker, *, language: str, full: bool, where: str | None = None) -> Click:
        """The answer `answer_id` in the view asked for, for the audience it was shown to.

        `where` is the conversation the click came from, named as `ask`'s `shown_in` was: an answer is
        found only where it was shown (an answer not tied to a conversation, only by a click not from one).
        """
        view_language = language if language in LANGUAGES else None
        stored = self.store.get(answer_id)
        if stored is None or stored.shown_in != where:
            # Elsewhere reads exactly as expired: a copied id tells nothing about the answer it names.
            return Click(_note(view_language or "sv", "expired"), in_place=False, answer_id=None)
        asked = stored.question
        own = is_same_person(clicker, asked.asker)
        if not own and not (clicker.internal or stored.kind in KNOWLEDGE_KINDS):
            # An outsider clicking someone else's live answer: not even a private copy.
            return Click(_note(view_language or asked.language or "sv", "not_yours"), in_place=False,
                         answer_id=None)
        again = replace(asked, language=view_language or asked.language, full=full, asked_at=stored.asked_at)
        reply = self.assistant.answer(again)
        return Click(reply, in_place=own, answer_id=answer_id)


def is_same_person(clicker: Asker, asker: Asker) -> bool:
    """The same user of the same workspace (a user id alone is unique only within its workspace)."""
    if not clicker.user_id or clicker.user_id != asker.user_id:
        return False
    return clicker.team_id == asker.team_id or not (clicker.team_id and asker.team_id)


def _note(language: str, why: str) -> Reply:
    _ = gettext_for(language)
    if why == "expired":
        title = _("This answer is no longer available.")
        text = _("Ask me again and you get a fresh answer.")
    else:
        title = _("Only the person who asked can change this answer.")
        text = _("Ask me yourself and you get your own answer.")
    return Reply(kind=ReplyKind.ERROR, language=language, title=title, sections=(Section(text=text),))
