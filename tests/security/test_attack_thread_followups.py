"""Attack: follow-ups by a second person. One of our staff looks another merchant's invitation up in the thread
of the merchant's shared channel (staff may); the merchant then writes in that thread, without a mention, the
follow-ups a thread invites: the other language, check it again, what to do, who must act. Each is answered
with the merchant's own rights and the thread's context cut to what they may see: nothing of the other account
comes back, not the invitation, not its status."""

from __future__ import annotations

import json

import pytest
from slackstub import BOT_USER, HOME_TEAM, event_body, mention_event, post

from bot.cli.wiring import load_components
from bot.config import Settings
from bot.invitations.sandbox import BRIGHT_LAMPS_ID, NORDIC_SHOES_ID

BOUND = "C0NORDIC"
STAFF, MERCHANT, MERCHANT_TEAM = "U0ALICE", "U0SHOP", "T0SHOP"
JSON = "application/json"


@pytest.fixture
def wired(tmp_path):
    policy = tmp_path / "access.yaml"
    policy.write_text(f"internal_teams: [{HOME_TEAM}]\nchannels:\n  {BOUND}:\n"
                      f"    business_units: [\"{NORDIC_SHOES_ID}\"]\n", encoding="utf-8")
    settings = Settings(access_file=policy, database_url=f"sqlite:///{tmp_path / 'events.db'}",
                        slack_signing_secret="test-signing-secret", slack_bot_token="xoxb-test", language="en",
                        slack_listener_threads=4)
    components = load_components(settings, record_events=True)
    yield components
    components.close()


@pytest.fixture
def app(make_app, stub, wired):
    stub.users[STAFF] = {"id": STAFF, "team_id": HOME_TEAM, "locale": "en-GB"}
    stub.users[MERCHANT] = {"id": MERCHANT, "team_id": MERCHANT_TEAM}
    stub.channels[BOUND] = {"id": BOUND, "is_ext_shared": True, "is_im": False}
    settings = Settings(**{**wired.settings.__dict__, "slack_api_url": stub.api_url.rstrip("/")})
    return make_app(wired.assistant, wired.access, settings=settings, conversation=wired.conversation)


def send(app, event, event_id):
    assert post(app.events_url, event_body(event, event_id), JSON, secret=app.secret).status == 200


def text_of(call) -> str:
    return str(call.args.get("text", "")) + json.dumps(call.args.get("blocks") or [], ensure_ascii=False)


@pytest.mark.parametrize("follow_up", ["in English please", "på svenska", "can you check it again?",
                                       "what should we do?", "who has to fix it?", "is it the same status?",
                                       "and the reference number?"])
def test_a_merchants_follow_up_in_a_staff_thread_gets_nothing_of_another_merchant(app, stub, wired, follow_up):
    (other,) = wired.source.client().find_invitations(BRIGHT_LAMPS_ID, reference_number="BL-700009")
    root = "1700008000.000100"
    send(app, mention_event(f"<@{BOT_USER}> status {other.id}", user=STAFF, channel=BOUND, ts=root,
                            user_team=HOME_TEAM), "Atk-thread-1")
    (staff_answer,) = stub.wait_calls("chat.postMessage")
    assert "BL-700009" in text_of(staff_answer)
    event = mention_event(follow_up, user=MERCHANT, channel=BOUND, ts="1700008000.000200", thread_ts=root,
                          user_team=MERCHANT_TEAM)
    event.update(type="message", channel_type="channel")
    send(app, event, "Atk-thread-2")
    _staff, answer = stub.wait_calls("chat.postMessage", 2)
    shown = text_of(answer)
    for revealing in ("BL-700009", other.id, "Emily", "example.co.uk", "Bright Lamps", BRIGHT_LAMPS_ID):
        assert revealing not in shown
    # Not even the status the other merchant's invitation had (the staff answer's title names it).
    status_label = staff_answer.args["text"].split("\n")[0].split(": ", 1)[-1]
    assert status_label not in shown
