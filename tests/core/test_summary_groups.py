"""The summary counts as recoverable only what a fix really recovers; the other failures are grouped honestly."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from live_fakes import NORDIC, FakeInvitations, ask, make_desk

from bot.core.summary_figures import failures_by_group, figures
from bot.invitations.models import Invitation, StatusStats
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import FailureGroup, recoverable_by_fix
from bot.render.text import render_text

NOVEMBER_TEXT = "summary for nordic-shoes.example in November 2026"
# A month at one shop: a guideline block, deliveries the system retries, customers who had just reviewed,
# and an SPF record missing Trustpilot.
COUNTS = {"delivered": 50, "blocked": 40, "scheduled_for_later": 30, "reviewed_today": 25, "spf_failure": 7}


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def account() -> FakeInvitations:
    rows = []
    n = 0
    for status, count in COUNTS.items():
        for _ in range(count):
            created = datetime(2026, 11, 2 + n % 20, 9, n % 60, tzinfo=UTC)
            rows.append(Invitation(id=f"{0xC0FFEE000 + n:024x}", business_unit_id=NORDIC, status=status,
                                   reference_number=f"NOV-{n}", recipient_email=f"kund{n}@example.se",
                                   created_at=created, type="service", method="api"))
            n += 1
    return FakeInvitations(invitations=rows)


def section(reply, heading: str):
    found = [s for s in reply.sections if s.heading == heading]
    assert found, [s.heading for s in reply.sections]
    return found[0]


def test_only_the_spf_failures_are_recoverable_though_they_are_the_fewest(kb):
    reply = ask(make_desk(account(), kb), NOVEMBER_TEXT)
    assert [fix["status"] for fix in reply.data["topFixes"]] == ["spf_failure"]
    assert reply.data["failureGroups"] == {
        "recoverable": 7, "automatic": 30, "forFuture": 40, "notRecoverable": 0, "nothingToDo": 25,
    }
    fixes = section(reply, "Fixes that would recover the most invitations").items
    assert len(fixes) == 1
    assert fixes[0].startswith("Not delivered - SPF failure, to be fixed by the merchant. "
                               "7 invitations can be sent again once it is fixed.")
    assert "include:trustpilotservice.com" in fixes[0]


def test_the_other_failures_say_what_happens_to_them(kb):
    reply = ask(make_desk(account(), kb), NOVEMBER_TEXT)
    automatic, future, nothing = section(reply, "Failures no fix recovers").items
    assert automatic.startswith("Handled automatically: 30 (Not delivered - Scheduled for later: 30).")
    assert "would make duplicates" in automatic
    assert future.startswith("For future invitations: 40 (Not delivered - Blocked: 40).")
    assert nothing.startswith("Nothing to do: 25 (Not delivered - Review left today: 25).")
    text = render_text(reply)
    # None of the three is ever offered as something to resend.
    for label in ("Blocked", "Scheduled for later", "Review left today"):
        assert f"Not delivered - {label}, to be fixed" not in text
        assert f"{label}: " not in " ".join(section(reply, "Fixes that would recover the most invitations").items)


def test_in_swedish_too(kb):
    reply = ask(make_desk(account(), kb), "sammanfattning för nordic-shoes.example i november 2026", language="sv")
    text = render_text(reply)
    assert "Ej levererad – SPF-fel, åtgärdas av företaget. 7 inbjudningar kan skickas igen" in text
    assert "Hanteras automatiskt: 30 (Ej levererad – schemalagd till senare: 30)." in text
    assert "Inför kommande inbjudningar: 40 (Ej levererad – blockerad: 40)." in text
    assert "Inget att göra: 25 (Ej levererad – omdöme lämnat idag: 25)." in text


def test_every_failure_status_falls_in_exactly_one_group_and_recoverable_means_resend_after_fix(kb):
    counts = {entry.id: 3 for entry in kb}
    current = figures(StatusStats(NORDIC, None, None, sum(counts.values()), counts), kb)
    groups = failures_by_group(current, kb)
    grouped = [entry.id for members in groups.values() for entry, _count in members]
    assert sorted(grouped) == sorted(code for code, _count in current.failures)
    assert {entry.id for entry, _count in groups[FailureGroup.RECOVERABLE]} == {
        entry.id for entry in kb if recoverable_by_fix(entry) and entry.category.value == "not_delivered"
    }
    for harmful in ("blocked", "scheduled_for_later", "blocked_email", "temporary_email", "reviewed_today"):
        entry = kb.get(harmful)
        assert entry is not None and not recoverable_by_fix(entry) and not entry.recoverable_by_fix, harmful
