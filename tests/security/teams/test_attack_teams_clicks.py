"""Attack on Teams cards: a merchant clicks the buttons of an answer one of our staff asked for in a conversation
the merchant shares with us. The card keeps its buttons for a week, and every click fetched the live data again
with the STAFF member's rights: a merchant could watch another merchant's invitation for days by clicking "Show
in English". A click by someone else is now answered with no more rights than the clicker's own (and no less
masking than either audience's): their own view, never the asker's rights carried over."""

from __future__ import annotations

import json

import pytest
from cardcheck import card_texts, check_attachment, check_card
from connectorstub import ALICE, GROUP_CHAT, MERCHANT, card_submit, execute_invoke, group_chat_mention

from bot.invitations.sandbox import BRIGHT_LAMPS_ID
from bot.render.cards import VERB_SWITCH_LANGUAGE

REFUSED = ("I cannot show live invitation data", "Jag kan inte visa aktuella inbjudningsuppgifter")


@pytest.fixture(scope="module")
def bright_lamps_invitation(components):
    (found,) = components.source.client().find_invitations(BRIGHT_LAMPS_ID, reference_number="BL-700009")
    return found


@pytest.fixture
def staff_answer(teams, stub, bright_lamps_invitation):
    """Alice (staff) looks up a Bright Lamps invitation in the group chat bound to Nordic Shoes, with Maja of
    Nordic Shoes in it: allowed for staff, masked for everyone."""
    stub.rosters[GROUP_CHAT] = [ALICE, MERCHANT]
    question = group_chat_mention(stub.service_url, f"status {bright_lamps_invitation.id}", user=ALICE)
    assert teams.post(question).status == 202
    assert teams.idle()
    call = stub.messages()[-1]
    card = check_attachment(call.body["attachments"][0])
    assert "BL-700009" in json.dumps(card, ensure_ascii=False)
    switch = next(a for a in card["actions"] if a["verb"] == VERB_SWITCH_LANGUAGE)
    return question, call.posted_id, switch


def revealing(text: str) -> list[str]:
    return [word for word in ("BL-700009", "Bright Lamps", "example.co.uk", BRIGHT_LAMPS_ID) if word in text]


def test_a_merchants_click_on_a_staff_lookup_does_not_fetch_another_merchants_invitation(teams, stub, staff_answer):
    question, card_id, switch = staff_answer
    response = teams.post(execute_invoke(question, card_id, switch, user=MERCHANT))
    assert response.status == 200
    shown = json.dumps(response.body, ensure_ascii=False)
    assert revealing(shown) == []
    if response.body.get("type") == "application/vnd.microsoft.card.adaptive":
        assert any(refused in card_texts(check_card(response.body["value"]))[0] for refused in REFUSED)
    assert stub.updates() == []


def test_a_merchants_submit_on_a_staff_lookup_posts_nothing_of_another_merchant(teams, stub, staff_answer):
    question, card_id, switch = staff_answer
    before = len(stub.messages())
    click = card_submit({**question, "replyToId": card_id}, switch["data"], user=MERCHANT)
    assert teams.post(click).status == 202
    assert teams.idle()
    posted = stub.messages()[before:]
    assert revealing(json.dumps([call.body for call in posted], ensure_ascii=False)) == []
    assert stub.updates() == []


def test_the_askers_own_click_still_shows_the_lookup(teams, stub, staff_answer):
    question, card_id, switch = staff_answer
    response = teams.post(execute_invoke(question, card_id, switch, user=ALICE))
    assert "BL-700009" in json.dumps(response.body, ensure_ascii=False)
