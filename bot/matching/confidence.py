"""How sure a keyword score is, and what settles ties: the arithmetic of the matcher's judgement."""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import replace

from bot.knowledge.model import Category
from bot.matching.keywords import Candidate
from bot.matching.labels import LabelHit
from bot.matching.normalize import MAX_INPUT_CHARS

# Below this a keyword score is a guess: no status, the best candidates offered instead.
CONFIDENT = 50.0
# A BM25 score from which a status counts as fully supported (two or three distinctive words).
_FULL_STRENGTH = 8.0
# Content words besides a label that still leave the label as the whole question ("what does X mean here").
_FEW_OTHER_WORDS = 1
# A dead heat is settled by a defining detail: a word of the question worth at least this much (idf) that one of
# the two tied statuses shares and the other lacks, while the other has no such word of its own.
DETAIL = 1.5


def leaned(
    candidates: list[Candidate],
    by_category: dict[Category, float],
    category: dict[str, Category],
    also_pending: frozenset[str] = frozenset(),
) -> list[Candidate]:
    """The candidates with their keyword scores scaled by their category's polarity factor, best first.

    A status that also reads as pending takes the better of its own category's factor and the pending one.
    """

    def factor(status: str) -> float:
        own = by_category.get(category[status], 1.0)
        return max(own, by_category.get(Category.PENDING, 1.0)) if status in also_pending else own

    scaled = [replace(c, score=c.score * factor(c.status)) for c in candidates]
    return sorted(scaled, key=lambda c: (-c.score, c.status))


def names_the_status(hit: LabelHit, words: list[str], raw: str) -> bool:
    """Whether a label found inside the text settles the question on its own.

    It does when the text says little else ("what does Delivered mean?"), when the label is long
    enough to be quoted on purpose, or when the raw text sets it apart as a label (quoted, in bold,
    capitalised mid-sentence, written as a code). A short label that is just a word of the story
    is only a hint: "... the ones already in the queue" or "the template we were sending with".
    """
    label_words = hit.form.key.split()
    rest = [w for w in words if w not in label_words]
    if len(rest) <= _FEW_OTHER_WORDS:
        return True
    if hit.form.rank == 3 and len(label_words) >= 3:
        return True
    return set_apart(raw, label_words)


def said(tokens: list[str], label_words: list[str], saying: Container[str]) -> bool:
    """Whether a label follows a verb of saying among a text's words: "it shows delivered", "det står levererad",
    "it says it's blocked" (a pronoun or "that" may stand between)."""
    size = len(label_words)
    for i in range(1, len(tokens) - size + 1):
        if tokens[i : i + size] != label_words:
            continue
        before = tokens[max(0, i - 1 - _BETWEEN) : i]
        while before and before[-1] in _SAID_BETWEEN:
            before.pop()
        if before and before[-1] in saying:
            return True
    return False


def said_only(tokens: list[str], label_words: list[str], saying: Container[str]) -> bool:
    """Whether a label is said to be all the page shows: "it just says delivered", "det står bara levererad"."""
    size = len(label_words)
    for i in range(1, len(tokens) - size + 1):
        if tokens[i : i + size] == label_words and tokens[i - 1] in _ONLY:
            return said(tokens, label_words, saying)
    return False


_ONLY = frozenset({"bara", "just", "only", "enbart", "endast", "simply"})
# Words that may stand between a verb of saying and what it says: "says (that) (it) (is) blocked".
_SAID_BETWEEN = frozenset(
    ["that", "its", "it", "is", "att", "det", "den", "är", "was", "var", "bara", "just", "only"]
)
_BETWEEN = 3


PLACEHOLDER_SYNTAX = re.compile(
    r"\[\s*[^\W\d]\w{1,30}\s*\]|\{\{?\s*\w[\w.]{1,30}\s*\}\}?|%[A-Za-z_]{2,30}%|<<\w{2,30}>>"
)
_MARKS = frozenset("\"'`´‘’‚‛“”„‟«»‹›*_:")


def set_apart(raw: str, label_words: list[str]) -> bool:
    """The label stands out in the raw text: quoted, emphasised, after a colon, capitalised
    where a sentence does not start, or written as a code with underscores."""
    text = raw[:MAX_INPUT_CHARS]
    pattern = re.compile(
        r"(?<![^\W_])" + r"[\W_]+".join(re.escape(w) for w in label_words) + r"(?![^\W_])", re.IGNORECASE
    )
    for found in pattern.finditer(text):
        before = text[: found.start()].rstrip()
        if before and before[-1] in _MARKS:
            return True
        if "_" in found.group():
            return True
        if found.group()[:1].isupper() and before and before[-1] not in ".!?\n":
            return True
    return False


def favoured(candidates: list[Candidate]) -> str | None:
    """Of two statuses in a dead heat, the one a defining detail speaks for, if any.

    "A second invite won't go out, one is already lined up": both look-alikes share "invite" and "already",
    but only one has "lined up". When each has a detail the other lacks, or neither has, it stays a tie.
    """
    if len(candidates) < 2 or candidates[1].is_topic:
        return None
    first, second = candidates[0], candidates[1]
    if first.score <= 0 or (first.score - second.score) / first.score >= _DEAD_HEAT:
        return None
    words_first = {word for word, _ in first.evidence}
    words_second = {word for word, _ in second.evidence}
    only_first = max((value for word, value in first.evidence if word not in words_second), default=0.0)
    only_second = max((value for word, value in second.evidence if word not in words_first), default=0.0)
    if only_first >= DETAIL and only_second == 0.0:
        return first.status
    if only_second >= DETAIL and only_first == 0.0:
        return second.status
    return None


_DEAD_HEAT = 0.02


def confidence(candidate: Candidate, candidates: list[Candidate], favoured: bool = False) -> float:
    """0-100: how sure a keyword score is, from its strength, the share of the question it explains
    and its lead over the next status (a near tie is a guess between look-alikes, unless a defining detail
    favours it)."""
    best = candidates[0].score
    runner_up = next((c.score for c in candidates if c.status != candidate.status), 0.0)
    margin = max(candidate.score - runner_up, 0.0) / candidate.score if candidate.score > 0 else 0.0
    strength = min(candidate.score / _FULL_STRENGTH, 1.0)
    value = 100.0 * strength * (0.35 + 0.65 * candidate.coverage) * (0.6 + 0.4 * margin) / 0.7
    if margin < _DEAD_HEAT and not favoured:
        # A dead heat between two statuses ("kickstart" alone) is never an answer: offer both rather than pick one.
        value = min(value * 0.75, 0.9 * CONFIDENT)
    if candidate.words == 1 and not candidate.anchored:
        # One word in common, and only with an example phrase ("team", "help"): a coincidence more often than not.
        value *= 0.6
    if candidate.score < best and not favoured:
        value *= candidate.score / best
    return value
