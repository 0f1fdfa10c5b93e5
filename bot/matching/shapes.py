"""Labels shaped like ours that name no status: "Not delivered - Unknown error", "Levererad – läst".

Such a text is no typo of a real label and no way of writing one: it gets an honest "not a status I know",
with the closest real ones offered, never a confident answer. A label written in part or reworded
("Ej levererad - ogiltig avsandare" for "… ogiltig avsändaradress") is not one of them: its words are all words
of a real label of that state.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection

from rapidfuzz.distance import OSA

from bot.knowledge.model import KnowledgeBase
from bot.matching.normalize import ascii_fold, fold_key

# A state ("Not delivered", "Levererad"), a dash or colon, and one to four words up to a quote, a bracket, the end
# of a clause or the end of the line.
_DETAIL = r"\s*[-–—:]\s*([^\W\d_][\w-]*(?:[ \t]+[\w-]+){0,3})\s*(?=$|[\"'”’»)\],.;:!?\n]|[ \t]+[-–—])"
# A label quoted whole: a capitalised state of one to three words, a dash, and a detail, between quotes or after
# "status:" at the start of a line.
_QUOTED_LABEL = re.compile(
    r"(?:[\"“”‘’]|(?im:^\s*status(?:en)?\s*:\s*))([A-ZÅÄÖ][\w]+(?:[ ][\w]+){0,2})[ ]([-–—])[ ]"
    r"([A-ZÅÄÖa-zåäö][\w]*(?:[ ][\w]+){0,4})(?=[\"“”‘’]|\s*$)",
)
_STATUS_TALK = re.compile(
    r"status|står|stod|says|said|shows|showing|visar|säger|label|reason|orsak|anger", re.IGNORECASE
)
# Words this long compare by their beginning ("avsandare" and "avsändaradress"), or with a typo (two in long ones).
_CACHE_LIMIT = 4096
_PREFIX = 4
_TYPO = 3
_TWO_TYPOS = 9


class LabelShapes:
    """Finds label-shaped texts whose detail is no real status's."""

    def __init__(self, kb: KnowledgeBase) -> None:
        details: dict[str, set[str]] = defaultdict(set)
        states: dict[str, str] = {}
        # Per state, each status's detail words: "ej levererad" -> [("spf_failure", {"spf", "fel"}), ...].
        self._labels: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        for entry in kb:
            for language in ("sv", "en"):
                state, dash, detail = entry.label.get(language).replace("–", "-").partition(" - ")
                key = fold_key(state)
                states[key] = state
                if dash:
                    words = ascii_fold(fold_key(detail)).split()
                    details[key].update(words)
                    self._labels[key].append((entry.id, tuple(words)))
        self._details = {state: frozenset(words) for state, words in details.items()}
        self._cache: dict[tuple[str, str], bool] = {}
        # Every state of ours, with a detail or alone ("Sending", "Levererad"), folded.
        self._states_known = frozenset(states)
        self._knowing: dict[tuple[str, str], set[str]] = {}
        # The states written as on the status page, capitalised ("Not delivered", "Ej levererad"); a lower-case
        # "delivered - the customer says ..." is a sentence, not a pasted label.
        names = sorted({state for key, state in states.items() if key in self._details}, key=len, reverse=True)
        self._pattern = (
            re.compile(r"(?<![\w-])(" + "|".join(re.escape(name) for name in names) + r")" + _DETAIL) if names else None
        )

    def _known_in_state(self, word: str, state: str) -> bool:
        key = (word, state)
        known = self._cache.get(key)
        if known is None:
            known = self._cache[key] = _known(word, self._details.get(state, frozenset()))
            if len(self._cache) > _CACHE_LIMIT:
                self._cache.clear()
        return known

    def _statuses_knowing(self, word: str, state: str) -> set[str]:
        """The statuses of a state whose label holds the word (as written, begun or with a typo)."""
        key = (word, state)
        found = self._knowing.get(key)
        if found is None:
            found = {status for status, words in self._labels.get(state, ()) if _known(word, words)}
            if len(self._knowing) > _CACHE_LIMIT:
                self._knowing.clear()
            self._knowing[key] = found
        return set(found)

    def partial(self, text: str) -> str | None:
        """The status of a label written in part or with typos ("Ej levererad - ogiltig avsandare"), when one
        status's label holds every word of it."""
        if self._pattern is None:
            return None
        for found in self._pattern.finditer(text):
            state, detail = fold_key(found[1]), ascii_fold(fold_key(found[2])).split()
            # Most words are no word of any label of the state: nothing to compare label by label.
            if not all(self._known_in_state(word, state) for word in detail):
                continue
            fitting = set.intersection(*(self._statuses_knowing(word, state) for word in detail))
            fits = {
                status: _closeness(detail, words) for status, words in self._labels.get(state, ()) if status in fitting
            }
            ranked = sorted(fits.values(), reverse=True)
            # The one closest by whole words, then by shared beginnings: "ogiltig avsandare" is "ogiltig
            # avsändaradress" rather than "ogiltigt avsändarnamn".
            if ranked and (len(ranked) == 1 or ranked[0] > ranked[1]):
                return max(fits, key=fits.__getitem__)
        return None

    def unknown(self, text: str) -> str | None:
        """The first label-shaped part of `text` that names no status, as written; None when there is none."""
        if self._pattern is None:
            return None
        for found in _QUOTED_LABEL.finditer(text):
            # 'Status says "Pending - Awaiting approval"': a state of no status of ours, quoted as a label where the
            # status page is spoken of ("we use 'Shopify - Plus'" is a plan, not a status).
            told = _STATUS_TALK.search(text[max(0, found.start() - 40) : found.start() + 1])
            if fold_key(found[1]) not in self._states_known and (
                told or found.group().strip(' "“”‘’') == text.strip(' "“”‘’')
            ):
                return f"{found[1]} {found[2]} {found[3]}"
        for found in self._pattern.finditer(text):
            state, detail = fold_key(found[1]), ascii_fold(fold_key(found[2]))
            words = detail.split()
            # The detail may run on into the sentence ("Skickar – på väg hos oss"): its first word tells.
            if self._known_in_state(words[0], state):
                continue
            # A typo across the detail ("åp väg", "nO its way") is that label still.
            labels = self._labels.get(state, ())
            if any(_typo(" ".join(words[: len(label)]), " ".join(label)) for _status, label in labels):
                continue
            return found.group().strip()
        return None


