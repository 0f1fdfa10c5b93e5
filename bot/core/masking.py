"""Masking of personal data for a shared conversation: once, on the answer value, in every text it holds.

Recipient fields are not the only place personal data hides: a mail server's bounce message
("550 5.1.1 <anna@kund.example>: Recipient address rejected"), any other free text from the API and
the asker's own words echoed back can carry an address or a name. So masking does not trust where a
text came from: every email address in every text is masked, and so is every name (and address local
part) of a recipient that the answer's own invitations carry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from bot.core.access import mask_email
from bot.core.models import LANGUAGES, Reply
from bot.core.reply_texts import map_texts
from bot.core.visible_text import visible_reply
from bot.knowledge.model import KnowledgeBase

# Liberal on purpose: anything that reads as local@domain.tld is treated as an address. The local part is
# bounded (64 characters at most, RFC 5321): unbounded, every start in a long run of such characters without
# an "@" scanned to its end, and a 20,000-character question took seconds of CPU to mask.
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]{1,64}@[\w-]+(?:\.[\w-]+)+")
# Name parts shorter than this are masked only as part of the whole name: "Per" or "Ek" alone are common words.
MIN_PART = 3


def mask_reply(reply: Reply, known: Iterable[str] = (), public: frozenset[str] = frozenset()) -> Reply:
    """`reply` with every email address and every known recipient name masked, wherever it appears.

    `known`: names (or other personal strings) to mask besides those of the recipients in `reply.data`.
    `public`: addresses that are not personal (our own sender address quoted in the knowledge base).
    Masking is idempotent: a masked reply masked again is unchanged.
    """
    names = {*known, *recipients_in(reply.data)}
    pattern = _names_pattern(names)

    def mask(text: str) -> str:
        text = EMAIL.sub(lambda m: m.group(0) if m.group(0).lower() in public else mask_email(m.group(0)), text)
        if pattern is not None:
            text = pattern.sub(lambda m: _mask_words(m.group(0)), text)
        return text

    return map_texts(reply, mask)


def for_audience(reply: Reply, *, masked: bool, public: frozenset[str] = frozenset()) -> Reply:
    """What any audience may be shown: text that reads as what it says, masked for a shared conversation."""
    reply = visible_reply(reply)
    return mask_reply(reply, public=public) if masked else reply


def recipients_in(data: Any) -> set[str]:
    """The names and address local parts of every recipient object ({"recipient": {...}}) in `data`."""
    found: set[str] = set()
    if isinstance(data, Mapping):
        recipient = data.get("recipient")
        if isinstance(recipient, Mapping):
            name, email = recipient.get("name"), recipient.get("email")
            if isinstance(name, str):
                found.add(name)
            local = email.partition("@")[0] if isinstance(email, str) else ""
            # A local part like erik.lindqvist7 names a person; info or support would mask ordinary words.
            if len(local) >= 5 and any(ch in "._-" or ch.isdigit() for ch in local):
                found.add(local)
        for value in data.values():
            found |= recipients_in(value)
    elif isinstance(data, list | tuple):
        for value in data:
            found |= recipients_in(value)
    return found


def public_addresses(texts: Iterable[str]) -> frozenset[str]:
    """The addresses quoted in our own reviewed texts (the knowledge base): not anyone's personal data."""
    return frozenset(match.group(0).lower() for text in texts for match in EMAIL.finditer(text))


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for every name: whole names in any case and spacing, single parts as written or in capitals."""
    whole: set[str] = set()
    parts: set[str] = set()
    for name in names:
        words = name.split()
        if not words or "***" in name:
            continue
        if len(words) > 1 or len(words[0]) >= MIN_PART:
            whole.add(r"\s+".join(re.escape(word) for word in words))
        for word in words if len(words) > 1 else ():
            if len(word) >= MIN_PART:
                parts.update({re.escape(word), re.escape(word.upper())})
    if not whole and not parts:
        return None
    # Longest first, so "Anna Svensson" is masked as one name before "Anna" could match alone.
    alternatives = sorted((f"(?i:{w})" for w in whole), key=len, reverse=True) + sorted(parts, key=len, reverse=True)
    return re.compile(r"(?<![\w*])(?:" + "|".join(alternatives) + r")(?![\w*])")


def _mask_words(text: str) -> str:
    """Anna Svensson -> A*** S***; anna.svensson -> a***."""
    return " ".join(f"{word[:1]}***" for word in text.split())


def kb_addresses(kb: KnowledgeBase) -> frozenset[str]:
    """Addresses the knowledge base itself quotes (the default sender address): kept in masked answers."""
    texts: list[str] = []
    for entry in kb:
        for language in LANGUAGES:
            texts += [entry.label.get(language), entry.meaning.get(language), entry.cause.get(language),
                      *entry.steps.get(language)]
    return public_addresses(texts)
