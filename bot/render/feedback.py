"""Block Kit for feedback and hand-off: 👍/👎 and "talk to a person" under an answer, the status picker
after 👎, the "what was wrong" dialog.

The buttons carry only status ids, the reply language and the thread: nothing a person asked or was
shown, and no rights. A click is handled with the rights of whoever clicks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.core.models import Reply, ReplyKind
from bot.i18n.catalog import gettext_for
from bot.knowledge.model import KnowledgeBase
from bot.render.blocks import MAX_BLOCKS, SlackMessage, escape_mrkdwn
from bot.render.button_values import read_button_value

ACTION_FEEDBACK_UP = "feedback_up"
ACTION_FEEDBACK_DOWN = "feedback_down"
ACTION_HANDOFF = "handoff_request"
ACTION_PICK = "feedback_pick"
ACTION_TELL = "feedback_tell"
FEEDBACK_ACTION_IDS = (ACTION_FEEDBACK_UP, ACTION_FEEDBACK_DOWN, ACTION_HANDOFF, ACTION_PICK, ACTION_TELL)
VIEW_WRONG = "feedback_wrong"
INPUT_BLOCK = "wrong"
INPUT_ACTION = "wrong_text"

# Replies that get no feedback buttons: they answer feedback or a hand-off themselves.
_NO_FEEDBACK = {ReplyKind.HANDOFF, ReplyKind.FEEDBACK}
_STATUS_CHARS = 64
# Slack: at most 100 options in a select, 25 elements in an actions block, 75 characters of option text.
_MAX_OPTIONS = 100
_MAX_ELEMENTS = 25


@dataclass(frozen=True)
class FeedbackValue:
    """What a feedback button carries: the status answered, its alternatives, the language, the thread."""

    status: str | None
    language: str
    alternatives: tuple[str, ...] = ()
    thread_ts: str | None = None

    def encode(self) -> str:
        raw: dict[str, Any] = {"l": self.language}
        if self.status:
            raw["s"] = self.status
        if self.alternatives:
            raw["a"] = list(self.alternatives[:5])
        if self.thread_ts:
            raw["t"] = self.thread_ts
        return json.dumps(raw, separators=(",", ":"))

    @classmethod
    def decode(cls, raw: str | None) -> FeedbackValue | None:
        data = read_button_value(raw)
        if data is None:
            return None
        status, thread, alternatives = data.get("s"), data.get("t"), data.get("a") or []

        def ok(value: Any) -> bool:
            return isinstance(value, str) and 0 < len(value) <= _STATUS_CHARS

        return cls(
            status=status if ok(status) else None,
            language=data["l"],
            alternatives=tuple(a for a in alternatives if ok(a))[:5] if isinstance(alternatives, list) else (),
            thread_ts=thread if ok(thread) else None,
        )


def _button(text: str, action_id: str, value: str) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": text, "emoji": True}, "action_id": action_id,
            "value": value}


def feedback_elements(reply: Reply, thread_ts: str | None) -> list[dict[str, Any]]:
    if reply.kind in _NO_FEEDBACK:
        return []
    _ = gettext_for(reply.language)
    alternatives = reply.match.alternatives if reply.match is not None else ()
    value = FeedbackValue(reply.status, reply.language, tuple(alternatives), thread_ts).encode()
    return [
        _button("👍", ACTION_FEEDBACK_UP, value),
        _button("👎", ACTION_FEEDBACK_DOWN, value),
        _button(_("Talk to a person"), ACTION_HANDOFF, value),
    ]


def with_feedback(message: SlackMessage, reply: Reply, thread_ts: str | None) -> SlackMessage:
    """The message with 👍 / 👎 and "talk to a person" under it, within Slack's 50 blocks."""
    elements = feedback_elements(reply, thread_ts)
    if not elements or not message.blocks:
        return message
    blocks = list(message.blocks)
    last = blocks[-1]
    if len(blocks) >= MAX_BLOCKS and last.get("type") == "actions" and \
            len(last["elements"]) + len(elements) <= _MAX_ELEMENTS:
        blocks[-1] = {**last, "elements": [*last["elements"], *elements]}
    else:
        while len(blocks) >= MAX_BLOCKS:
            blocks.pop(-2 if blocks[-1].get("type") == "actions" else -1)
        blocks.append({"type": "actions", "block_id": "feedback", "elements": elements})
    return SlackMessage(text=message.text, blocks=blocks)


