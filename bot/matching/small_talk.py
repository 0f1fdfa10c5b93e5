"""Small talk (knowledge/small_talk.yaml): which sentences of a message are greetings, thanks, "ok" and the like."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.knowledge.cues import SmallTalk
from bot.matching.language import ENGLISH_WORDS, SWEDISH_WORDS
from bot.matching.normalize import ascii_fold, fold_key
from bot.matching.terms import NEGATIONS

# Words this long are recognised with one typo ("thnaks" is no word of five letters, "thansk" is).
_TYPO_MIN = 5
# No sentence of small talk is longer than this ("thanks so much, that was exactly what I needed to know").
_LONGEST = 16
# Words of a sentence that may be typos of small talk ("thnaks").
_TYPOS = 2
# What is thanked for is no question: "thanks for the quick reply", "tack för hjälpen med SPF-grejen". After
# thanks and "for", this many words are read as its object, unless one turns the sentence ("but", "men").
_THANKED_FOR = 8
_FOR = frozenset({"for"})  # "för" folded
# After an acknowledgement that says what the asker will do ("I'll check", "jag kollar"), who with: "with the
# customer", "med kunden", "hos IT".
_WITH = frozenset({"with", "med", "hos"})
# Acknowledgements ending so go on to whom: "I'll ask *our developer*", "ska prata med *IT*".
_TAKES_WHOM = _WITH | {"to", "ask", "fraga", "fragar"}
_WITH_WORDS = 3
# Words that turn a sentence: what follows them says something more than small talk ("thanks, but ...").
TURNS = frozenset({"but", "men", "however", "though", "utan", "dock", "fast", "although", "still", "fortfarande",
                   "yet", "unfortunately", "tyvarr"})
# Words whose typo reading is remembered.
_TYPO_CACHE = 8192
# Negations, with what is left of a contraction once it is folded ("doesn't" is "doesn t"): small talk next to
# one is turned around.
NOT = NEGATIONS | {"doesn", "don", "isn", "didn", "wasn", "aren", "weren", "hasn", "haven", "cannot", "int"}
# The words that thank on their own.
_THANKS = frozenset({"thanks", "thank", "thx", "tack", "tackar", "cheers", "appreciated", "tacksam"})
# Where a sentence, or a part of one, begins.
_PARTS = re.compile(r"[.!?\n,;:]+|\s[-–—]+\s")
# Besides small talk and fillers, a sentence may hold this many other words when none of them is a word of the
# knowledge base: a name ("thanks Anna"), the bot's name, a company's.
_NAMES = 2


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]
    act: str


class SmallTalkReader:
    """Tells whether a sentence is only small talk, and which."""

    def __init__(self, small_talk: SmallTalk | None, meaningful: Callable[[str], bool] = lambda word: False) -> None:
        self._starts: dict[str, list[_Phrase]] = {}
        self._order: dict[str, int] = {}
        fillers: set[str] = set()
        if small_talk is not None:
            for number, act in enumerate(small_talk.acts):
                self._order[act.id] = number
                for language in ("sv", "en"):
                    for phrase in act.phrases.get(language):
                        words = tuple(ascii_fold(fold_key(phrase)).split())
                        if words:
                            self._starts.setdefault(words[0], []).append(_Phrase(words, act.id))
                    fillers.update(ascii_fold(fold_key(word)) for word in small_talk.fillers.get(language))
        for phrases in self._starts.values():
            phrases.sort(key=lambda phrase: -len(phrase.words))
        self._fillers = frozenset(fillers)
        # Every word small talk is made of: a sentence with many others is no small talk, whatever typos it has.
        phrases = [phrase for listed in self._starts.values() for phrase in listed]
        self._vocabulary = self._fillers.union(*(phrase.words for phrase in phrases))
        # A phrase is there only if its most telling word is: "fixed" for "that fixed it", "fara" for "ingen fara".
        self._keys = frozenset(_key(phrase.words) for phrase in phrases)
        self._typo_targets = sorted(word for word in self._starts if len(word) >= _TYPO_MIN)
        self._names_something = meaningful
        self._typos: dict[str, list[_Phrase] | None] = {}

    def __bool__(self) -> bool:
        return bool(self._starts)

    def may_hold(self, text: str) -> bool:
        """Whether a text may hold small talk at all: a word of it, or a short text (typos: "thnaks!")."""
        tokens = ascii_fold(fold_key(text)).split()
        return len(tokens) <= _TYPOS + 1 or not self._keys.isdisjoint(tokens)

    def acts(self, sentence: str) -> tuple[str, ...] | None:
        """The kinds of small talk a sentence holds, or None when it says something more."""
        tokens = ascii_fold(fold_key(sentence)).split()
        asks = "?" in sentence
        if not asks and not TURNS.intersection(tokens):
            tokens = _without_objects(tokens, self._phrase_at)
        if len(tokens) > _LONGEST or sum(token not in self._vocabulary for token in tokens) > _NAMES + _TYPOS:
            return None
        found: list[str] = []
        others: list[str] = []
        i = 0
        while i < len(tokens):
            phrase = self._phrase_at(tokens, i)
            if phrase is not None:
                found.append(phrase.act)
                i += len(phrase.words)
                continue
            if tokens[i] not in self._fillers:
                others.append(tokens[i])
            i += 1
        if not found:
            return None
        if len(others) > _NAMES or any(self.meaningful(word) for word in others):
            return None
        if not NOT.isdisjoint(others):
            # "funkar inte", "doesn't work": small talk turned around is a problem.
            return None
        return tuple(sorted(set(found), key=self._order.__getitem__))

    def mentioned(self, text: str) -> tuple[str, ...]:
        """The kinds of small talk anywhere in a text, whatever else it says: a phrase of several words or a word
        of thanks wherever it stands ("will get back to you", "thanks"), a single word only as a part of a
        sentence of its own ("ok, ...", "noted, ..."): a lone "later", "sure" or "star" (folded "står") inside a
        sentence is a word of the story."""
        found: set[str] = set()
        for part in _PARTS.split(text):
            tokens = ascii_fold(fold_key(part)).split()
            alone: bool | None = None
            for i in range(len(tokens)):
                phrase = self._phrase_at(tokens, i) if i == 0 else self._exact_phrase_at(tokens, i)
                if phrase is None or _negated(tokens, i, i + len(phrase.words)):
                    continue
                telling = len(phrase.words) > 1 or phrase.words[0] in _THANKS
                if telling and (i == 0 or phrase.act != "acknowledgement"):
                    found.add(phrase.act)
                    continue
                if alone is None:
                    alone = self.acts(part) is not None
                if alone:
                    found.add(phrase.act)
        return tuple(sorted(found, key=self._order.__getitem__))

    @property
    def order(self) -> tuple[str, ...]:
        """The kinds of small talk, in the file's order."""
        return tuple(self._order)

    def meaningful(self, word: str) -> bool:
        """Whether a folded word may say what a question is about (no name, no filler)."""
        return not word.isalpha() or len(word) < 2 or self._names_something(word)

    def _typo_starts(self, token: str) -> list[_Phrase] | None:
        """The phrases a word may begin with a typo ("thnaks"); words are met again and again, so each is looked
        up once."""
        if token in self._typos:
            return self._typos[token]
        found = None
        if not self._names_something(token):
            near = process.extractOne(token, self._typo_targets, scorer=OSA.distance, score_cutoff=1)
            found = self._starts.get(near[0]) if near is not None else None
        if len(self._typos) >= _TYPO_CACHE:
            self._typos.clear()
        self._typos[token] = found
        return found

    def _exact_phrase_at(self, tokens: list[str], start: int) -> _Phrase | None:
        """The longest phrase at `start` as written (no typo in its first word)."""
        for phrase in self._starts.get(tokens[start], ()):
            if tuple(tokens[start : start + len(phrase.words)]) == phrase.words:
                return phrase
        return None

    def _phrase_at(self, tokens: list[str], start: int) -> _Phrase | None:
        token = tokens[start]
        candidates = self._starts.get(token)
        if candidates is None and len(token) >= _TYPO_MIN:
            candidates = self._typo_starts(token)
        for phrase in candidates or ():
            end = start + len(phrase.words)
            if end <= len(tokens) and all(
                _same(tokens[j], word) for j, word in zip(range(start + 1, end), phrase.words[1:], strict=True)
            ):
                return phrase
        return None


