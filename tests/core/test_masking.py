"""Masking on the answer value: every text, every address, every known recipient name; nothing else."""

from __future__ import annotations

from bot.core.masking import kb_addresses, mask_reply, recipients_in
from bot.core.models import Reply, ReplyKind, Section


def reply(**kw) -> Reply:
    base = dict(kind=ReplyKind.LOOKUP, language="en", title="Invitation for anna.svensson@kund.example")
    return Reply(**{**base, **kw})


def test_every_text_of_the_reply_is_masked():
    masked = mask_reply(reply(
        question="why did ERIK@example.se bounce?",
        notices=("Mail for erik@example.se is delayed",),
        sections=(Section(heading="To x.y@example.org", text="550 5.1.1 <anna.svensson@kund.example>: rejected",
                          items=("Recipient: Anna Svensson <anna.svensson@kund.example>",)),),
        data={"invitation": {"recipient": {"email": "anna.svensson@kund.example", "name": "Anna Svensson"},
                             "statusDetail": "no mailbox for ANNA SVENSSON (anna.svensson)"}},
    ))
    assert masked.title == "Invitation for a***@kund.example"
    assert masked.question == "why did E***@example.se bounce?"
    assert masked.notices == ("Mail for e***@example.se is delayed",)
    section = masked.sections[0]
    assert section.heading == "To x***@example.org"
    assert section.text == "550 5.1.1 <a***@kund.example>: rejected"
    assert section.items == ("Recipient: A*** S*** <a***@kund.example>",)
    invitation = masked.data["invitation"]
    assert invitation["recipient"] == {"email": "a***@kund.example", "name": "A*** S***"}
    assert invitation["statusDetail"] == "no mailbox for A*** S*** (a***)"


def test_a_name_part_alone_is_masked_as_written_and_short_or_common_words_are_not():
    data = {"recipient": {"email": "per.ek@example.se", "name": "Per Ek"}}
    masked = mask_reply(reply(title="x", sections=(Section(text="Per Ek: 3 per day; mailbox of per.ek full"),),
                              data=data))
    assert masked.sections[0].text == "P*** E***: 3 per day; mailbox of p*** full"
    other = mask_reply(reply(title="x", sections=(Section(text="Svensson wrote; svensson; Anna asked"),),
                             data={"recipient": {"email": "a@b.se", "name": "Anna Svensson"}}))
    assert other.sections[0].text == "S*** wrote; svensson; A*** asked"


def test_plain_local_parts_are_not_treated_as_names():
    assert recipients_in({"recipient": {"email": "support@shop.example"}}) == set()
    assert recipients_in([{"recipient": {"email": "erik.lindqvist7@example.se", "name": None}}]) == {
        "erik.lindqvist7"}


def test_masking_twice_changes_nothing_more():
    once = mask_reply(reply(sections=(Section(text="Anna Svensson <anna@example.se>"),),
                            data={"recipient": {"email": "anna@example.se", "name": "Anna Svensson"}}))
    assert mask_reply(once) == once


def test_addresses_the_knowledge_base_quotes_stay(kb):
    public = kb_addresses(kb)
    assert "noreply.invitations@trustpilotmail.com" in public
    masked = mask_reply(reply(title="Send from noreply.invitations@trustpilotmail.com, not anna@example.se"),
                        public=public)
    assert masked.title == "Send from noreply.invitations@trustpilotmail.com, not a***@example.se"


def test_the_read_more_link_keeps_its_address_and_its_title_is_cleaned_like_any_text():
    from bot.core.masking import for_audience
    from bot.core.models import Link, Reply, ReplyKind

    reply = Reply(kind=ReplyKind.EXPLAIN, language="en", title="x",
                  read_more=Link("Overview\u202e for anna@example.se", "https://support.example/en/1"))
    shown = for_audience(reply, masked=True)
    assert shown.read_more is not None
    assert shown.read_more.url == "https://support.example/en/1"
    assert "anna@example.se" not in shown.read_more.title and "\u202e" not in shown.read_more.title
    assert for_audience(Reply(kind=ReplyKind.EXPLAIN, language="en", title="x"), masked=True).read_more is None
