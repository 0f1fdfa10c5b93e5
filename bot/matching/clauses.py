"""A message as clauses, each marked for whether it speaks of now or of something over (knowledge/contrast.yaml).

"Vi fixade SPF-felet, nu står det ogiltig avsändaradress": the first clause is over, the second is now, and the
answer is about the second. "It's not unsubscribed but blocked": the first clause denies the status it names.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from dataclasses import dataclass

from bot.knowledge.cues import ContrastCues
from bot.knowledge.model import LocalizedList
from bot.matching.normalize import ascii_fold, fold_key
from bot.matching.reading import sentences

# Clauses end at commas and semicolons as well as where sentences do.
_PUNCTUATION = re.compile(r"\s*[,;]\s*")
# A text without a mark that could end a clause.
_ONE_CLAUSE = re.compile(r"[^,;.!?\n–—-]*")
# The past of being, beside the verbs of saying: "it was queued yesterday".
_WAS = frozenset({"was", "were", "var", "blev", "became", "got", "fick"})
# A question between candidates ("expired or used up?", "ingen mall eller ingen anpassad mall?") names them as
# guesses: the situation the message describes decides between them, and a negation inside one of them ("ingen
# mall") is part of a label, not a denial.
_EITHER = frozenset({"or", "eller"})
# Verbs in the past that tell what the status was ("it said X on Monday, now it shows Y"): beside a clause about
# now, such a clause is the earlier status, unless it says "now" itself.
# ("så" folds to "sa": the Swedish "sa" is left out.)
_PAST_TOLD = frozenset({"said", "showed", "displayed", "stod", "sade", "visade"})
# Split words that join two clauses wherever they stand, so one word after them is a clause ("not X but Y"); "now"
# or "though" may end a clause instead ("it is sorted now").
_JOINING = frozenset({"but", "utan", "men", "however", "dock", "although"})
# A clause this short holds no verb to tell it is about an earlier status: its "before" word does.
_TERSE = 4
# Relative pronouns: a negation right after one describes a thing ("som inte längre finns").
_RELATIVE = frozenset({"som", "which", "that", "who", "where", "dar"})
# A dash with spaces around it, as a sentence uses it ("not X – it says Y").
_DASH = re.compile(r"\s+[-–—]+\s+")


@dataclass(frozen=True)
class Clause:
    text: str
    # Speaks of a situation that is over or denied ("fixed", "no longer").
    over: bool = False
    # Speaks of what the status was at an earlier time ("previously it said X"), which counts only beside a clause
    # about now; "we turned reminders off last week" tells what was done, not what the status was.
    before: bool = False
    # Speaks of the present ("now", "instead").
    now: bool = False
    # Holds a negation ("not", "inte"): it denies what it names, when what it names is a status.
    negated: bool = False
    # "Not X any longer" ("inte queued längre"): over, unless it speaks of now.
    no_longer: bool = False
    # Says what it names works ("the sender is fine now").
    fine: bool = False
    # Asks whether the situation is something ("is that X?", "är det X?").
    guess: bool = False
    # Says "now" in so many words ("nu", "now", "instead"), not only through a verb of saying.
    now_said: bool = False


def _phrases(lists: LocalizedList) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The phrases as tuples of folded words, by their first word."""
    found = {tuple(ascii_fold(fold_key(item)).split()) for language in ("sv", "en") for item in lists.get(language)}
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(found):
        by_first.setdefault(phrase[0], []).append(phrase)
    return {first: tuple(phrases) for first, phrases in by_first.items()}


