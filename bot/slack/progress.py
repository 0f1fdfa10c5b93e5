"""A progress note in the asker's thread while a long check (many invitation ids) runs."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from bot.i18n.catalog import gettext_for

log = logging.getLogger(__name__)

# Checks shorter than this finish before a note would help; updates come every tenth of the way,
# well inside chat.update's rate limit.
MIN_TOTAL = 10


def _duration(_: Callable[[str], str], seconds: float) -> str:
    """`seconds` in words, in the language of `_` (the asker's catalog)."""
    minutes = math.ceil(seconds / 60)
    if seconds < 60:
        return _("less than a minute")
    if minutes == 1:
        return _("about a minute")
    return _("about %(minutes)s minutes") % {"minutes": minutes}


class ThreadProgress:
    """Says up front how long a check will take, posts "Checked 0 of N…" and edits it as the check
    advances, with the time left (from the pace so far)."""

    def __init__(self, client: WebClient, channel: str, thread_ts: str | None, language: str) -> None:
        self.client = client
        self.channel = channel
        self.thread_ts = thread_ts
        self._ = gettext_for(language)
        self._ts: str | None = None
        self._last = 0
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._expected: float | None = None

    def expect(self, seconds: float, total: int) -> None:
        """Tell the asker before the check starts how long it will take."""
        if total < MIN_TOTAL or not self.channel:
            return
        with self._lock:
            self._started = time.monotonic()
            self._expected = seconds
            text = self._("Checking %(total)s invitations; this takes %(duration)s.") % {
                "total": total, "duration": _duration(self._, seconds)}
            self._post(text)

    def _left(self, done: int, total: int) -> float | None:
        if done >= total:
            return None
        elapsed = time.monotonic() - self._started
        if done * 10 >= total and elapsed > 0:
            return elapsed / done * (total - done)  # the pace so far
        return None if self._expected is None else max(0.0, self._expected - elapsed)

    def __call__(self, done: int, total: int) -> None:
        if total < MIN_TOTAL or not self.channel:
            return
        with self._lock:
            if self._ts is not None and done < total and done - self._last < max(1, total // 10):
                return
            self._last = done
            text = self._("Checked %(done)s of %(total)s invitations…") % {"done": done, "total": total}
            left = self._left(done, total)
            if left is not None and left >= 60:
                text += " " + self._("(%(duration)s left)") % {"duration": _duration(self._, left)}
            self._post(text)

    def _post(self, text: str) -> None:
        # A progress note is a courtesy: Slack trouble here must never cost the answer itself.
        try:
            if self._ts is None:
                posted = self.client.chat_postMessage(channel=self.channel, thread_ts=self.thread_ts, text=text)
                self._ts = posted.get("ts")
            else:
                self.client.chat_update(channel=self.channel, ts=self._ts, text=text)
        except SlackClientError as exc:
            log.warning("progress note not posted: %s", exc)
