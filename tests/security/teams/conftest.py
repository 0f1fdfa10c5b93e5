"""Fixtures for the attacks on the Teams app: those of tests/teams (loaded from there, so both folders test the
same harness: the real aiohttp app on loopback, the stand-in Bot Connector, the real brain and sandbox API)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_TEAMS_TESTS = Path(__file__).resolve().parents[2] / "teams"
for folder in (_TEAMS_TESTS, _TEAMS_TESTS.parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

_spec = importlib.util.spec_from_file_location("teams_test_fixtures", _TEAMS_TESTS / "conftest.py")
assert _spec is not None and _spec.loader is not None
_teams = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _teams  # dataclasses look their module up while the file runs
_spec.loader.exec_module(_teams)

# Re-exported: pytest finds fixtures by name in this conftest (they replace the Slack ones of the folder above).
stub = _teams.stub
components = _teams.components
make_teams = _teams.make_teams
teams = _teams.teams
