"""Block Kit rendering: structure, Slack's limits, escaping of user and knowledge-base text, buttons."""

from __future__ import annotations

import json

import pytest

from bot.core.models import Reply, ReplyKind, Section
from bot.render.blocks import (
    MAX_BLOCKS,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    STEPS_SHOWN,
    RenderOptions,
    escape_mrkdwn,
    render_message,
)
from bot.render.button_values import (
    ACTION_SHARE,
    ACTION_SHOW_ALL_STEPS,
    ACTION_SWITCH_LANGUAGE,
    MAX_BUTTON_VALUE,
    ActionValue,
    StatusValue,
)


def explain_reply(language: str = "en", steps: int = 5, question: str = "what is spf failure?", **kw) -> Reply:
    return Reply(
        kind=ReplyKind.EXPLAIN,
        language=language,
        title="Not delivered - SPF failure",
        sections=(
            Section(heading="What it means", text="The receiving server rejected the mail."),
            Section(heading="Next steps", items=tuple(f"Step number {n}" for n in range(1, steps + 1)),
                    collapsible=True),
            Section(heading="Who must act", text="The merchant."),
        ),
        status="spf_failure",
        question=question,
        **kw,
    )


ANSWER = "answer-id-0001"  # the stored answer (bot.core.answers) the buttons point at


def shown(**kw) -> RenderOptions:
    return RenderOptions(answer_id=ANSWER, **kw)


