"""Adaptive Card rendering: structure, Teams' size limit, fallback texts, escaping, the buttons' data."""

from __future__ import annotations

import json

import pytest
from cardcheck import card_texts, check_card

from bot.core.models import Reply, ReplyKind, Section
from bot.render.blocks import STEPS_SHOWN
from bot.render.cards import (
    MAX_CARD_BYTES,
    MAX_MESSAGE_BYTES,
    MAX_SUMMARY,
    VERB_EXPLAIN_STATUS,
    VERB_SHOW_ALL_STEPS,
    VERB_SWITCH_LANGUAGE,
    CardAction,
    CardOptions,
    StatusAction,
    clean_text,
    render_card,
)


def explain_reply(language: str = "en", steps: int = 5, **kw) -> Reply:
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
        question="what is spf failure?",
        **kw,
    )


def actions_by_verb(card: dict) -> dict[str, dict]:
    return {action["verb"]: action for action in card.get("actions", [])}


def test_an_explanation_has_title_meaning_steps_and_who_must_act():
    card = check_card(render_card(explain_reply(), CardOptions(answer_id="a" * 22)).content)
    texts = card_texts(card)
    assert texts[0] == "Not delivered - SPF failure"
    assert card["body"][0]["inlines"][0]["size"] == "Large"
    assert "The receiving server rejected the mail." in texts
    assert texts.index("Who must act") > texts.index("Next steps")
    assert "The merchant." in texts
    # Next steps as a numbered list, the first few shown, then a note and a button for all of them.
    assert [t for t in texts if t.startswith(("1.", "2.", "3.", "4."))] == [
        "1. Step number 1", "2. Step number 2", "3. Step number 3"]
    assert f"Showing {STEPS_SHOWN} of 5 steps." in texts


def test_buttons_point_at_the_stored_answer_and_carry_no_question():
    card = render_card(explain_reply(), CardOptions(answer_id="answer-id-123")).content
    by_verb = actions_by_verb(card)
    assert set(by_verb) == {VERB_SHOW_ALL_STEPS, VERB_SWITCH_LANGUAGE}
    assert by_verb[VERB_SWITCH_LANGUAGE]["title"] == "Show in Swedish"
    assert by_verb[VERB_SWITCH_LANGUAGE]["data"] == {"verb": VERB_SWITCH_LANGUAGE, "answer": "answer-id-123",
                                                     "language": "sv", "full": False}
    assert by_verb[VERB_SHOW_ALL_STEPS]["data"]["full"] is True
    assert "spf" not in json.dumps(card.get("actions"))  # nothing of the question travels in a button
    assert all(action["type"] == "Action.Execute" for action in card["actions"])


def test_full_steps_show_every_step_and_keep_it_through_a_language_switch():
    card = render_card(explain_reply(steps=7), CardOptions(full=True, answer_id="x" * 12)).content
    texts = card_texts(card)
    assert "7. Step number 7" in texts
    assert not any(t.startswith("Showing") for t in texts)
    assert set(actions_by_verb(card)) == {VERB_SWITCH_LANGUAGE}
    assert actions_by_verb(card)[VERB_SWITCH_LANGUAGE]["data"]["full"] is True


def test_swedish_reply_offers_english_and_dialogs_use_submit():
    card = render_card(explain_reply(language="sv"), CardOptions(answer_id="x" * 12, submit=True)).content
    check_card(card)
    titles = {action["title"] for action in card["actions"]}
    assert "Show in English" in titles or "Visa på engelska" in titles
    assert all(action["type"] == "Action.Submit" for action in card["actions"])
    assert all(action["data"]["verb"] in (VERB_SWITCH_LANGUAGE, VERB_SHOW_ALL_STEPS) for action in card["actions"])


def test_no_buttons_without_a_stored_answer_or_on_an_error():
    assert "actions" not in render_card(explain_reply()).content
    error = Reply(kind=ReplyKind.ERROR, language="en", title="Sorry, something went wrong on our side.",
                  question="x")
    assert "actions" not in check_card(render_card(error, CardOptions(answer_id="x" * 12)).content)


def test_fallback_text_and_summary_are_plain_and_short():
    rendered = render_card(explain_reply())
    assert rendered.summary == "Not delivered - SPF failure"
    fallback = rendered.content["fallbackText"]
    assert fallback.startswith("Not delivered - SPF failure")
    assert "Step number 5" in fallback  # the fallback is the whole answer as text
    long_title = Reply(kind=ReplyKind.HELP, language="en", title="word " * 400)
    assert len(render_card(long_title).summary) <= MAX_SUMMARY


