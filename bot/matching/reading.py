"""A chat message as words to read: without what chat clients add around them, in sentences and clauses.

People paste from Slack and Teams: mentions, links, emoji, `code`, *bold*, HTML from Teams, signatures.
None of it says anything about an invitation, and all of it dilutes the words that do.
"""

from __future__ import annotations

import re

from bot.matching.normalize import MAX_INPUT_CHARS

# Slack: <url|label> keeps its label, <url>, <@U1>, <#C1|name> and <!here> go. Teams: <at>Name</at> goes, as do
# other HTML tags.
_SLACK_LABELLED = re.compile(r"<(?:https?://|mailto:)[^<>|]{0,500}\|([^<>]{0,500})>")
_SLACK_LINK = re.compile(r"<(?:https?://|mailto:)[^<>]{0,500}>")
_SLACK_ENTITY = re.compile(r"<[@#!][^<>]{0,200}>")
_TEAMS_MENTION = re.compile(r"<at>[^<>]{0,200}</at>", re.IGNORECASE)
_HTML_BREAK = re.compile(r"<\s*(?:br|/p|/div|/li)\s*/?>", re.IGNORECASE)
_HTML_TAG = re.compile(r"</?[a-z][a-z0-9]{0,10}(?:\s[^<>]{0,300})?/?>", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)[^\s<>]{1,500}", re.IGNORECASE)
# Addresses are particulars of one case, not words about it; a lone "@" stays ("the address has no @"). Host
# names stay: "trustpilotservice.com" is a word of the SPF status.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.{1,2}[\w-]{1,63}){0,8}")
# :thumbsup:, :pray::skin-tone-2:
_EMOJI_CODE = re.compile(r":[a-z0-9_+'-]{1,40}:", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\f\v]+")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&nbsp;": " "}
_ENTITY = re.compile("|".join(map(re.escape, _ENTITIES)))

# Sentences end at . ! ? or a line break; a full stop between letters ("t.ex.", "e.g.") or digits ends none. One
# after a space ends one: it is what is left where an address ended the sentence ("typed it as anna@x.se.").
_SENTENCE_END = re.compile(r"(?<=[!?])\s+|(?<=[^\W\d_]{2}[.])\s+|(?<=[)\"'”][.])\s+|(?<=\s[.])\s+|\n+")


# Emoji and pictographs, dingbats, arrows and other symbols, and the joiners and selectors that build emoji
# sequences: the blocks where Unicode keeps its "other symbols".
_EMOJI = re.compile(
    "[\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff\u3030\u303d"
    "\u200d\ufe0e\ufe0f\u20e3\U0001f000-\U0001faff]+"
)


def strip_chat(text: str) -> tuple[str, bool]:
    """The message without mentions, links, HTML, emoji and code marks, and whether it held emoji.

    Line breaks stay: they separate the rows of a paste and the lines of a signature.
    """
    text = text[:MAX_INPUT_CHARS]
    if "<" in text:
        text = _TEAMS_MENTION.sub(" ", text)
        text = _SLACK_LABELLED.sub(r"\1", text)
        text = _SLACK_LINK.sub(" ", text)
        text = _SLACK_ENTITY.sub(" ", text)
        text = _HTML_BREAK.sub("\n", text)
        text = _HTML_TAG.sub(" ", text)
    if "&" in text:
        text = _ENTITY.sub(lambda found: _ENTITIES[found.group()], text)
    if "http" in text or "www." in text:
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _EMAIL.sub(" ", text)
    emoji = False
    if ":" in text:
        stripped = _EMOJI_CODE.sub(" ", text)
        emoji = stripped != text
        text = stripped
    if not text.isascii():
        # An emoji ends a clause as a comma would: "invite bounced 🤷 address is right tho".
        kept = _EMOJI.sub(" ; ", text)
        emoji = emoji or kept != text
        text = kept
    # A line break written out ("row one\\nrow two") is one too: how a batch line holds a message of several lines.
    text = text.replace("`", " ").replace("\r\n", "\n").replace("\r", "\n").replace("\\n", "\n")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line), emoji


def sentences(text: str) -> list[str]:
    """The sentences of a stripped message, each a line or part of one, in order."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part and part.strip()]
