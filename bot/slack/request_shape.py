"""Requests to /slack/events that are not shaped like Slack's get 400 with a short reason, before bolt reads them.

bolt parses a body before it checks the signature, and a body that is not the JSON or form it
expects (a cut-off JSON, a form without `payload`, a JSON list) raised inside it: a 500 with a
traceback in the log, for anyone on the internet to cause. The checks mirror how bolt reads a body
(bolt.request.internals.parse_body), so whatever passes here bolt can read; whatever bolt would not
route to one of our listeners (an unknown request or interaction type) is refused here too.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

# Events API bodies, and the interactions our listeners handle (buttons, the message shortcut, the
# "what was wrong" dialog after 👎).
EVENT_TYPES = frozenset({"event_callback", "url_verification", "app_rate_limited"})
INTERACTION_TYPES = frozenset({"block_actions", "message_action", "view_submission"})
# Fields of an interaction payload that bolt reads as objects when they are present.
_OBJECT_FIELDS = ("user", "team", "channel", "container", "message", "enterprise", "view")


def refusal_reason(body: bytes, content_type: str | None, commands: frozenset[str]) -> str | None:
    """Why `body` is not a request Slack would send us (a short English phrase), or None when it is one."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not UTF-8"
    if not text:
        return "the body is empty"
    if (content_type or "").split(";")[0].strip() == "application/json" or text.startswith("{"):
        return _json_reason(text)
    if "payload" in text:
        params = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" not in params:
            # bolt reads any form mentioning "payload" as an interaction, and finds none.
            return "a form body without payload"
        return _interaction_reason(params["payload"])
    params = dict(parse_qsl(text, keep_blank_values=True))
    if "ssl_check" in params:
        return None
    if "command" not in params:
        return "a form body without payload"
    if params["command"] not in commands:
        return "an unknown command"
    return None


def _json_reason(text: str) -> str | None:
    try:
        data = json.loads(text)
    except ValueError:
        return "malformed JSON"
    if not isinstance(data, dict):
        return "the JSON body is not an object"
    if data.get("type") not in EVENT_TYPES:
        return "an unknown request type"
    if "event" in data and not isinstance(data["event"], dict):
        return "the event is not an object"
    authorizations = data.get("authorizations")
    if authorizations is not None and not (
        isinstance(authorizations, list) and all(isinstance(item, dict) for item in authorizations)
    ):
        return "the authorizations are not a list of objects"
    return None


def _interaction_reason(payload: str) -> str | None:
    try:
        data = json.loads(payload)
    except ValueError:
        return "malformed payload JSON"
    if not isinstance(data, dict):
        return "the payload is not an object"
    if data.get("type") not in INTERACTION_TYPES:
        return "an unknown interaction type"
    for name in _OBJECT_FIELDS:
        if name in data and data[name] is not None and not isinstance(data[name], dict):
            return f"the payload's {name} is not an object"
    actions = data.get("actions")
    if actions is not None and not (isinstance(actions, list) and all(isinstance(a, dict) for a in actions)):
        return "the payload's actions are not a list of objects"
    return None


def refuse_malformed(app: WsgiApp, path: str, commands: Iterable[str]) -> WsgiApp:
    """`app` behind the shape check: a malformed POST to `path` gets 400 and a one-line reason; nothing else
    changes."""
    known = frozenset(commands)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != path:
            return app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _bad_request(start_response, "the Content-Length is not a number")
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        reason = refusal_reason(body, environ.get("CONTENT_TYPE"), known)
        if reason is not None:
            log.info("refused a request to %s: %s (%s bytes)", path, reason, len(body))
            return _bad_request(start_response, reason)
        return app({**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}, start_response)

    return application


def _bad_request(start_response: StartResponse, reason: str) -> Iterable[bytes]:
    body = f"bad request: {reason}\n".encode()
    start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8"),
                                       ("Content-Length", str(len(body)))])
    return [body]
