"""Text that reads as what it says: no bidi controls, zero-width characters or terminal control sequences.

A right-to-left override can make "gnp.exe" read as "exe.png", a zero-width space can split a word
a reader would search for, and an escape sequence from an API can clear or rewrite a terminal. Every
text of a reply (from the asker, from the API, from us) is cleaned once, on the answer value.
"""

from __future__ import annotations

import re
import unicodedata

from bot.core.models import Reply
from bot.core.reply_texts import map_texts

# Bidi embeddings, overrides, isolates and marks; zero-width spaces, joiners, word joiner, BOM, invisible operators.
INVISIBLE = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u00ad"
)
# Whole terminal control sequences (CSI, OSC, DCS/PM/APC strings, two-character escapes), 7- and 8-bit.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)"
    r"|\x1b[ -/]*[0-~]",
    re.DOTALL,
)


def visible(text: str) -> str:
    """`text` without escape sequences, control characters (new lines and tabs stay) and invisible characters:
    those listed and every other format character (tag characters, interlinear annotation marks, ...), which
    draw nothing and could hide words or keep an address from being recognised and masked."""
    if text.isprintable():
        return text  # the common case, and no escape, control or format character can be in it
    text = _ESCAPE_SEQUENCE.sub("", text)
    return "".join(
        ch for ch in text
        if ch in "\n\t" or not (ch in INVISIBLE or ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F
                                  or unicodedata.category(ch) == "Cf")
    )


def visible_reply(reply: Reply) -> Reply:
    return map_texts(reply, visible)
