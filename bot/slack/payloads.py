"""Pure helpers that read Slack payloads: which messages to answer, their text, their thread."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Message subtypes that are still a person asking something; every other subtype
# (message_changed, message_deleted, bot_message, channel_join, ...) is not answered.
_ANSWERABLE_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})

# <@U123>, <@U123|name>, <#C123|general>, <!here>, <https://x|label>, <mailto:a@b|a@b>
_SLACK_TOKEN = re.compile(r"<([^<>]*)>")


def is_answerable_message(event: Mapping[str, Any], bot_user_id: str | None, bot_id: str | None = None) -> bool:
    """A message a person wrote: not a bot's (ours or another's), not an edit, join or deletion."""
    if event.get("subtype") not in _ANSWERABLE_SUBTYPES:
        return False
    if event.get("bot_id") or event.get("bot_profile"):
        return False
    user = event.get("user")
    if not user or (bot_user_id and user == bot_user_id):
        return False
    return not (bot_id and event.get("bot_id") == bot_id)


def mentions(text: str, user_id: str | None) -> bool:
    """Whether Slack text mentions `user_id` (<@U123> or <@U123|name>)."""
    return bool(user_id) and (f"<@{user_id}>" in text or f"<@{user_id}|" in text)


def is_thread_reply(event: Mapping[str, Any]) -> bool:
    """A reply inside a thread (not the message that started it)."""
    thread, ts = event.get("thread_ts"), event.get("ts")
    return bool(thread) and thread != ts


def reply_thread_ts(event: Mapping[str, Any]) -> str | None:
    """Answers go in the thread of the asking message: its thread, or a new one under it."""
    thread = event.get("thread_ts") or event.get("ts")
    return str(thread) if thread else None


def strip_mention(text: str, bot_user_id: str | None) -> str:
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(\|[^>]*)?>", " ", text)
    return " ".join(text.split())


def _plain_token(match: re.Match[str]) -> str:
    inner = match.group(1)
    target, _bar, label = inner.partition("|")
    if label:
        return label
    if target.startswith("mailto:"):
        return target[len("mailto:"):]
    if target.startswith(("@", "#")):
        return target
    if target.startswith("!"):
        # <!here> -> @here: readable for the brain, and escaped again before it is ever shown.
        return "@" + target[1:].split("^")[0]
    return target


def slack_to_plain(text: str) -> str:
    """Slack's message format -> what the person typed: links to their labels, entities decoded.

    Emails and domains arrive as <mailto:a@b|a@b> and <http://shop.example|shop.example>;
    the brain must see a@b and shop.example.
    """
    text = _SLACK_TOKEN.sub(_plain_token, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def message_text(message: Mapping[str, Any]) -> str:
    """The readable text of a message (for the shortcut): its text, else its blocks' and attachments' text."""
    text = message.get("text")
    if isinstance(text, str) and text.strip():
        return text
    parts: list[str] = []
    for block in message.get("blocks") or []:
        _collect_text(block, parts)
    for attachment in message.get("attachments") or []:
        for key in ("pretext", "title", "text", "fallback"):
            value = attachment.get(key) if isinstance(attachment, Mapping) else None
            if isinstance(value, str) and value.strip():
                parts.append(value)
                break
    return "\n".join(parts)


def _collect_text(node: Any, parts: list[str]) -> None:
    if isinstance(node, Mapping):
        if node.get("type") in ("plain_text", "mrkdwn", "text") and isinstance(node.get("text"), str):
            parts.append(node["text"])
            return
        for key in ("text", "elements", "fields"):
            if key in node:
                _collect_text(node[key], parts)
    elif isinstance(node, list):
        for child in node:
            _collect_text(child, parts)


def retry_num(headers: Mapping[str, Any]) -> int:
    """x-slack-retry-num of a request (0 for a first delivery); bolt gives header values as lists."""
    raw = headers.get("x-slack-retry-num")
    if isinstance(raw, list | tuple):
        raw = raw[0] if raw else None
    try:
        return int(raw) if raw is not None else 0
    except ValueError:
        return 0
