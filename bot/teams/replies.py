"""Posting to Teams: card activities, retries on throttling, and a progress note kept up to date."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from microsoft_agents.activity import Activity, Attachment, ResourceResponse
from microsoft_agents.hosting.core import TurnContext
from microsoft_agents.hosting.core.connector import ConnectorClientBase

from bot.i18n.catalog import gettext_for
from bot.render.cards import TeamsCard

log = logging.getLogger(__name__)

# Teams throttles per bot and thread; it asks to back off on 429 and to retry 412, 502 and 504.
RETRY_STATUSES = frozenset({412, 429, 500, 502, 503, 504})
RETRY_DELAYS = (0.5, 1.0, 2.0)
MAX_RETRY_AFTER = 10.0
# Checks shorter than this finish before a note would help.
PROGRESS_MIN_TOTAL = 10


def connector_of(context: TurnContext) -> ConnectorClientBase | None:
    """The turn's Bot Connector client (set by the adapter for the activity's own serviceUrl)."""
    key: Any = ConnectorClientBase  # an abstract class as the services key, as the SDK itself uses it
    found: ConnectorClientBase | None = context.services.get(key)
    return found


def card_activity(card: TeamsCard) -> Activity:
    """One message holding only the card: Teams splits a message with text and a card in two."""
    return Activity(type="message", summary=card.summary, attachments=[Attachment.model_validate(card.attachment())])


def text_activity(text: str) -> Activity:
    return Activity(type="message", text=text, text_format="plain")


def _retry_after(exc: aiohttp.ClientResponseError, default: float) -> float:
    raw = exc.headers.get("Retry-After") if exc.headers else None
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(raw))) if raw else default
    except ValueError:
        return default


async def with_retries[T](what: str, call: Callable[[], Awaitable[T]]) -> T:
    """`call()`, again after a pause when Teams throttles or stumbles; the last failure is raised."""
    for attempt, delay in enumerate((*RETRY_DELAYS, None)):
        try:
            return await call()
        except aiohttp.ClientResponseError as exc:
            if delay is None or exc.status not in RETRY_STATUSES:
                raise
            pause = _retry_after(exc, delay)
            log.info("%s: HTTP %s, retrying in %.1f s (attempt %d)", what, exc.status, pause, attempt + 1)
        except (aiohttp.ClientConnectionError, TimeoutError) as exc:
            if delay is None:
                raise
            pause = delay
            log.info("%s: %s, retrying in %.1f s (attempt %d)", what, type(exc).__name__, pause, attempt + 1)
        await asyncio.sleep(pause)
    raise AssertionError("unreachable")


async def send(context: TurnContext, activity: Activity, what: str = "reply") -> ResourceResponse:
    return await with_retries(what, lambda: context.send_activity(activity.model_copy(deep=True)))


async def update(context: TurnContext, activity_id: str, activity: Activity, what: str = "update") -> None:
    """Replace a posted message. Built fresh each time: the SDK's update cannot serialise a received activity."""

    async def call() -> Any:
        fresh = activity.model_copy(deep=True)
        fresh.id = activity_id
        return await context.update_activity(fresh)

    await with_retries(what, call)


class Note:
    """One text message in the conversation, posted the first time it is shown and edited after that; at the
    end it can be replaced by the answer. Shown from worker threads; the posting happens on the event loop, one
    at a time and in order. A note is a courtesy: trouble posting it never costs the answer.
    """

    def __init__(self, context: TurnContext, loop: asyncio.AbstractEventLoop) -> None:
        self.context = context
        self.loop = loop
        self._lock = threading.RLock()
        self._note_id: asyncio.Future[str | None] | None = None
        self._tail: concurrent.futures.Future[None] | None = None

    def show(self, text: str) -> None:
        with self._lock:
            previous = self._tail
            self._tail = asyncio.run_coroutine_threadsafe(self._show(text, previous), self.loop)

    async def _show(self, text: str, previous: concurrent.futures.Future[None] | None) -> None:
        if previous is not None:
            await asyncio.wrap_future(previous)  # the notes go out in order
        try:
            if self._note_id is None:
                self._note_id = self.loop.create_future()
                posted = await send(self.context, text_activity(text), "progress note")
                self._note_id.set_result(posted.id if posted else None)
            else:
                note_id = await self._note_id
                if note_id:
                    await update(self.context, note_id, text_activity(text), "progress note")
        except Exception as exc:
            log.warning("progress note not posted: %s", type(exc).__name__)
            if self._note_id is not None and not self._note_id.done():
                self._note_id.set_result(None)

    async def finished(self) -> None:
        """Waits until every note is on its way (the answer comes after the last of them)."""
        with self._lock:
            tail = self._tail
        if tail is not None:
            try:
                await asyncio.wrap_future(tail)
            except Exception as exc:
                log.warning("progress note failed: %s", type(exc).__name__)

    async def replace_with(self, activity: Activity, what: str = "reply") -> None:
        """The answer in place of the note when one was posted, else as a message of its own."""
        await self.finished()
        note_id = await self._note_id if self._note_id is not None else None
        if note_id:
            try:
                await update(self.context, note_id, activity, what)
                return
            except Exception as exc:
                log.warning("progress note not replaced by the answer (%s); posting it", type(exc).__name__)
        await send(self.context, activity, what)


class ProgressNote(Note):
    """Posts "Checked 0 of N…" once a long check starts, then edits it as the check advances."""

    def __init__(self, context: TurnContext, loop: asyncio.AbstractEventLoop, language: str) -> None:
        super().__init__(context, loop)
        self._ = gettext_for(language)
        self._last = 0
        self._started = False

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_MIN_TOTAL:
            return
        with self._lock:
            if self._started and done < total and done - self._last < max(1, total // 10):
                return
            self._started = True
            self._last = done
            self.show(self._("Checked %(done)s of %(total)s invitations…") % {"done": done, "total": total})
