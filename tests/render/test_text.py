from bot.core.models import Reply, ReplyKind, Section
from bot.render.text import render_text


def test_text_rendering_keeps_every_part_in_order():
    reply = Reply(
        kind=ReplyKind.EXPLAIN,
        language="en",
        title="Not delivered - SPF failure",
        notices=("The live status could not be fetched right now.",),
        sections=(
            Section(heading="What it means", text="The SPF record is wrong."),
            Section(heading="Next steps", items=("Add the include", "Wait a day"), collapsible=True),
            Section(items=("plain item",)),
            Section(heading="Can it be resent?", text="Yes."),
        ),
    )
    text = render_text(reply)
    assert text.splitlines()[0] == "Not delivered - SPF failure"
    assert "! The live status could not be fetched right now." in text
    assert text.index("What it means:") < text.index("The SPF record is wrong.") < text.index("Next steps:")
    assert "  1. Add the include" in text and "  2. Wait a day" in text
    assert "  - plain item" in text
    assert "Can it be resent?\nYes." in text
    assert text.endswith("\n")


def test_offers_are_lines_to_paste_back_under_their_heading():
    from bot.core.models import Offer

    reply = Reply(kind=ReplyKind.EXPLAIN, language="en", title="Not delivered - SPF failure",
                  offers=(Offer("invalid_sender_address", "Not delivered - Invalid sender email"),),
                  offers_heading="Did you mean another one?")
    assert render_text(reply).endswith("\nDid you mean another one?\n  - Not delivered - Invalid sender email "
                                       "(invalid_sender_address)\n")
    # Without a heading the reply lists them itself already (no match): nothing is added.
    assert "invalid_sender_address" not in render_text(
        Reply(kind=ReplyKind.NO_MATCH, language="en", title="t", offers=reply.offers)
    )


def test_the_read_more_link_ends_the_text_in_the_replys_language():
    from bot.core.models import Link

    link = Link("Översikt över inbjudningsstatus", "https://support.example/sv/1")
    reply = Reply(kind=ReplyKind.EXPLAIN, language="sv", title="Ej levererad – SPF-fel",
                  sections=(Section(heading="Nästa steg", items=("Gör så",), collapsible=True),), read_more=link)
    text = render_text(reply)
    assert text.rstrip().splitlines()[-1] == "Läs mer: Översikt över inbjudningsstatus (https://support.example/sv/1)"
    english = render_text(Reply(kind=ReplyKind.EXPLAIN, language="en", title="x", read_more=link))
    assert "Read more: Översikt över inbjudningsstatus (https://support.example/sv/1)" in english
    assert "Read more" not in render_text(Reply(kind=ReplyKind.EXPLAIN, language="en", title="x"))
