"""API trouble: the asker still gets the knowledge-base part and a clear notice, never a crash."""

from __future__ import annotations

from datetime import datetime

import pytest
from live_fakes import ANNA_SPF, FakeInvitations, ask, make_desk, merchant

from bot.core.models import ReplyKind
from bot.invitations.errors import (
    ApiUnavailable,
    AuthenticationFailed,
    Forbidden,
    InvalidId,
    MalformedResponse,
    RateLimited,
)
from bot.invitations.models import StatusStats
from bot.render.text import render_text


def failing(method: str, error: Exception) -> FakeInvitations:
    return FakeInvitations(failures={method: error})  # type: ignore[dict-item]


def test_unavailable_api_with_a_status_in_the_question_gives_the_kb_part_and_the_correlation_id():
    source = failing("get_invitation", ApiUnavailable("timed out", status_code=503, correlation_id="corr-123"))
    reply = ask(make_desk(source), f"status {ANNA_SPF} – Ej levererad – SPF-fel", language="sv")
    assert reply.kind is ReplyKind.ERROR
    assert reply.status == "spf_failure"
    assert reply.title == "Ej levererad – SPF-fel"
    text = render_text(reply)
    assert "Betydelse av Ej levererad – SPF-fel." in text
    assert "Lägg till include:trustpilotservice.com i SPF-posten." in text
    assert any("kunde inte hämtas just nu" in notice for notice in reply.notices)
    assert any("corr-123" in notice for notice in reply.notices)
    assert reply.data["error"] == "api_unavailable" and reply.data["correlationId"] == "corr-123"
    assert reply.data["invitation"] == {"id": ANNA_SPF}


def test_unavailable_api_without_a_status_named_still_says_so_clearly():
    source = failing("get_invitation", RateLimited("429 for too long"))
    reply = ask(make_desk(source), f"status {ANNA_SPF}")
    assert reply.kind is ReplyKind.ERROR
    assert reply.title == f"Invitation {ANNA_SPF}"
    assert reply.sections == ()
    assert reply.notices == (
        "The live status could not be fetched right now: the invitations service did not answer in time. "
        "Please try again in a few minutes.",
    )  # no correlation id: no second notice
    assert reply.data["correlationId"] is None


def test_the_longest_quoted_label_wins():
    source = failing("get_invitation", ApiUnavailable("down"))
    reply = ask(make_desk(source), f"{ANNA_SPF} says Delivered - Unsubscribed")
    assert reply.status == "delivered_unsubscribed"


@pytest.mark.parametrize(
    "error, phrase, code",
    [
        (MalformedResponse("bad json", correlation_id="c-9"), "could not read", "api_malformed_response"),
        (Forbidden("no support scope", status_code=403), "refused the request", "api_error"),
        (AuthenticationFailed("wrong secret", status_code=401), "refused the request", "api_error"),
    ],
)
def test_other_api_errors(error, phrase, code):
    reply = ask(make_desk(failing("get_invitation", error)), f"status {ANNA_SPF} spf_failure")
    assert reply.kind is ReplyKind.ERROR and reply.status == "spf_failure"
    assert phrase in reply.notices[0]
    assert reply.data["error"] == code
    assert "Traceback" not in render_text(reply) and str(error) not in render_text(reply)


def test_invalid_id_from_the_client():
    reply = ask(make_desk(failing("get_invitation", InvalidId("bad"))), f"status {ANNA_SPF}")
    assert reply.kind is ReplyKind.ERROR and reply.data["error"] == "invalid_id"
    assert "24 characters" in render_text(reply)


def test_search_failure_for_an_outside_asker_is_a_notice_not_a_refusal():
    source = failing("find_invitations", ApiUnavailable("down", correlation_id="corr-7"))
    reply = ask(make_desk(source), "referens ORDER-10023", asker=merchant(), language="sv")
    assert reply.kind is ReplyKind.ERROR
    assert reply.title == "De aktuella uppgifterna kunde inte hämtas just nu."
    assert any("corr-7" in notice for notice in reply.notices)


def test_business_unit_lookup_failure():
    source = failing("find_business_unit", ApiUnavailable("down"))
    reply = ask(make_desk(source), f"status {ANNA_SPF} at nordic-shoes.example")
    assert reply.kind is ReplyKind.ERROR and reply.data["error"] == "api_unavailable"


def test_summary_counts_unavailable():
    source = failing("status_stats", ApiUnavailable("down", correlation_id="corr-s"))
    reply = ask(make_desk(source), "summary for nordic-shoes.example in October")
    assert reply.kind is ReplyKind.ERROR
    assert reply.data["error"] == "api_unavailable" and reply.data["correlationId"] == "corr-s"
    assert len(source.called("status_stats")) == 1


class PreviousPeriodFails(FakeInvitations):
    """Counts of the asked period come back; those of the period before fail."""

    def status_stats(self, business_unit_id: str, created_from: datetime, created_to: datetime) -> StatusStats:
        if created_to.month == 10 and created_to.day == 1:
            raise ApiUnavailable("down", correlation_id="corr-prev")
        return super().status_stats(business_unit_id, created_from, created_to)


def test_summary_without_the_previous_period_still_answers():
    reply = ask(make_desk(PreviousPeriodFails()), "summary for nordic-shoes.example in October")
    assert reply.kind is ReplyKind.SUMMARY
    assert reply.data["total"] == 100 and "previous" not in reply.data
    assert reply.notices[0] == "The comparison with the previous period is missing: its figures could not be fetched."
    assert any("corr-prev" in notice for notice in reply.notices)
    assert not any(s.heading and s.heading.startswith("Compared with") for s in reply.sections)


def test_summary_without_examples_when_sampling_fails():
    source = failing("sample_invitations", ApiUnavailable("down"))
    reply = ask(make_desk(source), "summary for nordic-shoes.example in October")
    assert reply.kind is ReplyKind.SUMMARY and reply.data["total"] == 100
    assert not any(s.heading == "Examples" for s in reply.sections)
    assert len(source.called("sample_invitations")) == 1  # gives up after the first failure


def test_summary_of_an_unknown_account_id():
    desk = make_desk()
    reply = ask(desk, "summary for business unit 0000000000000000000000aa in October")
    assert reply.kind is ReplyKind.NOT_FOUND
    assert reply.title == "No account with the id 0000000000000000000000aa was found."
    assert reply.data["error"] == "unknown_business_unit"


def test_internal_errors_are_not_swallowed_as_api_errors():
    class Broken(FakeInvitations):
        def get_invitation(self, invitation_id, business_unit_id=None):
            raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        # The assistant logs and apologises for these; the desk must not disguise them as API trouble.
        ask(make_desk(Broken()), f"status {ANNA_SPF}")

