"""Fixtures for the Slack tests: the Slack stub, a running HTTP app on loopback, a real redis-server."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from slackstub import StubSlack

from bot.config import Settings
from bot.core.access import AccessPolicy
from bot.platform.dedupe import SeenStore
from bot.slack.app import SlackBot, build_slack_bot
from bot.slack.webclient import make_web_client
from bot.slack.wsgi import EVENTS_PATH, create_server, stop_server, wsgi_app

SECRET = "test-signing-secret"


@pytest.fixture
def stub() -> Iterator[StubSlack]:
    slack = StubSlack().start()
    yield slack
    slack.stop()


@dataclass
class RunningApp:
    bot: SlackBot
    url: str  # base URL of the HTTP app
    stub: StubSlack
    secret: str = SECRET

    @property
    def events_url(self) -> str:
        return self.url + EVENTS_PATH


class AppHost:
    """One waitress server on a free loopback port for the whole session, each test's app mounted
    under its own path prefix (/app1/slack/events, ...).

    One server rather than one per test: starting and stopping waitress in threads over and over
    is what its own tests avoid, and the apps under test are fully separate anyway.
    """

    def __init__(self, threads: int = 16) -> None:
        self._apps: dict[str, Any] = {}
        self._names = itertools.count(1)
        self.server = create_server(self, "127.0.0.1", 0, threads)
        self.thread = threading.Thread(target=self.server.run, name="waitress", daemon=True)
        self.thread.start()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        name, _slash, rest = environ.get("PATH_INFO", "")[1:].partition("/")
        app = self._apps.get(name)
        if app is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"no such app"]
        return app({**environ, "PATH_INFO": "/" + rest}, start_response)

    def mount(self, app: Any) -> str:
        name = f"app{next(self._names)}"
        self._apps[name] = app
        return f"http://127.0.0.1:{self.server.effective_port}/{name}"

    def unmount(self, url: str) -> None:
        self._apps.pop(url.rsplit("/", 1)[-1], None)

    def stop(self) -> None:
        stop_server(self.server)
        self.thread.join(timeout=5)


@pytest.fixture(scope="session")
def app_host() -> Iterator[AppHost]:
    host = AppHost()
    yield host
    host.stop()


def start_app(stub: StubSlack, host: AppHost, assistant: Any, access: AccessPolicy | None = None, *,
              seen: SeenStore | None = None, settings: Settings | None = None, triage: Any = None,
              metrics: Any = None, **bot_options: Any) -> RunningApp:
    settings = settings or Settings(slack_signing_secret=SECRET, slack_bot_token="xoxb-test",
                                    slack_api_url=stub.api_url.rstrip("/"), language="sv",
                                    slack_listener_threads=8)
    client = make_web_client(settings.slack_bot_token, settings.slack_api_url)
    bot = build_slack_bot(settings, assistant, access or AccessPolicy(), client=client, seen=seen, triage=triage,
                          **bot_options)
    return RunningApp(bot=bot, url=host.mount(wsgi_app(bot, metrics)), stub=stub)


@pytest.fixture
def make_app(stub: StubSlack, app_host: AppHost) -> Iterator[Any]:
    """make_app(assistant, access=None, seen=None, triage=None) -> RunningApp served over HTTP; closed afterwards."""
    started: list[RunningApp] = []

    def make(assistant: Any, access: AccessPolicy | None = None, *, seen: SeenStore | None = None,
             settings: Settings | None = None, triage: Any = None, **bot_options: Any) -> RunningApp:
        running = start_app(stub, app_host, assistant, access, seen=seen, settings=settings, triage=triage,
                            **bot_options)
        started.append(running)
        return running

    yield make
    for running in started:
        # Let late work (a delete_original after a share) reach the stub before it goes away.
        running.bot.wait_idle()
        app_host.unmount(running.url)
        running.bot.close()