def _typo(written: str, label: str) -> bool:
    """A label's detail with a typo or two: one in a short one, two from ten letters."""
    typos = 2 if len(label) >= _TWO_TYPOS + 1 else 1
    return OSA.distance(written, label, score_cutoff=typos) <= typos


def _shared(word: str, other: str) -> int:
    """How many letters two words share from their beginning."""
    count = 0
    for mine, theirs in zip(word, other, strict=False):
        if mine != theirs:
            break
        count += 1
    return count


def _closeness(detail: list[str], words: tuple[str, ...]) -> tuple[int, int]:
    """(whole words in common, letters the rest share with their closest word)."""
    whole = sum(word in words for word in detail)
    shared = sum(max(_shared(word, other) for other in words) for word in detail)
    return whole, shared


def _known(word: str, known: Collection[str]) -> bool:
    if word in known:
        return True
    for other in known:
        # The word written is the beginning of the label's, but for a letter where a compound joins
        # ("avsandare" for "avsändaradress"); a longer word is another one ("timeout" is no "time").
        shared = _shared(word, other)
        if shared >= _PREFIX and shared >= len(word) - 1:
            return True
        typos = 2 if len(word) >= _TWO_TYPOS else 1
        if len(word) >= _TYPO and OSA.distance(word, other, score_cutoff=typos) <= typos:
            return True
    return False
