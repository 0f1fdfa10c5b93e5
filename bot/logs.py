"""Logging for every entry point: one line per record, bounded, and no request bodies.

Anyone on the internet can send the Slack endpoint a megabyte with newlines in it. slack-bolt
logs the whole body of a request whose signature fails, at INFO; a line like that could fill the
disk or forge log lines. So every record passes one handler whose filter replaces such messages
with a short sanitised line and whose formatter keeps each record on one bounded line (newlines
and other control characters escaped, long messages cut, tracebacks folded into the same line).
"""

from __future__ import annotations

import logging
import re
import sys
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Longest message kept, and longest traceback (its end, where the cause is) appended to it.
MAX_MESSAGE_CHARS = 2_000
MAX_TRACEBACK_CHARS = 6_000

# Everything that could break a line or steer a terminal: C0/C1 controls, DEL, line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

# slack-bolt's message for a request whose signature does not verify; the body follows it.
_BOLT_BAD_SIGNATURE = "Invalid request signature detected"
_HEADER_VALUE = re.compile(r"[^A-Za-z0-9=.:_-]")


def one_line(text: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """`text` on one line (controls escaped) and at most about `limit` characters."""
    text = _CONTROL.sub(lambda m: _ESCAPES.get(m.group(), f"\\x{ord(m.group()):02x}"), text)
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text) - limit} more characters)"
    return text


def short_value(value: object, limit: int = 80) -> str:
    """A header value or id as it may appear in a log: printable and short."""
    return _HEADER_VALUE.sub("?", str(value))[:limit]


class DropRequestBodies(logging.Filter):
    """Rewrites library messages that carry a request body into a short line without it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.msg if isinstance(record.msg, str) else ""
        if message.startswith(_BOLT_BAD_SIGNATURE):
            found = re.search(r"signature: (.*?), timestamp: (.*?), body: ", message[:1_000])
            signature, timestamp = (found.group(1), found.group(2)) if found else ("?", "?")
            body_chars = len(message) - (found.end() if found else 0) - 1
            record.msg = ("rejected a Slack request with an invalid signature "
                          "(signature %s, timestamp %s; %d characters of body not logged)")
            record.args = (short_value(signature, 80), short_value(timestamp, 20), max(0, body_chars))
        return True


class SingleLineFormatter(logging.Formatter):
    """The usual format, on one line: the message bounded, a traceback folded in after it."""

    def format(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.message = one_line(message)
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        line = self.formatMessage(record)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            trace = record.exc_text
            if len(trace) > MAX_TRACEBACK_CHARS:
                # The frames come first and the cause last: keep both ends.
                half = MAX_TRACEBACK_CHARS // 2
                trace = f"{trace[:half]} … ({len(trace) - 2 * half} characters left out) … {trace[-half:]}"
            line += " | " + one_line(trace, MAX_TRACEBACK_CHARS + 100)
        if record.stack_info:
            line += " | " + one_line(self.formatStack(record.stack_info), MAX_TRACEBACK_CHARS)
        return line


def handler(stream: TextIO | None = None, log_format: str = "text") -> logging.Handler:
    """A stream handler (stderr by default) with the filter and formatter above; with `log_format`
    "json" (LOG_FORMAT=json) one JSON object a line instead, for log collectors."""
    from bot.logformat import JsonFormatter

    result = logging.StreamHandler(stream if stream is not None else sys.stderr)
    result.setFormatter(JsonFormatter() if log_format == "json" else SingleLineFormatter(FORMAT))
    result.addFilter(DropRequestBodies())
    return result


def setup_logging(level: int = logging.WARNING, stream: TextIO | None = None, log_format: str | None = None) -> None:
    """Route every logger through one single-line, body-free handler on stderr at `level`.

    `log_format` defaults to LOG_FORMAT ("json" or plain lines). Like logging.basicConfig, it
    leaves a root logger that already has handlers alone (a host such as pytest configured it).
    """
    from bot.config import log_format_from_env

    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(handler(stream, log_format or log_format_from_env()))
        root.setLevel(level)
    # httpx logs every request URL at INFO, and email searches carry the address in the query string.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
