"""Promise 4: a channel (or a Teams chat) that becomes shared with another organisation is masked from the very
next answer, on every instance, not once a cache of several minutes has expired."""

from __future__ import annotations

import time

from connectorstub import ALICE, BERTIL, MERCHANT, OUR_TENANT, group_chat_mention
from connectorstub import GUEST as TEAMS_GUEST
from secure_slack import GUEST, JSON, MERCHANT_TEAM, STAFF, everything, mention, staff
from secure_teams import ask, texts
from slackstub import HOME_TEAM, event_body, post

from bot.config import Settings, TeamsSettings
from bot.work.memory import MemoryWorkQueue

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


# -- Microsoft Teams: a chat that gains someone from outside (another tenant, a guest) -----------------------------
# Each test has a chat of its own: marks live an hour in the Redis all tests share.

def teams_chat_question(connector, chat):
    """Alice asks for Anna's invitation in `chat`, a group chat of our own bound to nothing."""
    return group_chat_mention(connector.service_url, LOOKUP, user=ALICE, chat=chat)


def members_added(connector, chat, *users):
    """conversationUpdate as Teams sends it when people are added to the chat (the roster says so too)."""
    connector.rosters[chat] = [*connector.rosters.get(chat, []), *users]
    activity = teams_chat_question(connector, chat)
    for key in ("text", "textFormat"):
        activity.pop(key)
    activity.update({"type": "conversationUpdate", "entities": [], "membersAdded": [{"id": user} for user in users]})
    return activity


def teams_says(teams, activity):
    assert teams.post(activity).status == 202
    assert teams.idle()


def redis_settings(redis_url):
    return Settings(language="sv", redis_url=redis_url, teams=TeamsSettings(tenant_id=OUR_TENANT, answer_threads=4))


def own_queue_instance(make_teams, redis_url):
    """An instance sharing Redis with the others (marks, answers) that answers what it is told itself: its work
    queue is its own, so a mark made by one instance is what another reads."""
    return make_teams(settings=redis_settings(redis_url), work=MemoryWorkQueue(4, "teams"))


def test_teams_someone_from_outside_added_to_a_chat_masks_the_next_answer(teams, connector):
    chat = "19:sec4-merchant-joins@thread.v2"
    connector.rosters[chat] = [ALICE, BERTIL]
    assert "anna@example.se" in texts(ask(teams, connector, teams_chat_question(connector, chat)))
    teams_says(teams, members_added(connector, chat, MERCHANT))
    after = ask(teams, connector, teams_chat_question(connector, chat))
    assert "anna@example.se" not in texts(after) and "a***@example.se" in texts(after)


def test_teams_every_instance_masks_at_once_through_redis(make_teams, connector, redis_url):
    chat = "19:sec4-guest-joins@thread.v2"
    told, other = own_queue_instance(make_teams, redis_url), own_queue_instance(make_teams, redis_url)
    connector.rosters[chat] = [ALICE, BERTIL]
    # Both instances have looked the chat's members up (and keep what they found for minutes).
    for instance in (told, other):
        assert "anna@example.se" in texts(ask(instance, connector, teams_chat_question(connector, chat)))
    teams_says(told, members_added(connector, chat, TEAMS_GUEST))
    after = ask(other, connector, teams_chat_question(connector, chat))
    assert "anna@example.se" not in texts(after) and "a***@example.se" in texts(after)


def test_teams_a_colleague_added_changes_nothing(make_teams, connector, redis_url):
    chat = "19:sec4-colleague-joins@thread.v2"
    told, other = own_queue_instance(make_teams, redis_url), own_queue_instance(make_teams, redis_url)
    connector.rosters[chat] = [ALICE]
    teams_says(told, members_added(connector, chat, BERTIL))
    for instance in (told, other):
        assert "anna@example.se" in texts(ask(instance, connector, teams_chat_question(connector, chat)))