def huge_reply() -> Reply:
    many = tuple(f"Invitation {n:05d} – Ej levererad – SPF-fel – åäö " + "x" * 120 for n in range(2000))
    return Reply(
        kind=ReplyKind.LOOKUP,
        language="sv",
        title="T" * 5000,
        notices=tuple("⚠ API slow " * 50 for _ in range(30)),
        sections=(Section(heading="Many", text="y\n" * 5000, items=many),
                  Section(heading="Steps", items=many, collapsible=True)),
        question="q" * 20_000,
    )


def test_a_huge_reply_stays_under_teams_message_limit_and_says_it_was_shortened():
    rendered = render_card(huge_reply(), CardOptions(full=True, answer_id="x" * 12, echo_question=True))
    card = check_card(rendered.content)
    assert rendered.size() <= MAX_CARD_BYTES
    activity = {"type": "message", "summary": rendered.summary, "attachments": [rendered.attachment()],
                "replyToId": "1" * 20, "conversation": {"id": "19:" + "c" * 150}}
    assert len(json.dumps(activity, ensure_ascii=False).encode()) < MAX_MESSAGE_BYTES
    texts = card_texts(card)
    assert texts[-1] == "Svaret kortades för att rymmas i ett Teams-meddelande."
    assert len(texts[0]) <= 400
    assert card["actions"]  # the buttons survive shortening


def test_one_giant_text_is_cut_not_dropped():
    reply = Reply(kind=ReplyKind.EXPLAIN, language="en", title="T",
                  sections=(Section(heading="What it means", text="z" * 100_000),))
    card = check_card(render_card(reply).content)
    assert any(text.startswith("zzz") and text.endswith("…") for text in card_texts(card))


@pytest.mark.parametrize("hostile", [
    "[click me](https://evil.example)",
    "<at>Everyone</at> look",
    "**bold** _it_ # heading",
    "a\u202eevil\u202c b\u200bc",
])
def test_user_text_cannot_become_markup_or_a_mention(hostile):
    reply = Reply(kind=ReplyKind.NO_MATCH, language="en", title=f"I am not sure: {hostile}",
                  sections=(Section(text=hostile, items=(hostile,)),), question=hostile)
    rendered = render_card(reply, CardOptions(echo_question=True))
    card = check_card(rendered.content)
    # Every text is a TextRun, which Adaptive Cards show literally (no markdown in TextRuns).
    assert all(run["type"] == "TextRun" for el in card["body"] for run in el["inlines"])
    everything = json.dumps(card, ensure_ascii=False) + rendered.summary
    assert "<at>" not in everything and "</at>" not in everything
    assert "\u202e" not in everything and "\u200b" not in everything
    # The plain texts break link syntax apart, in case a client reads them as markdown.
    assert "](" not in card["fallbackText"] and "](" not in rendered.summary


def test_clean_text_keeps_ordinary_text_and_emoji_joiners():
    assert clean_text("Ej levererad – SPF-fel 👩‍💻") == "Ej levererad – SPF-fel 👩‍💻"
    assert clean_text("<AT id='1'>Bot</AT> hej") == "Bot hej"


def test_card_action_parse_accepts_only_our_buttons():
    data = CardAction(VERB_SWITCH_LANGUAGE, "abcdefgh12", "en", full=True).data()
    assert CardAction.parse(None, data) == CardAction(VERB_SWITCH_LANGUAGE, "abcdefgh12", "en", True)
    assert CardAction.parse(VERB_SWITCH_LANGUAGE, data) is not None
    assert CardAction.parse("other", data) is None
    assert CardAction.parse(None, {**data, "language": "de"}) is None
    assert CardAction.parse(None, {**data, "answer": "short"}) is None
    assert CardAction.parse(None, {**data, "answer": 12345678}) is None
    assert CardAction.parse(None, "not a dict") is None
    assert CardAction.parse(None, {**data, "full": "yes"}).full is False



