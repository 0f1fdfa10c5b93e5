"""The status the asker has now, when a message also names one it is not (any more).

"Vi fixade SPF-felet, nu står det ogiltig avsändaradress", "it's not cancelled – it's still in the queue",
"the sender address is fine now, what fails is the sender name": the clauses that speak of something over,
deny a status or say it works are set aside, and the statuses they name are not the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.models import Match
from bot.matching.clauses import Clause, ClauseReader, past_clauses
from bot.matching.confidence import CONFIDENT
from bot.matching.keywords import KeywordIndex
from bot.matching.labels import LabelIndex
from bot.matching.language import language_of_normalized
from bot.matching.normalize import ascii_fold, fold_normalized, normalize
from bot.matching.polarity import DELIVERED, WENT_OUT, PolarityReader
from bot.matching.terms import STOPWORDS

# How sure the closest status must be to count as named loosely ("our sender settings are fine").
_LOOSE = 30.0
# Where a question between candidates divides them: "expired or used up?", "ingen mall eller ingen anpassad mall?".
_EITHER = re.compile(r"\b(?:or|eller)\b", re.IGNORECASE)
# Pronouns between a verb of saying and its negation: "står det inte", "says it's not".
_PRONOUNS = frozenset({"det", "den", "it", "its"})
# Negations that begin labels ("no template", "ingen mall"): never skipped before one.
_NO = frozenset({"no", "ingen", "inga", "inget"})
# Function words allowed between a negation and what it denies: "not *the* X", "inte *den* X".
_SKIPPED = 3


@dataclass(frozen=True)
class Now:
    """The text about the situation now (None: the whole message is) and the statuses it is not."""

    focus: str | None
    denied: frozenset[str]
    # Whether some clause is over or denies a status (not only a guess set aside): the clauses about now then
    # each say the status as well as all of them together.
    contrast: bool = False
    # The statuses the asker guessed at ("is that X?").
    guessed: frozenset[str] = frozenset()
    # The candidates of a question between two or more ("expired or used up?"): the situation told picks one.
    candidates: frozenset[str] = frozenset()


class NowReader:
    def __init__(
        self,
        clauses: ClauseReader,
        labels: LabelIndex,
        keywords: KeywordIndex,
        polarity: PolarityReader | None,
        read: Callable[[str, str | None], Match],
        saying: frozenset[str] = frozenset(),
    ) -> None:
        self._clauses = clauses
        # Verbs of saying, folded: "det står inte X" denies X though it speaks of now.
        self._saying = saying
        self._labels = labels
        self._keywords = keywords
        self._polarity = polarity
        self._read = read

    def now(self, body: str) -> Now:
        if not self._clauses or not self._clauses.marked(body):
            return Now(None, frozenset())
        clauses = self._clauses.clauses(body, self._labels.states)
        if len(clauses) < 2:
            return Now(None, frozenset())
        old = past_clauses(clauses)
        denied: set[str] = set()
        for i, clause in enumerate(clauses):
            named = self._denied(clause, strict=clause.now) if clause.negated else set()
            # "Our sender settings are fine" tells; "which format is right?" asks, and "so that's fine" names nothing.
            fine = (
                clause.fine
                and "?" not in clause.text
                and not self._about_delivery(clause.text)
                and self._names_something(clause.text)
            )
            if not named and (i in old or fine):
                # "Our sender settings are fine": what works is named loosely, by the closest status.
                named = {status} if (status := self._named(clause.text, loosely=fine)) is not None else set()
            if named and (clause.negated or fine):
                old.add(i)
            if i in old:
                denied |= named
        if not old:
            old, denied = self._was_and_is(clauses)
        contrast = bool(old) and len(old) < len(clauses)
        # "…, is that 'message rejected'?": the status asked about is a guess; what the message tells decides.
        guessed = {
            i: status
            for i, clause in enumerate(clauses)
            if clause.guess and i not in old and (status := self._named(clause.text)) is not None
        }
        candidates = {
            status
            for i in guessed
            for side in _EITHER.split(clauses[i].text)
            if side.strip(" ?") and (status := self._named(side, loosely=True)) is not None
        }
        if guessed and len(guessed.keys() | old) < len(clauses):
            old |= guessed.keys()
        if not old or len(old) == len(clauses):
            return Now(None, frozenset())
        kept = [i for i in range(len(clauses)) if i not in old]
        # What a clause about now says the status is stands, though an earlier clause seemed to deny it: "the ref
        # number was used for a different customer earlier, and now it says wrong reference number".
        affirmed = {status for i in kept if clauses[i].now and (status := self._labelled(clauses[i].text))}
        denied -= affirmed
        # "Not X – the status says Y": a clause about now that names a status is the answer, whatever else is told.
        saying = [i for i in kept if clauses[i].now and self._named(clauses[i].text) not in (None, *denied)]
        chosen = (saying if contrast else []) or kept
        return Now(
            "\n".join(clauses[i].text for i in chosen),
            frozenset(denied),
            contrast,
            frozenset(guessed.values()),
            frozenset(candidates) if len(candidates) > 1 else frozenset(),
        )

    def _denied(self, clause: Clause, strict: bool = False) -> set[str]:
        """The statuses a clause names just after a negation ("not the SPF thing", "inte svarsadressen").

        A negated delivery ("wasn't delivered", "hasn't been sent") says what happened, not which status it is not.
        In a clause about now (`strict`) only a negation that opens it or follows a verb of saying denies ("not X
        this time", "nu står det inte X längre"): "it says that there is no placeholder" names a status.
        """
        words = ascii_fold(fold_normalized(normalize(clause.text))).split()
        named: set[str] = set()
        for at, word in enumerate(words):
            if not self._clauses.is_negation(word) or not self._clauses.denies(words[:at]):
                continue
            if strict and not self._said_not(words[:at]):
                continue
            # The negation begins a label ("there's no template selected", "ingen mall är vald"): it names it.
            hit = self._labels.starting(" ".join(words[at:]))
            if hit is not None and hit.form.rank > 0 and hit.form.words > 1:
                continue
            rest = words[at + 1 :]
            # A label may itself begin with a negation: "it's not 'no template'", "not the 'no product reviews' one".
            leading = 0
            while leading < min(_SKIPPED, len(rest)) and rest[leading] in STOPWORDS and rest[leading] not in _NO:
                leading += 1
            hit = self._labels.starting(" ".join(rest[leading:]))
            if hit is not None and hit.form.rank > 0 and hit.form.words > 1:
                named.add(hit.status)
                continue
            skipped = 0
            while rest and rest[0] in STOPWORDS and not self._clauses.is_negation(rest[0]) and skipped < _SKIPPED:
                rest, skipped = rest[1:], skipped + 1
            # "no @" says what is missing, not which status it is not.
            if not rest or not rest[0].isalpha() or self._delivery(rest[0]):
                continue
            if not self._keywords.names_something(rest[0]):
                continue
            phrase = " ".join(rest)
            hit = self._labels.inside(phrase)
            # A label of two words or more is named as it stands; a single word ("blocked") is read in its phrase.
            if hit is not None and hit.form.rank > 0 and hit.form.words > 1:
                named.add(hit.status)
                continue
            found = self._read(phrase, language_of_normalized(phrase))
            best = found.status or next(iter(found.alternatives), None)
            if best is not None:
                named.add(best)
        return named

    def _said_not(self, before: list[str]) -> bool:
        """Whether a negation after these words opens its clause or follows a verb of saying ("står det inte")."""
        if not before:
            return True
        if before[-1] in self._saying:
            return True
        return len(before) >= 2 and before[-1] in _PRONOUNS and before[-2] in self._saying

    def _delivery(self, word: str) -> bool:
        """Whether a word begins a cue that an invitation arrived or went out ("reached", "delivered", "sent")."""
        groups = self._polarity.groups_starting(word) if self._polarity is not None else set()
        return bool(groups & {DELIVERED, WENT_OUT})

    def _names_something(self, text: str) -> bool:
        return any(self._keywords.names_something(word) for word in fold_normalized(normalize(text)).split())

    def _about_delivery(self, text: str) -> bool:
        return self._polarity is not None and self._polarity.tells(text)

    def _was_and_is(self, clauses: list[Clause]) -> tuple[set[int], set[str]]:
        """Labels named in two clauses, one of which says "now": "Det var 'Skickar – på väg' hela förmiddagen, nu
        står det Meddelandet avvisades". The others are what it was."""
        labelled = {i: status for i, clause in enumerate(clauses) if (status := self._labelled(clause.text))}
        now = [i for i in labelled if clauses[i].now_said]
        if len(now) != 1:
            return set(), set()
        current = labelled[now[0]]
        earlier = {i for i, status in labelled.items() if status != current and not clauses[i].now}
        return earlier, {labelled[i] for i in earlier}

    def _labelled(self, text: str) -> str | None:
        """The status a clause names by its label (of two words or more) or a mistyped label, if any."""
        key = fold_normalized(normalize(text))
        hit = self._labels.named(key)
        return hit.status if hit is not None and hit.form.rank > 0 and hit.form.words > 1 else None

    def _named(self, text: str, loosely: bool = False) -> str | None:
        """The status a clause names by its label (or a mistyped label), or says clearly enough (`loosely`: the
        closest one), if any."""
        key = fold_normalized(normalize(text))
        hit = self._labels.named(key)
        if hit is not None and hit.form.rank > 0 and not self._delivery(hit.form.key):
            return hit.status
        found = self._read(text, language_of_normalized(normalize(text)))
        if loosely:
            return found.status or (next(iter(found.alternatives), None) if found.score >= _LOOSE else None)
        return found.status if found.score >= CONFIDENT else None
