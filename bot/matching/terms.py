"""Words to index terms: tokens, stop words, stems, and the negation that flips "delivered"."""

from __future__ import annotations

from collections.abc import Container

from bot.matching.language import ENGLISH_WORDS, SWEDISH_WORDS, word_set
from bot.matching.normalize import ascii_fold
from bot.matching.stemming import stem_en, stem_sv

# Function words tell nothing about a status. A few of the language-guessing words do
# ("redan avregistrerad" is not "avregistrerad"; "today"; a "from address"), so they stay terms.
_MEANINGFUL = word_set(
    """redan already idag today igår yesterday innan before igen again aldrig never efter after
    kund kunden kunder kunderna customer customers inbjudan inbjudningar inbjudningarna invitation
    invitations invite invites mejl mejlet email emails mail from från morning evening afternoon morgon kväll down
    week weeks month months year days failure failures failed happened nu now currently annan annat andra"""
)
# Words of asking rather than of the matter ("what does ... mean", "vad betyder ...").
_ASKING = word_set(
    """betyder betyda innebär står ser status statusen statusar mean means meaning says stands shows
    hej hejsan hallå tjena tack hello hi hey thanks please snälla undrar wonder fråga question
    man one ok okej help hjälp hjälpa team teamet quick snabb behöver behövs göra need needs anything
    something merchant merchants teammate handlare handlaren handlarens handlarna handlarn ärende ärendet
    ask asks asked asking wonders wondering wondered frågar frågade undrade tror trodde think thought guess oops
    killen"""
)
# Function words the language guess leaves out because both languages write them ("in", "men") or because
# they tell nothing about either language.
_FUNCTION = word_set(
    """in as if its men ha du ert vid such like via also anyway really maybe perhaps ens typ liksom
    kolla kollar kollat kollade påstår påstod hävdar claims claimed enligt massor alls va dit blivit hänt händer
    hända tenderar anses sak saker grej grejen grejer asså alltså vilja sådan sådana sådant sen dess"""
)
STOPWORDS = (SWEDISH_WORDS | ENGLISH_WORDS | _ASKING | _FUNCTION) - _MEANINGFUL
# Swedish typed without å, ä and ö ("pa", "nar", "far inte"): the same function words. A few of them are English
# words with a meaning of their own ("star" for "står"); those are function words only in a Swedish question.
_FOLDED = frozenset(ascii_fold(word) for word in STOPWORDS if not word.isascii()) - _MEANINGFUL
_FOLDED_SWEDISH_ONLY = word_set("star far")
STOPWORDS = STOPWORDS | (_FOLDED - _FOLDED_SWEDISH_ONLY)
_SWEDISH_STOPWORDS = STOPWORDS | (_FOLDED & _FOLDED_SWEDISH_ONLY)

NEGATIONS = word_set(
    "ej inte icke aldrig not never no wasnt isnt werent arent didnt doesnt dont hasnt havent wont cant"
)
# Stems of "deliver": after a negation they describe every failure, so they are dropped.
_DELIVERY_STEMS = ("leverer", "deliver")


def stem(word: str, language: str | None) -> str:
    """The stem in `language`; without one, the Swedish stem for words with å, ä or ö, else the English."""
    if language is None:
        language = "sv" if any(c in "åäö" for c in word) else "en"
    return stem_sv(word) if language == "sv" else stem_en(word)


def content_words(key: str, joined: Container[str] = (), language: str | None = None) -> list[str]:
    """The words of a folded text that may carry meaning, in order (stop words out).

    Two neighbours that together spell one of the `joined` words are read as that word: "opt out", "opt-out"
    and "optout" are one thing, where "out" alone is a stop word and would leave "opt" as in "opt-in".
    """
    words = _join(key.split(), joined) if joined else key.split()
    negated = not NEGATIONS.isdisjoint(words)
    stopwords = _SWEDISH_STOPWORDS if language == "sv" else STOPWORDS
    kept = []
    for word in words:
        # A lone "@" matters: "the address has no @" is about an invalid recipient.
        if word in stopwords or (len(word) < 2 and not word.isdigit() and word != "@"):
            continue
        if negated and word.startswith(_DELIVERY_STEMS):
            continue
        kept.append(word)
    return kept


# Swedish particle verbs say one thing in two words, often with a pronoun or adverb between ("tog vi bort",
# "stängde ni av dem", "skrev jag fel"): the verb and its particle read as the one word a concept lists
# ("togbort" is "deleted", "stängdeav" is "disabled"), whatever short words stand between them. English does the
# same with a pronoun ("switched them off", "turned it off").
_PARTICLES = word_set("av bort fel slut off")
_BETWEEN = word_set(
    """vi jag ni de dom han hon hen man du någon nån kunden handlaren kollegan ju nog visst också då sen
    tyvärr själva helt all alla allt hela in it them"""
)
# Words between a verb and its particle, at most.
_PARTICLE_REACH = 2


def _join(words: list[str], joined: Container[str]) -> list[str]:
    # Every text of the knowledge base passes through here when the matcher is built, so the loop stays lean.
    result: list[str] = []
    skipped: set[int] = set()
    last = len(words) - 1
    i = 0
    while i <= last:
        if skipped and i in skipped:
            i += 1
            continue
        word = words[i]
        if i < last:
            following = words[i + 1]
            # Never over "to": "reply to a review" is a verb and its object, not the reply-to address.
            if following != "to" and word + following in joined:
                result.append(word + following)
                i += 2
                continue
            # Most words are followed by no pronoun or adverb at all: no particle verb to look for.
            if following in _BETWEEN and i + 1 < last:
                particle = _particle_after(words, i, joined)
                if particle is not None:
                    result.append(word + words[particle])
                    skipped.add(particle)
                    i += 1
                    continue
        result.append(word)
        i += 1
    return result


def _particle_after(words: list[str], i: int, joined: Container[str]) -> int | None:
    """The position of the particle that, a few short words on, makes words[i] a particle verb."""
    for j in range(i + 1, min(i + 2 + _PARTICLE_REACH, len(words))):
        if j > i + 1 and words[j] in _PARTICLES and words[i] + words[j] in joined:
            return j
        if words[j] not in _BETWEEN:
            return None
    return None
