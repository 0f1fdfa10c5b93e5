"""Status labels and codes as people paste them: exact forms, labels inside a sentence, labels with typos."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.knowledge.model import KnowledgeBase
from bot.matching.normalize import ascii_fold, fold_key
from bot.matching.terms import NEGATIONS

# How much a form counts when two statuses share it: the full label wins over a code,
# a code over a label without its "Not delivered -" part, that over a bare state ("Sending").
_FULL, _CODE, _DETAIL, _STATE = 3, 2, 1, 0


@dataclass(frozen=True)
class LabelForm:
    """One way of writing a status that identifies it: a label, a code, the label's detail part."""

    key: str
    status: str
    language: str | None
    rank: int

    @property
    def words(self) -> int:
        return self.key.count(" ") + 1


@dataclass(frozen=True)
class LabelHit:
    status: str
    score: float
    language: str | None
    form: LabelForm


def _forms(kb: KnowledgeBase) -> tuple[list[LabelForm], set[str]]:
    forms: list[LabelForm] = []
    states: dict[tuple[str, str], set[str]] = {}
    for entry in kb:
        forms.append(LabelForm(fold_key(entry.id), entry.id, None, _CODE))
        for language in ("sv", "en"):
            label = entry.label.get(language)
            forms.append(LabelForm(fold_key(label), entry.id, language, _FULL))
            # Labels read "State - Detail"; the detail alone is how people often quote them.
            state, dash, detail = label.replace("–", "-").partition(" - ")
            if dash and fold_key(detail):
                forms.append(LabelForm(fold_key(detail), entry.id, language, _DETAIL))
                states.setdefault((fold_key(state), language), set()).add(entry.id)
    # A state names a status only when no other label starts with it ("Sending", not "Not delivered").
    for (state, language), ids in states.items():
        if len(ids) == 1:
            forms.append(LabelForm(state, next(iter(ids)), language, _STATE))
    return forms, {state for state, _language in states}


def _unambiguous(forms: list[LabelForm], key_of: dict[str, str] | None = None) -> dict[str, LabelForm]:
    """Key -> the form that owns it; a key two statuses share at the same rank belongs to neither."""
    best: dict[str, LabelForm] = {}
    clashes: set[str] = set()
    for form in forms:
        key = key_of[form.key] if key_of else form.key
        other = best.get(key)
        if other is None or form.rank > other.rank:
            best[key] = form
            clashes.discard(key)
        elif form.rank == other.rank and form.status != other.status:
            clashes.add(key)
    return {key: form for key, form in best.items() if key not in clashes}


# Words that turn "delivered" into its opposite.
_NEGATIONS = NEGATIONS


