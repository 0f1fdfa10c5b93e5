"""What a message does besides asking: small talk around it, a signature under it, a label-shaped name in it.

These steps run before any status is looked for, so that "thanks, that fixed it 🙏" gets a friendly word, a
ticket's greeting and signature do not dilute its problem, and "Not delivered - Unknown error" is not forced
onto the nearest real status.
"""

from __future__ import annotations

import re

from bot.matching.normalize import ascii_fold, fold_key
from bot.matching.reading import sentences
from bot.matching.small_talk import SmallTalkReader

# A signature line: "/Anna", "– Erik, Lampshop", "Anna Svensson | Lampshop AB".
_SIGNED = re.compile(r"^\s*(?:[/–—-]{1,2}|~)\s*[^\W\d_]")
# Lines of a signature under a closing ("Mvh" / "Best regards") have at most this many words.
_SIGNATURE_WORDS = 7
_SIGNATURE_LINES = 4
# Parts of a sentence: between commas, semicolons and spaced dashes ("thanks – the SPF issue is gone now").
# The separators are kept (captured) so that what is left is joined as it was written: a dash inside a quoted
# label ("'Delivered - Opened twice', is that good?") stays a dash.
_COMMAS = re.compile(r"(\s*[,;]\s*|\s+[–—-]+\s+)")
# A sentence with no letter or digit in it: what an emoji or a lone mark leaves.
_NO_WORD = re.compile(r"[^\W_]")


def without_small_talk(reader: SmallTalkReader, text: str) -> tuple[str, tuple[str, ...]]:
    """The message without its small-talk sentences and signature, and the kinds of small talk found.

    An empty text back means the message was small talk and nothing else.
    """
    if not reader or not reader.may_hold(text):
        return text, ()
    lines = text.split("\n")
    kept_lines: list[str] = []
    acts: list[str] = []
    closed = False
    for number, line in enumerate(lines):
        last_lines = len(lines) - number <= _SIGNATURE_LINES
        if closed and last_lines and _signature_line(reader, line):
            continue
        if number == len(lines) - 1 and number > 0 and _SIGNED.match(line) and len(line.split()) <= _SIGNATURE_WORDS:
            continue
        kept: list[str] = []
        for sentence in sentences(line):
            if not _NO_WORD.search(sentence):
                continue
            # A sentence, or a part of one between commas: "thx, the reply-to thing is sorted now".
            found = reader.acts(sentence)
            if found is not None:
                acts.extend(found)
                continue
            pieces = _COMMAS.split(sentence)
            parts, separators = pieces[::2], ["", *pieces[1::2]]
            said = [reader.acts(part) if _NO_WORD.search(part) else () for part in parts]
            acts.extend(act for found in said if found is not None for act in found)
            if any(found is not None for found in said):
                left = [(sep, part) for sep, part, found in zip(separators, parts, said, strict=True) if found is None]
                sentence = "".join(sep + part for sep, part in left)[len(left[0][0]) :] if left else ""
            if sentence.strip():
                kept.append(sentence)
        if kept:
            kept_lines.append(" ".join(kept))
            closed = False
        elif number > 0:
            # A line of nothing but thanks or a goodbye under the question closes it: what follows is a signature.
            closed = True
    order = {act: i for i, act in enumerate(reader.order)}
    return "\n".join(kept_lines), tuple(sorted(set(acts), key=order.__getitem__))


def _signature_line(reader: SmallTalkReader, line: str) -> bool:
    words = ascii_fold(fold_key(line)).split()
    return len(words) <= _SIGNATURE_WORDS and "?" not in line and not any(reader.meaningful(w) for w in words)
