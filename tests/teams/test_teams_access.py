"""Who is staff and what is shared in Teams, decided from the member lookups; and the activity readers."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from connectorstub import (
    ALICE,
    CHANNEL,
    GROUP_CHAT,
    GUEST,
    MERCHANT,
    MERCHANT_TENANT,
    OUR_TENANT,
    SHARED_CHANNEL,
    TEAM,
    bot_added,
    channel_mention,
    group_chat_mention,
    member,
    personal_message,
)
from microsoft_agents.activity import Activity, ChannelAccount
from microsoft_agents.activity.teams import TeamsChannelAccount

from bot.core.access import AccessPolicy
from bot.teams.activities import (
    access_key,
    bot_was_added,
    conversation_kind,
    html_to_text,
    message_payload_text,
    question_text,
)
from bot.teams.askers import TeamsAskers
from bot.teams.members import MemberDirectory

SERVICE = "https://smba.trafficmanager.net/emea/"
BU = "64a0c1d2e3f4a5b6c7d8e9f0"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Connector:
    """The two Bot Connector calls the directory makes, answered from a table; counts the calls."""

    def __init__(self, members: dict[str, dict[str, Any]], rosters: dict[str, list[str]] | None = None,
                 known_in: set[str] | None = None) -> None:
        self.members = members
        self.rosters = rosters or {}
        self.known_in = known_in  # conversations that answer member lookups (None: all)
        self.calls: list[tuple[str, str]] = []
        self.conversations = self

    async def get_conversation_member(self, conversation_id: str, user_id: str) -> TeamsChannelAccount:
        self.calls.append(("member", conversation_id))
        if (self.known_in is not None and conversation_id not in self.known_in) or user_id not in self.members:
            raise LookupError("404")
        return TeamsChannelAccount.model_validate(self.members[user_id])

    async def get_conversation_members(self, conversation_id: str) -> list[ChannelAccount]:
        self.calls.append(("members", conversation_id))
        if conversation_id not in self.rosters:
            raise LookupError("404")
        return [ChannelAccount.model_validate(self.members[u]) for u in self.rosters[conversation_id]]


MEMBERS = {
    ALICE: member(ALICE, OUR_TENANT),
    GUEST: member(GUEST, OUR_TENANT, role="guest"),
    MERCHANT: member(MERCHANT, MERCHANT_TENANT),
    "29:1anon": member("29:1anon", OUR_TENANT, role="anonymous"),
}


def resolve(activity: dict[str, Any], connector: Any, access: AccessPolicy | None = None,
            directory: MemberDirectory | None = None):
    directory = directory or MemberDirectory(frozenset({OUR_TENANT}))
    askers = TeamsAskers(directory, access or AccessPolicy(), "sv")
    return asyncio.run(askers.resolve(Activity.model_validate(activity), connector))


@pytest.mark.parametrize(("user", "staff"), [(ALICE, True), (GUEST, False), (MERCHANT, False), ("29:1anon", False),
                                             ("29:1unknown", False)])
def test_staff_are_members_of_our_tenant_who_are_not_guests(user, staff):
    asker, _language = resolve(personal_message(SERVICE, "x", user=user), Connector(MEMBERS))
    assert asker.internal is staff
    assert asker.is_direct_message
    assert asker.shared_channel is not staff  # an outsider in the conversation means masking


def test_the_payloads_claims_do_not_make_anyone_staff():
    # The activity says our tenant everywhere; the connector says the person is a merchant's.
    activity = personal_message(SERVICE, "x", user=MERCHANT, tenant=OUR_TENANT)
    activity["from"]["tenantId"] = OUR_TENANT
    activity["from"]["userRole"] = "user"
    asker, _language = resolve(activity, Connector(MEMBERS))
    assert not asker.internal


def test_no_tenant_configured_means_no_staff():
    asker, _ = resolve(personal_message(SERVICE, "x"), Connector(MEMBERS), directory=MemberDirectory(frozenset()))
    assert not asker.internal


def test_internal_tenants_of_the_policy_count_as_ours():
    other = "11111111-2222-4333-8444-555555555555"
    directory = MemberDirectory(frozenset({OUR_TENANT, other}))
    members = {**MEMBERS, "29:1sister": member("29:1sister", other)}
    asker, _ = resolve(personal_message(SERVICE, "x", user="29:1sister", tenant=other), Connector(members),
                       directory=directory)
    assert asker.internal and not asker.shared_channel


def test_channel_members_are_asked_of_the_team_then_the_channel():
    connector = Connector(MEMBERS, known_in={SHARED_CHANNEL})
    asker, _ = resolve(channel_mention(SERVICE, "x", user=MERCHANT, channel=SHARED_CHANNEL, shared=True), connector)
    assert connector.calls == [("member", TEAM), ("member", SHARED_CHANNEL)]
    assert asker.channel_id == SHARED_CHANNEL and not asker.internal and asker.shared_channel


def test_a_standard_channel_of_ours_is_not_shared_for_staff():
    asker, _ = resolve(channel_mention(SERVICE, "x"), Connector(MEMBERS))
    assert asker.internal and not asker.shared_channel and asker.channel_id == CHANNEL


@pytest.mark.parametrize("why", ["shared channel", "bound in the policy", "another tenant hosts it"])
def test_staff_see_masked_data_where_outsiders_read(why):
    kw: dict[str, Any] = {}
    access = AccessPolicy()
    if why == "shared channel":
        kw["shared"] = True
    elif why == "bound in the policy":
        access = AccessPolicy(channels={CHANNEL: frozenset({BU})})
    else:
        kw["tenant"] = MERCHANT_TENANT
    asker, _ = resolve(channel_mention(SERVICE, "x", **kw), Connector(MEMBERS), access)
    assert asker.internal and asker.shared_channel


def test_group_chats_are_shared_when_anyone_in_them_is_an_outsider():
    connector = Connector(MEMBERS, rosters={GROUP_CHAT: [ALICE], "19:mixed@thread.v2": [ALICE, GUEST]})
    ours, _ = resolve(group_chat_mention(SERVICE, "x"), connector)
    mixed, _ = resolve(group_chat_mention(SERVICE, "x", chat="19:mixed@thread.v2"), connector)
    unknown, _ = resolve(group_chat_mention(SERVICE, "x", chat="19:unlisted@thread.v2"), connector)
    assert not ours.shared_channel
    assert mixed.shared_channel and mixed.internal
    assert unknown.shared_channel  # a list that cannot be read counts as shared


def test_lookups_are_cached_and_a_chat_is_asked_again_after_members_change():
    clock = Clock()
    directory = MemberDirectory(frozenset({OUR_TENANT}), clock=clock)
    connector = Connector(MEMBERS, rosters={GROUP_CHAT: [ALICE]})
    activity = group_chat_mention(SERVICE, "x")
    for _ in range(3):
        resolve(activity, connector, directory=directory)
    assert connector.calls == [("member", GROUP_CHAT), ("members", GROUP_CHAT)]
    connector.rosters[GROUP_CHAT] = [ALICE, MERCHANT]
    directory.forget_conversation(GROUP_CHAT)  # a conversationUpdate arrived
    asker, _ = resolve(activity, connector, directory=directory)
    assert asker.shared_channel
    clock.now += 301
    resolve(activity, connector, directory=directory)
    assert connector.calls.count(("member", GROUP_CHAT)) == 2


def test_concurrent_lookups_of_one_member_make_one_call():
    directory = MemberDirectory(frozenset({OUR_TENANT}))
    connector = Connector(MEMBERS)
    activity = Activity.model_validate(personal_message(SERVICE, "x"))
    askers = TeamsAskers(directory, AccessPolicy(), "sv")

    async def many() -> None:
        await asyncio.gather(*(askers.resolve(activity, connector) for _ in range(20)))

    asyncio.run(many())
    assert len(connector.calls) == 1


def test_the_fallback_language_is_the_locale_else_bot_language():
    assert resolve(personal_message(SERVICE, "x", locale="en-GB"), Connector(MEMBERS))[1] == "en"
    assert resolve(personal_message(SERVICE, "x", locale="sv-FI"), Connector(MEMBERS))[1] == "sv"
    assert resolve(personal_message(SERVICE, "x", locale="fr-FR"), Connector(MEMBERS))[1] == "sv"


# -- reading activities ------------------------------------------------------------------------------

def test_question_text_drops_the_bots_mention_and_keeps_other_names():
    activity = Activity.model_validate(channel_mention(SERVICE, "Ej levererad&nbsp;– SPF-fel <at>Bertil</at>?"))
    assert question_text(activity) == "Ej levererad – SPF-fel Bertil?"


def test_conversation_kinds_and_the_key_the_policy_binds():
    channel = Activity.model_validate(channel_mention(SERVICE, "x", root_id="1699"))
    chat = Activity.model_validate(group_chat_mention(SERVICE, "x"))
    personal = Activity.model_validate(personal_message(SERVICE, "x"))
    assert (conversation_kind(channel), access_key(channel)) == ("channel", CHANNEL)
    assert (conversation_kind(chat), access_key(chat)) == ("groupChat", GROUP_CHAT)
    assert conversation_kind(personal) == "personal"
    assert access_key(personal) == personal.conversation.id


def test_html_of_a_message_becomes_plain_lines():
    assert html_to_text("<p>Hej&nbsp;<b>du</b></p><div>Ej levererad &ndash; SPF-fel<br>rad 2</div>") == (
        "Hej du\nEj levererad – SPF-fel\nrad 2")
    assert message_payload_text({"messagePayload": {"body": {"contentType": "text", "content": "a\n\n b "}}}) == "a\nb"
    assert message_payload_text({"messagePayload": {}}) == ""


def test_bot_added_is_told_apart_from_others_joining():
    assert bot_was_added(Activity.model_validate(bot_added(SERVICE)))
    assert bot_was_added(Activity.model_validate(bot_added(SERVICE, kind="installationUpdate")))
    someone = bot_added(SERVICE)
    someone["membersAdded"] = [{"id": ALICE}]
    assert not bot_was_added(Activity.model_validate(someone))
    removed = bot_added(SERVICE, kind="installationUpdate")
    removed["action"] = "remove"
    assert not bot_was_added(Activity.model_validate(removed))
