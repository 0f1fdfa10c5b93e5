"""Promise 4: a channel that becomes shared with another organisation is masked from the very next answer,
on every instance, not once a cache of several minutes has expired."""

from __future__ import annotations

import time

from secure_slack import GUEST, JSON, MERCHANT_TEAM, STAFF, everything, mention, staff
from slackstub import HOME_TEAM, event_body, post

from bot.config import Settings

LATER = "C0LATER"  # our own channel, about to be shared with a merchant
LOOKUP = "ORDER-10023 at nordic-shoes.example"


def send(app, event, event_id):
    event = {"event_ts": f"{time.time():.6f}", **event}
    assert post(app.events_url, event_body(event, event_id), JSON, secret=app.secret).status == 200
    assert app.bot.wait_idle()


def test_channel_shared_masks_the_next_answer(app, stub):
    stub.channels[LATER] = {"id": LATER, "is_ext_shared": False, "is_im": False}
    before = mention(app, LOOKUP, "Sec4-before", channel=LATER, **staff())
    assert "anna@example.se" in everything(before)  # internal and not shared: nothing to mask yet
    send(app, {"type": "channel_shared", "connected_team_id": MERCHANT_TEAM, "channel": LATER}, "Sec4-shared")
    after = mention(app, LOOKUP, "Sec4-after", channel=LATER, **staff())
    assert "anna@example.se" not in everything(after) and "a***@example.se" in everything(after)


def test_an_outside_member_joining_masks_the_next_answer(app, stub):
    stub.channels[LATER] = {"id": LATER, "is_ext_shared": False, "is_im": False}
    assert "anna@example.se" in everything(mention(app, LOOKUP, "Sec4-join-before", channel=LATER, **staff()))
    send(app, {"type": "member_joined_channel", "user": GUEST, "channel": LATER, "channel_type": "C",
               "team": MERCHANT_TEAM, "inviter": STAFF}, "Sec4-join")
    after = mention(app, LOOKUP, "Sec4-join-after", channel=LATER, **staff())
    assert "anna@example.se" not in everything(after)


def test_a_colleague_joining_changes_nothing_but_is_read_again(app, stub):
    stub.channels[LATER] = {"id": LATER, "is_ext_shared": False, "is_im": False}
    stub.users["U0BERTIL"] = {"id": "U0BERTIL", "team_id": HOME_TEAM}
    mention(app, LOOKUP, "Sec4-colleague-before", channel=LATER, **staff())
    looked_up = len(stub.calls_to("conversations.info"))
    send(app, {"type": "member_joined_channel", "user": "U0BERTIL", "channel": LATER, "channel_type": "C",
               "team": HOME_TEAM}, "Sec4-colleague")
    after = mention(app, LOOKUP, "Sec4-colleague-after", channel=LATER, **staff())
    assert "anna@example.se" in everything(after)
    assert len(stub.calls_to("conversations.info")) == looked_up + 1


def test_every_instance_masks_at_once_through_redis(make_app, stub, components, redis_url):
    settings = Settings(slack_signing_secret="test-signing-secret", slack_bot_token="xoxb-test",
                        slack_api_url=stub.api_url.rstrip("/"), language="sv", slack_listener_threads=4,
                        redis_url=redis_url)
    stub.users[STAFF] = {"id": STAFF, "team_id": HOME_TEAM, "locale": "en-GB"}
    channel = "C0LATER2"
    stub.channels[channel] = {"id": channel, "is_ext_shared": False, "is_im": False}
    told, other = (make_app(components.assistant, components.access, settings=settings) for _ in range(2))
    assert "anna@example.se" in everything(mention(other, LOOKUP, "Sec4-redis-before", channel=channel, **staff()))
    send(told, {"type": "channel_shared", "connected_team_id": MERCHANT_TEAM, "channel": channel}, "Sec4-redis")
    after = mention(other, LOOKUP, "Sec4-redis-after", channel=channel, **staff())
    assert "anna@example.se" not in everything(after)
