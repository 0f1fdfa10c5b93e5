"""Live requests recognised in free text, Swedish and English."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.core.entities import (
    MAX_TEXT,
    BadIdRequest,
    BadPeriodRequest,
    BusinessUnitRef,
    EmailLookup,
    InvitationLookup,
    ReferenceLookup,
    SummaryRequest,
    parse_live_request,
)
from bot.core.periods import Period

NOW = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)  # a Friday
INV = "5f1e9c2a7b3d4e5f6a7b8c9d"
BU = "64a0c1d2e3f4a5b6c7d8e9f0"


def parse(text: str):
    return parse_live_request(text, NOW)


def days(request) -> tuple[date, date]:
    """First and last day (inclusive) of a summary request's period."""
    assert isinstance(request, SummaryRequest)
    return request.period.start.date(), request.period.last_day


@pytest.mark.parametrize(
    "text",
    [
        f"status {INV}",
        f"Vad är status för {INV}?",
        f"What's the status of {INV}",
        f"{INV}",
        f"kan du kolla inbjudan {INV} åt mig",
        f"<@U0123ABC> status {INV}",
        f"*status* `{INV}`",
        f"invitation id: {INV}.",
    ],
)
def test_invitation_id_alone(text):
    assert parse(text) == InvitationLookup(INV, None)


@pytest.mark.parametrize(
    "text, unit",
    [
        (f"status {INV} hos nordic-shoes.example", "nordic-shoes.example"),
        (f"status for {INV} at Nordic-Shoes.example", "nordic-shoes.example"),
        (f"inbjudan {INV} hos {BU}", BU),
        (f"status {INV} business unit {BU}", BU),
        (f"status {INV} <http://nordic-shoes.example|nordic-shoes.example>", "nordic-shoes.example"),
        (f"konto {BU}: vad hände med {INV}?", BU),
    ],
)
def test_invitation_id_with_business_unit(text, unit):
    assert parse(text) == InvitationLookup(INV, BusinessUnitRef(unit))


@pytest.mark.parametrize(
    "text, bad",
    [
        ("status 5f1e9c2a7b3d4e5f6a7b8c9", "5f1e9c2a7b3d4e5f6a7b8c9"),  # 23 characters
        ("inbjudan 5f1e9c2a7b3d4e5f6a7b8c9d0", "5f1e9c2a7b3d4e5f6a7b8c9d0"),  # 25 characters
        ("invitation 5f1e9c2a7b3d4e5f6a7b8c9z", "5f1e9c2a7b3d4e5f6a7b8c9z"),  # a typo
        ("kolla 5f1e9c2a7b3d4e5f6a7b8c9d1f", "5f1e9c2a7b3d4e5f6a7b8c9d1f"),  # hex-only, wrong length
    ],
)
def test_malformed_ids(text, bad):
    assert parse(text) == BadIdRequest(bad)


@pytest.mark.parametrize(
    "text",
    [
        "status 5F1E9C2A7B3D4E5F6A7B8C9D",
        "hey can you pull up 5f1E9C2a7b3d4E5F6a7b8c9D for me",
        "Kan du titta på [5f1e9c2a7b3d4e5f6a7b8c9d]?",
        "status på `5f1e9c2a7b3d4e5f6a7b8c9d` tack",
        "Where is invitation #5f1e9c2a7b3d4e5f6a7b8c9d at?",
        "Can you check this one for me (5f1e9c2a7b3d4e5f6a7b8c9d) – customer is chasing us",
        "https://businessapp.example.com/invitations/5F1E9C2A7B3D4E5F6A7B8C9D – why didn't this one send?",
        "Vad hände med den här: <https://businessapp.example.com/invitations/5f1e9c2a7b3d4e5f6a7b8c9d|inbjudan>",
    ],
)
def test_invitation_ids_in_any_case_in_links_and_punctuation(text):
    # A link's host is no account: the lookup is of the invitation alone.
    assert parse(text) == InvitationLookup("5f1e9c2a7b3d4e5f6a7b8c9d")


