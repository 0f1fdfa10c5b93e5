"""Live requests in free text: invitation ids, reference numbers, emails, business units and summary periods."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.core.live_words import (
    HOW_IS_IT_GOING,
    LOOKUP_WORDS,
    SENDER_TALK,
    SETTING_EMAIL,
    SUMMARY_STRONG,
    SUMMARY_WEAK,
    SYSTEM_SENDER,
    looks_like_domain,
)
from bot.core.periods import Period, PeriodOutOfRange, default_period, parse_period
from bot.invitations.models import is_valid_id

# Hostile inputs are cut before any regex runs; a real request is a line or two, or a pasted
# column of a few hundred invitation ids.
MAX_TEXT = 20_000
# Invitation ids one bulk check takes; the rest of a longer paste is named, not checked.
MAX_BULK = 500


@dataclass(frozen=True)
class BusinessUnitRef:
    """A business unit as the asker named it: a 24-hex id or a domain such as nordic-shoes.example."""

    value: str

    @property
    def id(self) -> str | None:
        return self.value if is_valid_id(self.value) else None

    @property
    def domain(self) -> str | None:
        return None if is_valid_id(self.value) else self.value


@dataclass(frozen=True)
class InvitationLookup:
    invitation_id: str
    business_unit: BusinessUnitRef | None = None


@dataclass(frozen=True)
class BulkLookup:
    """Several invitation ids pasted at once: each is fetched and the statuses are tallied."""

    invitation_ids: tuple[str, ...]
    business_unit: BusinessUnitRef | None = None
    # Ids pasted beyond MAX_BULK, which this check leaves out.
    left_out: int = 0


@dataclass(frozen=True)
class ReferenceLookup:
    reference: str
    # None: the desk asks for it (or uses the one business unit bound to the channel).
    business_unit: BusinessUnitRef | None = None


@dataclass(frozen=True)
class EmailLookup:
    email: str
    business_unit: BusinessUnitRef | None = None


@dataclass(frozen=True)
class SummaryRequest:
    business_unit: BusinessUnitRef | None
    period: Period
    # False when the text named no period and the default (last 30 days) applies.
    period_stated: bool = True
    # False when only an account with a period or a loose "how is it going" suggested a summary: a message that
    # also names a status clearly ("since Friday every invite at shop.example fails on SPF") asks about that.
    sure: bool = True


@dataclass(frozen=True)
class BadIdRequest:
    """Something that was meant as an invitation id but is not 24 lowercase hex characters."""

    text: str


@dataclass(frozen=True)
class BadPeriodRequest:
    """A summary for dates outside the days an account's figures can cover (before 1000, after 9998)."""

    text: str


LiveRequest = (InvitationLookup | BulkLookup | ReferenceLookup | EmailLookup | SummaryRequest | BadIdRequest
               | BadPeriodRequest)

# Slack markup: <mailto:a@b|a@b> keeps its label, <https://x|label> its address and its label; <@U1>, <#C1|x>,
# <!here> vanish.
_SLACK_MAILTO = re.compile(r"<mailto:[^<>|]{0,500}\|([^<>]{0,500})>")
_SLACK_LABELLED = re.compile(r"<(https?://[^<>|]{0,500})\|([^<>]{0,500})>")
_SLACK_LINK = re.compile(r"<(?:mailto:)?((?:https?://)?[^<>|@!#][^<>|]{0,500})>")
_SLACK_ENTITY = re.compile(r"<[@#!][^<>]{0,200}>")
_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}

_EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24})\b")
# Ids are lowercase hex, but people copy them from wherever they saw them: any letter case counts.
_HEX_ID = re.compile(r"(?<![0-9A-Za-z])([0-9a-fA-F]{24})(?![0-9A-Za-z])")
# A link names no account by its host (a dashboard's address); an id in its path is still an id.
_URL = re.compile(r"(?:https?://|www\.)[^\s<>|]{1,500}", re.IGNORECASE)
_TOKEN = re.compile(r"(?<![0-9A-Za-z])([0-9A-Za-z]{16,40})(?![0-9A-Za-z])")
_DOMAIN = re.compile(
    r"(?<![\w@.-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,6}[a-z]{2,24})(?![\w-]|\.[a-z0-9])", re.IGNORECASE
)
_ID_WORDS = r"(?:status(?:en)?|inbjudan|inbjudningen|inbjudnings-?id|invitation|invite|id)"
_NEAR_ID = re.compile(rf"\b{_ID_WORDS}(?:\s+id)?\s*[:#=]?\s*$", re.IGNORECASE)
# After these a 24-hex id is surely a business unit ...
_BU_WORDS = re.compile(
    r"\b(?:konto(?:t)?|account|business[\s-]+unit(?:\s+id)?|affärsenhet(?:en)?|bu(?:\s*id)?|"
    r"företag(?:et)?|company|domän(?:en)?|domain|kund(?:en)?)\s*[:#=]?\s*$",
    re.IGNORECASE,
)
# ... after these only when another id is the invitation ("status for <id>" names the invitation).
_BU_PREPOSITIONS = re.compile(r"\b(?:hos|at|for|för|på|on|from|från|of|i|in)\s*[:#=]?\s*$", re.IGNORECASE)
_REFERENCE = re.compile(
    r"\b(?:referens(?:nummer|nr)?|reference(?:\s+number|\s+no\.?)?|ref(?:\.|\s*nr\.?|\s*no\.?)?|"
    r"ordernummer|ordernr\.?|order(?:\s+number|\s+no\.?|\s+nr\.?|\s+id)?|beställning(?:en|snummer)?)"
    r"(?![A-Za-zåäö])\s*[:#=]?\s*(?:nr\.?\s*|no\.?\s*)?#?\s*([A-Za-z0-9][A-Za-z0-9_./-]{0,63})",
    re.IGNORECASE,
)
# Codes such as ORDER-10023 or INV-2026-77 name a reference on their own.
_CODE = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{1,15}-[A-Z0-9-]{0,40}\d[A-Z0-9-]{0,40})(?![\w-])")
_WORD = re.compile(r"\w+")
_MAYBE_LIVE = re.compile(r"\d|@|\w\.\w|[0-9a-fA-F]{16}")


def _clean(text: str) -> str:
    text = text[:MAX_TEXT]
    text = _SLACK_MAILTO.sub(r"\1", text)
    text = _SLACK_LABELLED.sub(r"\1 \2", text)
    text = _SLACK_ENTITY.sub(" ", text)
    text = _SLACK_LINK.sub(r"\1", text)
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    return re.sub(r"\s+", " ", text).strip()


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the given spans replaced by spaces, so positions stay valid."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _preceded_by(text: str, position: int, pattern: re.Pattern[str]) -> bool:
    return bool(pattern.search(text[max(0, position - 40) : position]))


def _has_digit(value: str) -> bool:
    return any(c.isdigit() for c in value)


def _near_id(text: str) -> str | None:
    """A token that was surely meant as an id but is not a valid one (wrong length, uppercase, typo)."""
    for match in _TOKEN.finditer(text):
        token = match[1]
        if is_valid_id(token) or not _has_digit(token) or not any(c.isalpha() for c in token):
            continue
        hexish = sum(c in "0123456789abcdefABCDEF" for c in token)
        after_word = _preceded_by(text, match.start(), _NEAR_ID)
        if after_word and hexish >= len(token) - 2:
            return token
        if hexish == len(token) and 20 <= len(token) <= 30:
            return token
    return None


def _few_other_words(text: str, limit: int = 4) -> bool:
    """Whether the text is little more than the thing looked up (a pasted email, a bare code)."""
    return len(_WORD.findall(text)) <= limit


