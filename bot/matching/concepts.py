"""Words with one meaning read as one term: "bounced", "studsade" and "refused" all become the concept "bounce"."""

from __future__ import annotations

from bot.knowledge.model import Concept
from bot.matching.normalize import fold_key
from bot.matching.stemming import stem_en, stem_sv

# Concept terms cannot collide with stems, which never hold this character.
CONCEPT_MARK = "="


class ConceptMap:
    """Stem -> concept term, for the stem of every listed word in its own language.

    Only the own language's stem is registered: the other stemmer cuts English words as if Swedish
    ("sender" -> "send"), and the matcher already tries a word in both languages.
    """

    def __init__(self, concepts: tuple[Concept, ...]) -> None:
        self._of: dict[str, str] = {}
        # Folded listed words by their concept term, so typos of a word no status uses can still be caught.
        self.words: dict[str, str] = {}
        for concept in concepts:
            term = CONCEPT_MARK + concept.id
            for language in ("sv", "en"):
                for listed in concept.words.get(language):
                    for word in fold_key(listed).split():
                        self._of[stem_sv(word) if language == "sv" else stem_en(word)] = term
                        self.words.setdefault(word, term)

    def __call__(self, term: str) -> str:
        """The concept a stem belongs to, or the stem itself."""
        return self._of.get(term, term)

    def stems(self) -> frozenset[str]:
        """Every stem that belongs to a concept: known words for splitting compounds."""
        return frozenset(self._of)

    def __len__(self) -> int:
        return len(self._of)
