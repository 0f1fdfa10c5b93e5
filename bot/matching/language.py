"""Guessing whether a short text is Swedish or English, from letters and function words."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.matching.normalize import ascii_fold, normalize


def word_set(words: str) -> frozenset[str]:
    """The white-space separated words of a literal, as a set (word lists read best as plain text)."""
    return frozenset(words.split())


# Function words that occur in one language only; words both languages share
# ("i", "in", "men", "var", "fast", "mall") tell nothing and are left out.
SWEDISH_WORDS = word_set(
    """
    och att det som en ett är inte jag vi ni de den detta dessa har hade kan kunde ska skulle vill
    måste får fick för från till med utan på av om när hur varför vad vilken vilket vilka vem var
    här där nu redan också eller bara alla inga ingen inget mitt min mina vår våra vårt er era
    din dina ditt hans hennes deras sig sin sina oss dem honom henne mig dig blir blev bli varit
    vara finns fanns ej aldrig mycket några någon något efter innan sedan då än så ju nog hej tack
    snälla går gör gjorde ser sett säger sa kommer kom står stod fått hos eftersom medan mellan
    varje samma andra annan annat igen ännu helt inom under över idag igår imorgon kund kunden
    kunder kunderna inbjudan inbjudningar inbjudningarna mejl mejlet betyder morgon kväll tjena
    hejsan hallå hon hen därför istället tydligen alltid ungefär förut nåt nån sån sånt verkar resten
    ingenting vet egentligen faktiskt kanske pga
    """
)
ENGLISH_WORDS = word_set(
    """
    the a an and or but is are was were be been being am do does did done have has had having
    not no never can could will would should shall must may might i you he she it we they me him
    her us them my your his its our their this that these those what which who whom whose why how
    when where there here from with without into onto about after before because while of to at
    by on off up down out over again already also only just all any some every each than then so
    yet still too very get got gets getting make made says said see seen going went come came
    hello hi thanks please customer customers invitation invitations invite invites email emails
    mail means mean morning evening afternoon doesnt dont didnt wasnt isnt cant wont arent werent havent hasnt
    for last next week weeks month months year days yesterday today summary failure failures failed happened
    whats check look show tell apparently seems seem seemed everything ones even thats know actually
    basically though anyone anybody somebody whatever somehow theyre youre weve ive im
    """
)
# The Swedish words typed without å, ä and ö ("pa", "nar", "fran"), but for those that are English words too.
_FOLDED_SWEDISH = frozenset(ascii_fold(w) for w in SWEDISH_WORDS if not w.isascii()) - ENGLISH_WORDS - word_set(
    "star far"
)
_WORD = re.compile(r"[^\W\d_]+")
# Ids, codes, reference numbers, emails and domains carry letters but no language ("a8eec4", "spf_failure").
_NOT_PROSE = re.compile(r"\S*(?:\d|@|_|\w\.\w)\S*")
_SWEDISH_LETTERS = frozenset("åäö")
# Weaker evidence from word endings, for texts without function words ("mallen saknas").
_SWEDISH_ENDINGS = ("erad", "erade", "ningar", "ningen", "arna", "erna", "orna", "elsen", "else", "heten", "ingen")
_ENGLISH_ENDINGS = ("tion", "tions", "ying", "ed", "ing", "ly", "ness", "ment", "ments")


def detect_language(text: str) -> str | None:
    """ "sv", "en", or None when the text does not tell (a code, a number, "ok", a tie)."""
    return language_of_normalized(normalize(text))


@lru_cache(maxsize=8192)
def language_of_normalized(text: str) -> str | None:
    """detect_language for a text normalize() has already seen."""
    words = _WORD.findall(_NOT_PROSE.sub(" ", text))
    swedish = sum(1.0 for w in words if w in SWEDISH_WORDS or w in _FOLDED_SWEDISH)
    english = sum(1.0 for w in words if w in ENGLISH_WORDS)
    for word in words:
        if len(word) < 5 or word in SWEDISH_WORDS or word in ENGLISH_WORDS or word in _FOLDED_SWEDISH:
            continue
        if word.endswith(_SWEDISH_ENDINGS):
            swedish += 0.5
        elif word.endswith(_ENGLISH_ENDINGS) and not word.endswith("ning"):
            english += 0.5
    # åäö are strong evidence; a pasted English word in a Swedish sentence rarely carries them.
    swedish += 2 * sum(1 for w in words if not _SWEDISH_LETTERS.isdisjoint(w))
    if swedish > english:
        return "sv"
    if english > swedish:
        return "en"
    return None