def _negated(tokens: list[str], start: int, end: int) -> bool:
    """Whether a negation stands just before a phrase or just after it ("doesn't work", "funkar inte")."""
    near = tokens[max(0, start - 2) : start] + tokens[end : end + 1]
    return not NOT.isdisjoint(near)


def _without_objects(tokens: list[str], phrase_at: Callable[[list[str], int], _Phrase | None]) -> list[str]:
    """The tokens without what thanks are for ("thanks *for the quick reply*") and whom an acknowledgement's next
    step involves ("I'll check *with the customer*"): neither asks anything."""
    kept: list[str] = []
    i = 0
    while i < len(tokens):
        phrase = phrase_at(tokens, i)
        if phrase is None:
            kept.append(tokens[i])
            i += 1
            continue
        end = i + len(phrase.words)
        kept.extend(tokens[i:end])
        if end < len(tokens):
            # "thanks for *the quick reply*", "tack för hjälpen *med SPF-grejen*", "thanks for explaining *SPF*": the
            # thanks go on to what they are for.
            thanked_for = tokens[end] in _FOR | _WITH or not _FOR.isdisjoint(phrase.words)
            # "sorry for *the late reply*" goes on to what it is for as well.
            if phrase.act in ("thanks", "apology") and thanked_for and len(tokens) - end - 1 <= _THANKED_FOR:
                return kept
            takes_whom = tokens[end] in _WITH or phrase.words[-1] in _TAKES_WHOM
            if phrase.act == "acknowledgement" and takes_whom and len(tokens) - end <= _WITH_WORDS + 1:
                return kept
        i = end
    return kept


def _key(words: tuple[str, ...]) -> str:
    """The word of a phrase most telling of it: the longest that is no common function word, else the longest."""
    telling = [word for word in words if word not in _COMMON]
    return max(telling or words, key=len)


_COMMON = frozenset(ascii_fold(word) for word in SWEDISH_WORDS | ENGLISH_WORDS) - {
    ascii_fold(word) for word in ("hej", "tack", "thanks", "hello", "hi", "please", "morning", "evening")
}


def _same(token: str, word: str) -> bool:
    if token == word:
        return True
    return len(word) >= _TYPO_MIN and OSA.distance(token, word, score_cutoff=1) <= 1
