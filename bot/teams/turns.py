"""Teams turns through the work queue, so that an acknowledged activity outlives the instance that took it.

Teams never sends an activity again once it got its 202. So every accepted (de-duplicated) activity but an
invoke becomes a job on the work queue (bot.work): with REDIS_URL a Redis stream, from which a surviving
instance takes over the jobs of one that died. The job holds only what the accepting instance checked:
the activity itself, the serviceUrl its token was checked for and the app id the token was issued to (None
when it came without a token, in anonymous mode). Never the token: whichever instance runs the turn posts
with its own credentials, as the SDK does for proactive messages, and only for its own app id; a job
accepted under other credentials is dropped (logged), never answered with ours.

Jobs run on the work queue's threads; each turn runs on the app's event loop (the agent's caches and
the SDK's clients live there) while its worker waits for it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core.authorization import AuthenticationConstants, ClaimsIdentity
from pydantic import ValidationError

from bot.teams.agent import TeamsAgent
from bot.work import Abandoned, Job, WorkQueue

log = logging.getLogger(__name__)

TURN_JOB = "teams.activity"
# How often a worker waiting for its turn checks that the event loop still runs (a stopped loop never answers).
_LOOP_CHECK_SECONDS = 1.0


@dataclass(frozen=True)
class Accepted:
    """An activity as the accepting instance checked it."""

    activity: Activity
    # Where replies go: the activity's serviceUrl, which matched the token's (when there was a token).
    service_url: str
    # The bot the token was for (its audience); None: accepted without a token (anonymous mode).
    app_id: str | None

    def job(self) -> Job:
        payload = {
            "activity": self.activity.model_dump(mode="json", by_alias=True, exclude_unset=True),
            "serviceUrl": self.service_url,
            "appId": self.app_id,
        }
        return Job(TURN_JOB, payload, ref=f"{self.activity.type} {self.activity.id}")

    @classmethod
    def of(cls, job: Job) -> Accepted | str:
        """The accepted activity a job holds, or why it holds none (a short phrase)."""
        payload: Mapping[str, Any] = job.payload
        service_url, app_id, raw = payload.get("serviceUrl"), payload.get("appId"), payload.get("activity")
        if not isinstance(service_url, str) or not service_url or not isinstance(raw, Mapping):
            return "the job has no activity or serviceUrl"
        if app_id is not None and not isinstance(app_id, str):
            return "the job's app id is not a string"
        try:
            activity = Activity.model_validate(raw)
        except (ValidationError, ValueError, TypeError):
            return "the job's activity is not valid"
        if activity.conversation is None:
            return "the job's activity has no conversation"
        # Replies go where the accepting instance checked, whatever else the activity says.
        activity.service_url = service_url
        return cls(activity, service_url, app_id)


def accepted(activity: Activity, claims: ClaimsIdentity) -> Accepted:
    """What the accepting instance checked of a request: its activity, serviceUrl and token's app id."""
    app_id = None if claims.allow_anonymous else claims.get_app_id()
    return Accepted(activity, activity.service_url or "", str(app_id) if app_id else None)


class TeamsTurns:
    """Accepted activities -> jobs on the work queue -> turns on the app's event loop."""

    def __init__(self, adapter: CloudAdapter, agent: TeamsAgent, work: WorkQueue, app_id: str | None) -> None:
        """`app_id`: this instance's own (the client id); None in anonymous mode."""
        self.adapter = adapter
        self.agent = agent
        self.work = work
        self.app_id = app_id
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start taking jobs; their turns run on `loop` (the running app's)."""
        self._loop = loop
        self.work.start({TURN_JOB: self._run})

    async def accept(self, activity: Activity, claims: ClaimsIdentity) -> None:
        """Queue an activity's turn (quick: the 202 waits for it)."""
        job = accepted(activity, claims).job()
        if self.work.durable:
            # Redis answers in a millisecond, but an outage waits for its timeout: not on the event loop.
            await asyncio.to_thread(self.work.put, job)
        else:
            self.work.put(job)

    async def drain(self, timeout: float) -> bool:
        """True once every job this instance accepted or took has finished (shutdown, tests)."""
        return await asyncio.to_thread(self.work.wait_idle, timeout)

    def close(self) -> None:
        self.work.close()

    # -- on the work queue's threads ------------------------------------------------------------

    def claims_for(self, job: Accepted) -> ClaimsIdentity | None:
        """Our own identity for the turn, as for a proactive message; None when the job is not ours to answer."""
        if self.app_id is None:
            # Anonymous mode posts without a token: only for what was accepted without one.
            return ClaimsIdentity() if job.app_id is None else None
        if job.app_id is None or job.app_id.casefold() != self.app_id.casefold():
            return None
        claims = self.adapter.create_claims_identity(self.app_id)
        claims.claims[AuthenticationConstants.SERVICE_URL_CLAIM] = job.service_url
        return claims

    def _run(self, job: Job) -> None:
        found = Accepted.of(job)
        if isinstance(found, str):
            log.error("Teams job (%s) dropped: %s", job.ref or "no ref", found)
            return
        claims = self.claims_for(found)
        if claims is None:
            log.error("Teams job (%s) dropped: it was accepted %s, not for this bot's app id", job.ref,
                      f"for app id {found.app_id}" if found.app_id else "without a token")
            return
        loop = self._loop
        if loop is None:
            raise Abandoned("the Teams app is not running")
        try:
            future = asyncio.run_coroutine_threadsafe(self.turn(claims, found.activity), loop)
        except RuntimeError as exc:  # the event loop is closed: this instance is stopping
            raise Abandoned(str(exc)) from exc
        while True:
            try:
                future.result(timeout=_LOOP_CHECK_SECONDS)
                return
            except concurrent.futures.CancelledError as exc:
                raise Abandoned("the turn was cancelled") from exc
            except TimeoutError as exc:
                if loop.is_closed() or not loop.is_running():
                    future.cancel()
                    raise Abandoned("the event loop stopped") from exc

    async def turn(self, claims: ClaimsIdentity, activity: Activity) -> None:
        try:
            await self.adapter.process_activity(claims, activity, self.agent.on_turn)
        except asyncio.CancelledError:
            raise
        except Exception:
            # Errors inside the turn reach the agent's error handler; these happened around it
            # (a token for the Bot Connector could not be had, the connector client failed).
            log.exception("turn for %s %s failed outside the pipeline", activity.type, activity.id)
