"""Bodies posted to /api/messages that are not activities as Teams sends them: refused with a short reason (400).

Checked before the SDK's Activity model sees a body, because the model logs every validation failure at
ERROR with a traceback (anyone on the internet could fill the log with them), a body nested deeper than
the JSON parser's recursion limit escaped as a 500, and an activity whose serviceUrl is no URL was
acknowledged and then failed in its turn. Each reason is a fixed English phrase (a field's name at most),
never the body's own text.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
from collections.abc import Mapping
from typing import Any

from microsoft_agents.activity import Activity
from pydantic import ValidationError
from yarl import URL

# Activities that come from a person: who sent them decides what they may see.
_FROM_A_PERSON = frozenset({"message", "invoke"})
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")

_parsing: contextvars.ContextVar[bool] = contextvars.ContextVar("teams_activity_parsing", default=False)


class _QuietWhileParsing(logging.Filter):
    """Drops the SDK model's own error log while we build an activity from a body: we log one short line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not _parsing.get()


logging.getLogger("microsoft_agents.activity.activity").addFilter(_QuietWhileParsing())


def parse_activity(body: bytes) -> Activity | str:
    """The activity in `body`, or why it is not one (a short English phrase)."""
    if not body:
        return "the body is empty"
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not UTF-8"
    try:
        data = json.loads(text)
    except RecursionError:
        return "the JSON is nested too deeply"
    except ValueError:
        return "malformed JSON"
    if not isinstance(data, dict):
        return "the JSON body is not an object"
    reason = _shape_reason(data)
    if reason is not None:
        return reason
    token = _parsing.set(True)
    try:
        return Activity.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        where = errors[0].get("loc", ()) if errors else ()
        field = str(where[0]) if where else ""
        return f"the activity's {field} field is not valid" if _FIELD.fullmatch(field) else "the activity is not valid"
    except Exception:  # the model's own checks raise plain Exceptions too (a sub-channel conflict)
        return "the activity is not valid"
    finally:
        _parsing.reset(token)


def _shape_reason(data: Mapping[str, Any]) -> str | None:
    kind = data.get("type")
    if not isinstance(kind, str) or not kind:
        return "an activity needs a type"
    conversation = data.get("conversation")
    if not isinstance(conversation, Mapping) or not _text(conversation.get("id")):
        return "an activity needs conversation.id"
    if not _http_url(data.get("serviceUrl")):
        return "an activity needs an http(s) serviceUrl"
    sender = data.get("from")
    if kind in _FROM_A_PERSON and (not isinstance(sender, Mapping) or not _text(sender.get("id"))):
        return "an activity needs from.id"
    return None


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _http_url(value: Any) -> bool:
    if not isinstance(value, str) or not value:
        return False
    try:
        url = URL(value)
    except (ValueError, TypeError):
        return False
    return url.scheme in ("http", "https") and bool(url.host)