def _option(kb: KnowledgeBase, status: str, language: str) -> dict[str, Any] | None:
    entry = kb.get(status)
    if entry is None:
        return None
    label = entry.label.get(language)
    return {"text": {"type": "plain_text", "text": label if len(label) <= 75 else label[:74] + "…"},
            "value": status}


def picker_message(kb: KnowledgeBase, value: FeedbackValue) -> SlackMessage:
    """After 👎: pick the right status (the alternatives first, then every status) or say what was wrong."""
    _ = gettext_for(value.language)
    suggested = [o for o in (_option(kb, s, value.language) for s in value.alternatives if s != value.status) if o]
    rest = [o for o in (_option(kb, entry.id, value.language) for entry in kb) if o and o["value"] != value.status
            and o["value"] not in value.alternatives]
    groups = []
    if suggested:
        groups.append({"label": {"type": "plain_text", "text": _("Suggested")}, "options": suggested})
    groups.append({"label": {"type": "plain_text", "text": _("All statuses")},
                   "options": rest[: _MAX_OPTIONS - len(suggested)]})
    select = {"type": "static_select", "action_id": ACTION_PICK,
              "placeholder": {"type": "plain_text", "text": _("Pick a status")}, "option_groups": groups}
    title = _("Sorry that was not right. Which status did you mean?")
    blocks: list[dict[str, Any]] = [
        {"type": "section", "block_id": f"pick|{value.encode()}"[:255], "text": {"type": "mrkdwn",
                                                                                  "text": escape_mrkdwn(title)},
         "accessory": select},
        {"type": "actions", "elements": [_button(_("Tell us what was wrong"), ACTION_TELL, value.encode())]},
    ]
    return SlackMessage(text=escape_mrkdwn(title), blocks=blocks)


def picked_value(block_id: str | None) -> FeedbackValue | None:
    """The feedback value the picker was shown for (kept in its block id)."""
    if not block_id or not block_id.startswith("pick|"):
        return None
    return FeedbackValue.decode(block_id[5:])


def wrong_answer_view(value: FeedbackValue, channel_id: str | None) -> dict[str, Any]:
    _ = gettext_for(value.language)
    metadata = json.dumps({"v": value.encode(), "c": channel_id}, separators=(",", ":"))
    return {
        "type": "modal",
        "callback_id": VIEW_WRONG,
        "private_metadata": metadata[:3000],
        "title": {"type": "plain_text", "text": _("What was wrong?")[:24]},
        "submit": {"type": "plain_text", "text": _("Send")[:24]},
        "close": {"type": "plain_text", "text": _("Cancel")[:24]},
        "blocks": [{
            "type": "input", "block_id": INPUT_BLOCK,
            "label": {"type": "plain_text", "text": _("Tell us in a few words what the right answer would be.")},
            "element": {"type": "plain_text_input", "action_id": INPUT_ACTION, "multiline": True,
                        "max_length": 1000},
        }],
    }


def wrong_answer_submission(view: dict[str, Any]) -> tuple[FeedbackValue | None, str | None, str]:
    """(the feedback value, the channel, the text) of a submitted "what was wrong" dialog."""
    try:
        metadata = json.loads(view.get("private_metadata") or "")
    except ValueError:
        metadata = {}
    value = FeedbackValue.decode(metadata.get("v")) if isinstance(metadata, dict) else None
    channel = metadata.get("c") if isinstance(metadata, dict) and isinstance(metadata.get("c"), str) else None
    state = ((view.get("state") or {}).get("values") or {}).get(INPUT_BLOCK) or {}
    text = (state.get(INPUT_ACTION) or {}).get("value") or ""
    return value, channel, str(text)