@pytest.mark.parametrize(
    "text, reference, unit",
    [
        ("referens ORDER-10023 hos nordic-shoes.example", "ORDER-10023", "nordic-shoes.example"),
        ("what happened to order #10023 at nordic-shoes.example", "10023", "nordic-shoes.example"),
        ("ordernummer: 10023 för nordic-shoes.example", "10023", "nordic-shoes.example"),
        ("reference number FK200123 at fjallkaffe.example", "FK200123", "fjallkaffe.example"),
        ("ORDER-10023 at nordic-shoes.example", "ORDER-10023", "nordic-shoes.example"),
        ("Kolla ORDER-10023 hos nordic-shoes.example tack!", "ORDER-10023", "nordic-shoes.example"),
        ("referens ORDER-10023", "ORDER-10023", None),
        ("ORDER-10023", "ORDER-10023", None),
    ],
)
def test_reference_numbers(text, reference, unit):
    assert parse(text) == ReferenceLookup(reference, BusinessUnitRef(unit) if unit else None)


@pytest.mark.parametrize(
    "text, unit",
    [
        ("kolla <mailto:anna@example.se|anna@example.se> hos nordic-shoes.example", "nordic-shoes.example"),
        ("status for anna@example.se at <http://nordic-shoes.example|nordic-shoes.example>",
         "nordic-shoes.example"),
        (f"invitations to <mailto:anna@example.se> for {BU}", BU),
        ("anna@example.se", None),
        ("vad hände med inbjudan till anna@example.se?", None),
    ],
)
def test_recipient_emails(text, unit):
    assert parse(text) == EmailLookup("anna@example.se", BusinessUnitRef(unit) if unit else None)


@pytest.mark.parametrize(
    "text",
    [
        "Ej levererad – SPF-fel",
        "Not delivered - SPF failure",
        "why SPF?",
        "vad betyder I kö?",
        "Levererad – avregistrerad",
        "hej",
        "",
        "   ",
        "in order to fix it, what do I do?",
        "t.ex. export.csv från inbjudningssidan",
        "Not delivered - Invalid reply-to email, our reply-to is support@acme.example",
        "SKU-fel, vad gör jag?",
        "550 5.7.23 SPF validation failed",
        "what is the status of my SPF record for nordic-shoes.example",
    ],
)
def test_plain_status_questions_are_not_live_requests(text):
    assert parse(text) is None


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("sammanfattning för nordic-shoes.example senaste 30 dagarna", date(2026, 10, 29), date(2026, 11, 27)),
        ("failure summary for nordic-shoes.example in October", date(2026, 10, 1), date(2026, 10, 31)),
        ("sammanfattning för nordic-shoes.example i oktober", date(2026, 10, 1), date(2026, 10, 31)),
        ("summary for nordic-shoes.example in December", date(2025, 12, 1), date(2025, 12, 31)),
        ("sammanfattning nordic-shoes.example oktober 2025", date(2025, 10, 1), date(2025, 10, 31)),
        ("summary for nordic-shoes.example last week", date(2026, 11, 16), date(2026, 11, 22)),
        ("sammanfattning för nordic-shoes.example förra veckan", date(2026, 11, 16), date(2026, 11, 22)),
        ("sammanfattning för nordic-shoes.example senaste veckan", date(2026, 11, 21), date(2026, 11, 27)),
        ("sammanfattning för nordic-shoes.example förra månaden", date(2026, 10, 1), date(2026, 10, 31)),
        ("summary for nordic-shoes.example last month", date(2026, 10, 1), date(2026, 10, 31)),
        ("summary for nordic-shoes.example this month", date(2026, 11, 1), date(2026, 11, 27)),
        ("summary nordic-shoes.example past two weeks", date(2026, 11, 14), date(2026, 11, 27)),
        ("sammanfattning nordic-shoes.example de senaste tre dagarna", date(2026, 11, 25), date(2026, 11, 27)),
        (f"summary for {BU} from 2026-10-01 to 2026-10-15", date(2026, 10, 1), date(2026, 10, 15)),
        ("sammanfattning för nordic-shoes.example 1–15 oktober", date(2026, 10, 1), date(2026, 10, 15)),
        ("sammanfattning nordic-shoes.example sedan 1 november", date(2026, 11, 1), date(2026, 11, 27)),
        ("summary for nordic-shoes.example since November 3", date(2026, 11, 3), date(2026, 11, 27)),
        ("summary for nordic-shoes.example yesterday", date(2026, 11, 26), date(2026, 11, 26)),
        ("sammanfattning för nordic-shoes.example idag", date(2026, 11, 27), date(2026, 11, 27)),
        ("sammanfattning för nordic-shoes.example i år", date(2026, 1, 1), date(2026, 11, 27)),
        ("summary for nordic-shoes.example last year", date(2025, 1, 1), date(2025, 12, 31)),
        ("hur många inbjudningar misslyckades hos nordic-shoes.example förra veckan",
         date(2026, 11, 16), date(2026, 11, 22)),
    ],
)
def test_summary_periods(text, first, last):
    request = parse(text)
    assert isinstance(request, SummaryRequest)
    assert request.period_stated
    assert days(request) == (first, last)
    assert request.business_unit is not None


