"""How people talk about invitations, as the chat reader needs it: the cues for whether an invitation arrived
(knowledge/polarity.yaml), for a status that is over (knowledge/contrast.yaml) and the small talk the bot answers
without looking for a status (knowledge/small_talk.yaml)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge.model import LocalizedList

# No words (frozen, so one value serves every default).
_NO_WORDS = LocalizedList((), ())


@dataclass(frozen=True)
class PolarityCues:
    """How people say whether an invitation reached its recipient, in either language.

    Cues are phrases of one to four words. A question that says "it arrived" is about a delivered status,
    "it was stopped" about a failure and "it is on its way" about one still pending. Under a negation a
    cue that it arrived or went out turns into "it did not arrive", or "not yet" with a word such as "yet".
    """

    # "it arrived", "was received", "was opened": the invitation reached the recipient.
    delivered: LocalizedList
    # "it was stopped", "bounced", "was cancelled": it did not reach them.
    not_delivered: LocalizedList
    # "it is on its way", "still waiting": not settled yet.
    pending: LocalizedList
    # "it was sent", "went out": no side on its own, but negated it did not go out.
    went_out: LocalizedList
    # Words that turn the cue after them (or, in Swedish word order, before them) around: "not", "inte".
    negations: LocalizedList
    # Words that make a negated cue "not yet" rather than "never": "yet", "still", "än".
    not_yet: LocalizedList
    # Words that end a clause, and with it the reach of a negation: "but", "men".
    breaks: LocalizedList
    # Words that put a delivered cue on an earlier invitation ("already received one"), where it tells
    # nothing about this one.
    earlier: LocalizedList
    # Statuses of another category that a question about waiting also describes: a delivery retried later is
    # "not arrived yet, should I wait?" as much as a queued one is.
    also_pending: tuple[str, ...] = ()
    # Words of permission ("allowed", "authorised", "får"): a negated "send" just after one says sending is
    # refused ("not allowed to send"), which is stopped however "still" the question says it is.
    permission: LocalizedList = _NO_WORDS


@dataclass(frozen=True)
class ContrastCues:
    """How people say that a status they name is not the one they have now ("we fixed X, now it says Y")."""

    # A clause holding one speaks of something over or denied: "fixed", "no longer".
    over: LocalizedList
    # A clause holding one speaks of an earlier time; it counts only beside a clause about now.
    before: LocalizedList
    # A clause holding one speaks of the present: "now", "instead".
    now: LocalizedList
    # With a negation in a clause that speaks of no present, these say "no longer": "inte längre".
    no_longer: LocalizedList
    # A clause holding one (and no negation) says what it names works: "the sender is fine".
    fine: LocalizedList
    # A clause holding one and naming a status is the asker's guess ("is that X?"): the situation decides.
    guess: LocalizedList
    # Verbs of saying after which a label is what the page shows: "it shows delivered", "det står levererad".
    saying: LocalizedList
    # Verbs of being and saying after which a negation denies what follows: "it's not X", "det står inte X".
    being: LocalizedList
    # Words that start a new clause: "but", "utan".
    splits: LocalizedList


@dataclass(frozen=True)
class SmallTalkAct:
    """One kind of small talk ("thanks", "that fixed it") and the ways people write it."""

    id: str
    phrases: LocalizedList


@dataclass(frozen=True)
class SmallTalk:
    """What people write that is no question: a message made only of these gets a friendly word back."""

    acts: tuple[SmallTalkAct, ...]
    # Words that may stand around small talk without making it a question ("thanks *so much*").
    fillers: LocalizedList
