"""Attack: lock everyone else out with pasted lists. A merchant pastes a column of invitation ids into their
bound channel, again and again. Each paste is a bulk check that waits for its share of the API's rate limit
(for minutes, by design: its asker is told how long) on one of the app's answer threads; a handful of pastes
held every thread, and nobody else (another merchant, our own staff) got any answer, not even what a status
means, until the checks were done. Now one list is checked at a time in a conversation, and a few in all; a
paste that finds no slot is answered at once with when to paste it again.

The API here is the real sandbox behind a gate that holds bulk lookups until the test opens it: a rate limit
that has run out, without waiting minutes for it."""

from __future__ import annotations

import threading

import pytest
from secure_slack import BOUND, GUEST, INTERNAL, JSON, MERCHANT_TEAM, STAFF, staff
from slackstub import BOT_USER, HOME_TEAM, event_body, mention_event, post

from bot.config import Settings
from bot.core.assistant import Assistant
from bot.core.live import LiveDesk
from bot.invitations.ratelimit import in_bulk

THREADS = 4
OWN_IDS = ["01188f639aae8f1da0f15423", "01188f639aae9f89eae78a0c", "01188f639aaeb15f33a8eec4"]


class ExhaustedApi:
    """The sandbox API whose bulk share of the rate limit has run out: bulk lookups wait for the gate."""

    def __init__(self, source):
        self.source = source
        self.gate = threading.Event()
        self.waiting = threading.Semaphore(0)

    def get_invitation(self, invitation_id, business_unit_id=None):
        if in_bulk():
            self.waiting.release()
            assert self.gate.wait(timeout=120)
        return self.source.get_invitation(invitation_id, business_unit_id)

    def __getattr__(self, name):
        return getattr(self.source, name)


@pytest.fixture
def exhausted(make_app, stub, components):
    api = ExhaustedApi(components.source)
    desk = LiveDesk(api, components.kb, components.access)
    stub.users[STAFF] = {"id": STAFF, "team_id": HOME_TEAM, "locale": "en-GB"}
    stub.channels[BOUND] = {"id": BOUND, "is_ext_shared": True, "is_im": False}
    stub.channels[INTERNAL] = {"id": INTERNAL, "is_ext_shared": False, "is_im": False}
    settings = Settings(slack_signing_secret="test-signing-secret", slack_bot_token="xoxb-test",
                        slack_api_url=stub.api_url.rstrip("/"), language="en", slack_listener_threads=THREADS)
    app = make_app(Assistant(components.kb, components.matcher, desk), components.access, settings=settings)
    yield app, api
    api.gate.set()  # let the held checks finish before the app closes


def send(app, text, event_id, ts, **who):
    event = mention_event(f"<@{BOT_USER}> {text}", ts=ts, **who)
    assert post(app.events_url, event_body(event, event_id), JSON, secret=app.secret).status == 200


def test_a_merchant_pasting_lists_again_and_again_does_not_lock_others_out(exhausted):
    app, api = exhausted
    paste = "\n".join(OWN_IDS)
    for n in range(THREADS + 2):
        send(app, paste, f"Atk-lock-{n}", f"1700007000.{n:06d}", channel=BOUND, user=GUEST, user_team=MERCHANT_TEAM)
    assert api.waiting.acquire(timeout=10)  # a check is running and held
    send(app, "Ej levererad – SPF-fel", "Atk-lock-staff", "1700007100.000001", channel=INTERNAL, **staff())
    answered = app.stub.wait_for(lambda calls: any(
        call.method == "chat.postMessage" and call.args.get("channel") == INTERNAL for call in calls), timeout=15)
    assert answered
    # The pastes beyond the one being checked were answered at once: one list at a time in a conversation.
    busy = app.stub.wait_for(lambda calls: sum("already checking a list" in str(call.args.get("text"))
                                               for call in calls) >= THREADS + 1)
    assert all(call.args.get("channel") == BOUND for call in busy if "already checking" in str(call.args.get("text")))


def test_lists_in_many_conversations_hold_a_few_threads_at_most():
    from contextlib import ExitStack

    from bot.core.bulk import MAX_RUNNING, BulkSlots

    slots = BulkSlots()
    with ExitStack() as running:
        taken = [running.enter_context(slots.take(f"C{n}")) for n in range(MAX_RUNNING + 2)]
        with slots.take("C0") as again:
            assert again == "here"
    assert taken == [None] * MAX_RUNNING + ["busy", "busy"]
    with slots.take("C0") as later:
        assert later is None  # released when the checks ended
