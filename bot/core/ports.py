"""The ports the brain's conversations use: a store of thread context, a sink for events, a hand-off desk.

Core defines them; bot/conversation implements them (memory, Redis, SQLAlchemy) and the
adapters supply the hand-off desk of their platform. Nothing here does I/O.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

# How long a thread remembers what the bot last said in it.
THREAD_TTL_SECONDS = 24 * 3600


@dataclass(frozen=True)
class ThreadContext:
    """What the bot last answered in one platform thread: enough to understand a follow-up there.

    It holds no rights: every follow-up is asked with the rights of whoever writes it.
    """

    question: str
    language: str
    kind: str
    title: str = ""
    status: str | None = None
    alternatives: tuple[str, ...] = ()
    invitation_id: str | None = None
    business_unit_id: str | None = None
    # Who asked, and whether the conversation is shared with another organisation (masking).
    asker_user: str | None = None
    shared: bool = False

    def to_json(self) -> str:
        raw = asdict(self)
        raw["alternatives"] = list(self.alternatives)
        return json.dumps(raw, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str | bytes) -> ThreadContext | None:
        """None for anything that is not a context this class wrote."""
        try:
            data = json.loads(raw)
            if not isinstance(data, dict):
                return None
            data["alternatives"] = tuple(str(a) for a in data.get("alternatives") or ())
            known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
            context = cls(**known)
        except (ValueError, TypeError):
            return None
        if not isinstance(context.question, str) or context.language not in ("sv", "en"):
            return None
        return context


class ThreadStore(Protocol):
    def get(self, thread: str) -> ThreadContext | None: ...

    def put(self, thread: str, context: ThreadContext) -> None:
        """Remember `context` for THREAD_TTL_SECONDS; never raises (a lost context only costs a follow-up)."""
        ...


class EventKind(StrEnum):
    FEEDBACK = "feedback"  # 👍/👎 on an answer, a picked status, or what was wrong in words
    UNANSWERED = "unanswered"  # a question the bot had no confident answer to
    HANDOFF = "handoff"  # someone asked for a person
    UNKNOWN_CODE = "unknown_code"  # a status code from the API that the knowledge base lacks


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Event:
    """One thing the team that owns the bot wants to learn from. Texts are minimised before they get here."""

    kind: EventKind
    platform: str
    at: datetime = field(default_factory=_utcnow)
    language: str | None = None
    # The question (unanswered, hand-off) or what was wrong (feedback), personal data masked.
    text: str | None = None
    # The status the bot answered (feedback, hand-off) or None.
    status: str | None = None
    # "up" or "down" for a vote.
    vote: str | None = None
    # The status the person picked instead after a 👎.
    picked: str | None = None
    # An unknown API status code.
    code: str | None = None
    business_unit_id: str | None = None
    invitation_id: str | None = None


class EventSink(Protocol):
    def record(self, event: Event) -> None:
        """Take the event; must return at once and never raise (writes happen off the answer path)."""
        ...


class NullSink:
    """Events go nowhere (a one-shot `ask`, tests that do not look at them)."""

    def record(self, event: Event) -> None:
        pass


@dataclass(frozen=True)
class Handoff:
    """A request for a person, as posted to the internal escalation channel (already masked as needed)."""

    platform: str
    question: str
    answered: str
    language: str
    business_unit_id: str | None = None
    status: str | None = None
    # Where the conversation is, for the person who picks it up (a Slack permalink or thread reference).
    thread: str | None = None
    asker_user: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class HandoffDesk(Protocol):
    def hand_off(self, handoff: Handoff) -> bool:
        """Post the hand-off where staff see it; False when no escalation place is configured or it failed."""
        ...