def parse_live_request(text: str, now: datetime | None = None) -> LiveRequest | None:
    """The live request in `text`, or None when it asks for no live data (a plain status question)."""
    now = now or datetime.now(UTC)
    clean = _clean(text)
    # Everything looked up has a digit, an "@", a dotted name or a run of hex in it, or asks for a summary: most status
    # questions have none and need no further look.
    if not clean or not (_MAYBE_LIVE.search(clean) or SUMMARY_STRONG.search(clean)):
        return None

    emails: list[str] = []
    email_spans: list[tuple[int, int]] = []
    for match in _EMAIL.finditer(clean):
        email_spans.append(match.span(1))
        if not (_preceded_by(clean, match.start(), SETTING_EMAIL) or SYSTEM_SENDER.search(match[1])):
            emails.append(match[1])
    rest = _blank(clean, email_spans)

    # 24-hex ids: a business unit after "hos"/"at"/"for"..., otherwise an invitation; in a link, an invitation.
    invitation_ids: list[str] = []
    unit_ids: list[str] = []
    maybe_unit_ids: list[str] = []
    id_spans: list[tuple[int, int]] = []
    links = [found.span() for found in _URL.finditer(rest)]
    for match in _HEX_ID.finditer(rest):
        id_spans.append(match.span(1))
        found = match[1].lower()
        if any(start <= match.start() < end for start, end in links):
            invitation_ids.append(found)
        elif _preceded_by(rest, match.start(), _BU_WORDS):
            unit_ids.append(found)
        elif _preceded_by(rest, match.start(), _BU_PREPOSITIONS):
            maybe_unit_ids.append(found)
        else:
            invitation_ids.append(found)
    rest_no_ids = _blank(_blank(rest, id_spans), links)

    domains = [m[1].lower() for m in _DOMAIN.finditer(rest_no_ids) if looks_like_domain(m[1])]
    rest_plain = _blank(rest_no_ids, [m.span(1) for m in _DOMAIN.finditer(rest_no_ids)])

    references: list[str] = []
    for match in _REFERENCE.finditer(rest_plain):
        candidate = match[1].rstrip("./-")
        if _has_digit(candidate) and not _looks_like_date(candidate):
            references.append(candidate)
    codes = [m[1] for m in _CODE.finditer(rest_plain)]

    is_summary = bool(SUMMARY_STRONG.search(rest_plain))
    try:
        period = parse_period(rest_plain.lower(), now)
        out_of_range = False
    except PeriodOutOfRange:
        period, out_of_range = None, True
    sure = True
    # Weaker words ("how many", "statistics", "how is it going") make a summary only with an account named; an
    # account with a period alone ("anything odd at shop.example since Tuesday?") makes one the caller may overrule.
    if not is_summary and (unit_ids or domains) and not (references or codes or emails or invitation_ids):
        if SUMMARY_WEAK.search(rest_plain) or HOW_IS_IT_GOING.search(rest_plain):
            is_summary = True
        elif period is not None or out_of_range:
            is_summary, sure = True, False

    if is_summary and not (emails or references or codes):
        # In a summary every 24-hex id names the account.
        unit_value = (unit_ids or maybe_unit_ids or invitation_ids or domains or [None])[0]
        if unit_value is None and (bad := _near_id(rest_plain)) is not None:
            return BadIdRequest(bad)
        unit = BusinessUnitRef(unit_value) if unit_value else None
        if out_of_range:
            return BadPeriodRequest(text)
        return SummaryRequest(unit, period or default_period(now), period_stated=period is not None, sure=sure)

    # "status for <id>" names the invitation; "anna@example.se for <id>" names the account.
    if not invitation_ids and maybe_unit_ids and not (emails or references or codes):
        invitation_ids.append(maybe_unit_ids.pop(0))
    unit_value = (unit_ids or maybe_unit_ids or domains or [None])[0]
    unit = BusinessUnitRef(unit_value) if unit_value else None
    distinct = tuple(dict.fromkeys(invitation_ids))
    if len(distinct) > 1:
        return BulkLookup(distinct[:MAX_BULK], unit, left_out=max(0, len(distinct) - MAX_BULK))
    if invitation_ids:
        return InvitationLookup(invitation_ids[0], unit)

    # An email or a bare code is a lookup only when the text reads like one, so that a pasted
    # status line that happens to contain an address still gets explained.
    residue = _blank(rest_plain, [m.span(1) for m in _CODE.finditer(rest_plain)])
    wants_lookup = bool(LOOKUP_WORDS.search(residue)) or unit is not None
    if references:
        return ReferenceLookup(references[0], unit)
    if emails and (unit is not None or not SENDER_TALK.search(residue)) and (
        wants_lookup or _few_other_words(residue)
    ):
        return EmailLookup(emails[0], unit)
    if codes and (wants_lookup or _few_other_words(residue)):
        return ReferenceLookup(codes[0], unit)

    if (bad := _near_id(rest_plain)) is not None:
        return BadIdRequest(bad)
    return None


def _looks_like_date(value: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value))
