"""The words of live requests: how people ask for a summary or a lookup, the words around an address that is a
setting rather than a recipient, and what looks like a domain but names no account. bot/core/entities.py reads
requests with them."""

from __future__ import annotations

import re

SUMMARY_STRONG = re.compile(
    r"\b(?:sammanfattning(?:en)?|sammanfatta|felsammanfattning(?:en)?|summering(?:en)?|summera|"
    r"sammanställning(?:en)?|summary|summarise|summarize|summarising|summarizing)\b"
    # "the weekly summary emails": a kind of email the platform sends, not a summary asked for.
    r"(?!\s*-?\s*(?:e-?mails?|mails?|mejl\w*|utskick\w*|newsletters?|nyhetsbrev\w*)\b)",
    re.IGNORECASE,
)
SUMMARY_WEAK = re.compile(
    r"\b(?:statistik(?:en)?|översikt(?:en)?|rapport(?:en)?|leveransgrad(?:en)?|felfrekvens(?:en)?|"
    r"stats|statistics|overview|report|delivery\s+rate|failure\s+rate|how\s+many|hur\s+många)\b",
    re.IGNORECASE,
)
# How people ask after an account without saying "summary": "hur går det för X", "how are things looking for X",
# "what's been failing for X", "några fel för X".
HOW_IS_IT_GOING = re.compile(
    r"\b(?:hur\b[^.?!]{0,60}?\b(?:går|gick|gått)\b|hur\s+ser\s+\w+(?:\s+\w+)?\s+ut|läget|"
    r"siffr(?:or|orna)|några\s+(?:fel|problem|studsar|misslyckade)|något\s+(?:fel|konstigt|problem|skumt)|"
    r"how(?:'s|\s+(?:is|are|was|were|have|has))\b[^.?!]{0,60}?\b(?:going|looking|doing)\b|"
    r"how\s+did\s+(?:\S+\s+){0,6}?do\b|how\s+things|what'?s\s+(?:been\s+)?(?:failing|wrong|going\s+on)|"
    # "any delivery issues", "is anything failing", "några konstiga fel".
    r"any(?:thing)?\s+(?:\w+\s+){0,2}?(?:odd|wrong|weird|strange|failing|failures?|failed|errors?|problems?|"
    r"issues?|bounces?|bouncing)|"
    r"(?:några|något)\s+(?:\w+\s+)?(?:fel|problem|studsar|misslyckade|konstigt|skumt)|"
    # "have invites been going out okay", "har det gått bra", "gått ut som de ska".
    r"(?:going|gone|went|gått|går|gick)\s+(?:\w+\s+)?(?:ok(?:ay)?|fine|well|alright|smoothly|bra|okej|fint)\b|"
    r"situation|state\s+of\s+things|health|"
    r"numbers|figures|"
    # "what did last month look like for X", "hur har X legat till", "en bild av X", "the picture for X".
    r"what\s+(?:did|does|do|has|have|will)\b[^.?!]{0,60}?\blook(?:ed)?\s+like|"
    r"hur\s+s[åe]g\s+\w+(?:\s+\w+)?\s+ut|hur\s+har\b[^.?!]{0,60}?\b(?:legat|varit|sett)\b|"
    r"(?:legat|ligger|låg)\s+till|bild(?:en)?\s+av|överblick|lägesbild|picture)",
    re.IGNORECASE,
)
# Words that show the asker wants invitations looked up, not a status explained.
LOOKUP_WORDS = re.compile(
    r"\b(?:status(?:en)?|inbjudan|inbjudn\w*|invitations?|invites?|mottagare(?:n)?|recipient|kund(?:en)?|customer|"
    r"sök|söka|leta|hitta|find|look\s*up|search|slå\s+upp|kolla|check|hände|happened|fick|fått|received|"
    r"where|var\s+är|vad\s+hände)\b",
    re.IGNORECASE,
)
# An email right after these words is a setting being discussed, not a recipient to look up ...
SETTING_EMAIL = re.compile(
    r"\b(?:reply-?to|svarsadress(?:en)?|avsändar\w*|sender(?:\s+email|\s+address)?|from\s+address|"
    r"standardadress(?:en)?|default\s+address|from|från)\s*[:=]?\s*$",
    re.IGNORECASE,
)
# ... and so is any email in a text about the sender side.
SENDER_TALK = re.compile(
    r"\b(?:avsändar\w*|sender|reply-?to|svarsadress\w*|standardavsändar\w*|spf|dkim|domän\w*\s+för\s+utskick|"
    r"send\w*\s+from|skicka\w*\s+från)\b",
    re.IGNORECASE,
)
SYSTEM_SENDER = re.compile(r"^(?:no-?reply|do-?not-?reply|mailer-daemon|postmaster)\b|@trustpilot", re.IGNORECASE)

# Words that ask for a lookup outright: with them an order number or an email is looked up whatever else is said.
LOOK_UP = re.compile(
    r"\b(?:kolla|kollar|checka|check|look\s*up|looking\s+up|slå\s+upp|hitta|find|sök|söka|search|pull\s+up|"
    r"status\s+(?:för|på|of|for|on)|what\s+happened\s+to|vad\s+hände\s+med|where\s+is|var\s+är|titta\s+på)\b",
    re.IGNORECASE,
)


# "t.ex.", "bl.a." and file names look like domains but are not.
_NOT_TLDS = {
    "csv", "txt", "pdf", "html", "htm", "json", "xml", "png", "jpg", "jpeg", "gif", "yaml", "yml", "py",
    "md", "zip", "xlsx", "xls", "doc", "docx", "log", "ex", "eg", "ie", "tsv",
}  # fmt: skip
_PLATFORM_DOMAINS = frozenset({"trustpilotservice.com", "trustpilot.com", "trustpilot.net"})


def looks_like_domain(candidate: str) -> bool:
    """Whether a dotted name found in a message may be a merchant's domain."""
    labels = candidate.lower().split(".")
    if ".".join(labels[-2:]) in _PLATFORM_DOMAINS:
        # The platform's own hosts ("include:trustpilotservice.com" in an SPF record) name no merchant's account.
        return False
    return len(labels[0]) >= 2 and labels[-1] not in _NOT_TLDS and not labels[-1].isdigit()


def names_a_summary(text: str) -> bool:
    """Whether a text asks for a summary in so many words ("sammanfattning", "summary")."""
    return bool(SUMMARY_STRONG.search(text))
