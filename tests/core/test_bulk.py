"""Several invitation ids pasted at once: every one fetched, tallied by status, failures explained."""

from __future__ import annotations

import logging

from live_fakes import (
    ANNA_SPF,
    MISSING,
    NORDIC,
    OTHER_INV,
    QUEUED_INV,
    UNKNOWN_CODE_INV,
    FakeInvitations,
    ask,
    make_desk,
    merchant,
    staff,
)

from bot.core.entities import MAX_BULK, BulkLookup, InvitationLookup, parse_live_request
from bot.core.models import ReplyKind
from bot.invitations.errors import ApiUnavailable, MalformedResponse
from bot.render.text import render_text


def test_several_ids_make_one_bulk_check_without_duplicates():
    request = parse_live_request(f"kolla {ANNA_SPF}, {QUEUED_INV}\n{ANNA_SPF}")
    assert request == BulkLookup((ANNA_SPF, QUEUED_INV))
    assert isinstance(parse_live_request(f"status {ANNA_SPF}"), InvitationLookup)
    many = " ".join(f"{n:024x}" for n in range(MAX_BULK + 7))
    big = parse_live_request(many)
    assert isinstance(big, BulkLookup)
    assert len(big.invitation_ids) == MAX_BULK and big.left_out == 7


def test_staff_bulk_check_tallies_statuses_and_lists_the_missing(caplog):
    source = FakeInvitations()
    seen: list[tuple[int, int]] = []
    desk = make_desk(source)
    request = parse_live_request(f"{ANNA_SPF} {QUEUED_INV} {UNKNOWN_CODE_INV} {MISSING}")
    from bot.core.models import Question

    with caplog.at_level(logging.WARNING, logger="bot.knowledge_gaps"):
        reply = desk.answer(request, Question(text="...", asker=staff()), "en",
                            progress=lambda done, total: seen.append((done, total)))
    assert reply.kind is ReplyKind.LOOKUP
    assert reply.data["checked"] == 4
    assert reply.data["byStatus"] == {"spf_failure": 1, "queued": 1, "delivery_deferred": 1}
    assert reply.data["notFound"] == [MISSING]
    # Known failures are explained first; the unknown code is shown raw and recorded as a gap.
    assert reply.status == "spf_failure"
    text = render_text(reply)
    assert "Add include:trustpilotservice.com" in text and "delivery_deferred" in text
    assert "delivery_deferred" in caplog.text
    assert sorted(seen) == [(n, 4) for n in range(1, 5)]
    assert sorted(args[0] for args in source.called("get_invitation")) == sorted(
        [ANNA_SPF, QUEUED_INV, UNKNOWN_CODE_INV, MISSING])


def test_merchant_bulk_check_sees_only_the_bound_account_and_learns_nothing_more():
    source = FakeInvitations()
    reply = ask(make_desk(source), f"{ANNA_SPF} {OTHER_INV}", asker=merchant())
    # Only business-unit scoped lookups in the channel's own account.
    assert {args[1] for args in source.called("get_invitation")} == {NORDIC}
    assert reply.data["notFound"] == [OTHER_INV]
    other_exists = render_text(reply)
    absent = ask(make_desk(FakeInvitations()), f"{ANNA_SPF} {MISSING}", asker=merchant())
    assert other_exists.replace(OTHER_INV, "X") == render_text(absent).replace(MISSING, "X")


def test_merchant_in_a_dm_gets_a_refusal():
    reply = ask(make_desk(), f"{ANNA_SPF} {QUEUED_INV}", asker=merchant(dm=True))
    assert reply.kind is ReplyKind.REFUSAL


def test_an_api_that_is_down_stops_the_check_early_with_a_notice():
    source = FakeInvitations(failures={"get_invitation": ApiUnavailable("down", correlation_id="c-77")})
    ids = " ".join(f"{n:024x}" for n in range(1, 41))
    reply = ask(make_desk(source), ids)
    assert reply.kind is ReplyKind.ERROR
    assert "c-77" in render_text(reply)
    # Workers already under way may try, but the remaining ids are not sent to a dead API.
    assert len(source.called("get_invitation")) < 40


class FlakyForOne(FakeInvitations):
    def get_invitation(self, invitation_id, business_unit_id=None):
        if invitation_id == QUEUED_INV:
            raise MalformedResponse("garbage for this one")
        return super().get_invitation(invitation_id, business_unit_id)


def test_one_failed_lookup_is_named_and_the_rest_still_answered():
    reply = ask(make_desk(FlakyForOne()), f"{ANNA_SPF} {QUEUED_INV}")
    assert reply.kind is ReplyKind.LOOKUP
    assert reply.data["failed"] == [QUEUED_INV]
    assert reply.data["byStatus"] == {"spf_failure": 1}
    assert any("could not be fetched" in notice for notice in reply.notices)