@pytest.mark.parametrize(
    "text, first, last",
    [
        # NOW is Friday 27 November 2026.
        ("summary for nordic-shoes.example since Tuesday", date(2026, 11, 24), date(2026, 11, 27)),
        ("sammanfattning för nordic-shoes.example sedan i måndags", date(2026, 11, 23), date(2026, 11, 27)),
        ("sammanfattning för nordic-shoes.example sen i fredags", date(2026, 11, 20), date(2026, 11, 27)),
        ("summary for nordic-shoes.example since last Wednesday", date(2026, 11, 25), date(2026, 11, 27)),
        ("sammanfattning för nordic-shoes.example i onsdags", date(2026, 11, 25), date(2026, 11, 25)),
    ],
)
def test_summary_periods_from_a_weekday(text, first, last):
    request = parse(text)
    assert isinstance(request, SummaryRequest) and request.period_stated
    assert days(request) == (first, last)


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("hur går det för nordic-shoes.example den här veckan?", date(2026, 11, 23), date(2026, 11, 27)),
        ("how have things been going at nordic-shoes.example this month", date(2026, 11, 1), date(2026, 11, 27)),
        ("hur gick utskicken för nordic-shoes.example förra veckan", date(2026, 11, 16), date(2026, 11, 22)),
        ("något konstigt med nordic-shoes.example sedan i tisdags?", date(2026, 11, 24), date(2026, 11, 27)),
        ("any bounces at nordic-shoes.example in October?", date(2026, 10, 1), date(2026, 10, 31)),
        ("how did nordic-shoes.example do the past 10 days", date(2026, 11, 18), date(2026, 11, 27)),
        ("hur ser siffrorna ut för nordic-shoes.example i oktober", date(2026, 10, 1), date(2026, 10, 31)),
        ("how is nordic-shoes.example looking lately?", date(2026, 10, 29), date(2026, 11, 27)),
        ("läget hos nordic-shoes.example på sistone?", date(2026, 10, 29), date(2026, 11, 27)),
        ("what did October look like at nordic-shoes.example?", date(2026, 10, 1), date(2026, 10, 31)),
        ("hur har nordic-shoes.example legat till förra månaden?", date(2026, 10, 1), date(2026, 10, 31)),
        ("ge mig en bild av nordic-shoes.example veckan som gick", date(2026, 11, 16), date(2026, 11, 22)),
        ("hur såg månaden som gick ut för nordic-shoes.example?", date(2026, 10, 1), date(2026, 10, 31)),
        ("what's the picture at nordic-shoes.example this month?", date(2026, 11, 1), date(2026, 11, 27)),
        ("any sending problems at nordic-shoes.example this week?", date(2026, 11, 23), date(2026, 11, 27)),
        ("is anything bouncing for nordic-shoes.example over the past 3 days?", date(2026, 11, 25), date(2026, 11, 27)),
        ("har utskicken gått bra för nordic-shoes.example denna månad?", date(2026, 11, 1), date(2026, 11, 27)),
        ("have invites been going out fine at nordic-shoes.example lately?", date(2026, 10, 29), date(2026, 11, 27)),
        ("what's the situation at nordic-shoes.example since Monday?", date(2026, 11, 23), date(2026, 11, 27)),
    ],
)
def test_summaries_asked_for_in_other_words(text, first, last):
    request = parse(text)
    assert isinstance(request, SummaryRequest) and request.sure, text
    assert request.business_unit == BusinessUnitRef("nordic-shoes.example")
    assert days(request) == (first, last)


