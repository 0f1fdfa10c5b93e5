"""Fixtures for the promises in this folder: the real Slack app over HTTP and the stand-in Slack server, the real
Teams app over HTTP and the stand-in Bot Connector, and the real brain with the bundled sandbox API behind both.

The Slack fixtures are those of tests/slack and the Teams ones those of tests/teams (loaded from there, so each
folder tests the same harness as its platform's own tests).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_TESTS = Path(__file__).resolve().parents[1]
for _folder in (_TESTS / "slack", _TESTS / "teams"):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))


def _fixtures_of(folder: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"{folder}_test_fixtures", _TESTS / folder / "conftest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


_slack = _fixtures_of("slack")
_teams = _fixtures_of("teams")

# Re-exported: pytest finds fixtures by name in this conftest. (The Teams stand-in is `connector` here: `stub`
# is Slack's.)
stub = _slack.stub
app_host = _slack.app_host
make_app = _slack.make_app
SECRET = _slack.SECRET
make_teams = _teams.make_teams

from connectorstub import GROUP_CHAT, OUR_TENANT, SHARED_CHANNEL, StubConnector  # noqa: E402
from secure_slack import BOUND, INTERNAL, STAFF, UNBOUND  # noqa: E402
from slackstub import HOME_TEAM  # noqa: E402

from bot.cli.wiring import load_components  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.invitations.sandbox import NORDIC_SHOES_ID  # noqa: E402


@pytest.fixture(scope="module")
def components(tmp_path_factory):
    policy = tmp_path_factory.mktemp("access") / "access.yaml"
    # Slack: our workspace, a Slack Connect channel bound to Nordic Shoes. Teams: our tenant, a shared channel
    # and a group chat bound to Nordic Shoes.
    policy.write_text(f'internal_teams: [{HOME_TEAM}]\ninternal_tenants: ["{OUR_TENANT}"]\nchannels:\n'
                      f'  {BOUND}:\n    business_units: ["{NORDIC_SHOES_ID}"]\n'
                      f'  "{SHARED_CHANNEL}":\n    business_units: ["{NORDIC_SHOES_ID}"]\n'
                      f'  "{GROUP_CHAT}":\n    business_units: ["{NORDIC_SHOES_ID}"]\n', encoding="utf-8")
    # No INVITATIONS_API_URL: the bundled sandbox starts in-process on the first live question.
    wired = load_components(Settings(access_file=policy))
    yield wired
    wired.close()


@pytest.fixture
def app(make_app, stub, components):
    stub.users[STAFF] = {"id": STAFF, "team_id": HOME_TEAM, "locale": "en-GB"}
    for channel in (BOUND, UNBOUND):
        stub.channels[channel] = {"id": channel, "is_ext_shared": True, "is_im": False}
    stub.channels[INTERNAL] = {"id": INTERNAL, "is_ext_shared": False, "is_im": False}
    return make_app(components.assistant, components.access)


@pytest.fixture
def connector() -> Iterator[StubConnector]:
    """The stand-in Bot Connector the Teams activities name as their serviceUrl."""
    running = StubConnector().start()
    yield running
    running.stop()


@pytest.fixture
def teams(make_teams):
    """The real Teams app (anonymous mode, our tenant internal), with the real brain behind it."""
    return make_teams()
