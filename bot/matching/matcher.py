"""The status matcher: a typed text in, a status id (or "not sure" with the closest ones) out."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from bot.core.models import Act, Match
from bot.knowledge.model import KnowledgeBase
from bot.matching.chatter import ChatterReader
from bot.matching.clauses import ClauseReader
from bot.matching.confidence import (
    CONFIDENT,
    PLACEHOLDER_SYNTAX,
    leaned,
    names_the_status,
    said,
    said_only,
    set_apart,
)
from bot.matching.contrast import NowReader
from bot.matching.dialogue import without_small_talk
from bot.matching.domain import mentions_domain, mentions_invitations
from bot.matching.judgement import MAX_ALTERNATIVES, between, judge
from bot.matching.keywords import KeywordIndex
from bot.matching.labels import LabelHit, LabelIndex
from bot.matching.language import language_of_normalized
from bot.matching.lookalikes import LookAlikes
from bot.matching.normalize import MAX_INPUT_CHARS, ascii_fold, fold_key, fold_normalized, normalize
from bot.matching.polarity import PolarityReader, factors
from bot.matching.reading import sentences, strip_chat
from bot.matching.rows import several_statuses
from bot.matching.shapes import LabelShapes
from bot.matching.small_talk import SmallTalkReader

# Delivery polarity (knowledge/polarity.yaml): a question that says the invitation arrived, did not, or is on
# its way leans towards statuses of that category. Keyword scores of a category the cues speak against lose up
# to POLARITY_PENALTY of their value, those of a category spoken for gain up to POLARITY_BOOST (less for a
# category most statuses share), in proportion to the share of cues. Chosen on the "tune" halves of
# tests/matching/{calibration,paraphrases,polarity}.tsv: any penalty from 0.2 to 0.5 with a boost from 0.6 up
# did equally well there (325 of 336 against 318 without); these sit inside that range.
POLARITY_PENALTY = 0.3
POLARITY_BOOST = 1.0
# Statuses ranked by keyword score before the lean: enough for one further down to come up.
_RANKED = 6
_RANKED_WITH_LEAN = 10
# How sure the status a story leans to must be to stand against the status the asker guessed at.
_LEANING = 40.0
# Answers kept for texts met again.
_REMEMBERED = 4096
# Content words besides a label after "it shows": more, and a label that begins others ("delivered") is a hint.
_SAID_WORDS = 4
# How sure a label written in part is.
_PARTIAL = 90.0
# An emoji alone ("👍") is an acknowledgement.
_EMOJI_ALONE = ("acknowledgement",)


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
        self._small_talk = SmallTalkReader(kb.small_talk, self._keywords.names_something)
        negations = kb.polarity.negations if kb.polarity else None
        negation_words = frozenset(negations.sv + negations.en) if negations else frozenset()
        self._clauses = ClauseReader(kb.contrast, negation_words)
        # Verbs after which a label is quoted as what the status page says: "it shows delivered".
        saying = kb.contrast.saying if kb.contrast else None
        self._saying = frozenset(ascii_fold(w) for w in saying.sv + saying.en) if saying else frozenset()
        self._shapes = LabelShapes(kb)
        fine = kb.contrast.fine if kb.contrast else None
        self._lookalikes = LookAlikes(
            kb.lookalikes,
            negation_words,
            (fine.sv + fine.en) if fine else (),
            self._polarity.tells if self._polarity is not None else (lambda text: False),
        )
        self._answers: dict[str, Match] = {}
        breaks = sorted({w for lang in ("sv", "en") for w in kb.polarity.breaks.get(lang)}) if kb.polarity else []
        self._breaks = re.compile(r"\s+(?:" + "|".join(map(re.escape, breaks)) + r")\s+" if breaks else r"(?!)")
        self._chatter = ChatterReader(self._small_talk, self._clauses, self._polarity)
        self._now = NowReader(self._clauses, self._labels, self._keywords, self._polarity, self._read, self._saying)

    def match(self, text: str) -> Match:
        """What a message says: small talk, several statuses, a status (the one it has now), or nothing sure.

        Pure, so a text met again (a label pasted over and over, a batch of exported rows) is answered from memory.
        """
        found = self._answers.get(text)
        if found is None:
            found = self._match(text)
            if len(self._answers) >= _REMEMBERED:
                self._answers.clear()
            self._answers[text] = found
        return found

    def _match(self, text: str) -> Match:
        stripped, emoji = strip_chat(text)
        normalized = normalize(stripped)
        key = fold_normalized(normalized)
        if not key:
            return Match(None, 0.0, act=Act.SMALL_TALK, small_talk=_EMOJI_ALONE) if emoji else Match(None, 0.0)
        detected = language_of_normalized(normalized)
        hit = self._labels.exact(key)
        if hit is not None:
            # A bare code ("spf_failure") is in no language; a pasted label is in its own.
            language = detected if "_" in normalized else hit.language or detected
            return self._certain(hit, language)
        body, acts = without_small_talk(self._small_talk, stripped)
        if not body.strip():
            return Match(None, 0.0, language=detected, act=Act.SMALL_TALK, small_talk=acts)
        talk = self._chatter.only_talk(stripped, body)
        if talk is not None:
            # "Thanks, the SPF error is gone now", "ok, I'll check with my colleague": nothing asked or reported.
            return Match(None, 0.0, language=detected, act=Act.SMALL_TALK, small_talk=talk)
        several = several_statuses(self._labels, body)
        if several:
            main, *also = several
            return Match(main, 100.0, (), detected, also=tuple(also))
        shaped = self._shapes.unknown(body)
        if shaped is not None and self._labels.inside(fold_key(body.replace(shaped, " "))) is None:
            # "Not delivered - Unknown error": no status by that name; the closest real ones are offered.
            near = self._read(shaped, detected)
            closest = tuple(dict.fromkeys(((near.status,) if near.status else ()) + near.alternatives))
            return Match(None, 0.0, closest[:MAX_ALTERNATIVES], detected, act=Act.UNKNOWN_LABEL, label=shaped)
        now = self._now.now(body)
        focus, denied = now.focus, now.denied
        partial = self._shapes.partial(body) if focus is None else None
        if partial is not None:
            # Only the beginning of a label's words ("… ogiltig avsandare"): that label, if a little less sure.
            return Match(partial, _PARTIAL, self._related.get(partial, ())[:MAX_ALTERNATIVES], detected)
        found = None
        if focus is not None:
            # The clauses about now together, or one of them alone when it says more clearly what the status is:
            # "I checked again – it's still in the queue, just hasn't been sent yet".
            parts = (focus, *focus.split("\n")) if now.contrast else (focus,)
            readings = [self._read(part, detected, denied) for part in dict.fromkeys(parts)]
            found = max(readings, key=lambda reading: (reading.status is not None, reading.score))
            if found.status is None and now.guessed and found.alternatives and found.score >= _LEANING:
                # "…, is that X?": asked because the asker is unsure, so the status their story leans to is the
                # answer, when it leans to one at all; the guess stays among the ones offered.
                lean = found.alternatives[0]
                offered = tuple(s for s in dict.fromkeys((*found.alternatives[1:], *sorted(now.guessed))) if s != lean)
                found = replace(found, status=lean, alternatives=offered[:MAX_ALTERNATIVES])
        if found is not None and now.candidates:
            if self._neither(found, now.candidates):
                # The story surely names a look-alike of both ("… used for another customer. Already invited or
                # frequency?"): it is neither, and the two asked about are offered.
                offered = tuple(dict.fromkeys((*sorted(now.candidates), *found.alternatives)))
                found = replace(found, alternatives=offered[:MAX_ALTERNATIVES])
            else:
                found = between(found, now.candidates)
        if found is None or found.status is None:
            found = self._read(body, detected, denied)
        if found.act is Act.OUT_OF_SCOPE:
            # A ticket tells its setting ("we run the Shopify integration") around its problem ("since Friday
            # our invitations are stuck on SPF"): a clause about invitations that names a status is the question.
            found = self._told(body, detected, denied) or found
        if denied:
            found = replace(found, alternatives=tuple(s for s in found.alternatives if s not in denied))
        return found

    def _told(self, body: str, detected: str | None, denied: frozenset[str]) -> Match | None:
        """The best status a clause about invitations names on its own, when the whole reads as another topic."""
        # Statements only, down to the words that join two: "we run X and since Friday the invitations are stuck";
        # "how do I connect our shop so invites go out?" asks about the topic.
        pieces = (piece for sentence in sentences(body) for piece in sentence.split(";"))
        statements = "\n".join(piece for piece in pieces if "?" not in piece)
        clauses = self._clauses.clauses(statements, self._labels.states)
        parts = [part for clause in clauses for part in self._breaks.split(clause.text) if part.strip()]
        if len(parts) < 2:
            return None
        readings = [
            self._read(part, detected, denied)
            for part in parts
            if mentions_invitations(self._keywords.words(fold_key(part), detected))
        ]
        told = [reading for reading in readings if reading.status is not None and reading.act is Act.STATUS]
        return max(told, key=lambda reading: reading.score) if told else None

    def _neither(self, found: Match, candidates: frozenset[str]) -> bool:
        """Whether a sure answer is a look-alike of every candidate the asker named, and none of them."""
        status = found.status
        return (
            status is not None
            and status not in candidates
            and found.score >= CONFIDENT
            and all(self._lookalikes.alike(status, candidate) for candidate in candidates)
        )

    def _read(self, text: str, detected: str | None, denied: frozenset[str] = frozenset()) -> Match:
        """A status for the words of a text (no small talk left in it), none of the denied ones."""
        normalized = normalize(text)
        key = fold_normalized(normalized)
        if not key:
            return Match(None, 0.0, language=detected)
        detected = language_of_normalized(normalized) or detected
        hit = self._labels.exact(key)
        if hit is not None and hit.status not in denied:
            return self._certain(hit, hit.language or detected)
        # A mistyped label first: its intact words may hold a shorter label ("Blocked email addres").
        fuzzy = self._labels.fuzzy(key)
        if fuzzy is not None and fuzzy.status not in denied:
            return self._certain(fuzzy, fuzzy.language or detected)
        # "[Link]", "{{first_name}}": template syntax names the placeholder topic whatever words surround it.
        words = self._keywords.words(
            f"{key} placeholder" if PLACEHOLDER_SYNTAX.search(text[:MAX_INPUT_CHARS]) else key, detected
        )
        inside = self._labels.inside(key)
        if inside is not None and inside.status in denied:
            inside = None
        if inside is not None and (
            names_the_status(inside, words, text)
            or (
                # "it shows delivered": unless the story goes on, when a label beginning so may be meant.
                (inside.form.key not in self._labels.states or len(words) <= _SAID_WORDS)
                and said(ascii_fold(key).split(), ascii_fold(inside.form.key).split(), self._saying)
            )
            # "det står bara levererad": all the page shows, however long the story.
            or said_only(ascii_fold(key).split(), ascii_fold(inside.form.key).split(), self._saying)
        ):
            return self._certain(inside, inside.language or detected)
        if inside is None:
            # 'hänger på "skickar"': a state quoted or set apart names its one status.
            stated = self._labels.state_inside(key)
            if stated is not None and stated.status not in denied and set_apart(text, stated.form.key.split()):
                return self._certain(stated, stated.language or detected)
        lean = self._polarity.lean(normalized) if self._polarity is not None else {}
        candidates = self._keywords.rank(words, detected, _RANKED_WITH_LEAN if lean else _RANKED)
        candidates = [c for c in candidates if c.status not in denied]
        statuses = [c for c in candidates if not c.is_topic]
        # The lean reorders statuses and sharpens confidence, but a question is measured against the topics the
        # bot does not cover by its words alone: saying "it was blocked" makes no question more about a status.
        strengths = {c.status: c.score for c in statuses} if lean else None
        if lean:
            by_category = factors(lean, POLARITY_PENALTY, POLARITY_BOOST, self._sizes)
            statuses = leaned(statuses, by_category, self._category, self._also_pending)
        # Look-alikes close together: the facts the article tells them apart by decide.
        statuses = self._lookalikes.settle(text, statuses)
        topic = next((c for c in candidates if c.is_topic), None)
        return judge(statuses, topic, inside, detected, mentions_domain(words), strengths, self._related)

    def _certain(self, hit: LabelHit, language: str | None) -> Match:
        return Match(
            status=hit.status,
            score=round(hit.score, 1),
            alternatives=self._related.get(hit.status, ())[:MAX_ALTERNATIVES],
            language=language,
        )
