"""Whether a question says its invitation arrived, did not, or is still on its way (knowledge/polarity.yaml)."""

from __future__ import annotations

import re
from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.knowledge.cues import PolarityCues
from bot.knowledge.model import Category
from bot.matching.normalize import ascii_fold, normalize
from bot.matching.stemming import stem_en, stem_sv

# Words, and the punctuation that ends a clause (a dash standing alone included).
_TOKENS = re.compile(r"[^\W_]+|[,.;:!?]|(?<![^\W_])-(?![^\W_])")
# A negation reaches this many words ahead: "hasn't the invite actually been sent".
_REACH = 4
# A permission word this many words before a negated cue makes it a refusal: "not authorised to send".
_PERMISSION_REACH = 3
# Words allowed between two words of a cue: "reached the customer", "kom aldrig fram".
_GAP = 2
# Typos are forgiven in words this long only, one per word (two from ten letters).
_TYPO_MIN = 6
_MAX_TOKENS = 400
_CACHE_LIMIT = 4096

DELIVERED = "delivered"
NOT_DELIVERED = "not_delivered"
PENDING = "pending"
WENT_OUT = "went_out"
# What a cue says when nothing turns it around.
_SAYS = {DELIVERED: Category.DELIVERED, NOT_DELIVERED: Category.NOT_DELIVERED, PENDING: Category.PENDING}


@dataclass(frozen=True)
class _Cue:
    words: tuple[str, ...]
    # Each word also matches in other inflections of this language (all but the first).
    language: str
    group: str


@dataclass(frozen=True)
class CueHit:
    """One cue found in a question, and what it says once negations are read."""

    text: str
    group: str
    negated: bool
    # The category it speaks for, or None when it says nothing ("wasn't blocked", a plain "sent").
    category: Category | None
    # Whether a permission word made it a refusal ("not allowed to send"): stopped outright, like "cancelled".
    refused: bool = False