class ClauseReader:
    def __init__(self, cues: ContrastCues | None, negations: frozenset[str] = frozenset()) -> None:
        empty: dict[str, tuple[tuple[str, ...], ...]] = {}
        self._over = _phrases(cues.over) if cues else empty
        self._before = _phrases(cues.before) if cues else empty
        self._now = _phrases(cues.now) if cues else empty
        self._no_longer = frozenset(_phrases(cues.no_longer)) if cues else frozenset()
        self._fine = _phrases(cues.fine) if cues else empty
        self._guess = _phrases(cues.guess) if cues else empty
        self._being = frozenset(_phrases(cues.being)) if cues else frozenset()
        # Words that say what the status was: "it said", "det stod", "was".
        self._told = (frozenset(_phrases(cues.saying)) | _WAS) if cues else frozenset()
        # The words of now that are no verb of saying or being ("nu", "instead", not "det står"): "det står inte
        # internt fel längre" says the status is no longer that, though "det står" speaks of now.
        verbs = self._being | self._told
        self._now_plain = {
            first: kept
            for first, phrases in self._now.items()
            if (kept := tuple(phrase for phrase in phrases if verbs.isdisjoint(phrase)))
        }
        self._negations = frozenset(ascii_fold(word) for word in negations)
        # The words a marked clause must hold one of: a message with none has no contrast to read.
        self._markers = self._negations.union(
            self._over, self._before, self._now, self._no_longer, self._fine, self._guess, _EITHER
        )
        words = sorted({ascii_fold(w) for lang in ("sv", "en") for w in cues.splits.get(lang)} if cues else set())
        words += sorted({w for lang in ("sv", "en") for w in cues.splits.get(lang)} - set(words)) if cues else []
        # A split word starts a clause where it does not start the sentence already (after a word, or a quoted or
        # marked-up one: '"redan inbjuden" utan ...'), and where a clause follows ("is sorted now" ends with one).
        # After a word that only ever joins ("inte X utan Y", "not X but Y") one word is a clause of its own.
        joining = [word for word in words if word in _JOINING]
        self._split = (
            re.compile(
                r"(?<=[\w\"'”’»)\]*_])\s+(?=(?:" + "|".join(map(re.escape, words)) + r")\b\W*\w+\W+\w"
                + ("|(?:" + "|".join(map(re.escape, joining)) + r")\b\W*\w)" if joining else ")"),
                re.IGNORECASE,
            )
            if words
            else None
        )

    def __bool__(self) -> bool:
        return bool(self._over or self._now)

    def is_negation(self, word: str) -> bool:
        return ascii_fold(word) in self._negations

    def denies(self, before: list[str]) -> bool:
        """Whether a negation after these (folded) words of its clause denies what follows it: at the clause's
        start ("not X") or after a verb of being or saying ("it's not X"), not after another verb ("doesn't allow")."""
        return not before or before[-1] in self._being

    def _relative(self, tokens: list[str]) -> bool:
        return _after_relative(tokens, self._negations)

    def marked(self, text: str) -> bool:
        """Whether a text may hold clauses to tell apart: more than one, and a word that could mark one (a negation,
        "fixed", "now", ...)."""
        if _ONE_CLAUSE.fullmatch(text) and (self._split is None or not self._split.search(text)):
            return False
        return not self._markers.isdisjoint(ascii_fold(fold_key(text)).split())

    def clauses(self, text: str, states: Container[str] = ()) -> list[Clause]:
        """The clauses of a stripped message, in order, each marked.

        A spaced dash ends a clause unless the words before it are a label's state ("Ej levererad – …").
        """
        found: list[Clause] = []
        for sentence in sentences(text):
            for part in _PUNCTUATION.split(sentence):
                for piece in _dash_split(part, states):
                    pieces = self._split.split(piece) if self._split is not None else [piece]
                    found.extend(self._clause(bit) for bit in pieces if bit.strip())
        return found

    def _clause(self, text: str) -> Clause:
        tokens = ascii_fold(fold_key(text)).split()
        either = "?" in text and not _EITHER.isdisjoint(tokens)
        negated = not either and not self._negations.isdisjoint(tokens)
        said_now = _holds(tokens, self._now)
        # "Tidigare ingen mall, nu står det SKU-fel": a clause of a few words that opens with a "before" word names what
# it was.
        terse = len(tokens) <= _TERSE and _holds(tokens, self._before) and not _JOINING.intersection(tokens[:1])
        before = (_holds(tokens, self._before) and (not self._told.isdisjoint(tokens) or terse)) or (
            not said_now and not _PAST_TOLD.isdisjoint(tokens)
        )
        # "It was showing X yesterday": a verb of showing in a clause about an earlier time tells what it was.
        now = said_now and not before
        return Clause(
            text=text.strip(),
            over=_holds(tokens, self._over),
            before=before,
            now=now,
            negated=negated,
            no_longer=negated
            and not (now and _holds(tokens, self._now_plain))
            and not self._no_longer.isdisjoint(tokens)
            and not self._relative(tokens),
            fine=not negated and _holds(tokens, self._fine),
            # "är det X?", "is that X": a guess asks; "nu är den levererad" tells.
            guess=either or (_holds(tokens, self._guess) and ("?" in text or _holds(tokens[:2], self._guess))),
            now_said=now and _holds(tokens, self._now_plain),
        )


def _after_relative(tokens: list[str], negations: frozenset[str]) -> bool:
    """Whether every negation of a clause follows a relative pronoun: "an address *that no longer* exists" tells
    of a thing, not that the status is over."""
    places = [i for i, token in enumerate(tokens) if token in negations]
    return bool(places) and all(i > 0 and tokens[i - 1] in _RELATIVE for i in places)


def _dash_split(part: str, states: Container[str]) -> list[str]:
    pieces: list[str] = []
    start = 0
    for dash in _DASH.finditer(part):
        before = fold_key(part[start : dash.start()]).split()
        if any(" ".join(before[-n:]) in states for n in (1, 2, 3) if len(before) >= n):
            continue
        pieces.append(part[start : dash.start()])
        start = dash.end()
    pieces.append(part[start:])
    return pieces


def _holds(tokens: list[str], phrases: Mapping[str, tuple[tuple[str, ...], ...]]) -> bool:
    """Whether the tokens hold one of the phrases (indexed by their first word)."""
    for start, token in enumerate(tokens):
        for phrase in phrases.get(token, ()):
            if tuple(tokens[start : start + len(phrase)]) == phrase:
                return True
    return False


def past_clauses(clauses: list[Clause]) -> set[int]:
    """The clauses that speak of a situation that is over: an "over" word ("it's fixed now" too), or a "no longer"
    or "before" beside a clause about now ("not queued any longer, now it says sending")."""
    now_said = any(clause.now for clause in clauses)
    now_at = [i for i, clause in enumerate(clauses) if clause.now]
    return {
        i
        for i, clause in enumerate(clauses)
        if clause.over
        or (clause.before and not clause.now and now_said)
        # "Det står inte X längre, nu är den Y": no longer, beside another clause about now.
        or (clause.no_longer and any(j != i for j in now_at))
    }
