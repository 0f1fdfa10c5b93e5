"""A progress note in the asker's thread while a long check (many invitation ids) runs."""

from __future__ import annotations

import logging
import threading

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.i18n.catalog import gettext_for

log = logging.getLogger(__name__)

# Checks shorter than this finish before a note would help; updates come every tenth of the way,
# well inside chat.update's rate limit.
MIN_TOTAL = 10


class ThreadProgress:
    """Posts "Checked 0 of N…" once, then edits it as the check advances."""

    def __init__(self, client: WebClient, channel: str, thread_ts: str | None, language: str) -> None:
        self.client = client
        self.channel = channel
        self.thread_ts = thread_ts
        self._ = gettext_for(language)
        self._ts: str | None = None
        self._last = 0
        self._lock = threading.Lock()

    def __call__(self, done: int, total: int) -> None:
        if total < MIN_TOTAL or not self.channel:
            return
        with self._lock:
            if self._ts is not None and done < total and done - self._last < max(1, total // 10):
                return
            self._last = done
            text = self._("Checked %(done)s of %(total)s invitations…") % {"done": done, "total": total}
            # A progress note is a courtesy: Slack trouble here must never cost the answer itself.
            try:
                if self._ts is None:
                    posted = self.client.chat_postMessage(channel=self.channel, thread_ts=self.thread_ts, text=text)
                    self._ts = posted.get("ts")
                else:
                    self.client.chat_update(channel=self.channel, ts=self._ts, text=text)
            except SlackClientError as exc:
                log.warning("progress note not posted: %s", exc)
