"""`status`, `find` and `summary` end to end: the real client against the sandbox API on loopback."""

from __future__ import annotations

import itertools
import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.config import load_settings
from bot.invitations.client import InvitationsClient
from bot.invitations.sandbox import NORDIC_SHOES_ID, RunningSandbox, SandboxOptions, start_sandbox

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    running = start_sandbox(options=SandboxOptions(large_account_size=3_000))
    yield running
    running.stop()


@pytest.fixture
def env(monkeypatch, sandbox):
    for name in list(os.environ):
        if name.startswith(("INVITATIONS_", "SLACK_", "BOT_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("INVITATIONS_API_URL", sandbox.url)
    monkeypatch.setenv("INVITATIONS_API_KEY", sandbox.api_key)
    monkeypatch.setenv("INVITATIONS_API_SECRET", sandbox.api_secret)
    monkeypatch.setenv("BOT_LANGUAGE", "sv")
    return sandbox


def demo(sandbox: RunningSandbox, status: str, business_unit: str = NORDIC_SHOES_ID) -> dict:
    """The sandbox's own Invitation object of the demo row with `status`."""
    account = sandbox.data.account(business_unit)
    assert account is not None
    row = next(row for row in account.spec.demo_rows if row.status == status)
    return account.invitation(row.index)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_status_json(env, capsys):
    invitation = demo(env, "spf_failure")
    code, out, err = run(capsys, "status", invitation["id"], "--json", "--lang", "en")
    assert code == 0, err
    data = json.loads(out)
    assert data["status"] == "spf_failure" and data["known"] is True and data["language"] == "en"
    assert data["invitation"]["id"] == invitation["id"]
    assert data["invitation"]["businessUnitId"] == NORDIC_SHOES_ID
    assert data["invitation"]["referenceNumber"] == invitation["referenceNumber"]
    assert data["invitation"]["recipient"]["email"] == invitation["recipient"]["email"]
    assert datetime.fromisoformat(data["invitation"]["createdAt"].replace("Z", "+00:00")) == datetime.fromisoformat(
        invitation["createdAt"].replace("Z", "+00:00")
    )
    assert "Not delivered - SPF failure" in data["text"]
    assert invitation["statusDetail"] in data["text"]


def test_status_text_in_the_default_language(env, capsys):
    invitation = demo(env, "spf_failure")
    code, out, _err = run(capsys, "status", invitation["id"])
    assert code == 0
    assert out.startswith(f"Inbjudan {invitation['id']}: Ej levererad – SPF-fel")
    assert "Nästa steg" in out and "include:trustpilotservice.com" in out


def test_status_of_a_code_the_knowledge_base_lacks(env, capsys):
    invitation = demo(env, "delivery_deferred")
    code, out, _err = run(capsys, "status", invitation["id"], "--json")
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "delivery_deferred" and data["known"] is False
    assert "delivery_deferred" in data["text"]


def test_status_not_found(env, capsys):
    code, out, err = run(capsys, "status", "ffffffffffffffffffffffff", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["status"] is None and data["found"] is False


@pytest.mark.parametrize("bad", ["5f1e9c2a7b3d4e5f6a7b8c9", "5F1E9C2A7B3D4E5F6A7B8C9D", "../../etc/passwd"])
def test_status_bad_id(env, capsys, bad):
    code, out, err = run(capsys, "status", bad, "--lang", "en")
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "not a valid invitation id" in err
    assert "Traceback" not in err


def test_status_within_a_business_unit(env, capsys):
    invitation = demo(env, "spf_failure")
    code, out, _err = run(capsys, "status", invitation["id"], "--business-unit", "nordic-shoes.example", "--json")
    assert code == 0 and json.loads(out)["status"] == "spf_failure"
    code, out, _err = run(capsys, "status", invitation["id"], "--business-unit", "fjallkaffe.example", "--json")
    assert code == 0 and json.loads(out)["found"] is False


def test_status_unknown_domain(env, capsys):
    invitation = demo(env, "spf_failure")
    code, out, err = run(capsys, "status", invitation["id"], "--business-unit", "no-such-shop.example",
                         "--lang", "en")
    assert code == 1 and out == ""
    assert err.strip().splitlines() == ["invitation-bot: No account with the domain no-such-shop.example was found."]


def test_status_bad_business_unit(env, capsys):
    invitation = demo(env, "spf_failure")
    code, _out, err = run(capsys, "status", invitation["id"], "--business-unit", "64A0C1D2E3F4A5B6C7D8E9F0")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_find_by_reference_and_by_email(env, capsys):
    invitation = demo(env, "spf_failure")
    code, out, _err = run(capsys, "find", "--reference", invitation["referenceNumber"],
                          "--business-unit", NORDIC_SHOES_ID, "--json")
    assert code == 0
    data = json.loads(out)
    assert invitation["id"] in [inv["id"] for inv in data["invitations"]]
    code, out, _err = run(capsys, "find", "--email", invitation["recipient"]["email"],
                          "--business-unit", "nordic-shoes.example", "--lang", "en")
    assert code == 0
    assert "invitations found for anna@example.se" in out and invitation["id"] in out


def test_find_nothing(env, capsys):
    code, out, _err = run(capsys, "find", "--reference", "NO-SUCH-1", "--business-unit", "nordic-shoes.example",
                          "--json")
    assert code == 0 and json.loads(out)["found"] is False


def test_summary_matches_the_api_counts(env, capsys):
    code, out, err = run(capsys, "summary", "--business-unit", "nordic-shoes.example", "--json", "--lang", "en")
    assert code == 0, err
    data = json.loads(out)
    assert data["businessUnitId"] == NORDIC_SHOES_ID and data["language"] == "en"
    start = datetime.fromisoformat(data["from"].replace("Z", "+00:00"))
    end = datetime.fromisoformat(data["to"].replace("Z", "+00:00"))
    assert (end - start).days == 30
    with InvitationsClient.from_settings(load_settings()) as client:
        stats = client.status_stats(NORDIC_SHOES_ID, start, end)
    assert data["total"] == stats.total > 0
    assert data["byStatus"] == dict(stats.by_status)
    delivered = sum(n for code, n in stats.by_status.items() if code == "delivered" or code.startswith("delivered_"))
    pending = sum(n for code, n in stats.by_status.items() if code in ("queued", "sending"))
    assert data["notDelivered"] == stats.total - delivered - pending
    assert data["text"].startswith("Failure summary for Nordic Shoes (nordic-shoes.example)")
    assert data["topFixes"] and data["topFixes"][0]["status"] == "spf_failure"  # the sandbox's SPF surge


def test_summary_with_dates_in_swedish(env, capsys):
    code, out, _err = run(capsys, "summary", "--business-unit", NORDIC_SHOES_ID, "--from", "2026-01-01",
                          "--to", "2026-01-08")
    assert code == 0
    assert out.startswith(f"Felsammanfattning för {NORDIC_SHOES_ID}, 1 jan. 2026 – 7 jan. 2026")


def test_summary_bad_date(env, capsys):
    code, out, err = run(capsys, "summary", "--business-unit", "nordic-shoes.example", "--from", "yesterday")
    assert code == 2 and out == "" and "ÅÅÅÅ-MM-DD" in err and len(err.strip().splitlines()) == 1


def test_ask_routes_a_live_question_to_the_desk(env, capsys):
    invitation = demo(env, "spf_failure")
    code, out, _err = run(capsys, "ask", f"status {invitation['id']}", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "spf_failure" and data["invitation"]["id"] == invitation["id"]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_api(env, capsys, monkeypatch):
    monkeypatch.setenv("INVITATIONS_API_URL", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("INVITATIONS_API_BUDGET", "0.1")
    code, out, err = run(capsys, "status", "5f1e9c2a7b3d4e5f6a7b8c9d", "--lang", "en")
    assert code == 3
    assert out == ""  # no knowledge-base part to show for a bare id
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "could not be fetched right now" in lines[0]
    code, out, err = run(capsys, "summary", "--business-unit", NORDIC_SHOES_ID, "--json")
    assert code == 3 and json.loads(out)["error"] == "api_unavailable"


def test_the_console_script_entry_point(env):
    invitation = demo(env, "invalid_recipient")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "status", invitation["id"], "--json", "--lang", "en"],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ}, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["status"] == "invalid_recipient" and data["known"] is True


def test_ask_checks_many_pasted_ids_with_progress_on_stderr(env, sandbox):
    with InvitationsClient(sandbox.url, sandbox.api_key, sandbox.api_secret) as client:
        ids = [inv.id for inv in itertools.islice(client.iter_invitations(NORDIC_SHOES_ID), 12)]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--lang", "en", "check these please:\n" + "\n".join(ids)],
        cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["checked"] == 12
    assert sum(payload["byStatus"].values()) == 12
    assert "Checked 12 of 12 invitations" in result.stderr
