"""`invitation-bot check` against a broken copy of the bundled knowledge base: every problem listed, exit 1."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def installed_copy(tmp_path: Path) -> Path:
    """The package as a wheel lays it out (knowledge and catalogs inside bot/_data), ready to be broken."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "bot", site / "bot", ignore=shutil.ignore_patterns("__pycache__", "_data"))
    shutil.copytree(ROOT / "knowledge", site / "bot" / "_data" / "knowledge")
    shutil.copytree(ROOT / "locales", site / "bot" / "_data" / "locales")
    return site


def check(site: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "INVITATIONS_", "BOT_"))}
    return subprocess.run([sys.executable, "-m", "bot", "check"], cwd=site, env={**clean, "PYTHONPATH": str(site)},
                          capture_output=True, text=True, timeout=120)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_fails_on_a_status_without_source_an_unused_source_and_advice_against_the_action(tmp_path):
    site = installed_copy(tmp_path)
    assert check(site).returncode == 0
    knowledge = site / "bot" / "_data" / "knowledge"
    statuses = knowledge / "statuses"
    # Blocked: its text says again that it can be resent once the cause is fixed.
    replace_in(statuses / "blocked.yaml", "Don't send this invitation again, and don't send more invitations like it.",
               "The invitation can be resent once the cause is fixed.")
    # Spam risk loses its sources.
    replace_in(statuses / "spam_risk.yaml", "sources: [status_overview_sv, status_overview_en, "
               "manage_sent_invitations_en]\n", "")
    # An article nobody relies on.
    with (knowledge / "sources.yaml").open("a", encoding="utf-8") as handle:
        handle.write('  - id: lost_access_en\n    title: "I lost access to manual invitations"\n'
                     '    language: en\n    url: "https://support.trustpilot.com/hc/en-us/articles/4403192200594"\n')
    result = check(site)
    assert result.returncode == 1, result.stdout
    lines = result.stdout.splitlines()
    for expected in [
        "knowledge: knowledge/statuses/blocked.yaml: blocked: steps.en[1]: says it can be sent again "
        "('The invitation can be resent once the cause is fixed'), but the action is do_not_send_again",
        "knowledge: knowledge/statuses/spam_risk.yaml: spam_risk: sources: missing",
        "knowledge: knowledge/sources.yaml: lost_access_en: (file): no status uses this source",
    ]:
        assert expected in lines, result.stdout
    assert lines[-1] == f"{len(lines) - 1} problem(s) found"
    assert "Traceback" not in result.stderr
