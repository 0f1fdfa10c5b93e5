"""The rule that a status's texts agree with its action, in both languages.

An explanation must not tell a merchant to send again what must not be sent again (a do-not-send-again,
automatic-retry, new-address or nothing-to-do status whose text says "send it again"), and it must say the
advice its action stands for. Texts are read clause by clause: a clause that names sending again and holds
no negation ("send the invitation again") says it may be resent; one with a negation ("don't resend it to
the same address") says the opposite. This is a guard against contradictions, not a grammar: a resend
advice hidden behind a negation elsewhere in its clause ("if that does not help, resend it") slips through.
"""

from __future__ import annotations

import re

from bot.knowledge.fields import LANGUAGES, problem
from bot.knowledge.model import Action, StatusEntry

_FLAGS = re.IGNORECASE
# Clauses end at sentence punctuation and at a spaced dash ("Skicka inte om – den stoppas igen").
_CLAUSE = re.compile(r"[.;:!?](?:\s|$)|\s[–—]\s")
# Sending this invitation again: "skicka om", "skickas ... igen", "skicka ... på nytt"; "resend", "send ... again".
# "skickas om några timmar" is "sent in a few hours", not a resend.
_RESEND = {
    "sv": re.compile(
        r"\bskicka[rs]?\s+(?:\w+\s+)?om\b(?!\s+(?:några|ett|en|\d))|\bskicka\w*\b.*?\b(?:igen|på nytt)\b|\bomskick",
        _FLAGS,
    ),
    "en": re.compile(r"\bre-?sen[dt]\w*|\bsen(?:d|ds|ding|t)\b.*?\bagain\b", _FLAGS),
}
_NEGATION = {
    "sv": re.compile(r"\b(?:inte|aldrig|ej|ingen|inget|inga)\b", _FLAGS),
    "en": re.compile(r"\b(?:not|never|no)\b|n't\b", _FLAGS),
}
# Any sending (or going out) at all, for "do not send it" in whatever words.
_SEND = {
    "sv": re.compile(r"\bskick", _FLAGS),
    "en": re.compile(r"\b(?:re-?)?sen[dt]|\bgo(?:es)?\b", _FLAGS),
}
# Substrings every clause that _SEND or _RESEND can match holds (lower case).
_SEND_STEMS = {"sv": ("skick",), "en": ("sen", "go")}
_AUTOMATIC = {
    "sv": re.compile(r"\bautomatiskt\b|\bav sig själv", _FLAGS),
    "en": re.compile(r"\bautomatically\b|\bby itself\b", _FLAGS),
}
_NEW_INVITATION = {
    "sv": re.compile(r"\bny inbjudan\b|\bnya inbjudningar\b", _FLAGS),
    "en": re.compile(r"\bnew invitations?\b", _FLAGS),
}
_NOTHING_TO_DO = {
    "sv": re.compile(
        r"\bingen åtgärd\b|\binte göra något\b|\binget behöver göras\b|\bfinns inget att\b|\binget att (?:rätta|ändra)",
        _FLAGS,
    ),
    "en": re.compile(
        r"\bno action\b|n't need to do anything\b|\bnothing (?:needs|to do|to fix|can be changed)\b|\bno need\b",
        _FLAGS,
    ),
}
# What each action must say, in words a merchant reads, for the problem line.
_MUST_SAY = {
    Action.RESEND_AFTER_FIX: "that the invitation is sent again once the cause is fixed",
    Action.RETRIES_AUTOMATICALLY: "that the system tries again automatically",
    Action.NEW_INVITATION_OTHER_ADDRESS: "that a new invitation (to another address) is the way to the customer",
    Action.DO_NOT_SEND_AGAIN: "not to send the invitation again",
    Action.NOTHING_TO_DO: "that no action is needed",
}


def _clauses(text: str) -> list[str]:
    return [clause for clause in _CLAUSE.split(text) if clause.strip()]


def _texts(entry: StatusEntry, language: str) -> list[tuple[str, str]]:
    """(field, text) for every text shown to people, steps numbered from 1 as in the file's problems."""
    steps = [(f"steps.{language}[{n}]", step) for n, step in enumerate(entry.steps.get(language), start=1)]
    return [(f"meaning.{language}", entry.meaning.get(language)), (f"cause.{language}", entry.cause.get(language)),
            *steps]


def check_advice(entry: StatusEntry, file: str) -> list[str]:
    """Every contradiction between the entry's texts and its action, and every advice the texts fail to give."""
    problems: list[str] = []
    action = entry.action
    for language in LANGUAGES:
        resend, negation, automatic = _RESEND[language], _NEGATION[language], _AUTOMATIC[language]
        says_resend = says_no_send = says_nothing_to_do = says_automatic = says_new = False
        for field, text in _texts(entry, language):
            says_automatic = says_automatic or bool(automatic.search(text))
            says_new = says_new or bool(_NEW_INVITATION[language].search(text))
            nothing = _NOTHING_TO_DO[language].search(text)
            says_nothing_to_do = says_nothing_to_do or bool(nothing)
            if nothing and action is Action.RESEND_AFTER_FIX:
                problems.append(problem(file, entry.id, field, f"says {nothing.group()!r}, but the action is "
                                                              f"{action.value}"))
            for clause in _clauses(text):
                # Most clauses say nothing of sending: a substring test spares them the patterns below.
                lowered = clause.lower()
                if not any(stem in lowered for stem in _SEND_STEMS[language]):
                    continue
                negated = bool(negation.search(clause))
                if negated and _SEND[language].search(clause):
                    says_no_send = True
                found = resend.search(clause)
                if found is None or negated:
                    continue
                says_resend = True
                # The system's own retry ("it is sent again automatically") is no advice to resend.
                if action is Action.RESEND_AFTER_FIX or automatic.search(clause):
                    continue
                problems.append(problem(file, entry.id, field, f"says it can be sent again ({clause.strip()!r}), "
                                                              f"but the action is {action.value}"))
        said = {
            Action.RESEND_AFTER_FIX: says_resend,
            Action.RETRIES_AUTOMATICALLY: says_automatic,
            Action.NEW_INVITATION_OTHER_ADDRESS: says_new,
            Action.DO_NOT_SEND_AGAIN: says_no_send,
            Action.NOTHING_TO_DO: says_nothing_to_do,
        }[action]
        if not said:
            problems.append(problem(file, entry.id, f"steps.{language}",
                                    f"never says {_MUST_SAY[action]} (its action is {action.value})"))
    return problems