class PolarityReader:
    """Finds delivery cues in a normalised question and weighs them into a lean per category."""

    def __init__(self, cues: PolarityCues, known: Container[str] = ()) -> None:
        groups = {
            DELIVERED: cues.delivered,
            NOT_DELIVERED: cues.not_delivered,
            PENDING: cues.pending,
            WENT_OUT: cues.went_out,
        }
        self._starts: dict[str, list[_Cue]] = {}
        for group, phrases in groups.items():
            for language in ("sv", "en"):
                for phrase in phrases.get(language):
                    words = tuple(phrase.casefold().split())
                    cue = _Cue(words, language, group)
                    for key in {words[0], ascii_fold(words[0])}:
                        self._starts.setdefault(key, []).append(cue)
        self._negations = frozenset(w.casefold() for lang in ("sv", "en") for w in cues.negations.get(lang))
        # Swedish puts the negation after the verb of a main clause: "den skickades inte".
        self._negations_after = frozenset(w.casefold() for w in cues.negations.sv)
        self._not_yet = frozenset(w.casefold() for lang in ("sv", "en") for w in cues.not_yet.get(lang))
        self._breaks = frozenset(w.casefold() for lang in ("sv", "en") for w in cues.breaks.get(lang))
        self._earlier = frozenset(w.casefold() for lang in ("sv", "en") for w in cues.earlier.get(lang))
        self._permission = frozenset(w.casefold() for lang in ("sv", "en") for w in cues.permission.get(lang))
        self._function = self._negations | self._not_yet | self._breaks | self._earlier | self._permission
        self._typo_targets = sorted(key for key in self._starts if len(key) >= _TYPO_MIN)
        # Words of the knowledge base are words in their own right, not typos of a cue ("receiver").
        self._known = known
        self._cache: dict[str, tuple[_Cue, ...]] = {}

    def is_cue(self, text: str) -> bool:
        """Whether a folded word or phrase is itself one of the cues ("delivered", "levererad")."""
        return self.group_of(text) is not None

    def group_of(self, text: str) -> str | None:
        """The group of the cue a folded word or phrase is, if it is one ("delivered" -> delivered)."""
        words = tuple(text.split())
        if not words:
            return None
        return next((cue.group for cue in self._starts.get(words[0], ()) if cue.words == words), None)

    def groups_starting(self, word: str) -> set[str]:
        """The groups of the cues that begin with a folded word ("reached" begins "reached the customer")."""
        return {cue.group for cue in self._starts.get(word, ())}

    def tells(self, text: str) -> bool:
        """Whether a raw text tells that an invitation was stopped, is waiting, went out or arrived."""
        return bool(self.hits(normalize(text)))

    def hits(self, normalized: str) -> list[CueHit]:
        """The cues in a text normalize() has seen, longest first where two overlap, in reading order."""
        tokens, clauses = self._tokens(normalized)
        found: list[tuple[int, tuple[int, ...], _Cue]] = []
        for start, token in enumerate(tokens):
            for cue in self._cues_starting(token):
                positions = self._extend(cue, tokens, clauses, start)
                if positions:
                    found.append((start, positions, cue))
        taken: set[int] = set()
        kept: list[tuple[int, tuple[int, ...], _Cue]] = []
        for item in sorted(found, key=lambda item: (-len(item[1]), item[0])):
            if taken.isdisjoint(item[1]):
                taken.update(item[1])
                kept.append(item)
        kept.sort(key=lambda item: item[0])
        pending_said = any(
            cue.group == PENDING and not self._negated(cue, positions, tokens, clauses) for _s, positions, cue in kept
        )
        words_of: dict[int, set[str]] = {}
        for token, clause in zip(tokens, clauses, strict=True):
            words_of.setdefault(clause, set()).add(token)
        return [
            self._read(cue, positions, tokens, clauses, words_of[clauses[positions[0]]], pending_said)
            for _start, positions, cue in kept
        ]

    def lean(self, normalized: str) -> dict[Category, float]:
        """How much the text speaks for each category: the count of cues for it (empty when none do).

        A text that says an invitation was stopped outright ("cancelled", "bounced", "not allowed to send") is
        about that, even when it also says the invitation was waiting: "I cancelled the queued ones", "the first
        attempt failed, it waits for a retry". Its pending cues then describe what came before and count for
        nothing.
        """
        evidence: dict[Category, float] = {}
        hits = self.hits(normalized)
        stopped = any(
            hit.refused or (hit.group == NOT_DELIVERED and hit.category is Category.NOT_DELIVERED) for hit in hits
        )
        for hit in hits:
            if stopped and hit.group == PENDING:
                continue
            if hit.category is not None:
                evidence[hit.category] = evidence.get(hit.category, 0.0) + 1.0
        return evidence

    def _tokens(self, normalized: str) -> tuple[list[str], list[int]]:
        tokens: list[str] = []
        clauses: list[int] = []
        clause = 0
        for token in _TOKENS.findall(normalized)[:_MAX_TOKENS]:
            if token in self._breaks or not (token[0].isalnum()):
                clause += 1
                continue
            tokens.append(token)
            clauses.append(clause)
        return tokens, clauses

    def _cues_starting(self, token: str) -> tuple[_Cue, ...]:
        cached = self._cache.get(token)
        if cached is None:
            cached = self._lookup(token)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[token] = cached
        return cached

    def _lookup(self, token: str) -> tuple[_Cue, ...]:
        exact = self._starts.get(token) or self._starts.get(ascii_fold(token))
        if exact:
            return tuple(exact)
        if len(token) < _TYPO_MIN - 1 or not token.isalpha() or token in self._function or token in self._known:
            return ()
        allowed = 1 if len(token) < 10 else 2
        near = process.extract(ascii_fold(token), self._typo_targets, scorer=OSA.distance, score_cutoff=allowed)
        if not near:
            return ()
        keys = [key for key, distance, _ in near if distance == near[0][1]]
        closest = [cue for key in keys for cue in self._starts[key]]
        # A typo as close to a word of one group's cues as to another group's word is no reading at all.
        if len(keys) > 1 and len({cue.group for cue in closest}) > 1:
            return ()
        return tuple(closest)

    def _extend(self, cue: _Cue, tokens: list[str], clauses: list[int], start: int) -> tuple[int, ...]:
        """The positions of the cue's words from `start` on, or () when it does not go on there."""
        positions = [start]
        at = start
        for word in cue.words[1:]:
            for step in range(1, _GAP + 2):
                j = at + step
                if j >= len(tokens) or clauses[j] != clauses[start]:
                    return ()
                if _same_word(tokens[j], word, cue.language):
                    positions.append(j)
                    at = j
                    break
            else:
                return ()
        return tuple(positions)

    def _negated(self, cue: _Cue, positions: tuple[int, ...], tokens: list[str], clauses: list[int]) -> bool:
        own = set(cue.words)
        clause = clauses[positions[0]]

        def negation(j: int) -> bool:
            return clauses[j] == clause and tokens[j] in self._negations and tokens[j] not in own

        before = range(max(positions[0] - _REACH, 0), positions[0])
        inside = (j for j in range(positions[0], positions[-1] + 1) if j not in positions)
        after = positions[-1] + 1
        return (
            any(negation(j) for j in before)
            or any(negation(j) for j in inside)
            or (after < len(tokens) and negation(after) and tokens[after] in self._negations_after)
        )

    def _read(
        self,
        cue: _Cue,
        positions: tuple[int, ...],
        tokens: list[str],
        clauses: list[int],
        clause: set[str],
        pending_said: bool,
    ) -> CueHit:
        """What one cue says, read with the negations, "not yet" and "earlier" words of its clause."""
        negated = self._negated(cue, positions, tokens, clauses)
        text = " ".join(tokens[j] for j in positions)
        if not negated:
            if cue.group == DELIVERED and not self._earlier.isdisjoint(clause):
                # "Already received an invite for this order": that was another invitation.
                return CueHit(text, cue.group, False, None)
            return CueHit(text, cue.group, False, _SAYS.get(cue.group))
        if cue.group not in (DELIVERED, WENT_OUT):
            # "It wasn't blocked", "no longer waiting": what did happen is not said.
            return CueHit(text, cue.group, True, None)
        if self._refused(positions, tokens, clauses):
            # "Not allowed to send", "får inte skicka": sending is refused, not late, whatever "still" says.
            return CueHit(text, cue.group, True, Category.NOT_DELIVERED, refused=True)
        not_yet = not self._not_yet.isdisjoint(clause)
        # "Not arrived" next to "it's on its way" is "not yet" as well.
        category = Category.PENDING if not_yet or pending_said else Category.NOT_DELIVERED
        return CueHit(text, cue.group, True, category)


    def _refused(self, positions: tuple[int, ...], tokens: list[str], clauses: list[int]) -> bool:
        """Whether a permission word stands just before a negated cue, in its clause."""
        start = positions[0]
        return any(
            clauses[j] == clauses[start] and tokens[j] in self._permission
            for j in range(max(start - _PERMISSION_REACH, 0), start)
        )


