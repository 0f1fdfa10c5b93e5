"""The command line as a user runs it: a real process, its exit code and the bytes it wrote."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_bot(*args: str, env: dict[str, str] | None = None, stdin: bytes | None = None,
            cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    """`python -m bot ARGS` with no Slack, API or bot settings of the caller's (the bundled sandbox serves)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "INVITATIONS_", "BOT_", "REDIS_"))}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd,
                          env={**clean, "PYTHONPATH": str(ROOT), **(env or {})}, input=stdin, capture_output=True,
                          timeout=120)
