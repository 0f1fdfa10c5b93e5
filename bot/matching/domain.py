"""Whether a question talks about sending invitations at all: the subject every status belongs to."""

from __future__ import annotations

# Beginnings of words about invitations, email, sending and delivery, in either language. A question
# without any of them ("can I delete a review") rarely asks why an invitation got its status.
_ROOTS = (
    # English
    "invit", "invite", "email", "e-mail", "mail", "send", "sent", "deliver", "bounc", "recipient", "sender",
    "remind", "spam", "junk", "unsubscri", "opt", "queue", "template", "placeholder", "spf", "dns", "sku",
    "reference", "refnum", "refnr", "order", "kickstart", "status", "address", "domain", "inbox", "server",
    "cancel", "block",
    "blacklist", "whitelist", "reply", "scheduled", "reject", "refuse", "fail", "stuck", "went", "arriv",
    "product", "catalog", "error", "internal", "cache", "cookie", "limit", "quota", "dach",
    # Swedish
    "inbjud", "bjud", "mejl", "e-post", "epost", "skick", "utskick", "lever", "studs", "mottag", "avsänd",
    "påminn", "skräp", "avregistr", "kö", "mall", "platshåll", "referens", "refnum", "refnr", "ordern", "adress",
    "domän",
    "inkorg", "avbr", "avbö", "spärr", "svartlist", "vitlist", "svarsadress", "schemal", "avvis", "misslyck",
    "fastn", "gick", "framme", "produkt", "katalog", "internt", "samtycke", "gräns", "kvot", "dygn",
)
_PREFIXES = _ROOTS
# Long roots also count inside Swedish compounds ("omdömesinbjudan", "kundmejlet").
_INNER = tuple(root for root in _PREFIXES if len(root) >= 4)


def mentions_domain(words: list[str]) -> bool:
    """Whether any of the question's content words is about invitations, email or their delivery."""
    return any(word.startswith(_PREFIXES) or any(root in word for root in _INNER) for word in words)


# Words for the invitations themselves, in either language.
_INVITATIONS = ("invit", "invite", "inbjud", "utskick")


def mentions_invitations(words: list[str]) -> bool:
    """Whether any of the question's content words names invitations ("inbjudningarna", "invites")."""
    return any(root in word for word in words for root in _INVITATIONS)
