"""The knowledge base in memory: one StatusEntry per invitation status, both languages."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.knowledge.cues import ContrastCues, PolarityCues, SmallTalk
    from bot.knowledge.lookalikes import LookAlikeGroup


class Category(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    NOT_DELIVERED = "not_delivered"


class Actor(StrEnum):
    """Who must act for the invitation to reach its recipient."""

    NOBODY = "nobody"
    MERCHANT = "merchant"
    RECIPIENT = "recipient"
    SUPPORT = "support"


class Action(StrEnum):
    """What the merchant should do with an invitation that has the status (the answer to "can I resend it?")."""

    # The cause is on the merchant's side (settings, template, plan, data): fix it, then send this invitation again.
    RESEND_AFTER_FIX = "resend_after_fix"
    # The system tries again by itself; sending it as well would make a duplicate.
    RETRIES_AUTOMATICALLY = "retries_automatically"
    # This address cannot receive invitations: sending again to it fails the same way, but a new invitation to
    # another address the customer gives can reach them (a new invitation, not a resend).
    NEW_INVITATION_OTHER_ADDRESS = "new_invitation_other_address"
    # Do not send it again: the recipient opted out, the guidelines were broken, or the invitation cannot be sent.
    DO_NOT_SEND_AGAIN = "do_not_send_again"
    # Nothing to do: it arrived, is on its way, or was stopped as intended (the customer already reviewed, ...).
    NOTHING_TO_DO = "nothing_to_do"


class FailureGroup(StrEnum):
    """How a failed invitation counts in a summary or an action list, from its status's action and actor."""

    # A fix on the merchant's (or support's) side, then a resend, delivers it.
    RECOVERABLE = "recoverable"
    # The system retries by itself.
    AUTOMATIC = "automatic"
    # This invitation is not recovered, but the merchant or support still has something to do about the cause
    # (ask the customer for another address, talk to support before sending more).
    FOR_FUTURE = "for_future"
    # No fix brings this invitation through, and nobody on the merchant's side can change the cause.
    NOT_RECOVERABLE = "not_recoverable"
    # Stopped as intended: there is nothing to recover.
    NOTHING_TO_DO = "nothing_to_do"


@dataclass(frozen=True)
class Localized:
    """One text in both languages."""

    sv: str
    en: str

    def get(self, language: str) -> str:
        return self.sv if language == "sv" else self.en


@dataclass(frozen=True)
class LocalizedList:
    sv: tuple[str, ...]
    en: tuple[str, ...]

    def get(self, language: str) -> tuple[str, ...]:
        return self.sv if language == "sv" else self.en


@dataclass(frozen=True)
class Source:
    """A public help article an explanation relies on, in one language (knowledge/sources.yaml)."""

    id: str
    title: str
    language: str
    url: str


@dataclass(frozen=True)
class StatusEntry:
    id: str
    category: Category
    actor: Actor
    # What the merchant should do with the invitation; `recoverable_by_fix` and `failure_group` read it.
    action: Action
    label: Localized
    meaning: Localized
    cause: Localized
    steps: LocalizedList
    # Ways people refer to the status: synonyms and colloquial phrasings (for the matcher).
    phrases: LocalizedList
    # Distinctive single words or word stems (for the matcher's keyword scoring).
    keywords: LocalizedList
    # Statuses often confused with this one, offered as alternatives.
    related: tuple[str, ...] = ()
    # The help articles its explanation relies on, the main one first (the loader resolves the ids of the file).
    sources: tuple[Source, ...] = ()

    def read_more(self, language: str) -> Source | None:
        """The first source in `language`: the article an answer in that language points to."""
        return next((source for source in self.sources if source.language == language), None)

    @property
    def recoverable_by_fix(self) -> bool:
        """Whether fixing the cause and sending this invitation again delivers it."""
        return recoverable_by_fix(self)


