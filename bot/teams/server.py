"""Teams over HTTP: `POST /api/messages` (Bot Framework activities, token-checked) and `GET /healthz`.

Every activity but an invoke is acknowledged with 202 at once and its turn goes
on the work queue (bot.teams.turns; with REDIS_URL another instance takes it over
if this one dies): the SDK's own handler would hold the HTTP answer until every
reply is posted, and Teams re-sends an activity it got no quick answer for.
Invokes (card clicks, the message action) must be answered in the response, so
they run before it (but for a file consent, acknowledged at once: its upload may take longer than Teams
waits). Each activity is taken once per (conversation, id).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import warnings
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from microsoft_agents.activity import Activity
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from yarl import URL

from bot.platform.dedupe import MemorySeenStore, SeenStore
from bot.teams.agent import TeamsAgent
from bot.teams.files import BACKGROUND_INVOKES
from bot.teams.request_shape import parse_activity
from bot.teams.turns import TeamsTurns

log = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
# Activities are a few KB; refuse anything far larger before it is read into memory.
MAX_BODY_BYTES = 1_000_000


@dataclass
class TeamsServer:
    adapter: CloudAdapter
    agent: TeamsAgent
    seen: SeenStore
    # The connection's settings, read by the SDK's token check on /api/messages.
    auth_configuration: Any
    anonymous: bool
    # Accepted activities' turns, through the work queue.
    turns: TeamsTurns
    # Prometheus metrics served on /metrics (None: no such route).
    metrics: Any = None

    def web_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        with warnings.catch_warnings():
            # The SDK's token check reads this plain string key.
            warnings.simplefilter("ignore")
            app["agent_configuration"] = self.auth_configuration
        app.router.add_post(MESSAGES_PATH, jwt_authorization_decorator(self.messages))
        app.router.add_get(HEALTH_PATH, self.health)
        if self.metrics is not None:
            app.router.add_get(METRICS_PATH, self.metrics_text)
        app.on_startup.append(self._start_turns)
        return app

    async def _start_turns(self, _app: web.Application) -> None:
        self.turns.start(asyncio.get_running_loop())

    async def metrics_text(self, request: web.Request) -> web.Response:
        from bot.metrics import CONTENT_TYPE

        return web.Response(body=self.metrics.exposition(), headers={"Content-Type": CONTENT_TYPE})

    async def health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def messages(self, request: web.Request) -> web.StreamResponse:
        """Runs after the SDK has checked the request's Bot Framework token (401 without a valid one)."""
        body = await request.read()
        activity = parse_activity(body)
        if isinstance(activity, str):
            log.info("refused a request to %s: %s (%s bytes)", request.path[:40], activity, len(body))
            return web.json_response({"error": activity}, status=400)
        if activity.conversation is None or not activity.service_url:  # checked by parse_activity; for the types
            return web.json_response({"error": "an activity needs conversation.id and serviceUrl"}, status=400)
        claims: ClaimsIdentity = request.get("claims_identity") or ClaimsIdentity()
        if not self._service_url_matches(claims, activity.service_url):
            reason = ("anonymous mode answers only a serviceUrl on this machine" if self.anonymous
                      else "serviceUrl does not match the token")
            log.warning("refused an activity: %s", reason)
            return web.json_response({"error": reason}, status=401)
        if activity.type == "invoke" and activity.name not in BACKGROUND_INVOKES:
            return await self._invoke(claims, activity)
        if activity.id and not await self._first_time(f"teams:{activity.conversation.id}:{activity.id}"):
            log.info("activity %s in %s already taken; not answered again", activity.id,
                     activity.conversation.id[:60])
            if self.metrics is not None:
                self.metrics.redelivery_dropped("teams")
            return web.Response(status=200 if activity.type == "invoke" else 202)
        await self.turns.accept(activity, claims)
        # A file consent is acknowledged at once (200, as an invoke expects) and acted on in the background.
        return web.Response(status=200 if activity.type == "invoke" else 202)

    def _service_url_matches(self, claims: ClaimsIdentity, service_url: str) -> bool:
        """With a token, replies (and the bot's token) go only to the host the token names.

        The Bot Framework names it in every token it sends (`serviceurl`); a token without it (one Entra ID
        issues to any app of the tenant for the bot's app id, which the SDK accepts) names no host, so the
        activity could send the bot, its token and the question who is staff anywhere: refused."""
        if self.anonymous:
            # Nothing vouches for the activity: the bot talks only to a Bot Connector on this machine (the Agents
            # Playground's), so a sender cannot point it (its answers, and the lookup that decides who is staff)
            # at a server of their own, even through a tunnel.
            return _is_loopback(service_url)
        claimed = claims.get_claim_value("serviceurl")
        if not claimed:
            return False
        try:
            return (URL(str(claimed)).host or "").casefold() == (URL(service_url).host or "").casefold()
        except ValueError:
            return False

    async def _first_time(self, key: str) -> bool:
        if isinstance(self.seen, MemorySeenStore):
            return self.seen.first_time(key)
        # Redis answers in a millisecond, but an outage waits for its timeout: not on the event loop.
        return await asyncio.to_thread(self.seen.first_time, key)

    async def _invoke(self, claims: ClaimsIdentity, activity: Activity) -> web.Response:
        try:
            response = await self.adapter.process_activity(claims, activity, self.agent.on_turn)
        except Exception:
            log.exception("invoke %s failed outside the turn", activity.name)
            return web.json_response({"error": "internal error"}, status=500)
        if response is None:
            return web.Response(status=501)
        if response.body is None:
            return web.Response(status=int(response.status or 200))
        return web.json_response(response.body, status=int(response.status or 200))

    async def drain(self, timeout: float) -> bool:
        """True once every turn this instance accepted or took has finished (shutdown, tests)."""
        return await self.turns.drain(timeout)


def _is_loopback(url: str) -> bool:
    try:
        host = URL(url).host or ""
    except ValueError:
        return False
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
