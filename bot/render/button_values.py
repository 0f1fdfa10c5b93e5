"""What a Slack button carries (ActionValue, StatusValue) and the action ids the app listens for.

Values are small JSON documents that decode only from what this module wrote: a click never brings rights,
only the id of a stored answer or a status to explain.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# Slack's published limit for a button's value.
MAX_BUTTON_VALUE = 2000

ACTION_SWITCH_LANGUAGE = "invitation_switch_language"
ACTION_SHOW_ALL_STEPS = "invitation_show_all_steps"
ACTION_SHARE = "invitation_share"
# "Did you mean …?": explains the offered status (its id is the question the button asks).
ACTION_EXPLAIN_STATUS = "invitation_explain_status"
ACTION_IDS = (ACTION_SWITCH_LANGUAGE, ACTION_SHOW_ALL_STEPS, ACTION_SHARE, ACTION_EXPLAIN_STATUS)

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")
_ANSWER_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_TS = re.compile(r"^[0-9]{1,20}\.[0-9]{1,10}$")
_STATUS_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def read_button_value(raw: str | None) -> dict[str, Any] | None:
    """The JSON object one of our buttons carries, with a language we answer in; None for anything else.

    Every button value (answers, offered statuses, feedback) starts from this one check.
    """
    try:
        data = json.loads(raw or "")
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("l") not in ("sv", "en"):
        return None
    return data


@dataclass(frozen=True)
class ActionValue:
    """What a button carries: the id of the answer that was shown and the view asked for, nothing more.

    The answer itself (its question and audience) waits in the answer store (bot.core.answers), so a
    click re-renders what was shown for the audience it was shown to and never carries anyone's rights.
    """

    answer_id: str
    language: str
    full: bool = False
    # Where a shared answer goes (the thread of the message a shortcut was used on).
    thread_ts: str | None = None
    # The user who shared the answer into the channel, shown again after a language switch.
    shared_by: str | None = None

    def encode(self) -> str:
        raw: dict[str, Any] = {"a": self.answer_id, "l": self.language}
        if self.full:
            raw["f"] = 1
        if self.thread_ts:
            raw["t"] = self.thread_ts
        if self.shared_by:
            raw["s"] = self.shared_by
        return json.dumps(raw, ensure_ascii=False, separators=(",", ":"))[:MAX_BUTTON_VALUE]

    @classmethod
    def decode(cls, raw: str | None) -> ActionValue | None:
        """None for anything that is not a value this module wrote."""
        data = read_button_value(raw)
        if data is None:
            return None
        answer_id = data.get("a")
        if not isinstance(answer_id, str) or not _ANSWER_ID.match(answer_id):
            return None
        thread_ts, shared_by = data.get("t"), data.get("s")
        return cls(
            answer_id=answer_id,
            language=data["l"],
            full=bool(data.get("f")),
            thread_ts=thread_ts if isinstance(thread_ts, str) and _TS.match(thread_ts) else None,
            shared_by=shared_by if isinstance(shared_by, str) and USER_ID.match(shared_by) else None,
        )


@dataclass(frozen=True)
class StatusValue:
    """What a "Did you mean …?" button carries: the status to explain and the language, nothing of the asker.

    A status explanation is knowledge-base text, which is for everyone: the click is a question of the
    clicker's own, answered with the clicker's rights.
    """

    status: str
    language: str

    def encode(self) -> str:
        return json.dumps({"x": self.status, "l": self.language}, separators=(",", ":"))

    @classmethod
    def decode(cls, raw: str | None) -> StatusValue | None:
        """None for anything that is not a value this module wrote."""
        data = read_button_value(raw)
        if data is None:
            return None
        status = data.get("x")
        if not isinstance(status, str) or not _STATUS_ID.match(status):
            return None
        return cls(status=status, language=data["l"])
