"""Feedback on Teams cards: the buttons carry status ids only, the card stays within Teams' size, the picker."""

from __future__ import annotations

import json

from cardcheck import check_card

from bot.core.models import Match, Reply, ReplyKind, Section
from bot.render.card_feedback import (
    VERB_FEEDBACK_DOWN,
    VERB_PICK,
    parse_feedback,
    picker_card,
    with_card_feedback,
)
from bot.render.cards import MAX_CARD_BYTES, CardOptions, render_card
from bot.render.feedback import FeedbackValue


def reply(sections=(), kind=ReplyKind.EXPLAIN):
    return Reply(kind=kind, language="en", title="Not delivered - SPF failure", sections=sections,
                 status="spf_failure", match=Match("spf_failure", 90.0, ("custom_sender_address",)),
                 question="anna@example.se never got it")


def test_buttons_carry_status_ids_and_nothing_the_person_wrote():
    card = check_card(with_card_feedback(render_card(reply(), CardOptions(answer_id="a" * 22)), reply()).content)
    down = next(a for a in card["actions"] if a["verb"] == VERB_FEEDBACK_DOWN)
    assert "anna" not in json.dumps(down)
    click = parse_feedback(down["verb"], down["data"])
    assert click is not None and click.value.status == "spf_failure"
    assert click.value.alternatives == ("custom_sender_address",)


def test_a_full_card_makes_room_for_the_buttons():
    long = tuple(Section(heading=f"part {i}", text="x" * 2000) for i in range(20))
    card = with_card_feedback(render_card(reply(long), CardOptions(answer_id="a" * 22)), reply(long))
    assert card.size() <= MAX_CARD_BYTES
    check_card(card.content)


def test_hand_off_and_feedback_replies_get_no_buttons():
    thanks = reply(kind=ReplyKind.FEEDBACK)
    assert "actions" not in with_card_feedback(render_card(thanks), thanks).content


def test_picker_lists_the_alternatives_first_then_every_status(kb):
    card = check_card(picker_card(kb, FeedbackValue("spf_failure", "sv", ("custom_sender_address",))).content)
    (choices,) = [e for e in card["body"] if e["type"] == "Input.ChoiceSet"]
    values = [c["value"] for c in choices["choices"]]
    assert values[0] == "custom_sender_address" and "spf_failure" not in values
    assert len(values) == len(kb) - 1
    (send,) = card["actions"]
    assert send["verb"] == VERB_PICK


def test_foreign_data_is_not_feedback():
    assert parse_feedback("feedback_up", {"feedback": "{not json"}) is None
    assert parse_feedback("something_else", {"feedback": FeedbackValue(None, "en").encode()}) is None
    click = parse_feedback(VERB_PICK, {"feedback": FeedbackValue(None, "en").encode(), "picked": "x" * 500})
    assert click is not None and click.picked is None