def _same_word(token: str, word: str, language: str) -> bool:
    if token == word or ascii_fold(token) == ascii_fold(word):
        return True
    # The progressive carries the meaning of "still sending": "can we still send" asks whether it may go out.
    if language == "en" and word.endswith("ing") and not token.endswith("ing"):
        return False
    stem = stem_sv if language == "sv" else stem_en
    return stem(token) == stem(word)


def factors(
    evidence: Mapping[Category, float], penalty: float, boost: float, sizes: Mapping[Category, int]
) -> dict[Category, float]:
    """What to multiply the scores of each category's statuses by.

    Categories the cues speak against lose up to `penalty` of their score, in proportion to the share of cues
    against them. Those spoken for gain up to `boost`, less for a category most statuses share: "it was stopped"
    tells the failures from the rest, not one failure from another.
    """
    total = sum(evidence.values())
    statuses = sum(sizes.values())
    if total <= 0 or statuses <= 0:
        return {}
    result = {}
    for category in Category:
        share = evidence.get(category, 0.0) / total
        rarity = 1.0 - sizes.get(category, 0) / statuses
        result[category] = 1.0 + boost * rarity * share - penalty * (1.0 - share)
    return result


def describe(hits: list[CueHit]) -> Iterator[str]:
    """One line per cue, for debugging and the benchmark."""
    for hit in hits:
        said = hit.category.value if hit.category is not None else "nothing"
        yield f"{hit.text!r} ({hit.group}{', negated' if hit.negated else ''}) -> {said}"
