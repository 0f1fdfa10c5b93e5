"""What a message in a thread asks of the answer before it: resend it?, who acts?, in English, not that, a person.

Pure text rules, Swedish and English. A rule that points back at the earlier answer ("it",
"den", "det") applies only inside a thread with context; asking for a person works anywhere.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Intent(StrEnum):
    HANDOFF = "handoff"  # talk to a person
    LANGUAGE = "language"  # the same answer in another language
    WRONG = "wrong"  # the answer was not the right one
    RESEND = "resend"  # can it be sent again?
    WHO = "who"  # who must act?
    STEPS = "steps"  # what do I do now?
    MEANING = "meaning"  # what does it mean?
    RECHECK = "recheck"  # look the invitation up again


_I = re.IGNORECASE

_HANDOFF = re.compile(
    r"\b(?:prata|tala|snacka|chatta)\s+(?:med\s+)?(?:någon|en\s+(?:människa|person|handläggare|kollega)|"
    r"en\s+riktig\s+\w+|support(?:en)?|personal)\b|"
    r"\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:a\s+|an\s+)?(?:human|person|agent|people|real\s+\w+|support|"
    r"colleague|some\s*one|some\s*body|staff)\b|"
    r"\b(?:en\s+människa|a\s+human|a\s+real\s+person|riktig\s+människa)\b|"
    r"\b(?:koppla\s+(?:mig|oss)\s+(?:vidare|till)|eskalera|escalate|hand\s+(?:me\s+)?over|transfer\s+me)\b",
    _I,
)
_ENGLISH = re.compile(r"\b(?:på\s+engelska|in\s+english|english\s+(?:please|pls)|engelska\s+tack|"
                      r"(?:show|say|write)\s+(?:it\s+|that\s+)?in\s+english|translate\s+to\s+english)\b", _I)
_SWEDISH = re.compile(r"\b(?:på\s+svenska|in\s+swedish|swedish\s+(?:please|pls)|svenska\s+tack|"
                      r"(?:show|say|write)\s+(?:it\s+|that\s+)?in\s+swedish|översätt\s+till\s+svenska)\b", _I)
_WRONG = re.compile(
    r"\b(?:that'?s\s+not\s+it|that\s+is\s+not\s+it|not\s+(?:what\s+i\s+(?:meant|asked|mean)|it|right|correct)|"
    r"wrong\s+(?:answer|status)|that'?s\s+wrong|det\s+(?:är|var)\s+inte\s+(?:det|rätt|den)|"
    r"fel\s+(?:svar|status)|stämmer\s+inte|inte\s+(?:det\s+jag\s+menade|rätt)|det\s+är\s+fel)\b",
    _I,
)
_RESEND = re.compile(r"\b(?:skicka\s+(?:om|igen|den\s+igen|det\s+igen|ut\s+igen)|skickas\s+om|"
                     r"resend|re-send|send\s+(?:it|them|this|that)?\s*again|try\s+again)\b", _I)
_WHO = re.compile(r"\b(?:vem\s+(?:ska|måste|behöver|bör|gör)|vems\s+(?:fel|ansvar)|"
                  r"who\s+(?:should|must|needs?\s+to|has\s+to|is\s+responsible|fixes|does)|whose\s+(?:fault|job))\b",
                  _I)
_STEPS = re.compile(r"\b(?:vad\s+(?:gör|ska|bör|kan)\s+(?:jag|vi|man)(?:\s+göra)?|hur\s+(?:fixar|löser|åtgärdar)|"
                    r"what\s+(?:do|should|can)\s+(?:i|we)\s+do|how\s+do\s+(?:i|we)\s+fix|how\s+to\s+fix|"
                    r"next\s+steps?|nästa\s+steg)\b", _I)
_MEANING = re.compile(r"\b(?:vad\s+betyder|what\s+does\s+(?:it|that|this)\s+mean|what\s+is\s+(?:it|that)|"
                      r"förklara|explain\s+(?:it|that|this))\b", _I)
_RECHECK = re.compile(r"\b(?:kolla\s+(?:igen|nu|den\s+igen)|check\s+(?:it\s+|again|now)|status\s+(?:nu|now)|"
                      r"look\s+(?:it\s+)?up\s+again|har\s+(?:den|det)\s+(?:gått|kommit)|has\s+it\s+(?:gone|arrived|"
                      r"been\s+(?:sent|delivered)))", _I)
# Words that point back at the earlier answer.
_REFERS_BACK = re.compile(r"\b(?:den|det|dem|denna|detta|it|this|that|them|they|same|samma)\b", _I)
_WORDS = re.compile(r"\w+")


def wants_person(text: str) -> bool:
    return bool(_HANDOFF.search(text))


def language_asked(text: str) -> str | None:
    """"sv" or "en" when the message asks for the answer in that language (and says little else)."""
    if len(_WORDS.findall(text)) > 8:
        return None
    if _ENGLISH.search(text):
        return "en"
    if _SWEDISH.search(text):
        return "sv"
    return None


def refers_back(text: str) -> bool:
    return bool(_REFERS_BACK.search(text)) or len(_WORDS.findall(text)) <= 3


def intent_of(text: str) -> Intent | None:
    """The intent of a follow-up, or None when it is a question of its own."""
    if wants_person(text):
        return Intent.HANDOFF
    if language_asked(text):
        return Intent.LANGUAGE
    if _WRONG.search(text) and len(_WORDS.findall(text)) <= 12:
        return Intent.WRONG
    for pattern, intent in ((_RECHECK, Intent.RECHECK), (_RESEND, Intent.RESEND), (_WHO, Intent.WHO),
                            (_STEPS, Intent.STEPS), (_MEANING, Intent.MEANING)):
        if pattern.search(text):
            return intent
    return None
