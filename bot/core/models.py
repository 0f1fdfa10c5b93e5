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


@dataclass(frozen=True)
class Match:
    """The matcher's verdict on a text: a status id or None when it is not confident."""

    status: str | None
    score: float
    alternatives: tuple[str, ...] = ()
    # The language the text appears to be in, when the matcher could tell (a pasted label does).
    language: str | None = None


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
