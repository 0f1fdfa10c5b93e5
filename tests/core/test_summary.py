"""Failure summaries: figures from the fake's records, the previous period, the best fixes, locale formats."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from live_fakes import NORDIC, OCTOBER, SEPTEMBER, FakeInvitations, ask, make_desk, staff, tiny_kb

from bot.core.entities import BusinessUnitRef, SummaryRequest
from bot.core.models import Question, ReplyKind
from bot.core.periods import Period
from bot.core.summary import category_of, figures
from bot.i18n.formats import format_number, format_share
from bot.invitations.models import Invitation, StatusStats
from bot.knowledge.model import Category
from bot.render.text import render_text

OCTOBER_TEXT = "summary for nordic-shoes.example in October"


def section(reply, heading_start: str):
    for candidate in reply.sections:
        if candidate.heading and candidate.heading.startswith(heading_start):
            return candidate
    raise AssertionError(f"no section starting {heading_start!r}")


def expected(counts: dict[str, int]) -> tuple[int, int, int, int]:
    """total, delivered, pending, not delivered, computed the way the contract defines them."""
    delivered = sum(v for k, v in counts.items() if k == "delivered" or k.startswith("delivered_"))
    pending = sum(v for k, v in counts.items() if k in ("queued", "sending"))
    total = sum(counts.values())
    return total, delivered, pending, total - delivered - pending


def test_summary_json_shape_and_figures():
    source = FakeInvitations()
    reply = ask(make_desk(source), OCTOBER_TEXT)
    assert reply.kind is ReplyKind.SUMMARY
    total, delivered, pending, not_delivered = expected(OCTOBER)
    data = reply.data
    assert set(data) >= {"businessUnitId", "from", "to", "total", "byStatus", "notDelivered", "language"}
    assert data["businessUnitId"] == NORDIC
    assert data["from"] == "2026-10-01T00:00:00Z" and data["to"] == "2026-11-01T00:00:00Z"
    assert data["total"] == total == 100
    assert data["byStatus"] == OCTOBER
    assert data["notDelivered"] == not_delivered == 32
    assert data["delivered"] == delivered == 65 and data["pending"] == pending == 3
    assert data["deliveryRate"] == 0.65
    assert data["language"] == "en"


def test_two_stats_requests_and_a_few_samples_never_paging():
    source = FakeInvitations()
    ask(make_desk(source), OCTOBER_TEXT)
    october = (datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC))
    before = (datetime(2026, 8, 31, tzinfo=UTC), october[0])  # the same 31 days just before
    assert source.called("status_stats") == [(NORDIC, *october), (NORDIC, *before)]
    assert [args[1] for args in source.called("sample_invitations")] == [
        ("spf_failure",), ("invalid_recipient",), ("custom_sender_address",)
    ]
    assert source.called("find_invitations") == []


def test_overview_and_groups_in_english():
    reply = ask(make_desk(), OCTOBER_TEXT)
    assert reply.title == "Failure summary for Nordic Shoes (nordic-shoes.example), 1 Oct 2026 – 31 Oct 2026"
    assert section(reply, "Overview").items == (
        "Invitations created: 100",
        "Delivered: 65 (delivery rate 65.0%)",
        "Not delivered: 32 (32.0%)",
        "Still on their way (queued or sending): 3",
    )
    assert section(reply, "Not delivered, by status").items == (
        "Not delivered - SPF failure: 15 (15.0%)",
        "Not delivered - Invalid recipient: 6 (6.0%)",
        "Not delivered - Custom sender email: 5 (5.0%)",
        "Not delivered - Placeholder error: 4 (4.0%)",
        "Not delivered - Invitation limit reached: 2 (2.0%)",
    )
    assert section(reply, "Not delivered, by who must act").items == (
        "Merchant: 21", "Recipient: 6", "Our support team: 5"
    )


def test_change_against_the_previous_period():
    reply = ask(make_desk(), OCTOBER_TEXT)
    previous_total, previous_delivered, _pending, previous_failed = expected(SEPTEMBER)
    comparison = section(reply, "Compared with the previous period")
    assert comparison.heading == "Compared with the previous period (31 Aug 2026 – 30 Sept 2026)"
    assert f"Invitations created: {previous_total} → 100 (+16)" in comparison.items
    assert f"Not delivered: {previous_failed} → 32 (+18)" in comparison.items
    assert "Delivery rate: 83.3% → 65.0% (-18.3 percentage points)" in comparison.items
    assert "Not delivered - SPF failure: 5 → 15 (+10)" in comparison.items
    assert "Not delivered - Invalid recipient: 8 → 6 (-2)" in comparison.items
    assert reply.data["previous"]["total"] == previous_total == 84
    assert reply.data["previous"]["delivered"] == previous_delivered


def test_top_fixes_rank_fixable_failures_by_count():
    reply = ask(make_desk(), OCTOBER_TEXT)
    # invalid_recipient (6) outnumbers two of them, but only the recipient can fix it.
    assert [fix["status"] for fix in reply.data["topFixes"]] == [
        "spf_failure", "custom_sender_address", "placeholder_error"
    ]
    fixes = section(reply, "Fixes that would recover the most invitations").items
    assert len(fixes) == 3
    assert fixes[0].startswith("Not delivered - SPF failure, to be fixed by the merchant. 15 invitations can be sent")
    assert "Add include:trustpilotservice.com to the SPF record." in fixes[0]
    assert "to be fixed by our support team" in fixes[1]


def test_a_status_no_fix_recovers_is_never_offered_as_a_fix():
    source = FakeInvitations()
    source.invitations += [
        Invitation(id=f"{0xD000 + n:024x}", business_unit_id=NORDIC, status="already_invited",
                   created_at=datetime(2026, 10, 5, tzinfo=UTC))
        for n in range(20)
    ]
    reply = ask(make_desk(source), OCTOBER_TEXT)
    # The largest failure by far, but there is nothing to fix: it stays out of the fixes.
    assert reply.data["byStatus"]["already_invited"] == 20
    assert "already_invited" not in [fix["status"] for fix in reply.data["topFixes"]]
    assert not any("Already invited" in item for item in section(reply, "Fixes").items)


def test_examples_one_per_top_status():
    reply = ask(make_desk(), OCTOBER_TEXT)
    examples = section(reply, "Examples").items
    assert [item.split(":")[0] for item in examples] == [
        "Not delivered - SPF failure", "Not delivered - Invalid recipient", "Not delivered - Custom sender email"
    ]
    assert "customer" in examples[0]  # staff in their own channel see addresses


def test_swedish_summary_uses_swedish_words_and_number_formats():
    reply = ask(make_desk(), "sammanfattning för nordic-shoes.example i oktober", language="sv")
    text = render_text(reply)
    assert reply.title == "Felsammanfattning för Nordic Shoes (nordic-shoes.example), 1 okt. 2026 – 31 okt. 2026"
    share = format_share(65, 100, "sv")
    assert "," in share and share != format_share(65, 100, "en")
    assert f"Levererade: 65 (leveransgrad {share})" in text
    assert "Ej levererad – SPF-fel: 15" in text
    assert "procentenheter" in text and "Företaget: 21" in text
    assert "åtgärdas av företaget" in text


class BigAccount(FakeInvitations):
    """An account whose counts are large: thousands separators differ between the languages."""

    def status_stats(self, business_unit_id, created_from, created_to):
        self.calls.append(("status_stats", (business_unit_id, created_from, created_to)))
        counts = {"delivered": 8123, "delivered_unsubscribed": 12, "queued": 38, "spf_failure": 1311,
                  "invalid_recipient": 532}
        return StatusStats(business_unit_id, created_from, created_to, sum(counts.values()), counts)


def test_large_numbers_per_locale():
    english = render_text(ask(make_desk(BigAccount()), OCTOBER_TEXT))
    swedish = render_text(ask(make_desk(BigAccount()), OCTOBER_TEXT, language="sv"))
    total = 8123 + 12 + 38 + 1311 + 532
    assert f"Invitations created: {format_number(total, 'en')}" in english and "10,016" in english
    assert f"Skapade inbjudningar: {format_number(total, 'sv')}" in swedish
    assert "10,016" not in swedish and format_number(total, "sv") != "10,016"


def test_unknown_status_in_the_counts_is_a_failure_and_a_gap(caplog):
    caplog.set_level(logging.WARNING, logger="bot.knowledge_gaps")
    source = FakeInvitations()
    source.invitations += [
        Invitation(id=f"{0xE000 + n:024x}", business_unit_id=NORDIC, status="soft_bounce",
                   created_at=datetime(2026, 10, 9, tzinfo=UTC))
        for n in range(7)
    ]
    reply = ask(make_desk(source), OCTOBER_TEXT)
    assert reply.data["total"] == 107 and reply.data["notDelivered"] == 39
    assert "unknown status code soft_bounce: 7 (6.5%)" in section(reply, "Not delivered, by status").items
    assert "Not known yet (status missing from the knowledge base): 7" in section(reply, "Not delivered, by who").items
    assert any("soft_bounce" in r.getMessage() for r in caplog.records if r.name == "bot.knowledge_gaps")


def test_empty_period():
    reply = ask(make_desk(), "summary for nordic-shoes.example in March")
    assert reply.kind is ReplyKind.SUMMARY
    assert reply.data["total"] == 0 and reply.data["notDelivered"] == 0 and reply.data["deliveryRate"] is None
    assert section(reply, "Overview").text == "No invitations were created in this period."
    assert reply.data["topFixes"] == []


def test_summary_for_an_id_needs_no_domain_lookup():
    source = FakeInvitations()
    desk = make_desk(source)
    request = SummaryRequest(BusinessUnitRef(NORDIC), Period(datetime(2026, 10, 1, tzinfo=UTC),
                                                               datetime(2026, 11, 1, tzinfo=UTC)))
    reply = desk.answer(request, Question(text="", asker=staff()), "en")
    assert reply.data["total"] == 100
    assert source.called("find_business_unit") == []


def test_staff_summary_without_an_account_asks_for_one():
    source = FakeInvitations()
    reply = ask(make_desk(source), "summary for last week", language="sv")
    assert reply.kind is ReplyKind.ERROR and reply.title == "Vilket konto ska jag sammanfatta?"
    assert source.calls == []


def test_categories_of_unknown_codes_follow_their_names():
    kb = tiny_kb()
    assert category_of("delivered_bounced_later", kb) is Category.DELIVERED
    assert category_of("sending", kb) is Category.PENDING
    assert category_of("throttled", kb) is Category.NOT_DELIVERED


def test_total_never_below_the_counts():
    stats = StatusStats(NORDIC, None, None, 3, {"delivered": 5, "spf_failure": 2})
    assert figures(stats, tiny_kb()).total == 7