def recoverable_by_fix(entry: StatusEntry) -> bool:
    """Whether a failed invitation with this status is delivered once its cause is fixed and it is sent again.

    Only a fix-then-resend status counts: an automatic retry needs no fix, and a new invitation to another
    address, a do-not-send-again or a nothing-to-do status recover nothing.
    """
    return entry.action is Action.RESEND_AFTER_FIX


def failure_group(entry: StatusEntry) -> FailureGroup:
    """The group a failed invitation with this status belongs to (summaries, export triage)."""
    if entry.action is Action.RESEND_AFTER_FIX:
        return FailureGroup.RECOVERABLE
    if entry.action is Action.RETRIES_AUTOMATICALLY:
        return FailureGroup.AUTOMATIC
    if entry.action is Action.NOTHING_TO_DO:
        return FailureGroup.NOTHING_TO_DO
    if entry.actor in (Actor.MERCHANT, Actor.SUPPORT):
        return FailureGroup.FOR_FUTURE
    return FailureGroup.NOT_RECOVERABLE


@dataclass(frozen=True)
class OutOfScopeTopic:
    """Something people ask the support desk about that is not an invitation status (billing, logins, ...).

    The matcher weighs a question against these as well, so that sharing a word with a status
    ("reply to a review") is not enough to name that status.
    """

    id: str
    phrases: LocalizedList
    keywords: LocalizedList


@dataclass(frozen=True)
class Concept:
    """Words that mean the same thing when people describe an invitation's situation, in either language
    ("bounced", "studsade", "refused"), so a question and a status that word it differently still meet."""

    id: str
    words: LocalizedList
    # Expressions of several words that say the same ("stop getting our emails" is unsubscribing): a question
    # holding one reads as if it said the concept's first word.
    phrases: LocalizedList = LocalizedList((), ())


class KnowledgeBase:
    """The validated entries, by id, in the order of the status page, the topics the bot does not cover,
    the concepts (shared-meaning word groups) the matcher reads both through, the delivery-polarity cues, the
    small talk the bot answers without looking for a status and the cues for a status that is over."""

    def __init__(
        self,
        entries: Mapping[str, StatusEntry],
        out_of_scope: Iterable[OutOfScopeTopic] = (),
        concepts: Iterable[Concept] = (),
        polarity: PolarityCues | None = None,
        sources: Iterable[Source] = (),
        small_talk: SmallTalk | None = None,
        contrast: ContrastCues | None = None,
        lookalikes: tuple[LookAlikeGroup, ...] = (),
    ) -> None:
        self._entries = dict(entries)
        self._sources = tuple(sources)
        self._out_of_scope = tuple(out_of_scope)
        self._concepts = tuple(concepts)
        self._polarity = polarity
        self._small_talk = small_talk
        self._contrast = contrast
        self._lookalikes = lookalikes

    def __contains__(self, status_id: object) -> bool:
        return status_id in self._entries

    def __iter__(self) -> Iterator[StatusEntry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, status_id: str) -> StatusEntry | None:
        return self._entries.get(status_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._entries)

    @property
    def out_of_scope(self) -> tuple[OutOfScopeTopic, ...]:
        """Topics that are not about a status; empty when the knowledge base has none."""
        return self._out_of_scope

    @property
    def concepts(self) -> tuple[Concept, ...]:
        """Groups of words with one meaning; empty when the knowledge base has none."""
        return self._concepts

    @property
    def sources(self) -> tuple[Source, ...]:
        """The help articles of knowledge/sources.yaml; empty when the knowledge base was built without them."""
        return self._sources

    @property
    def polarity(self) -> PolarityCues | None:
        """The cues for whether an invitation arrived; None when the knowledge base has none."""
        return self._polarity

    @property
    def small_talk(self) -> SmallTalk | None:
        """Greetings, thanks and the like; None when the knowledge base has none."""
        return self._small_talk

    @property
    def contrast(self) -> ContrastCues | None:
        """The cues for a status that is over or denied; None when the knowledge base has none."""
        return self._contrast

    @property
    def lookalikes(self) -> tuple[LookAlikeGroup, ...]:
        """The facts that tell look-alike statuses apart; empty when the knowledge base has none."""
        return self._lookalikes