def all_texts(blocks: list[dict]) -> list[str]:
    """Every text string anywhere in the blocks."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(blocks)
    return found


def buttons(blocks: list[dict]) -> dict[str, dict]:
    actions = [b for b in blocks if b["type"] == "actions"]
    return {el["action_id"]: el for block in actions for el in block["elements"]}


def assert_within_limits(blocks: list[dict]) -> None:
    assert len(blocks) <= MAX_BLOCKS
    for block in blocks:
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= MAX_HEADER_TEXT
            assert block["text"]["type"] == "plain_text"
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= MAX_SECTION_TEXT
        if block["type"] == "context":
            assert all(len(el["text"]) <= MAX_SECTION_TEXT for el in block["elements"])
        if block["type"] == "actions":
            for element in block["elements"]:
                assert len(element["value"]) <= MAX_BUTTON_VALUE
                assert len(element["text"]["text"]) <= 75


def test_status_is_the_header_and_sections_follow():
    message = render_message(explain_reply())
    assert message.blocks[0] == {"type": "header",
                                 "text": {"type": "plain_text", "text": "Not delivered - SPF failure", "emoji": True}}
    texts = all_texts(message.blocks)
    assert any(t.startswith("*What it means*\nThe receiving server rejected") for t in texts)
    assert any("*Who must act*\nThe merchant." in t for t in texts)
    assert_within_limits(message.blocks)


def test_next_steps_are_numbered_and_cut_to_the_first_few_with_a_show_all_button():
    message = render_message(explain_reply(steps=STEPS_SHOWN + 2), shown())
    steps_text = next(t for t in all_texts(message.blocks) if t.startswith("*Next steps*"))
    assert "1. Step number 1" in steps_text
    assert f"{STEPS_SHOWN}. Step number {STEPS_SHOWN}" in steps_text
    assert f"Step number {STEPS_SHOWN + 1}" not in steps_text
    assert any(f"Showing {STEPS_SHOWN} of {STEPS_SHOWN + 2} steps." in t for t in all_texts(message.blocks))
    show_all = buttons(message.blocks)[ACTION_SHOW_ALL_STEPS]
    assert show_all["text"]["text"] == "Show all steps"
    value = ActionValue.decode(show_all["value"])
    assert value == ActionValue(answer_id=ANSWER, language="en", full=True)


def test_full_shows_every_step_and_no_show_all_button():
    message = render_message(explain_reply(steps=8), RenderOptions(full=True))
    steps_text = next(t for t in all_texts(message.blocks) if t.startswith("*Next steps*"))
    assert "8. Step number 8" in steps_text
    assert ACTION_SHOW_ALL_STEPS not in buttons(message.blocks)


def test_few_steps_need_no_show_all_button():
    assert ACTION_SHOW_ALL_STEPS not in buttons(render_message(explain_reply(steps=STEPS_SHOWN)).blocks)


@pytest.mark.parametrize(("language", "label", "target"), [("en", "Show in Swedish", "sv"),
                                                          ("sv", "Visa på engelska", "en")])
def test_language_switch_button_asks_again_in_the_other_language(language, label, target):
    found = buttons(render_message(explain_reply(language=language), shown()).blocks)[ACTION_SWITCH_LANGUAGE]
    assert found["text"]["text"] == label
    assert ActionValue.decode(found["value"]).language == target


def test_swedish_reply_has_swedish_ui_strings():
    message = render_message(explain_reply(language="sv", steps=6), shown(shareable=True))
    labels = {b["text"]["text"] for b in buttons(message.blocks).values()}
    assert labels == {"Visa alla steg", "Visa på engelska", "Dela i kanalen"}
    assert any("Visar 3 av 6 steg." in t for t in all_texts(message.blocks))


def test_share_button_only_when_shareable_and_carries_the_thread():
    assert ACTION_SHARE not in buttons(render_message(explain_reply(), shown()).blocks)
    message = render_message(explain_reply(), shown(shareable=True, thread_ts="1700000000.000100"))
    share = buttons(message.blocks)[ACTION_SHARE]
    assert share["style"] == "primary"
    assert ActionValue.decode(share["value"]).thread_ts == "1700000000.000100"


@pytest.mark.parametrize("hostile", ["<!channel> hello", "<!here>", "<!everyone>", "<@U12345678> look",
                                     "<https://evil.example|click me>", "a & b > c"])
def test_question_echo_and_kb_text_are_escaped(hostile):
    reply = Reply(
        kind=ReplyKind.EXPLAIN,
        language="en",
        title="Title",
        sections=(Section(heading=hostile, text=hostile, items=(hostile,)),),
        notices=(hostile,),
        question=hostile,
    )
    message = render_message(reply, RenderOptions(echo_question=True))
    for text in [*all_texts(message.blocks), message.text]:
        # Nothing from the input may open a Slack token (<!here>, <@U…>, <url|label>).
        assert "<" not in text and ">" not in text
    assert any("You asked: &lt;" in t or "You asked: a &amp; b &gt; c" in t for t in all_texts(message.blocks))


def test_plain_text_fallback_is_always_there_and_escaped():
    message = render_message(explain_reply(question="<!channel>"))
    assert message.text.startswith("Not delivered - SPF failure")
    assert "Step number 5" in message.text  # the fallback lists every step
    reply = Reply(kind=ReplyKind.HELP, language="en", title="Hi <!here>")
    assert render_message(reply).text.startswith("Hi &lt;!here&gt;")


def test_escape_mrkdwn():
    assert escape_mrkdwn("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"


def test_long_title_becomes_bold_section_not_a_cut_header():
    title = "x" * (MAX_HEADER_TEXT + 10)
    message = render_message(Reply(kind=ReplyKind.HELP, language="en", title=title))
    assert message.blocks[0]["type"] == "section"
    assert message.blocks[0]["text"]["text"] == f"*{title}*"


def test_long_sections_split_within_section_limit():
    items = tuple(f"invitation {n}: " + "y" * 200 for n in range(60))
    reply = Reply(kind=ReplyKind.LOOKUP, language="en", title="Lookup",
                  sections=(Section(heading="Invitations", items=items),), question="q")
    message = render_message(reply)
    assert_within_limits(message.blocks)
    joined = "\n".join(all_texts(message.blocks))
    assert "invitation 0:" in joined and "invitation 59:" in joined


def test_single_huge_text_is_cut_to_the_section_limit():
    reply = Reply(kind=ReplyKind.HELP, language="en", title="T", sections=(Section(text="z" * 10_000),))
    message = render_message(reply)
    assert_within_limits(message.blocks)
    assert any(t.endswith("…") for t in all_texts(message.blocks))


def test_more_than_fifty_blocks_are_capped_with_a_note_and_keep_the_buttons():
    sections = tuple(Section(heading=f"Part {n}", text="t" * 2500) for n in range(80))
    reply = Reply(kind=ReplyKind.SUMMARY, language="en", title="Summary", sections=sections, question="summary")
    blocks = render_message(reply, shown()).blocks
    assert len(blocks) == MAX_BLOCKS
    assert blocks[-1]["type"] == "actions"
    assert "shortened to fit" in blocks[-2]["elements"][0]["text"]
    assert_within_limits(blocks)


def test_a_button_value_holds_the_answer_id_not_the_question():
    question = 'a "quoted" question \\ ' * 400
    blocks = render_message(explain_reply(question=question), shown(shareable=True)).blocks
    assert_within_limits(blocks)
    for button in buttons(blocks).values():
        assert "quoted" not in button["value"]
        assert ActionValue.decode(button["value"]).answer_id == ANSWER


def test_without_a_stored_answer_there_are_no_buttons():
    assert buttons(render_message(explain_reply(steps=8), RenderOptions(shareable=True)).blocks) == {}


def test_notices_are_shown():
    blocks = render_message(explain_reply(notices=("The API could not be reached.",))).blocks
    assert any(":warning: The API could not be reached." in t for t in all_texts(blocks))


def test_error_reply_has_no_buttons():
    reply = Reply(kind=ReplyKind.ERROR, language="en", title="Sorry", question="anything")
    assert buttons(render_message(reply).blocks) == {}


def test_shared_by_mentions_only_a_valid_user_id():
    blocks = render_message(explain_reply(), RenderOptions(shared_by="U0123ABCD")).blocks
    assert any(t == "Shared by <@U0123ABCD>" for t in all_texts(blocks))
    blocks = render_message(explain_reply(), RenderOptions(shared_by="<!channel>")).blocks
    assert not any("Shared by" in t for t in all_texts(blocks))


@pytest.mark.parametrize("raw", [None, "", "not json", "[]", '{"q": "spf", "l": "en"}', '{"a": "x", "l": "en"}',
                                 '{"a": "answer-id-0001", "l": "de"}', '{"a": "<!channel>-and-more", "l": "en"}'])
def test_action_value_rejects_foreign_values(raw):
    assert ActionValue.decode(raw) is None


def test_action_value_round_trip():
    value = ActionValue(ANSWER, "sv", full=True, thread_ts="1.2", shared_by="U0ABCDEF")
    assert ActionValue.decode(value.encode()) == value
    assert json.loads(value.encode()) == {"a": ANSWER, "l": "sv", "f": 1, "t": "1.2", "s": "U0ABCDEF"}


def test_read_more_is_a_link_after_the_sections_and_before_the_buttons():
    from bot.core.models import Link

    reply = explain_reply(read_more=Link("Invitation status <overview> | & more", "https://support.example/en/1"))
    blocks = render_message(reply, shown()).blocks
    assert blocks[-1]["type"] == "actions"
    read_more = blocks[-2]
    assert read_more["type"] == "context"
    # The title is text: escaped, and no "|" to end the link early; the address is the knowledge base's own.
    assert read_more["elements"][0]["text"] == (
        "Read more: <https://support.example/en/1|Invitation status &lt;overview&gt; / &amp; more>"
    )
    swedish = render_message(explain_reply(language="sv", read_more=Link("Översikt", "https://s.example/1")),
                             shown()).blocks
    assert swedish[-2]["elements"][0]["text"] == "Läs mer: <https://s.example/1|Översikt>"
    assert not any("Read more" in json.dumps(b) for b in render_message(explain_reply(), shown()).blocks)


def test_read_more_survives_a_reply_cut_to_fifty_blocks():
    from bot.core.models import Link

    sections = tuple(Section(heading=f"Part {n}", text="t" * 2500) for n in range(80))
    reply = Reply(kind=ReplyKind.SUMMARY, language="en", title="Summary", sections=sections, question="summary",
                  read_more=Link("Overview", "https://support.example/en/1"))
    blocks = render_message(reply, shown()).blocks
    assert len(blocks) == MAX_BLOCKS
    assert blocks[-1]["type"] == "actions"
    assert "Read more" in blocks[-2]["elements"][0]["text"]
    assert "shortened to fit" in blocks[-3]["elements"][0]["text"]


def test_offered_statuses_are_buttons_under_their_heading_each_with_its_own_id():
    from bot.core.models import Offer
    from bot.render.blocks import MAX_OFFERS
    from bot.render.button_values import ACTION_EXPLAIN_STATUS

    offers = tuple(Offer(f"status_{n}", f"Label {n}") for n in range(MAX_OFFERS + 2))
    blocks = render_message(explain_reply(offers=offers, offers_heading="Did you mean another one?"), shown()).blocks
    heading_at = next(i for i, b in enumerate(blocks) if b["type"] == "context"
                      and b["elements"][0]["text"] == "Did you mean another one?")
    offered = blocks[heading_at + 1]["elements"]
    assert [b["action_id"] for b in offered] == [f"{ACTION_EXPLAIN_STATUS}:{n}" for n in range(MAX_OFFERS)]
    # A button holds the status's id and the language, nothing of the asker.
    assert [StatusValue.decode(b["value"]) for b in offered] == [StatusValue(f"status_{n}", "en")
                                                                  for n in range(MAX_OFFERS)]
    assert json.loads(offered[0]["value"]) == {"x": "status_0", "l": "en"}
    # The usual buttons stay last.
    assert blocks[-1]["elements"][-1]["action_id"] == ACTION_SWITCH_LANGUAGE
    assert len({b["action_id"] for block in blocks if block["type"] == "actions" for b in block["elements"]}) == (
        MAX_OFFERS + 2
    )


def test_no_offer_buttons_without_offers():
    from bot.render.button_values import ACTION_EXPLAIN_STATUS

    blocks = render_message(explain_reply(), shown()).blocks
    assert ACTION_EXPLAIN_STATUS not in json.dumps(blocks)


@pytest.mark.parametrize("raw", [None, "", "[]", '{"x": "spf_failure", "l": "de"}', '{"x": "SPF failure", "l": "en"}',
                                 '{"a": "answer-id-0001", "l": "en"}', '{"x": "<!channel>", "l": "en"}'])
def test_status_value_rejects_foreign_values(raw):
    assert StatusValue.decode(raw) is None
