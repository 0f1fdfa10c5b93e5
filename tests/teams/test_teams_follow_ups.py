"""Teams conversations end to end: follow-ups in a chat and a channel thread, 👍/👎 with the status picker,
hand-offs to the escalation conversation, "gaps" for staff, /metrics. Real app, real brain and sandbox,
a real SQLite event store, the stand-in Bot Connector."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cardcheck import card_texts, check_attachment, check_card
from connectorstub import (
    ALICE,
    GROUP_CHAT,
    MERCHANT,
    MERCHANT_TENANT,
    OUR_TENANT,
    channel_mention,
    execute_invoke,
    get,
    personal_message,
)

from bot.cli.wiring import gaps_reader, load_components
from bot.config import Settings, TeamsSettings
from bot.conversation.gaps import gaps_report
from bot.conversation.store import open_engine
from bot.invitations.sandbox import NORDIC_SHOES_ID
from bot.metrics import Metrics
from bot.render.card_feedback import VERB_FEEDBACK_DOWN, VERB_FEEDBACK_UP, VERB_HANDOFF, VERB_PICK

ESCALATION = "19:support-escalations@thread.tacv2"
CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"


@pytest.fixture
def wired(tmp_path):
    policy = tmp_path / "access.yaml"
    policy.write_text(f'internal_tenants: ["{OUR_TENANT}"]\nchannels:\n'
                      f'  "{GROUP_CHAT}":\n    business_units: ["{NORDIC_SHOES_ID}"]\n', encoding="utf-8")
    metrics = Metrics()
    settings = Settings(access_file=policy, database_url=f"sqlite:///{tmp_path / 'events.db'}", language="sv",
                        teams_escalation_conversation=ESCALATION,
                        teams=TeamsSettings(tenant_id=OUR_TENANT, answer_threads=8))
    components = load_components(settings, record_events=True, observer=metrics, on_drop=metrics.event_dropped)
    yield components, metrics
    components.close()


@pytest.fixture
def teams(make_teams, wired):
    components, metrics = wired
    running = make_teams(components.settings, components.assistant, components.access,
                         conversation=components.conversation, gaps=gaps_reader(components.settings),
                         metrics=metrics)
    running.components = components
    running.metrics = metrics
    return running


def ask(teams, stub, activity):
    assert teams.post(activity).status == 202
    assert teams.idle()
    call = stub.messages()[-1]
    return call.posted_id, check_attachment(call.body["attachments"][0])


def verb(card, name):
    (found,) = [a for a in card["actions"] if a.get("verb") == name]
    return found


def stored(teams):
    assert teams.components.events.flush(30)
    engine = open_engine(teams.components.settings.event_store_url)
    try:
        return gaps_report(engine, datetime.now(UTC) - timedelta(days=1)).to_json()
    finally:
        engine.dispose()


def test_a_follow_up_in_a_personal_chat_is_read_in_its_context(teams, stub, components):
    _id, first = ask(teams, stub, personal_message(stub.service_url, "Ej levererad – SPF-fel", locale="sv-SE"))
    assert {VERB_FEEDBACK_UP, VERB_FEEDBACK_DOWN, VERB_HANDOFF} <= {a.get("verb") for a in first["actions"]}
    _id, follow = ask(teams, stub, personal_message(stub.service_url, "kan jag skicka om den?", locale="sv-SE"))
    texts = card_texts(follow)
    assert texts[0] == components.kb.get("spf_failure").label.get("sv") and "Kan den skickas igen?" in texts


def test_a_follow_up_in_a_channel_thread_and_a_new_post_elsewhere(teams, stub, components):
    post = channel_mention(stub.service_url, "Not delivered - Invalid recipient")
    ask(teams, stub, post)
    _id, follow = ask(teams, stub, channel_mention(stub.service_url, "who needs to fix it?", root_id=post["id"]))
    assert card_texts(follow)[0] == components.kb.get("invalid_recipient").label.get("en")
    assert "Who must act" in card_texts(follow)
    _id, other = ask(teams, stub, channel_mention(stub.service_url, "who needs to fix it?"))
    assert card_texts(other)[0] != components.kb.get("invalid_recipient").label.get("en")


def test_thumbs_down_offers_the_statuses_and_the_pick_is_answered_and_stored(teams, stub):
    question = personal_message(stub.service_url, "my invitations never arrive, the customer got nothing")
    card_id, card = ask(teams, stub, question)
    response = teams.post(execute_invoke(question, card_id, verb(card, VERB_FEEDBACK_DOWN), user=ALICE))
    assert response.status == 200 and response.body["type"] == CARD
    picker = check_card(response.body["value"])
    (choices,) = [e for e in picker["body"] if e["type"] == "Input.ChoiceSet"]
    values = [c["value"] for c in choices["choices"]]
    assert "invalid_recipient" in values and len(values) == len(set(values))
    pick = verb(picker, VERB_PICK)
    pick = {**pick, "data": {**pick["data"], "picked": "invalid_recipient", "wrong": "it was anna@example.se"}}
    response = teams.post(execute_invoke(question, card_id, pick, user=ALICE))
    assert response.body["type"] == MESSAGE
    assert teams.idle()
    explained = check_attachment(stub.messages()[-1].body["attachments"][0])
    assert card_texts(explained)[0] == "Not delivered - Invalid recipient"
    data = stored(teams)
    downs = {f["status"]: f for f in data["feedback"]}
    assert sum(f["down"] for f in downs.values()) == 1
    assert any(f["picked"] == {"invalid_recipient": 1} for f in downs.values())
    assert any(f["notes"] == ["it was a***@example.se"] for f in downs.values())


def test_thumbs_up_is_thanked_and_counted(teams, stub):
    question = personal_message(stub.service_url, "Not delivered - SPF failure")
    card_id, card = ask(teams, stub, question)
    response = teams.post(execute_invoke(question, card_id, verb(card, VERB_FEEDBACK_UP), user=ALICE))
    assert response.body["type"] == MESSAGE and response.body["value"]
    (spf,) = stored(teams)["feedback"]
    assert spf["status"] == "spf_failure" and spf["up"] == 1
    metrics = get(teams.url + "/metrics").body.decode()
    assert 'invitation_bot_feedback_total{kind="up",platform="teams"} 1.0' in metrics
    assert 'platform="teams"' in metrics and "invitation_bot_answers_total" in metrics


def test_hand_off_posts_to_the_escalation_conversation(teams, stub):
    question = channel_mention(stub.service_url, "Ej levererad – SPF-fel")
    card_id, card = ask(teams, stub, question)
    response = teams.post(execute_invoke(question, card_id, verb(card, VERB_HANDOFF), user=ALICE))
    assert response.body["type"] == MESSAGE
    posted = [c for c in stub.messages() if c.conversation == ESCALATION]
    assert len(posted) == 1
    text = posted[0].body["text"]
    assert "Ej levererad – SPF-fel" in text and "teams.microsoft.com/l/message/" in text
    assert stored(teams)["handoffs"] == 1


def test_asking_for_a_person_in_words_hands_off_too(teams, stub):
    ask(teams, stub, personal_message(stub.service_url, "Ej levererad – SPF-fel", locale="sv-SE"))
    ask(teams, stub, personal_message(stub.service_url, "kan jag prata med någon?", locale="sv-SE"))
    assert [c for c in stub.messages() if c.conversation == ESCALATION]


def test_gaps_in_a_personal_chat_for_staff_only(teams, stub):
    ask(teams, stub, personal_message(stub.service_url, "flibbertigibbet wobble frobnicate"))
    assert teams.components.events.flush(30)
    _id, report = ask(teams, stub, personal_message(stub.service_url, "gaps"))
    texts = card_texts(report)
    assert texts[0] == "Knowledge gaps this week" and any("flibbertigibbet" in t for t in texts)
    _id, merchant = ask(teams, stub, personal_message(stub.service_url, "gaps", user=MERCHANT,
                                                      tenant=MERCHANT_TENANT))
    assert not any("flibbertigibbet" in t for t in card_texts(merchant))


def test_an_escalation_conversation_bound_to_a_merchant_is_never_used(make_teams, stub, wired):
    components, _metrics = wired
    settings = Settings(**{**components.settings.__dict__, "teams_escalation_conversation": GROUP_CHAT})
    running = make_teams(settings, components.assistant, components.access, conversation=components.conversation)
    question = personal_message(stub.service_url, "can I talk to a person?")
    assert running.post(question).status == 202
    assert running.idle()
    assert not [c for c in stub.messages() if c.conversation == GROUP_CHAT]
    reply = check_attachment(stub.messages()[-1].body["attachments"][0])
    assert "contact" in " ".join(card_texts(reply)).lower()


def test_a_language_switch_on_a_follow_up_card_shows_the_status_it_was_about(teams, stub, components):
    from bot.render.cards import VERB_SWITCH_LANGUAGE

    ask(teams, stub, personal_message(stub.service_url, "Ej levererad – SPF-fel", locale="sv-SE"))
    question = personal_message(stub.service_url, "kan jag skicka om den?", locale="sv-SE")
    card_id, card = ask(teams, stub, question)
    response = teams.post(execute_invoke(question, card_id, verb(card, VERB_SWITCH_LANGUAGE), user=ALICE))
    assert response.body["type"] == CARD
    english = check_card(response.body["value"])
    assert card_texts(english)[0] == components.kb.get("spf_failure").label.get("en")
