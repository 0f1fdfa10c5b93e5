"""Messages that only talk: thanks with news that it works, an apology, a plan to check with a colleague.

"Tack, kunden hade stavat fel på sin mejl, nu är det rättat och inbjudan gick iväg", "Let me check with my
colleague and I'll get back to you", "Förlåt för sent svar, har suttit i möten": each holds words of the
statuses, yet none asks anything or reports a problem. A message with thanks, an apology, an acknowledgement or a
goodbye, no question, no turn ("but", "still") and no trouble (or trouble that it says is over) is small talk.
"""

from __future__ import annotations

import re

from bot.matching.clauses import ClauseReader, past_clauses
from bot.matching.normalize import ascii_fold, fold_key, normalize
from bot.matching.polarity import DELIVERED, WENT_OUT, PolarityReader
from bot.matching.small_talk import NOT, TURNS, SmallTalkReader

# Acts that, with nothing asked, make a message small talk: a greeting alone does not ("hej, kunden
# avregistrerade sig innan inbjudan skickades" reports a case).
_SOCIAL = frozenset({"thanks", "resolved", "apology", "acknowledgement", "farewell"})
# Words that turn a message into a report of something still wrong, or into a request ("thanks in advance").
_TURNS = TURNS | {"advance", "forhand", "forvag"}
# Words of trouble, folded (without å, ä, ö): in a message that says nothing is over or works, they report a problem.
_TROUBLE = re.compile(
    r"\b(?:error|errors|fail\w*|problem\w*|issue\w*|wrong|broken|stuck|fel|felet|strul\w*|fastn\w*|fastnat|"
    r"funkar|fungerar|works?|working|says|shows|showing|star|stod|visar|status\w*)\b"
)


# Trouble denied just before it: "inget fel", "no error", "nothing wrong".
_NO_TROUBLE = re.compile(
    r"\b(?:" + "|".join(sorted(NOT | {"inget", "inga", "ingen", "nothing", "utan", "without"})) + r")\s+(?:\w+\s+)?$"
)
# What the asker says they understand now: "so it just means", "det betyder alltså", "då förstår jag".
_UNDERSTOOD = re.compile(
    r"\b(?:betyder|betydde|innebar|means|meant)\b.*\b(?:alltsa|bara|just|only|simply)\b|"
    r"\b(?:alltsa|so)\b.*\b(?:betyder|innebar|means)\b|\b(?:da forstar jag|that makes sense|i understand now)\b"
)


class ChatterReader:
    def __init__(self, small_talk: SmallTalkReader, clauses: ClauseReader, polarity: PolarityReader | None) -> None:
        self._small_talk = small_talk
        self._clauses = clauses
        self._polarity = polarity

    def only_talk(self, stripped: str, body: str) -> tuple[str, ...] | None:
        """The acts of a message that only talks (with "resolved" when it says things work now), else None.

        `body` is the message without its sentences of pure small talk."""
        if not self._small_talk or "?" in stripped:
            return None
        # The cheap tests first: most messages have a turn or no small talk at all.
        folded = ascii_fold(fold_key(body))
        if not _TURNS.isdisjoint(folded.split()) or not self._small_talk.may_hold(stripped):
            return None
        acts = self._small_talk.mentioned(stripped)
        if _SOCIAL.isdisjoint(acts):
            return None
        if "resolved" in acts or self.good_news(body):
            # "Thanks, that explains why they stopped, we had turned them off. All good.": over, whatever was wrong.
            return tuple(dict.fromkeys(("resolved", *acts)))
        if _UNDERSTOOD.search(folded):
            # "Ahh, så 'I kö' betyder bara att de väntar, inget fel alltså. Tack!": what the asker now understands.
            return acts
        trouble = (found for found in _TROUBLE.finditer(folded) if not _NO_TROUBLE.search(folded[: found.start()]))
        if next(trouble, None) is not None or self._stopped(body):
            return None
        return acts

    def good_news(self, body: str) -> bool:
        """Whether the message ends on news that something is over, works or went out, and asks nothing: "the
        customer had mistyped the address, now it's corrected and the invite went out"."""
        if "?" in body or not self._clauses:
            return False
        clauses = self._clauses.clauses(body)
        over = past_clauses(clauses)
        told = [
            (i, clause)
            for i, clause in enumerate(clauses)
            if any(self._small_talk.meaningful(word) for word in ascii_fold(fold_key(clause.text)).split())
        ]
        if not told:
            return False
        i, last = told[-1]
        if i in over or last.fine:
            return True
        hits = self._polarity.hits(normalize(last.text)) if self._polarity is not None else []
        # What it ends on is the news; a status before it says which ones ("the queued ones went out now").
        return bool(hits) and not any(hit.negated for hit in hits) and hits[-1].group in (DELIVERED, WENT_OUT)

    def _stopped(self, body: str) -> bool:
        """Whether the text says an invitation was stopped, has not arrived or is waiting."""
        if self._polarity is None:
            return False
        hits = self._polarity.hits(normalize(body))
        return any(hit.negated or hit.group not in (DELIVERED, WENT_OUT) for hit in hits)
