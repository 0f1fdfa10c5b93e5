"""Invisible and control characters removed from every text of a reply; everything visible kept."""

from __future__ import annotations

import pytest

from bot.core.models import Reply, ReplyKind, Section
from bot.core.visible_text import visible, visible_reply


@pytest.mark.parametrize(("raw", "clean"), [
    ("Ej levererad – SPF-fel", "Ej levererad – SPF-fel"),
    ("a\u202eb\u202cc", "abc"),
    ("zero\u200bwidth\u200c\u200d\u2060\ufeff", "zerowidth"),
    ("\u2066isolate\u2069 \u200emark\u200f", "isolate mark"),
    ("clear\x1b[2J screen\x1b[31;1m red\x1b[0m", "clear screen red"),
    ("title\x1b]0;pwned\x07 ok", "title ok"),
    ("8-bit \x9b31mcsi", "8-bit csi"),
    ("lines\nand\ttabs\r\n", "lines\nand\ttabs\n"),
    ("nul\x00 del\x7f", "nul del"),
    ("emoji 👍 and no-break\u00a0space", "emoji 👍 and no-break\u00a0space"),
])
def test_visible(raw, clean):
    assert visible(raw) == clean


def test_every_text_of_a_reply_is_cleaned():
    reply = Reply(kind=ReplyKind.LOOKUP, language="en", title="T\u202e", question="q\u200b",
                  notices=("n\x1b[2J",), sections=(Section(heading="h\u2066", text="t\x07", items=("i\u200f",)),),
                  data={"invitation": {"statusDetail": "d\u202e"}, "count": 3})
    clean = visible_reply(reply)
    assert (clean.title, clean.question, clean.notices) == ("T", "q", ("n",))
    assert clean.sections == (Section(heading="h", text="t", items=("i",)),)
    assert clean.data == {"invitation": {"statusDetail": "d"}, "count": 3}
