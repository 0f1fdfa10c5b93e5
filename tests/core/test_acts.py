"""The dialogue-act step: a lookup, a summary, or a status, when a message could be read as more than one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.acts import read_message
from bot.core.entities import EmailLookup, InvitationLookup, ReferenceLookup, SummaryRequest
from bot.core.models import Act
from bot.matching.matcher import Matcher

NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def matcher(kb):
    return Matcher(kb)


def test_a_story_with_an_order_number_or_an_address_asks_about_its_status(matcher):
    story = ("Hej, vi skickade en ny inbjudan för order 88123 till samma kund men den stoppades "
             "eftersom kunden redan är inbjuden till just den ordern. Vad gör vi?")
    reading = read_message(story, matcher, NOW)
    assert reading.live is None and reading.match.status == "already_invited"
    story = ("One customer, bo.stensson@gmial.cmo, never got the invite; the status says the recipient "
             "address is not a valid address. Can we fix it?")
    reading = read_message(story, matcher, NOW)
    assert reading.live is None and reading.match.status == "invalid_recipient"


def test_a_ticket_with_its_shops_domain_is_about_its_status(matcher):
    # The domain in the first line or the signature is the writer's shop, not an account to look up.
    ticket = ("Hi, Ella from nordic-shoes.example here. A customer says she never got our invite, and it turns "
              "out she misspelled her own email address as ella.berg@hotmial.con. Which status is it, and what "
              "do we do now?")
    reading = read_message(ticket, matcher, NOW)
    assert reading.live is None and reading.match.status == "invalid_recipient"
    ticket = ("Hej! Sedan förra veckan skickas inga inbjudningar alls och det står att vi har nått gränsen för "
              "vårt paket. Hur många inbjudningar ingår egentligen i Standard?\n/Maja, Nordic-shoes.example")
    reading = read_message(ticket, matcher, NOW)
    assert reading.live is None and reading.match.status == "invitation_limit_reached"


def test_an_explicit_lookup_or_an_account_keeps_the_lookup(matcher):
    assert isinstance(read_message("kolla ORDER-10023 hos nordic-shoes.example", matcher, NOW).live, ReferenceLookup)
    assert isinstance(read_message("check order 88123, did it bounce?", matcher, NOW).live, ReferenceLookup)
    assert isinstance(read_message("what happened to anna@example.se's invite?", matcher, NOW).live, EmailLookup)
    assert isinstance(read_message("anna@example.se hos nordic-shoes.example?", matcher, NOW).live, EmailLookup)
    reading = read_message("how many invites went out for nordic-shoes.example last week?", matcher, NOW)
    assert isinstance(reading.live, SummaryRequest)
    reading = read_message("Inbjudan 5F1E9C2A7B3D4E5F6A7B8C9D, studsade den?", matcher, NOW)
    assert reading.live == InvitationLookup("5f1e9c2a7b3d4e5f6a7b8c9d")


def test_pasted_rows_with_addresses_are_several_statuses_not_a_lookup(matcher):
    paste = ("email;status;date\nann@shop.example;Not delivered - SPF failure;2026-11-02\n"
             "bo@shop.example;Not delivered - Invalid recipient;2026-11-02\n"
             "cy@shop.example;Not delivered - SPF failure;2026-11-03")
    reading = read_message(paste, matcher, NOW)
    assert reading.live is None
    assert reading.match.status == "spf_failure" and reading.match.also == ("invalid_recipient",)


def test_an_account_and_a_period_make_a_summary_unless_a_status_is_named(matcher):
    reading = read_message("anything odd at nordic-shoes.example since Tuesday?", matcher, NOW)
    assert isinstance(reading.live, SummaryRequest)
    story = "hos nordic-shoes.example fastnar alla inbjudningar på SPF-fel sedan i fredags"
    reading = read_message(story, matcher, NOW)
    assert reading.live is None and reading.match.status == "spf_failure"


def test_the_platforms_own_host_names_no_account(matcher):
    # "include:trustpilotservice.com" in an SPF record is no merchant to summarise.
    text = "we added include:trustpilotservice.com to the SPF record today and everything is delivered, thanks!"
    reading = read_message(text, matcher, NOW)
    assert reading.live is None and reading.match.act is Act.SMALL_TALK


def test_small_talk_and_no_clock_are_never_live(matcher):
    reading = read_message("tack!", matcher, NOW)
    assert reading.live is None and reading.match.act is Act.SMALL_TALK
    assert read_message("status 5f1e9c2a7b3d4e5f6a7b8c9d", matcher, None).live is None
