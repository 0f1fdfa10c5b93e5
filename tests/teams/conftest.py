"""Fixtures for the Teams tests: the stand-in Bot Connector and the real aiohttp app on a loopback socket,
with the real brain (knowledge base and the bundled sandbox API) behind it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web
from connectorstub import GROUP_CHAT, OUR_TENANT, SHARED_CHANNEL, StubConnector, post_activity

from bot.cli.wiring import Components, load_components
from bot.config import Settings, TeamsSettings
from bot.core.access import AccessPolicy
from bot.core.triage import TriageDesk
from bot.invitations.sandbox import NORDIC_SHOES_ID
from bot.platform.dedupe import SeenStore
from bot.teams.app import TeamsBot, build_teams_bot
from bot.teams.server import MESSAGES_PATH


@pytest.fixture
def stub() -> Iterator[StubConnector]:
    connector = StubConnector().start()
    yield connector
    connector.stop()


@pytest.fixture(scope="session")
def components(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Components]:
    """Our tenant is internal; the shared channel and the group chat are bound to Nordic Shoes."""
    policy = tmp_path_factory.mktemp("access") / "access.yaml"
    policy.write_text(
        f'internal_tenants: ["{OUR_TENANT}"]\n'
        "channels:\n"
        f'  "{SHARED_CHANNEL}":\n    business_units: ["{NORDIC_SHOES_ID}"]\n'
        f'  "{GROUP_CHAT}":\n    business_units: ["{NORDIC_SHOES_ID}"]\n',
        encoding="utf-8",
    )
    # No INVITATIONS_API_URL: the wiring starts the bundled sandbox in-process on the first live question.
    wired = load_components(Settings(access_file=policy))
    yield wired
    wired.close()


@dataclass
class RunningTeams:
    bot: TeamsBot
    url: str
    loop: asyncio.AbstractEventLoop

    @property
    def messages_url(self) -> str:
        return self.url + MESSAGES_PATH

    def post(self, activity: Any, **kw: Any) -> Any:
        return post_activity(self.messages_url, activity, **kw)

    def idle(self, timeout: float = 20) -> bool:
        """True once every turn taken so far has finished."""
        return asyncio.run_coroutine_threadsafe(self.bot.server.drain(timeout), self.loop).result(timeout + 5)


class AppThread:
    """The app's own event loop in a thread, serving on a free loopback port (as `invitation-bot teams` does)."""

    def __init__(self, bot: TeamsBot) -> None:
        self.bot = bot
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="teams-app", daemon=True)
        self.thread.start()
        self.runner = web.AppRunner(bot.server.web_app(), access_log=None, handle_signals=False)
        self.port = self._call(self._start())

    def _call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(30)

    async def _start(self) -> int:
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        return int(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]

    def stop(self) -> None:
        self._call(self.bot.server.drain(20))
        self._call(self.runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()
        self.bot.close()


@pytest.fixture
def make_teams(components: Components) -> Iterator[Any]:
    """make_teams(settings=None, assistant=None, access=None, seen=None, triage=None, consents=None) -> RunningTeams;
    stopped afterwards. Exports are triaged by the real desk unless `triage` names another."""
    started: list[AppThread] = []

    def make(settings: Settings | None = None, assistant: Any = None, access: AccessPolicy | None = None,
             seen: SeenStore | None = None, triage: TriageDesk | None = None,
             **bot_options: Any) -> RunningTeams:
        settings = settings or Settings(language="sv", teams=TeamsSettings(tenant_id=OUR_TENANT, answer_threads=8))
        bot = build_teams_bot(settings, assistant or components.assistant, access or components.access, seen=seen,
                              triage=triage or components.triage, **bot_options)
        running = AppThread(bot)
        started.append(running)
        return RunningTeams(bot=bot, url=f"http://127.0.0.1:{running.port}", loop=running.loop)

    yield make
    for running in started:
        running.stop()


@pytest.fixture
def teams(make_teams: Any) -> RunningTeams:
    return make_teams()

