"""`python -m bot teams` in a subprocess with its log in a file, against the stand-in Bot Connector (anonymous
mode: no Bot Framework token; our tenant set, so the stand-in's staff are staff)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from connectorstub import OUR_TENANT
from served import Served, run_bot

TEAMS = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"


def serve_teams(log: Path, **env: str) -> Iterator[Served]:
    """Start `python -m bot teams`; yields once /healthz answers, stops it afterwards."""
    yield from run_bot("teams", log, {TEAMS + "TENANTID": OUR_TENANT, **env})
