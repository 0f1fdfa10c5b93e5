"""The small immutable values the brain takes and gives: Question, Asker, Match, Reply."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

LANGUAGES = ("sv", "en")


@dataclass(frozen=True)
class Asker:
    """Who asks, and where: decides what live data may be shown and whether to mask it."""

    user_id: str | None = None
    team_id: str | None = None
    # Staff of one of our own Slack workspaces (or the local console).
    internal: bool = True
    channel_id: str | None = None
    # A channel shared with another organisation (Slack Connect): personal data is masked.
    shared_channel: bool = False
    is_direct_message: bool = False

    @classmethod
    def console(cls) -> Asker:
        return cls(user_id="console", internal=True)


@dataclass(frozen=True)
class Question:
    text: str
    # A language the asker chose explicitly (--lang, a language button); wins over detection.
    language: str | None = None
    # Used when the text itself does not tell the language (Slack locale, BOT_LANGUAGE).
    fallback_language: str = "sv"
    asker: Asker = field(default_factory=Asker.console)
    # Show every next step rather than the first few (the "full steps" button).
    full: bool = False
    # When it was first asked: an answer shown again (a button) reads "last 30 days" as it did then.
    asked_at: datetime | None = None
    # The business unit a thread was about: used by a search or summary that names none (a follow-up).
    # Access is checked for the asker as always; the hint gives no rights.
    business_unit_hint: str | None = None


class Act(StrEnum):
    """What a message does, decided before any status is looked for."""

    STATUS = "status"  # asks about an invitation status (or names one)
    SMALL_TALK = "small_talk"  # a greeting, thanks, "ok", "that fixed it": a friendly word back, never a status
    OUT_OF_SCOPE = "out_of_scope"  # about something near but outside the bot's subject (billing, reviews, ...)
    UNKNOWN_LABEL = "unknown_label"  # shaped like a status label, but names no status there is


@dataclass(frozen=True)
class Match:
    """The matcher's verdict on a text: a status id or None when it is not confident."""

    status: str | None
    score: float
    alternatives: tuple[str, ...] = ()
    # The language the text appears to be in, when the matcher could tell (a pasted label does).
    language: str | None = None
    # Other statuses the same message names (several pasted rows), most frequent first; `status` is the main one.
    also: tuple[str, ...] = ()
    act: Act = Act.STATUS
    # OUT_OF_SCOPE: the topic of knowledge/out_of_scope.yaml the message is about, when one is.
    topic: str | None = None
    # SMALL_TALK: what was said (greeting, thanks, ...), in the order of knowledge/small_talk.yaml's acts.
    small_talk: tuple[str, ...] = ()
    # UNKNOWN_LABEL: the label as the message wrote it.
    label: str | None = None


class ReplyKind(StrEnum):
    EXPLAIN = "explain"  # a status explained from the knowledge base
    NO_MATCH = "no_match"  # no confident status; closest ones offered
    HELP = "help"  # greeting or unclear question: what the bot can do
    LOOKUP = "lookup"  # live invitation(s) explained
    NOT_FOUND = "not_found"  # no such invitation / account (or not visible to the asker)
    SUMMARY = "summary"  # an account's failure summary
    REFUSAL = "refusal"  # the asker may not see this
    ERROR = "error"  # something the user can fix (bad id) or a generic apology
    HANDOFF = "handoff"  # a person was asked to follow up (or the asker is told whom to contact)
    FEEDBACK = "feedback"  # thanks for feedback; after "that's not it", the statuses to pick from
    SMALL_TALK = "small_talk"  # thanks, a greeting, "ok": a friendly word back
    OUT_OF_SCOPE = "out_of_scope"  # a question outside the bot's subject: where help is instead


@dataclass(frozen=True)
class Section:
    """One part of a reply: an optional heading, a paragraph and/or a list of items."""

    heading: str | None = None
    text: str | None = None
    items: tuple[str, ...] = ()
    # Lists the renderer may shorten (next steps) until the asker asks for all of them.
    collapsible: bool = False


class Link(NamedTuple):
    """A titled address a reply points to ("Read more"): a plain (title, url) pair any renderer can show."""

    title: str
    url: str


@dataclass(frozen=True)
class Offer:
    """A status a reply offers to explain ("Did you mean …?"): a button in chat, a line in plain text.

    Explaining a status shows knowledge-base text only, which is for everyone, so a click needs no rights.
    """

    status: str
    label: str


@dataclass(frozen=True)
class Reply:
    """Everything a renderer needs; all text is already in the reply's language."""

    kind: ReplyKind
    language: str
    title: str
    sections: tuple[Section, ...] = ()
    # Short lines shown apart from the body: the API was unreachable, a knowledge gap, ...
    notices: tuple[str, ...] = ()
    status: str | None = None
    match: Match | None = None
    # The question as asked, so an adapter can ask again (other language, full steps).
    question: str = ""
    # Machine-readable payload for `--json` (shapes in the README).
    data: Mapping[str, Any] = field(default_factory=dict)
    # The help article the explanation relies on, in the reply's language; shown last ("Read more").
    read_more: Link | None = None
    # Statuses offered for a closer look, under `offers_heading`.
    offers: tuple[Offer, ...] = ()
    offers_heading: str | None = None