class LabelIndex:
    """Finds a status from its label or code: exactly, inside a longer text, or despite typos."""

    def __init__(self, kb: KnowledgeBase) -> None:
        forms, self._states = _forms(kb)
        self._exact = _unambiguous(forms)
        folded = {form.key: ascii_fold(form.key) for form in forms}
        self._folded = _unambiguous(forms, folded)
        self._compact = _unambiguous(forms, {k: v.replace(" ", "") for k, v in folded.items()})
        # Longest first: inside a sentence the longest label found is the one meant
        # ("blockerad e-postadress" rather than "blockerad").
        self._inside = sorted(
            (f for f in self._exact.values() if f.rank != _STATE), key=lambda f: (-len(f.key), f.key)
        )
        self._inside_folded = [(ascii_fold(form.key), form) for form in self._inside]
        # A state that names one status ("Sending", "Skickar"): inside a sentence only when it is set apart.
        self._stated = sorted(
            (f for f in self._exact.values() if f.rank == _STATE), key=lambda f: (-len(f.key), f.key)
        )
        # Keys by length: only a key about as long as the text can be within a few typos of it, and most texts
        # are sentences far longer than any label, so most lookups compare with nothing at all.
        self._compact_by_length = _ByLength(self._compact)
        self._fuzzy_by_length = _ByLength(self._folded)

    @property
    def states(self) -> frozenset[str]:
        """The folded first parts of labels that have a detail ("not delivered", "levererad")."""
        return frozenset(self._states)

    def exact(self, key: str) -> LabelHit | None:
        """The status whose label, detail part or code is exactly this folded text."""
        form = self._exact.get(key)
        if form is None:
            folded = ascii_fold(key)
            form = self._folded.get(folded) or self._compact.get(folded.replace(" ", ""))
        return LabelHit(form.status, 100.0, form.language, form) if form else None

    def inside(self, key: str) -> LabelHit | None:
        """The longest label form that occurs as whole words in a longer text.

        A label that is also the first part of other labels ("Levererad" in "Levererad – avregistrerad",
        or in a mistyped "Ej levererad – ...") counts only when no other label is found.
        """
        # Compared without å, ä and ö: a text may be written so ("statusen är riskerar skrappost").
        padded = f" {ascii_fold(key)} "
        weak: LabelForm | None = None
        for written, form in self._inside_folded:
            at = padded.find(f" {written} ")
            if at < 0:
                continue
            before = padded[:at].split()
            if form.key in self._states:
                if weak is None and not (before and before[-1] in _NEGATIONS):
                    weak = form
                continue
            return LabelHit(form.status, 100.0, form.language, form)
        return LabelHit(weak.status, 100.0, weak.language, weak) if weak else None

    def named(self, key: str) -> LabelHit | None:
        """The label a folded text is, is with typos, or holds."""
        return self.exact(key) or self.fuzzy(key) or self.inside(key)

    def starting(self, key: str) -> LabelHit | None:
        """The longest label (not a bare state) a folded text begins with, compared without å, ä and ö."""
        padded = f"{ascii_fold(key)} "
        for written, form in self._inside_folded:
            if padded.startswith(f"{written} "):
                return LabelHit(form.status, 100.0, form.language, form)
        return None

    def state_inside(self, key: str) -> LabelHit | None:
        """A state that names one status ("skickar"), as whole words in a longer text and not negated."""
        padded = f" {key} "
        for form in self._stated:
            at = padded.find(f" {form.key} ")
            if at >= 0 and padded[:at].split()[-1:] not in ([n] for n in _NEGATIONS):
                return LabelHit(form.status, 100.0, form.language, form)
        return None

    def fuzzy(self, key: str) -> LabelHit | None:
        """A label or code with a few typos or swapped words, when one status is clearly closest."""
        folded = ascii_fold(key)
        compact = folded.replace(" ", "")
        if len(compact) < 2 or len(folded) > 120:
            return None
        negations = _NEGATIONS.intersection(folded.split())
        allowed = 1 if len(compact) < 10 else 2 if len(compact) < 20 else 3
        keys = self._compact_by_length.near(len(compact), allowed)
        near = process.extract(compact, keys, scorer=OSA.distance, score_cutoff=allowed, limit=4) if keys else []
        # "Ej levererad" alone is every failure, not the near-identical "Levererad".
        near = [item for item in near if negations <= set(self._compact[item[0]].key.split())]
        if near:
            best_key, distance, _ = near[0]
            form = self._compact[best_key]
            if all(self._compact[k].status == form.status for k, d, _ in near if d == distance):
                return LabelHit(form.status, _fuzzy_score(distance, len(compact)), form.language, form)
            return None
        if " " not in folded:
            return None
        # Swapped words ("rejected message" for "message rejected"), each perhaps with a typo.
        # A ratio of 88 leaves the two lengths at most 12% of their sum apart.
        keys = self._fuzzy_by_length.near(len(folded), int(0.24 * len(folded) / 0.88) + 2)
        ranked = process.extract(folded, keys, scorer=fuzz.token_sort_ratio, score_cutoff=88, limit=4) if keys else []
        ranked = [item for item in ranked if negations <= set(item[0].split())]
        if not ranked:
            return None
        best_key, score, _ = ranked[0]
        form = self._folded[best_key]
        if any(self._folded[k].status != form.status and s > score - 4 for k, s, _ in ranked[1:]):
            return None
        return LabelHit(form.status, min(float(score), 96.0), form.language, form)


class _ByLength:
    """Keys grouped by length, to find the ones about as long as a text."""

    def __init__(self, keys: dict[str, LabelForm]) -> None:
        self._order = {key: i for i, key in enumerate(keys)}
        self._groups: dict[int, list[str]] = {}
        for key in keys:
            self._groups.setdefault(len(key), []).append(key)

    def near(self, length: int, spread: int) -> list[str]:
        """The keys at most `spread` characters longer or shorter, in the order they were built (the order that
        settles ties between equally near keys)."""
        groups = self._groups
        found = [key for size in range(max(length - spread, 0), length + spread + 1) for key in groups.get(size, ())]
        return sorted(found, key=self._order.__getitem__) if len(found) > 1 else found


def _fuzzy_score(distance: float, length: int) -> float:
    # Never below 60: a unique nearest label is still a confident answer, if a less certain one.
    return round(max(60.0, 98.0 - 100.0 * distance / max(length, 1)), 1)
