"""LOG_FORMAT=json: one JSON object a line for log collectors (bot.logs uses it; plain lines are its own)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

# Longest message kept in one record: a log line never carries a whole request or export.
MAX_MESSAGE_CHARS = 4000
# A traceback keeps its end, where the cause is.
MAX_TRACEBACK_CHARS = 6000


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, and the traceback if any.

    Newlines inside messages and tracebacks stay inside the JSON string, so every record is one line.
    """

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace(
                "+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": message if len(message) <= MAX_MESSAGE_CHARS else message[:MAX_MESSAGE_CHARS] + "…",
            "thread": record.threadName,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)[-MAX_TRACEBACK_CHARS:]
        elif record.exc_text:
            entry["exception"] = record.exc_text[-MAX_TRACEBACK_CHARS:]
        return json.dumps(entry, ensure_ascii=False, default=str)
