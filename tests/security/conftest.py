"""Fixtures for the promises in this folder: the real Slack app over HTTP, the stand-in Slack server, and the
real brain with the bundled sandbox API behind it.

The Slack fixtures are those of tests/slack (loaded from there, so both folders test the same harness).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_SLACK_TESTS = Path(__file__).resolve().parents[1] / "slack"
if str(_SLACK_TESTS) not in sys.path:
    sys.path.insert(0, str(_SLACK_TESTS))

_spec = importlib.util.spec_from_file_location("slack_test_fixtures", _SLACK_TESTS / "conftest.py")
assert _spec is not None and _spec.loader is not None
_slack = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _slack  # dataclasses look their module up while the file runs
_spec.loader.exec_module(_slack)

# Re-exported: pytest finds fixtures by name in this conftest.
stub = _slack.stub
app_host = _slack.app_host
make_app = _slack.make_app
SECRET = _slack.SECRET

from secure_slack import BOUND, INTERNAL, STAFF, UNBOUND  # noqa: E402
from slackstub import HOME_TEAM  # noqa: E402

from bot.cli.wiring import load_components  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.invitations.sandbox import NORDIC_SHOES_ID  # noqa: E402


@pytest.fixture(scope="module")
def components(tmp_path_factory):
    policy = tmp_path_factory.mktemp("access") / "access.yaml"
    policy.write_text(f"internal_teams: [{HOME_TEAM}]\nchannels:\n  {BOUND}:\n"
                      f"    business_units: [\"{NORDIC_SHOES_ID}\"]\n", encoding="utf-8")
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