def test_read_more_links_the_knowledge_base_article_after_the_body():
    from bot.core.models import Link

    link = Link("Invitation status overview", "https://support.example/articles/1")
    for options in (CardOptions(), CardOptions(answer_id="x" * 12)):
        card = check_card(render_card(explain_reply(read_more=link), options).content)
        last = card["body"][-1]["inlines"]
        assert [run["text"] for run in last] == ["Read more: ", "Invitation status overview"]
        assert last[1]["selectAction"] == {"type": "Action.OpenUrl", "url": "https://support.example/articles/1"}
    swedish = render_card(explain_reply(language="sv", read_more=link)).content
    assert swedish["body"][-1]["inlines"][0]["text"] == "Läs mer: "
    assert "selectAction" not in json.dumps(render_card(explain_reply()).content)


def offer_sets(card: dict) -> list[dict]:
    return [element for element in card["body"] if element["type"] == "ActionSet"]


def test_offered_statuses_are_buttons_under_their_heading_carrying_the_status_only():
    from bot.core.models import Offer
    from bot.render.blocks import MAX_OFFERS

    offers = tuple(Offer(f"status_{n}", f"Label {n}") for n in range(MAX_OFFERS + 2))
    reply = explain_reply(offers=offers, offers_heading="Did you mean another one?")
    card = check_card(render_card(reply, CardOptions(answer_id="answer-id-123")).content)
    (offered,) = offer_sets(card)
    assert card["body"][-1] is offered
    assert card_texts(card)[-1] == "Did you mean another one?"
    assert [action["title"] for action in offered["actions"]] == [f"Label {n}" for n in range(MAX_OFFERS)]
    assert all(action["type"] == "Action.Execute" and action["verb"] == VERB_EXPLAIN_STATUS
               for action in offered["actions"])
    # The status's id and the language: nothing of the asker, the question or the stored answer.
    assert [StatusAction.parse(a["verb"], a["data"]) for a in offered["actions"]] == [
        StatusAction(f"status_{n}", "en") for n in range(MAX_OFFERS)]
    assert offered["actions"][0]["data"] == {"verb": VERB_EXPLAIN_STATUS, "status": "status_0", "language": "en"}
    # The answer's own buttons stay where they were.
    assert set(actions_by_verb(card)) == {VERB_SHOW_ALL_STEPS, VERB_SWITCH_LANGUAGE}


def test_offers_show_without_a_stored_answer_use_submit_in_dialogs_and_never_on_an_error():
    from bot.core.models import Offer

    offers = (Offer("spf_failure", "Ej levererad – SPF-fel"),)
    card = check_card(render_card(explain_reply(language="sv", offers=offers)).content)
    (offered,) = offer_sets(card)
    assert offered["actions"][0]["data"]["status"] == "spf_failure"
    assert card_texts(card)[-1] == "Menade du någon av dessa?"
    dialog = check_card(render_card(explain_reply(offers=offers), CardOptions(answer_id="x" * 12, submit=True)).content)
    assert offer_sets(dialog)[0]["actions"][0]["type"] == "Action.Submit"
    error = Reply(kind=ReplyKind.ERROR, language="en", title="Sorry.", question="x", offers=offers)
    assert not offer_sets(check_card(render_card(error).content))
    assert not offer_sets(render_card(explain_reply()).content)


def test_offers_are_never_shortened_away_from_a_long_answer():
    from bot.core.models import Offer

    offers = (Offer("spf_failure", "Not delivered - SPF failure"), Offer("blocked", "Not delivered - Blocked"))
    long = Reply(kind=ReplyKind.EXPLAIN, language="en", title="Long", question="q", offers=offers,
                 sections=tuple(Section(heading=f"H{n}", text="word " * 500) for n in range(40)))
    card = check_card(render_card(long, CardOptions(answer_id="x" * 12)).content)
    assert "The answer was shortened to fit in one Teams message." in card_texts(card)
    assert len(offer_sets(card)[0]["actions"]) == 2


@pytest.mark.parametrize("data", [None, [], {"verb": VERB_EXPLAIN_STATUS, "status": "spf_failure", "language": "de"},
                                  {"verb": VERB_EXPLAIN_STATUS, "status": "SPF failure", "language": "en"},
                                  {"verb": VERB_SWITCH_LANGUAGE, "status": "spf_failure", "language": "en"},
                                  {"verb": VERB_EXPLAIN_STATUS, "status": "<at>x</at>", "language": "en"}])
def test_status_action_rejects_foreign_data(data):
    assert StatusAction.parse(None, data) is None
