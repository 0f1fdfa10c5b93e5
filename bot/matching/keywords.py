"""Free questions scored against each status's words (label, phrases, keywords) with BM25."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Container
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.knowledge.model import KnowledgeBase
from bot.matching.concepts import CONCEPT_MARK, ConceptMap
from bot.matching.normalize import ascii_fold, fold_keys
from bot.matching.phrases import ConceptPhrases
from bot.matching.stemming import stem_sv
from bot.matching.terms import content_words, stem

# How much each source of a status's words counts: the label names the status, keywords were
# chosen as distinctive, phrases describe it in many words.
_LABEL_WEIGHT = 3.0
_KEYWORD_WEIGHT = 2.0
_PHRASE_WEIGHT = 1.0
# The explanation shown to people carries the words of the situation they describe, at less weight
# than words chosen to name the status; the steps talk about remedies, so they count least.
_MEANING_WEIGHT = 0.5
_CAUSE_WEIGHT = 0.25
_STEPS_WEIGHT = 0.0
# Parts of compounds found in the knowledge base ("inbjudningsgräns" also counts as "gräns").
_PART_WEIGHT = 0.5
# How sure the parts of a known compound in a question are, beside the compound itself.
_QUERY_PART = 0.5
# BM25's usual constants.
_K1 = 1.2
_B = 0.75
# Query words the knowledge base lacks count as this much unexplained meaning.
UNKNOWN_WORD_MASS = 1.6
_MIN_PART = 4
# Words this long or longer are also recognised when a question writes them in two.
_MIN_JOINED = 8
_CACHE_LIMIT = 4096
# How sure a word typed without its å, ä or ö is read right.
_FOLDED_SURE = 0.9


# Topics the bot does not cover are scored like statuses, under ids no status can have.
TOPIC_PREFIX = "~"


@dataclass(frozen=True)
class Candidate:
    # A status id, or TOPIC_PREFIX + the id of an out-of-scope topic.
    status: str
    # BM25 score of the status for the query.
    score: float
    # Share (0-1) of the query's meaning, by idf, that this status's words explain.
    coverage: float
    # How many of the question's words the status shares with it.
    words: int = 0
    # Whether one of them is a word of the status's label or keywords, not only of its example phrases.
    anchored: bool = False
    # The question's words the status shares, each with its weight (idf times how sure the reading is).
    evidence: tuple[tuple[str, float], ...] = ()

    @property
    def is_topic(self) -> bool:
        """Whether this is an out-of-scope topic rather than a status."""
        return self.status.startswith(TOPIC_PREFIX)

    @property
    def topic(self) -> str | None:
        """The id of the out-of-scope topic this is, if it is one."""
        return self.status[len(TOPIC_PREFIX) :] if self.is_topic else None


def _detail(label: str) -> str:
    state, dash, detail = label.replace("–", "-").partition(" - ")
    return detail if dash else state


class KeywordIndex:
    """Per-status term frequencies and idf, with typo- and compound-tolerant lookup of query words."""

    def __init__(self, kb: KnowledgeBase) -> None:
        canon = self._canon = ConceptMap(kb.concepts)
        # Only questions are searched for concept phrases: the statuses name their concepts in single words.
        self._phrases = ConceptPhrases(kb.concepts)
        # Words of a concept that people also write in two ("opt out", "reply-to", "follow up").
        self._joined = frozenset(word for word in canon.words if len(word) >= _MIN_PART + 1)
        # Typed without å, ä and ö ("stangde av") they are joined too, then read as the word they fold from.
        self._joined |= frozenset(ascii_fold(word) for word in self._joined)
        raw: dict[str, dict[str, float]] = {}
        tf: dict[str, dict[str, float]] = {}
        anchors: dict[str, set[str]] = {}
        surfaces: dict[str, str] = {}
        documents_sources: list[tuple[str, dict[str, list[tuple[str, float]]]]] = [
            (
                entry.id,
                {
                    language: [(_detail(entry.label.get(language)), _LABEL_WEIGHT)]
                    + [(text, _KEYWORD_WEIGHT) for text in entry.keywords.get(language)]
                    + [(text, _PHRASE_WEIGHT) for text in entry.phrases.get(language)]
                    + [(entry.meaning.get(language), _MEANING_WEIGHT), (entry.cause.get(language), _CAUSE_WEIGHT)]
                    + [(text, _STEPS_WEIGHT) for text in entry.steps.get(language)]
                    for language in ("sv", "en")
                },
            )
            for entry in kb
        ]
        documents_sources += [
            (
                TOPIC_PREFIX + topic.id,
                {
                    language: [(text, _KEYWORD_WEIGHT) for text in topic.keywords.get(language)]
                    + [(text, _PHRASE_WEIGHT) for text in topic.phrases.get(language)]
                    for language in ("sv", "en")
                },
            )
            for topic in kb.out_of_scope
        ]
        # Every text is folded at once, and each distinct word is stemmed and read as its concept once per language.
        texts = [
            text
            for _document, by_language in documents_sources
            for sources in by_language.values()
            for text, weight in sources
            if weight > 0
        ]
        keys = iter(fold_keys(texts))
        readings: dict[str, dict[str, tuple[str, str]]] = {"sv": {}, "en": {}}
        for document, by_language in documents_sources:
            counts: dict[str, float] = defaultdict(float)
            anchor = anchors[document] = set()
            for language, sources in by_language.items():
                seen = readings[language]
                for _text, weight in sources:
                    if weight <= 0:
                        continue
                    for word in content_words(next(keys), self._joined):
                        reading = seen.get(word)
                        if reading is None:
                            term = stem(word, language)
                            reading = seen[word] = (term, canon(term))
                            # The first reading of a word is its surface reading, whichever language it came in.
                            surfaces.setdefault(word, reading[1])
                        counts[reading[0]] += weight
                        if weight > _PHRASE_WEIGHT:
                            anchor.add(reading[1])
            raw[document] = counts
        # Compounds split on the stems as written; the parts then join their concepts like whole words.
        vocabulary = {term for counts in raw.values() for term in counts} | canon.stems()
        self._vocabulary = vocabulary
        # Each distinct term is taken apart once, however many documents write it.
        parts_of: dict[str, tuple[str, ...]] = {}
        for document, counts in raw.items():
            merged: dict[str, float] = defaultdict(float)
            for term, count in counts.items():
                merged[canon(term)] += count
                parts = parts_of.get(term)
                if parts is None:
                    parts = parts_of[term] = tuple(canon(part) for part in _compound_parts(term, vocabulary))
                for part in parts:
                    merged[part] += _PART_WEIGHT * count
            tf[document] = merged
        self._tf = tf
        self._anchors = anchors
        self._anchor_terms = frozenset(term for terms in anchors.values() for term in terms)
        self._length = {status: sum(counts.values()) for status, counts in tf.items()}
        self._average = sum(self._length.values()) / max(len(self._length), 1)
        documents = len(tf)
        frequency: dict[str, int] = defaultdict(int)
        for counts in tf.values():
            for term in counts:
                frequency[term] += 1
        self._idf = {
            term: math.log(1.0 + (documents - n + 0.5) / (n + 0.5)) for term, n in frequency.items()
        }
        self._postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for status, counts in tf.items():
            for term, count in counts.items():
                self._postings[term].append((status, count))
        for word, term in canon.words.items():
            if term in self._idf:
                surfaces.setdefault(word, term)
        # Typos are looked for among words with the same first letter: people rarely mistype the first letter,
        # and a common word the knowledge base lacks ("gamla") is otherwise read as a near one ("samla").
        by_initial: dict[str, list[str]] = defaultdict(list)
        for word in sorted(surfaces):
            if len(word) >= _MIN_PART:
                by_initial[word[0]].append(word)
        self._surfaces = dict(by_initial)
        self._surface_term = surfaces
        # Swedish typed without å, ä and ö ("kon", "forsoka", "fran"): the word, or its stem, as the knowledge base
        # writes it. A folded form that is a word or stem of its own ("far", "for") keeps that reading.
        self._folded_surface = _folded({word: term for word, term in surfaces.items()}, surfaces)
        stems = {term: term for term in self._idf if not term.startswith(CONCEPT_MARK)}
        stems.update({word: canon(word) for word in canon.stems()})
        self._folded_stem = _folded(stems, self._idf)
        # People split Swedish compounds ("fel formaterad", "svars adress"): two words of a question that
        # together spell a long word of the knowledge base are read as that word.
        self._query_joined = self._joined | frozenset(
            word for word in surfaces if len(word) >= _MIN_JOINED and word.isalpha()
        )
        self._cache: dict[tuple[str, str | None], tuple[tuple[str, float], ...]] = {}

    def words(self, key: str, language: str | None = None) -> list[str]:
        """The content words of a folded question, read the way the statuses' texts were.

        A concept phrase in it ("stop getting our emails") reads as the concept's word ("unsubscribe").
        """
        return content_words(self._phrases.rewrite(key), self._query_joined, language)

    def known_words(self) -> Container[str]:
        """Every folded word of the knowledge base's texts and concepts."""
        return self._surface_term.keys()

    def names_something(self, word: str) -> bool:
        """Whether a folded word is one the statuses or topics are named by (a word of a label, keyword or concept),
        as a status's example sentences' "Anna" or "shop" is not."""
        return any(term in self._anchor_terms for term, _sureness in self.resolve(word, None)) or (
            word in self._canon.words
        )

    def idf(self, term: str) -> float:
        return self._idf.get(term, 0.0)

    def resolve(self, word: str, language: str | None) -> tuple[tuple[str, float], ...]:
        """The index terms a query word stands for, each with how sure the reading is (0-1)."""
        key = (word, language)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._resolve(word, language)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = cached
        return cached

    def _resolve(self, word: str, language: str | None) -> tuple[tuple[str, float], ...]:
        languages = (language, "en" if language == "sv" else "sv") if language else (None, "sv", "en")
        for candidate_language in languages:
            term = self._canon(stem(word, candidate_language))
            if term in self._idf:
                # A compound the knowledge base writes as well ("avsändarmejl") also speaks through its parts,
                # as the same parts do in the statuses that say "avsändare" or "mejl" on their own.
                parts = {self._canon(p) for p in _compound_parts(term, self._vocabulary)} - {term}
                extra = tuple((part, _QUERY_PART) for part in sorted(parts) if part in self._idf)
                return ((term, 1.0), *extra)
        if word.isascii():
            folded = self._folded_surface.get(word) or self._folded_stem.get(stem_sv(word))
            if folded is not None and folded in self._idf:
                return ((folded, _FOLDED_SURE),)
        if len(word) < _MIN_PART + 1 or not word.isalpha():
            return ()
        found = _compound_parts(stem(word, language), self._vocabulary)
        # A short head alone is a guess at the end of a long unknown word ("domänverifiering" is no "ring").
        if len(found) == 1 and len(found[0]) < 5:
            found = ()
        parts = {self._canon(part) for part in found}
        parts = {part for part in parts if part in self._idf}
        if parts:
            return tuple((part, 0.8) for part in sorted(parts))
        # One typo in a short word, two in a long one ("påminelse", "unsubscirbed").
        allowed = 1 if len(word) < 9 else 2
        near = process.extractOne(word, self._surfaces.get(word[0], ()), scorer=OSA.distance, score_cutoff=allowed)
        if near is not None:
            return ((self._surface_term[near[0]], 0.75),)
        return ()

    def rank(self, words: list[str], language: str | None, limit: int = 6) -> list[Candidate]:
        """Statuses by BM25 score for the query's content words, best first, then the best out-of-scope topic."""
        scores: dict[str, float] = defaultdict(float)
        explained: dict[str, float] = defaultdict(float)
        shared: dict[str, int] = defaultdict(int)
        evidence: dict[str, list[tuple[str, float]]] = defaultdict(list)
        anchored: set[str] = set()
        mass = 0.0
        for word in words:
            readings = self.resolve(word, language)
            if not readings:
                # Numbers and the addresses people paste ("info@shop") are particulars, not unexplained meaning.
                mass += 0.5 if word.isdigit() or "@" in word else UNKNOWN_WORD_MASS
                continue
            mass += max(self._idf[term] * sureness for term, sureness in readings)
            seen: dict[str, float] = {}
            for term, sureness in readings:
                idf = self._idf[term]
                for status, count in self._postings[term]:
                    norm = count + _K1 * (1 - _B + _B * self._length[status] / self._average)
                    scores[status] += sureness * idf * count * (_K1 + 1) / norm
                    seen[status] = max(seen.get(status, 0.0), idf * sureness)
                    if term in self._anchors[status]:
                        anchored.add(status)
            for status, value in seen.items():
                explained[status] += value
                shared[status] += 1
                evidence[status].append((word, value))
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        statuses = [item for item in ranked if not item[0].startswith(TOPIC_PREFIX)][:limit]
        # The best out-of-scope topic always comes along: it is what the statuses must beat.
        topic = next(([item] for item in ranked if item[0].startswith(TOPIC_PREFIX)), [])
        return [
            Candidate(
                status,
                score,
                explained[status] / mass if mass else 0.0,
                shared[status],
                status in anchored,
                tuple(evidence[status]),
            )
            for status, score in statuses + topic
        ]


