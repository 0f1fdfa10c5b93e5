"""Pure helpers that read Teams activities: the question's text, the kind of conversation, where it is."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from html.parser import HTMLParser
from typing import Any

from microsoft_agents.activity import Activity

PERSONAL, CHANNEL, GROUP_CHAT = "personal", "channel", "groupChat"

_AT_TAG = re.compile(r"</?at\b[^>]*>", re.IGNORECASE)
_MESSAGE_ID = re.compile(r";messageid=\d+$")


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def channel_data(activity: Activity) -> Mapping[str, Any]:
    return _mapping(activity.channel_data)


def conversation_kind(activity: Activity) -> str:
    """personal, channel or groupChat; a conversation Teams does not describe counts as a group chat."""
    kind = activity.conversation.conversation_type if activity.conversation else None
    if kind in (PERSONAL, CHANNEL, GROUP_CHAT):
        return str(kind)
    if _mapping(channel_data(activity).get("channel")).get("id"):
        return CHANNEL
    return GROUP_CHAT


def access_key(activity: Activity) -> str | None:
    """The id the access policy binds: a channel's own id (not the thread's), a chat's conversation id."""
    conversation_id = activity.conversation.id if activity.conversation else None
    if conversation_kind(activity) == CHANNEL:
        channel_id = _mapping(channel_data(activity).get("channel")).get("id")
        if isinstance(channel_id, str) and channel_id:
            return channel_id
        return _MESSAGE_ID.sub("", conversation_id) if conversation_id else None
    return conversation_id


def base_conversation(conversation_id: str) -> str:
    """A channel thread's conversation id without its thread part: a card belongs to its channel."""
    return conversation_id.split(";messageid=", 1)[0]


def team_id(activity: Activity) -> str | None:
    value = _mapping(channel_data(activity).get("team")).get("id")
    return value if isinstance(value, str) and value else None


def conversation_tenant(activity: Activity) -> str | None:
    """The tenant that hosts the conversation (not necessarily the asker's own)."""
    tenant = activity.conversation.tenant_id if activity.conversation else None
    if not tenant:
        tenant = _mapping(channel_data(activity).get("tenant")).get("id")
    return str(tenant).lower() if tenant else None


def is_shared_channel(activity: Activity) -> bool:
    """A channel shared with other teams or organisations (Teams Connect)."""
    channel = _mapping(channel_data(activity).get("channel"))
    kinds = {str(channel.get(key) or "").lower() for key in ("membershipType", "type")}
    return "shared" in kinds


def question_text(activity: Activity) -> str:
    """What the person wrote, without the mention of the bot, Teams' markup undone."""
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    for mention in activity.get_mentions():
        mentioned = mention.mentioned
        if mentioned is not None and mentioned.id == bot_id and mention.text:
            text = text.replace(mention.text, " ")
    # Other mentions keep the person's name as plain text.
    text = html.unescape(_AT_TAG.sub("", text))
    return " ".join(text.replace("\xa0", " ").split())


class _TextCollector(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """A message body's HTML (the message action's messagePayload) as plain lines."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    lines = (" ".join(line.replace("\xa0", " ").split()) for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def message_payload_text(value: Any) -> str:
    """The text of the message a message action was used on."""
    payload = _mapping(_mapping(value).get("messagePayload"))
    body = _mapping(payload.get("body"))
    content = body.get("content")
    if not isinstance(content, str):
        return ""
    if str(body.get("contentType") or "html").lower() == "html":
        return html_to_text(content)
    return "\n".join(" ".join(line.split()) for line in content.splitlines() if line.strip())


def bot_was_added(activity: Activity) -> bool:
    """installationUpdate (add) or conversationUpdate with the bot among the members added."""
    if activity.type == "installationUpdate":
        return (activity.action or "add").lower() in ("add", "add-upgrade")
    if activity.type == "conversationUpdate":
        bot_id = activity.recipient.id if activity.recipient else None
        return any(member.id == bot_id for member in activity.members_added or [])
    return False
