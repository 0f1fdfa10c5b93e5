"""The dialogue-act step: what a message asks for, decided once for the chat and for `match` alike.

The matcher has read the message (small talk, a topic outside the bot's subject, several statuses, the status
it has now) and the live-request parser has found what could be looked up. Where both have something, this
decides: a ticket that mentions its order number or a customer's email while it describes a status wants the
status explained; "kolla ORDER-10023 hos shop.example" wants the lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.entities import (
    EmailLookup,
    LiveRequest,
    ReferenceLookup,
    SummaryRequest,
    parse_live_request,
)
from bot.core.live_words import LOOK_UP, names_a_summary
from bot.core.models import Act, Match

if TYPE_CHECKING:
    from bot.matching.matcher import Matcher


# More words than this make a story (a ticket), not a request to look something up.
_STORY_WORDS = 25


@dataclass(frozen=True)
class Reading:
    """A message read: the matcher's verdict, and the live request when the message is answered with live data."""

    match: Match
    live: LiveRequest | None = None


def read_message(text: str, matcher: Matcher, now: datetime | None = None) -> Reading:
    """What `text` asks for. Without `now` no live request is looked for (no live data is at hand)."""
    match = matcher.match(text)
    live = parse_live_request(text, now=now) if now is not None and text.strip() else None
    if live is None or not _status_instead(live, match, text):
        return Reading(match, live)
    return Reading(match, None)


def _status_instead(live: LiveRequest, match: Match, text: str) -> bool:
    """Whether the message is about a status after all, though something in it could be looked up."""
    if match.act is Act.SMALL_TALK:
        return False
    # A ticket tells a story around its question: its shop's domain in the signature, an order number, the address
    # a customer typed. Asking for a lookup or a summary takes few words.
    story = len(text.split()) > _STORY_WORDS
    if isinstance(live, ReferenceLookup | EmailLookup):
        # Pasted rows carry emails and order numbers; several statuses among them are what was asked about.
        if match.also:
            return True
        # A story with an order number or an address in it, and a clear status: the status is the question.
        return match.status is not None and (live.business_unit is None or story) and not LOOK_UP.search(text)
    if isinstance(live, SummaryRequest) and (not live.sure or (story and not names_a_summary(text))):
        # "Since Friday every invite at shop.example fails on SPF" names an account and a period, and SPF; "we have
        # reached the plan's limit, how many may we send? /Anders, Fiskeboden.se" asks "how many" of a status.
        return match.status is not None
    return False
