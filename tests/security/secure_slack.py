"""Steps the security promises share: signed requests into the app, and everything a message shows."""

from __future__ import annotations

import json
from typing import Any

from slackstub import BOT_USER, HOME_TEAM, Call, event_body, mention_event, post

BOUND = "C0NORDIC"      # a Slack Connect channel shared with Nordic Shoes, bound to its account
UNBOUND = "C0OTHERCO"   # shared with another merchant, bound to nothing
INTERNAL = "C0SUPPORT"  # our own staff channel, not shared
MERCHANT_TEAM = "T0NORDIC"
STAFF = "U0ALICE"       # support staff (our own workspace)
GUEST = "U0GUEST"       # a Nordic Shoes employee in the shared channel

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def mention(app: Any, text: str, event_id: str, **kw: Any) -> Call:
    """@invitation-bot TEXT, signed like Slack; returns the answer posted in the thread."""
    kw.setdefault("ts", f"1700002000.{abs(hash(event_id)) % 1_000_000:06d}")
    before = len(app.stub.calls_to("chat.postMessage"))
    response = post(app.events_url, event_body(mention_event(f"<@{BOT_USER}> {text}", **kw), event_id), JSON,
                    secret=app.secret)
    assert response.status == 200
    return app.stub.wait_calls("chat.postMessage", before + 1)[-1]


def everything(call: Call) -> str:
    """All text a message carries: blocks (buttons' values included) and the fallback text."""
    return json.dumps(call.args.get("blocks", []), ensure_ascii=False) + "\n" + str(call.args.get("text", ""))


def staff(**kw: Any) -> dict[str, Any]:
    return {"user": STAFF, "user_team": HOME_TEAM, **kw}