def _folded(readings: dict[str, str], taken: Container[str]) -> dict[str, str]:
    """Folded form -> reading, for the keys with å, ä or ö whose folded form is no key of its own and
    points to one reading only."""
    result: dict[str, str] = {}
    clashes: set[str] = set()
    for key, reading in readings.items():
        if key.isascii():
            continue
        folded = ascii_fold(key)
        if folded in taken or folded in clashes:
            continue
        if result.setdefault(folded, reading) != reading:
            clashes.add(folded)
            del result[folded]
    return result


def _compound_parts(term: str, vocabulary: set[str] | dict[str, float]) -> tuple[str, ...]:
    """Known words a Swedish compound is built from: the longest known head, and the known modifier."""
    # A concept term is a meaning, not a word to take apart ("=template" holds no "late").
    if len(term) < 2 * _MIN_PART - 1 or term.startswith(CONCEPT_MARK):
        return ()
    for cut in range(3, len(term) - _MIN_PART + 1):
        head = term[cut:]
        if head in vocabulary:
            parts = [head]
            modifier = term[:cut]
            # Modifiers keep their compound form ("avsändar-", "inbjudnings-"): try it bare and stemmed.
            bare = modifier[:-1] if modifier.endswith("s") else ""
            for candidate in (modifier, bare, stem_sv(modifier), stem_sv(bare) if bare else ""):
                if len(candidate) >= _MIN_PART and candidate in vocabulary:
                    parts.append(candidate)
                    break
            return tuple(parts)
    return ()