def test_an_account_with_a_period_alone_is_a_summary_the_caller_may_overrule():
    # "Since Tuesday every invitation fails on SPF": the matcher decides whether a status is meant (core.acts).
    request = parse("sedan i tisdags stoppas alla inbjudningar hos nordic-shoes.example av SPF")
    assert isinstance(request, SummaryRequest) and not request.sure
    # Asked how it goes, it is a summary for sure; "how do I ..." is no such question.
    assert parse("how do I fix SPF for nordic-shoes.example") is None


def test_summary_without_period_defaults_to_last_30_days():
    request = parse("sammanfattning för nordic-shoes.example")
    assert isinstance(request, SummaryRequest)
    assert not request.period_stated
    assert request.business_unit == BusinessUnitRef("nordic-shoes.example")
    assert days(request) == (date(2026, 10, 29), date(2026, 11, 27))
    assert request.period.length.days == 30


def test_summary_takes_a_24_hex_id_as_the_account():
    request = parse(f"summary for {BU} in October")
    assert isinstance(request, SummaryRequest)
    assert request.business_unit == BusinessUnitRef(BU)
    assert request.business_unit.id == BU and request.business_unit.domain is None


def test_summary_without_account_asks_the_desk():
    request = parse("Kan jag få en sammanfattning för förra månaden?")
    assert isinstance(request, SummaryRequest)
    assert request.business_unit is None


def test_summary_with_malformed_account_id():
    assert parse("summary for account 64a0c1d2e3f4a5b6c7d8e9f last week") == BadIdRequest("64a0c1d2e3f4a5b6c7d8e9f")
    # Copied in capitals it is still the account's id.
    request = parse("summary for account 64A0C1D2E3F4A5B6C7D8E9F0 last week")
    assert isinstance(request, SummaryRequest) and request.business_unit == BusinessUnitRef("64a0c1d2e3f4a5b6c7d8e9f0")


def test_previous_period_has_the_same_length():
    request = parse("summary for nordic-shoes.example in October")
    assert isinstance(request, SummaryRequest)
    previous = request.period.previous()
    assert previous.end == request.period.start
    assert previous.length == request.period.length == Period(previous.start, previous.end).length


def test_business_unit_ref_kinds():
    assert BusinessUnitRef("nordic-shoes.example").domain == "nordic-shoes.example"
    assert BusinessUnitRef("nordic-shoes.example").id is None


@pytest.mark.parametrize(
    "text",
    [
        "a" * 200_000,
        "5f1e" * 50_000,
        ("status " + "x." * 30_000),
        ("<mailto:" * 10_000) + "a@b.se",
        "@" * 100_000,
        ("order " * 20_000),
        ("1 " * 50_000) + "oktober",
        "\u0000\u200b" * 20_000,
    ],
)
def test_hostile_input_is_bounded(text):
    # Must simply return (the input is cut before any regex runs); the value only has to be sane.
    result = parse(text)
    assert result is None or isinstance(result, (InvitationLookup, BadIdRequest, ReferenceLookup, SummaryRequest))


def test_an_id_beyond_the_bound_is_not_seen():
    assert parse("x " * (MAX_TEXT // 2 + 1) + INV) is None


def test_default_clock_is_used_without_now():
    request = parse_live_request("summary for nordic-shoes.example")
    assert isinstance(request, SummaryRequest)
    assert request.period.end > datetime.now(UTC)


@pytest.mark.parametrize("text", ["summary for shop.example 9999-12-31", "summary for shop.example 0999-05-01",
                                  "summary for shop.example from 0500-01-01 to 0600-01-01", "summary in May 0999"])
def test_a_summary_for_impossible_dates_is_a_bad_period(text):
    assert isinstance(parse_live_request(text, now=datetime(2026, 11, 27, tzinfo=UTC)), BadPeriodRequest)


def test_an_impossible_date_outside_a_summary_is_ignored():
    request = parse_live_request("ORDER-10023 at shop.example 9999-12-31", now=datetime(2026, 11, 27, tzinfo=UTC))
    assert isinstance(request, ReferenceLookup)


def test_summary_emails_are_a_kind_of_email_not_a_summary_asked_for():
    assert parse("how do I stop the weekly summary emails from coming?") is None
    assert parse("kan jag slippa sammanfattning-mejlen varje vecka?") is None
    assert isinstance(parse("summary for nordic-shoes.example please"), SummaryRequest)
