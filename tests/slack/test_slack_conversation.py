"""Threads, feedback, hand-offs and App Home through the real Slack app: signed requests in, the real brain and
the bundled sandbox behind it, a real SQLite event store, Web API calls out to the stub."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from slackstub import (
    BOT_USER,
    HOME_TEAM,
    block_action_payload,
    event_body,
    get,
    interactive_body,
    mention_event,
    post,
)

from bot.cli.wiring import gaps_reader, load_components
from bot.config import Settings
from bot.conversation.gaps import gaps_report
from bot.conversation.store import open_engine
from bot.invitations.sandbox import NORDIC_SHOES_ID
from bot.metrics import Metrics
from bot.render.feedback import ACTION_FEEDBACK_DOWN, ACTION_FEEDBACK_UP, ACTION_HANDOFF, ACTION_PICK, ACTION_TELL

BOUND = "C0NORDIC"  # shared with Nordic Shoes, bound to its account
ESCALATION = "C0ESCALATE"  # our own internal channel
SHARED_ESCALATION = "C0WRONGPLACE"  # shared with another organisation: never a place for hand-offs
ANNA = "01188f639aae8f1da0f15423"  # Anna's SPF failure at Nordic Shoes in the sandbox
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def wired(tmp_path):
    policy = tmp_path / "access.yaml"
    policy.write_text(f"internal_teams: [{HOME_TEAM}]\nchannels:\n  {BOUND}:\n"
                      f"    business_units: [\"{NORDIC_SHOES_ID}\"]\n", encoding="utf-8")
    metrics = Metrics()
    settings = Settings(access_file=policy, database_url=f"sqlite:///{tmp_path / 'events.db'}",
                        slack_signing_secret="test-signing-secret", slack_bot_token="xoxb-test", language="sv",
                        slack_escalation_channel=ESCALATION, slack_listener_threads=8)
    components = load_components(settings, record_events=True, observer=metrics, on_drop=metrics.event_dropped)
    yield components, metrics
    components.close()


@pytest.fixture
def app(make_app, stub, wired):
    components, metrics = wired
    stub.users["U0ALICE"] = {"id": "U0ALICE", "team_id": HOME_TEAM, "locale": "en-GB"}
    stub.users["U0SHOP"] = {"id": "U0SHOP", "team_id": "T0SHOP"}
    stub.channels[BOUND] = {"id": BOUND, "is_ext_shared": True, "is_im": False}
    stub.channels[SHARED_ESCALATION] = {"id": SHARED_ESCALATION, "is_ext_shared": True, "is_im": False}
    settings = Settings(**{**components.settings.__dict__, "slack_api_url": stub.api_url.rstrip("/")})
    running = make_app(components.assistant, components.access, settings=settings,
                       conversation=components.conversation, gaps=gaps_reader(settings), metrics=metrics,
                       dropped=lambda: metrics.redelivery_dropped("slack"), feedback_counter=metrics.feedback_given)
    running.components = components
    return running


def send(app, event, event_id):
    response = post(app.events_url, event_body(event, event_id), JSON, secret=app.secret)
    assert response.status == 200


def mention(app, text, event_id, **kw):
    send(app, mention_event(f"<@{BOT_USER}> {text}", **kw), event_id)


def thread_message(text, *, ts, thread_ts, user="U0ALICE", channel="C0GENERAL", team=HOME_TEAM):
    return {"type": "message", "channel_type": "channel", "user": user, "text": text, "ts": ts,
            "thread_ts": thread_ts, "channel": channel, "team": team, "user_team": team, "event_ts": ts}


def posted(app, count):
    return app.stub.wait_calls("chat.postMessage", count)


def everything(call) -> str:
    return json.dumps(call.args.get("blocks", []), ensure_ascii=False) + "\n" + call.args.get("text", "")


def actions(call) -> dict:
    return {el["action_id"]: el for b in call.args.get("blocks", []) if b["type"] == "actions"
            for el in b["elements"]}


def click(app, action_id, value, *, user="U0ALICE", channel="C0GENERAL", thread_ts=None, trigger="trig-1",
          team=HOME_TEAM, **extra):
    payload = block_action_payload(action_id, value, app.stub.response_url(f"r-{trigger}"), user=user,
                                   channel=channel, trigger_id=trigger)
    payload["user"]["team_id"] = team
    if thread_ts:
        payload["container"]["thread_ts"] = thread_ts
    payload["actions"][0].update(extra)
    response = post(app.events_url, interactive_body(payload), FORM, secret=app.secret)
    assert response.status == 200


def stored(app):
    assert app.components.events.flush(30)
    engine = open_engine(app.components.settings.event_store_url)
    try:
        return gaps_report(engine, datetime.now(UTC) - timedelta(days=1)).to_json()
    finally:
        engine.dispose()


def test_every_answer_has_feedback_and_hand_off_buttons(app):
    mention(app, "Not delivered - SPF failure", "Ev1", ts="1700000001.000100")
    (answer,) = posted(app, 1)
    assert {ACTION_FEEDBACK_UP, ACTION_FEEDBACK_DOWN, ACTION_HANDOFF} <= set(actions(answer))
    assert "Not delivered - SPF failure" in answer.args["text"]


def test_a_reply_in_the_thread_is_a_follow_up_without_a_mention(app):
    mention(app, "Ej levererad – SPF-fel", "Ev2", ts="1700000002.000100")
    posted(app, 1)
    send(app, thread_message("kan jag skicka om den?", ts="1700000002.000200", thread_ts="1700000002.000100"), "Ev3")
    _first, follow = posted(app, 2)
    assert follow.args["thread_ts"] == "1700000002.000100"
    assert "Kan den skickas igen?" in everything(follow)


def test_messages_elsewhere_are_not_read(app):
    mention(app, "Ej levererad – SPF-fel", "Ev4", ts="1700000004.000100")
    posted(app, 1)
    # A top-level channel message, and a reply in a thread the bot never answered in.
    send(app, {**thread_message("kan jag skicka om den?", ts="1700000004.000300", thread_ts="1700000004.000300")},
         "Ev5")
    send(app, thread_message("kan jag skicka om den?", ts="1700000004.000400", thread_ts="1700000099.000100"), "Ev6")
    assert app.bot.wait_idle()
    assert len(app.stub.calls_to("chat.postMessage")) == 1


def test_a_merchant_following_up_in_a_shared_thread_gets_what_the_merchant_may_see(app):
    # Staff look up Anna's invitation in the channel shared with Nordic Shoes: masked for everyone there.
    mention(app, f"status {ANNA}", "Ev7", ts="1700000007.000100", channel=BOUND)
    (answer,) = posted(app, 1)
    assert "anna@example.se" not in everything(answer)
    # The merchant asks again in the thread: its own account, so it sees the invitation, masked.
    send(app, thread_message("check it again", ts="1700000007.000200", thread_ts="1700000007.000100",
                             user="U0SHOP", channel=BOUND, team="T0SHOP"), "Ev8")
    _first, again = posted(app, 2)
    assert ANNA in everything(again) and "a***@example.se" in everything(again)
    assert "anna@example.se" not in everything(again)


def test_thumbs_up_is_thanked_and_stored(app, wired):
    mention(app, "Not delivered - SPF failure", "Ev9", ts="1700000009.000100")
    (answer,) = posted(app, 1)
    click(app, ACTION_FEEDBACK_UP, actions(answer)[ACTION_FEEDBACK_UP]["value"], trigger="t9")
    (thanks,) = app.stub.wait_calls("chat.postEphemeral")
    assert thanks.args["user"] == "U0ALICE" and thanks.args["thread_ts"] == "1700000009.000100"
    (spf,) = stored(app)["feedback"]
    assert spf["status"] == "spf_failure" and spf["up"] == 1
    _components, metrics = wired
    assert b'invitation_bot_feedback_total{kind="up",platform="slack"} 1.0' in metrics.exposition()


def test_thumbs_down_offers_the_statuses_and_answers_the_one_picked(app):
    mention(app, "my invitations never arrive, the customer got nothing", "Ev10", ts="1700000010.000100")
    (answer,) = posted(app, 1)
    value = actions(answer)[ACTION_FEEDBACK_DOWN]["value"]
    click(app, ACTION_FEEDBACK_DOWN, value, trigger="t10")
    (picker,) = app.stub.wait_calls("chat.postEphemeral")
    section = picker.args["blocks"][0]
    select = section["accessory"]
    assert select["type"] == "static_select" and select["action_id"] == ACTION_PICK
    labels = [group["label"]["text"] for group in select["option_groups"]]
    assert labels[-1] in ("All statuses", "Alla statusar")
    everyone = [o["value"] for group in select["option_groups"] for o in group["options"]]
    assert "invalid_recipient" in everyone and len(everyone) == len(set(everyone))
    # The person picks "invalid recipient": thanked, and the status is explained in the thread.
    click(app, ACTION_PICK, "", trigger="t11", block_id=section["block_id"], type="static_select",
          selected_option={"value": "invalid_recipient", "text": {"type": "plain_text", "text": "x"}})
    _first, explained = posted(app, 2)
    assert explained.args["thread_ts"] == "1700000010.000100"
    assert "Not delivered - Invalid recipient" in explained.args["text"]
    data = stored(app)
    picked = [f for f in data["feedback"] if f["picked"]]
    assert picked and picked[0]["picked"] == {"invalid_recipient": 1}


def test_what_was_wrong_opens_a_dialog_and_stores_the_words_minimised(app):
    mention(app, "Not delivered - SPF failure", "Ev12", ts="1700000012.000100")
    (answer,) = posted(app, 1)
    click(app, ACTION_TELL, actions(answer)[ACTION_FEEDBACK_DOWN]["value"], trigger="t12")
    (opened,) = app.stub.wait_calls("views.open")
    view = opened.args["view"] if isinstance(opened.args["view"], dict) else json.loads(opened.args["view"])
    submission = {
        "type": "view_submission", "team": {"id": HOME_TEAM}, "user": {"id": "U0ALICE", "team_id": HOME_TEAM},
        "api_app_id": "A0APP", "token": "legacy-unused", "trigger_id": "t13",
        "view": {**view, "id": "V1", "state": {"values": {"wrong": {"wrong_text": {
            "type": "plain_text_input", "value": "It was the reply-to, ask karin.holm@example.se"}}}}},
    }
    response = post(app.events_url, interactive_body(submission), FORM, secret=app.secret)
    assert response.status == 200
    app.stub.wait_calls("chat.postEphemeral")
    (spf,) = stored(app)["feedback"]
    assert spf["notes"] == ["It was the reply-to, ask k***@example.se"]


def test_the_hand_off_button_posts_to_the_escalation_channel_and_tells_the_asker(app):
    mention(app, f"status {ANNA}", "Ev14", ts="1700000014.000100", channel=BOUND)
    (answer,) = posted(app, 1)
    click(app, ACTION_HANDOFF, actions(answer)[ACTION_HANDOFF]["value"], user="U0SHOP", team="T0SHOP",
          channel=BOUND, thread_ts="1700000014.000100", trigger="t14")
    _answer, handoff = posted(app, 2)
    assert handoff.args["channel"] == ESCALATION
    text = handoff.args["text"]
    assert NORDIC_SHOES_ID in text and "status " + ANNA in text and "anna@example.se" not in text
    (told,) = app.stub.wait_calls("chat.postEphemeral")
    assert told.args["user"] == "U0SHOP"
    assert stored(app)["handoffs"] == 1


def test_asking_for_a_person_in_words_hands_off_too(app):
    mention(app, "Ej levererad – SPF-fel", "Ev15", ts="1700000015.000100")
    posted(app, 1)
    send(app, thread_message("kan jag prata med någon?", ts="1700000015.000200", thread_ts="1700000015.000100"),
         "Ev16")
    calls = posted(app, 3)
    escalated = [c for c in calls if c.args["channel"] == ESCALATION]
    assert escalated and "Ej levererad – SPF-fel" in escalated[0].args["text"]
    told = [c for c in calls if c.args["channel"] == "C0GENERAL"][-1]
    assert told.args["thread_ts"] == "1700000015.000100"


def test_a_shared_escalation_channel_is_never_used(make_app, stub, wired):
    components, _metrics = wired
    stub.users["U0ALICE"] = {"id": "U0ALICE", "team_id": HOME_TEAM, "locale": "en-GB"}
    stub.channels[SHARED_ESCALATION] = {"id": SHARED_ESCALATION, "is_ext_shared": True, "is_im": False}
    settings = Settings(**{**components.settings.__dict__, "slack_api_url": stub.api_url.rstrip("/"),
                           "slack_escalation_channel": SHARED_ESCALATION})
    running = make_app(components.assistant, components.access, settings=settings,
                       conversation=components.conversation)
    send(running, mention_event(f"<@{BOT_USER}> can I talk to a person?", ts="1700000017.000100"), "Ev17")
    (told,) = stub.wait_calls("chat.postMessage")
    assert told.args["channel"] == "C0GENERAL"
    assert running.bot.wait_idle()
    assert not [c for c in stub.calls_to("chat.postMessage") if c.args["channel"] == SHARED_ESCALATION]


def test_app_home_shows_this_weeks_gaps_to_staff_only(app):
    mention(app, "flibbertigibbet wobble frobnicate", "Ev18", ts="1700000018.000100")
    posted(app, 1)
    assert app.components.events.flush(30)
    send(app, {"type": "app_home_opened", "user": "U0ALICE", "channel": "D0ALICE", "tab": "home",
               "event_ts": "1700000018.000200"}, "Ev19")
    (home,) = app.stub.wait_calls("views.publish")
    view = home.args["view"] if isinstance(home.args["view"], dict) else json.loads(home.args["view"])
    text = json.dumps(view, ensure_ascii=False)
    assert "Knowledge gaps this week" in text and "flibbertigibbet" in text
    send(app, {"type": "app_home_opened", "user": "U0SHOP", "channel": "D0SHOP", "tab": "home",
               "event_ts": "1700000018.000300"}, "Ev20")
    _staff, visitor = app.stub.wait_calls("views.publish", 2)
    other = json.dumps(visitor.args["view"], ensure_ascii=False)
    assert "flibbertigibbet" not in other


def test_metrics_are_served_in_the_prometheus_text_format(app):
    mention(app, "Not delivered - SPF failure", "Ev21", ts="1700000021.000100")
    posted(app, 1)
    send(app, mention_event(f"<@{BOT_USER}> Not delivered - SPF failure", ts="1700000021.000100"), "Ev21")
    assert app.bot.wait_idle()
    response = get(app.url + "/metrics")
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/plain")
    body = response.body.decode()
    assert 'invitation_bot_answers_total{follow_up="no",kind="explain",language="en",platform="slack"} 1.0' in body
    assert "invitation_bot_answer_seconds_bucket" in body
    assert 'invitation_bot_redeliveries_dropped_total{platform="slack"} 1.0' in body


def test_a_language_switch_on_a_follow_up_answer_shows_the_status_it_was_about(app):
    from bot.render.button_values import ACTION_SWITCH_LANGUAGE

    mention(app, "Ej levererad – SPF-fel", "Ev22", ts="1700000022.000100")
    posted(app, 1)
    send(app, thread_message("kan jag skicka om den?", ts="1700000022.000200", thread_ts="1700000022.000100"),
         "Ev23")
    _first, follow = posted(app, 2)
    switch = actions(follow)[ACTION_SWITCH_LANGUAGE]["value"]
    click(app, ACTION_SWITCH_LANGUAGE, switch, trigger="t22", thread_ts="1700000022.000100")
    (replaced,) = app.stub.wait_calls("response:r-t22")
    assert replaced.args["replace_original"] is True
    assert replaced.args["text"].startswith("Not delivered - SPF failure")


def test_an_escalation_channel_bound_to_a_merchant_is_never_used(make_app, stub, wired):
    components, _metrics = wired
    stub.users["U0ALICE"] = {"id": "U0ALICE", "team_id": HOME_TEAM, "locale": "en-GB"}
    settings = Settings(**{**components.settings.__dict__, "slack_api_url": stub.api_url.rstrip("/"),
                           "slack_escalation_channel": BOUND})
    running = make_app(components.assistant, components.access, settings=settings,
                       conversation=components.conversation)
    send(running, mention_event(f"<@{BOT_USER}> can I talk to a person?", ts="1700000023.000100"), "Ev24")
    (told,) = stub.wait_calls("chat.postMessage")
    assert told.args["channel"] == "C0GENERAL"
    assert running.bot.wait_idle()
    assert not [c for c in stub.calls_to("chat.postMessage") if c.args["channel"] == BOUND]


@pytest.mark.parametrize("known_thread", [True, False])
def test_a_mention_in_a_thread_arrives_twice_and_is_answered_once(app, known_thread):
    root = "1700000025.000100"
    if known_thread:
        mention(app, "Ej levererad – SPF-fel", "Ev25", ts=root)
        posted(app, 1)
    text = f"<@{BOT_USER}> Not delivered - Invalid recipient"
    # Slack sends the message event and the app_mention for the same message, in either order.
    send(app, thread_message(text, ts="1700000025.000200", thread_ts=root), "Ev26")
    send(app, mention_event(text, ts="1700000025.000200", thread_ts=root), "Ev27")
    assert app.bot.wait_idle()
    answers = [c for c in app.stub.calls_to("chat.postMessage") if "Invalid recipient" in c.args["text"]]
    assert len(answers) == 1 and answers[0].args["thread_ts"] == root
