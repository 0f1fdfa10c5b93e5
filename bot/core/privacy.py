"""Personal data minimised before anything is stored: emails, phone numbers and names masked, ids kept.

Invitation and business-unit ids stay: they name no person, and they are what lets the team
look a reported case up again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.access import mask_email, mask_name

# Longest stored text: a question or a note on what was wrong, not a pasted export.
MAX_STORED_TEXT = 500

_EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}")
# Slack's own form of an address: <mailto:a@b|a@b>.
_MAILTO = re.compile(r"<mailto:[^<>|]*(?:\|[^<>]*)?>")
_PHONE = re.compile(r"(?<![\w+])\+?\d[\d \-]{6,16}\d(?!\w)")
# Two or more capitalised words in a row read as a person's name ("Anna Svensson", "Per Olof Berg").
_NAME = re.compile(r"\b[A-ZÅÄÖÉÜ][a-zåäöéüß]+(?:[ -][A-ZÅÄÖÉÜ][a-zåäöéüß]+)+\b")
# Slack user mentions name a person too.
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^<>]*)?>")


def minimise(text: str, names: Iterable[str] = ()) -> str:
    """`text` without personal data: emails a***@domain, phone numbers ***, names A*** S***.

    `names` are names known to be in the text (a recipient the bot showed), masked wherever they
    appear; anything that reads like a full name is masked as well.
    """
    text = text[:MAX_STORED_TEXT * 2]
    text = _MAILTO.sub(lambda m: mask_email(m[0][8:].split("|")[0].rstrip(">")), text)
    text = _EMAIL.sub(lambda m: mask_email(m[0]), text)
    for name in sorted({n for n in names if n and n.strip()}, key=len, reverse=True):
        text = re.sub(re.escape(name), mask_name(name), text, flags=re.IGNORECASE)
    text = _MENTION.sub("@***", text)
    text = _PHONE.sub(_masked_phone, text)
    text = _NAME.sub(lambda m: mask_name(m[0].replace("-", " ")), text)
    text = " ".join(text.split())
    return text if len(text) <= MAX_STORED_TEXT else text[: MAX_STORED_TEXT - 1] + "…"


def _masked_phone(match: re.Match[str]) -> str:
    digits = sum(c.isdigit() for c in match[0])
    # Dates (2026-11-03) and long ids are not phone numbers.
    if digits < 8 or re.fullmatch(r"\d{4}-\d{2}-\d{2}", match[0]):
        return match[0]
    return "***"
