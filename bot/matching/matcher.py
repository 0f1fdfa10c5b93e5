"""The status matcher: a typed text in, a status id (or "not sure" with the closest ones) out."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from bot.core.models import Match
from bot.knowledge.model import Category, KnowledgeBase
from bot.matching.domain import mentions_domain
from bot.matching.keywords import Candidate, KeywordIndex
from bot.matching.labels import LabelHit, LabelIndex
from bot.matching.language import language_of_normalized
from bot.matching.normalize import MAX_INPUT_CHARS, fold_normalized, normalize
from bot.matching.polarity import PolarityReader, factors

MAX_ALTERNATIVES = 3
# Below this a keyword score is a guess: no status, the best candidates offered instead.
CONFIDENT = 50.0
# Candidates worth offering when nothing is certain.
_OFFER = 20.0
# A BM25 score from which a status counts as fully supported (two or three distinctive words).
_FULL_STRENGTH = 8.0
# The reject option. Out-of-scope topics (knowledge/out_of_scope.yaml) are scored like statuses: a topic
# scoring at least the best status's BM25 score settles the question as not about a status (nothing offered,
# so the bot shows help); from TOPIC_CLOSE of it the call is too close, so the statuses are offered instead.
# Chosen on the "tune" half of tests/matching/calibration.tsv: in-scope questions mostly sit below 0.5,
# other questions above 0.75.
# A question that says what happened to its invitation (a polarity lean: it arrived, was stopped, is waiting) is
# about an invitation whatever else it mentions, so for it only a topic that wins counts: in every labelled set
# the close band caught no out-of-scope question with a lean, only in-scope ones (7 of 7 there).
TOPIC_WINS = 1.0
TOPIC_CLOSE = 0.7
# Confidence kept by a free question with no word about invitations, email or delivery: it can still name a
# status, but only with strong support. This is what catches topics the out-of-scope file does not list
# (leaving each topic out in turn, 95% rather than 81% of its questions stayed unanswered on the tune half).
OFF_DOMAIN = 0.5
# Content words besides a label that still leave the label as the whole question ("what does X mean here").
_FEW_OTHER_WORDS = 1
# Delivery polarity (knowledge/polarity.yaml): a question that says the invitation arrived, did not, or is on
# its way leans towards statuses of that category. Keyword scores of a category the cues speak against lose up
# to POLARITY_PENALTY of their value, those of a category spoken for gain up to POLARITY_BOOST (less for a
# category most statuses share), in proportion to the share of cues. Chosen on the "tune" halves of
# tests/matching/{calibration,paraphrases,polarity}.tsv: any penalty from 0.2 to 0.5 with a boost from 0.6 up
# did equally well there (325 of 336 against 318 without); these sit inside that range.
POLARITY_PENALTY = 0.3
POLARITY_BOOST = 1.0
# A dead heat is settled by a defining detail: a word of the question worth at least this much (idf) that one of
# the two tied statuses shares and the other lacks, while the other has no such word of its own.
DETAIL = 1.5
# Statuses ranked by keyword score before the lean: enough for one further down to come up.
_RANKED = 6
_RANKED_WITH_LEAN = 10


class Matcher:
    """Pure and deterministic: the same text always gives the same Match."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._labels = LabelIndex(kb)
        self._keywords = KeywordIndex(kb)
        self._related = {entry.id: entry.related for entry in kb}
        self._category = {entry.id: entry.category for entry in kb}
        self._sizes = Counter(self._category.values())
        self._polarity = PolarityReader(kb.polarity, self._keywords.known_words()) if kb.polarity else None
        self._also_pending = frozenset(kb.polarity.also_pending) if kb.polarity else frozenset()

    def match(self, text: str) -> Match:
        normalized = normalize(text)
        key = fold_normalized(normalized)
        if not key:
            return Match(status=None, score=0.0)
        detected = language_of_normalized(normalized)
        hit = self._labels.exact(key)
        if hit is not None:
            # A bare code ("spf_failure") is in no language; a pasted label is in its own.
            language = detected if "_" in normalized else hit.language or detected
            return self._certain(hit, language)
        # A mistyped label first: its intact words may hold a shorter label ("Blocked email addres").
        fuzzy = self._labels.fuzzy(key)
        if fuzzy is not None:
            return self._certain(fuzzy, fuzzy.language or detected)
        # "[Link]", "{{first_name}}": template syntax names the placeholder topic whatever words surround it.
        words = self._keywords.words(
            f"{key} placeholder" if _PLACEHOLDER_SYNTAX.search(text[:MAX_INPUT_CHARS]) else key, detected
        )
        inside = self._labels.inside(key)
        if inside is not None and _names_the_status(inside, words, text):
            return self._certain(inside, inside.language or detected)
        lean = self._polarity.lean(normalized) if self._polarity is not None else {}
        candidates = self._keywords.rank(words, detected, _RANKED_WITH_LEAN if lean else _RANKED)
        statuses = [c for c in candidates if not c.is_topic]
        # The lean reorders statuses and sharpens confidence, but a question is measured against the topics the
        # bot does not cover by its words alone: saying "it was blocked" makes no question more about a status.
        strengths = {c.status: c.score for c in statuses} if lean else None
        if lean:
            by_category = factors(lean, POLARITY_PENALTY, POLARITY_BOOST, self._sizes)
            statuses = _leaned(statuses, by_category, self._category, self._also_pending)
        topic = next((c for c in candidates if c.is_topic), None)
        return self._judge(statuses, topic, inside, detected, mentions_domain(words), strengths)

    def _certain(self, hit: LabelHit, language: str | None) -> Match:
        return Match(
            status=hit.status,
            score=round(hit.score, 1),
            alternatives=self._related.get(hit.status, ())[:MAX_ALTERNATIVES],
            language=language,
        )

    def _judge(
        self,
        candidates: list[Candidate],
        topic: Candidate | None,
        inside: LabelHit | None,
        language: str | None,
        on_topic: bool = True,
        strengths: dict[str, float] | None = None,
    ) -> Match:
        prior = 1.0 if on_topic else OFF_DOMAIN
        favoured = _favoured(candidates)
        confidence = {c.status: prior * _confidence(c, candidates, c.status == favoured) for c in candidates}
        if inside is not None:
            # A label in a longer question ("... is blocked") leans towards that status; a one-word one
            # ("sending", "delivered") only a little, as it is as often just a verb in the story.
            floor, lift = (40.0, 20.0) if inside.form.words >= 2 else (30.0, 10.0)
            confidence[inside.status] = max(confidence.get(inside.status, 0.0), floor) + lift
        ranked = sorted(confidence.items(), key=lambda item: (-item[1], item[0]))
        if not ranked:
            return Match(status=None, score=0.0, language=language)
        best, score = ranked[0]
        score = min(score, 95.0)
        if topic is not None:
            # A label found inside the text may have no keyword score; the best keyword score stands in.
            fallback = candidates[0].score if candidates else 0.0
            strength = next((c.score for c in candidates if c.status == best), fallback)
            if strengths:
                # With a lean, the question's best keyword score is what its words alone say about statuses.
                strength = max(strengths.values())
            if topic.score >= TOPIC_WINS * strength:
                return Match(None, round(score, 1), (), language)
            if not strengths and topic.score >= TOPIC_CLOSE * strength:
                offered = tuple(s for s, v in ranked if v >= _OFFER)[:MAX_ALTERNATIVES]
                return Match(None, round(score, 1), offered, language)
        if score >= CONFIDENT:
            others = tuple(s for s, v in ranked[1:] if v >= _OFFER)
            extra = tuple(s for s in self._related.get(best, ()) if s not in others)
            return Match(best, round(score, 1), (others + extra)[:MAX_ALTERNATIVES], language)
        offered = tuple(s for s, v in ranked if v >= _OFFER)[:MAX_ALTERNATIVES]
        return Match(None, round(score, 1), offered, language)


def _leaned(
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


def _names_the_status(hit: LabelHit, words: list[str], raw: str) -> bool:
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
    return _set_apart(raw, label_words)


_PLACEHOLDER_SYNTAX = re.compile(
    r"\[\s*[^\W\d]\w{1,30}\s*\]|\{\{?\s*\w[\w.]{1,30}\s*\}\}?|%[A-Za-z_]{2,30}%|<<\w{2,30}>>"
)
_MARKS = frozenset("\"'`´‘’‚‛“”„‟«»‹›*_:")


def _set_apart(raw: str, label_words: list[str]) -> bool:
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


def _favoured(candidates: list[Candidate]) -> str | None:
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


def _confidence(candidate: Candidate, candidates: list[Candidate], favoured: bool = False) -> float:
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
