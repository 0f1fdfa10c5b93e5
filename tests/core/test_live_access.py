"""Who may see which account's live data, refusals that reveal nothing, and masking in shared channels."""

from __future__ import annotations

from dataclasses import replace

import pytest
from live_fakes import (
    ANNA_SPF,
    BOTH,
    MISSING,
    NORDIC,
    OTHER,
    OTHER_INV,
    FakeInvitations,
    ask,
    make_desk,
    merchant,
    staff,
)

from bot.core.models import ReplyKind
from bot.render.text import render_text


def same_answer(a, b) -> bool:
    """Two replies equal in everything the asker sees or a program reads (the echoed question aside)."""
    return replace(a, question="") == replace(b, question="")


def test_outside_asker_sees_an_invitation_of_the_bound_account_masked():
    source = FakeInvitations()
    reply = ask(make_desk(source), f"status {ANNA_SPF}", asker=merchant())
    assert reply.kind is ReplyKind.LOOKUP and reply.status == "spf_failure"
    # Never the support-scope endpoint for an outsider: only the bound account's.
    assert source.called("get_invitation") == [(ANNA_SPF, NORDIC)]
    text = render_text(reply)
    assert "anna@example.se" not in text and "Anna Svensson" not in text
    assert "Recipient: A*** S*** <a***@example.se>" in text
    assert reply.data["invitation"]["recipient"]["email"] == "a***@example.se"
    assert reply.data["invitation"]["recipient"]["name"] == "A*** S***"


def test_refusal_is_identical_whether_or_not_the_invitation_exists():
    desk = make_desk()
    other_account = ask(desk, f"status {OTHER_INV}", asker=merchant())
    missing = ask(desk, f"status {MISSING}", asker=merchant())
    assert same_answer(other_account, missing)
    assert other_account.kind is ReplyKind.NOT_FOUND
    assert OTHER_INV not in render_text(other_account)
    assert other_account.data == {"invitation": None, "status": None, "known": False, "found": False,
                                  "language": "en"}


def test_refusal_is_identical_for_unbound_and_unknown_accounts():
    source = FakeInvitations()
    desk = make_desk(source)
    unbound = ask(desk, f"status {OTHER_INV} at other-shop.example", asker=merchant())
    unknown = ask(desk, f"status {OTHER_INV} at no-such-shop.example", asker=merchant())
    by_id = ask(desk, f"status {OTHER_INV} business unit {OTHER}", asker=merchant())
    assert unbound.kind is ReplyKind.REFUSAL
    assert same_answer(unbound, unknown) and same_answer(unbound, by_id)
    # The invitation itself was never fetched from an account the asker may not see.
    assert source.called("get_invitation") == []


def test_refusal_tells_what_to_do_instead_in_both_languages():
    desk = make_desk()
    english = render_text(ask(desk, f"status {MISSING}", asker=merchant()))
    assert "account manager" in english and "status means" in english and "bound to your account" in english
    swedish = render_text(ask(desk, f"status {MISSING}", asker=merchant(), language="sv"))
    assert "kundansvarige" in swedish and "kopplad till ditt konto" in swedish


@pytest.mark.parametrize(
    "asker",
    [merchant(channel="D0DIRECT", dm=True), merchant(channel="C07UNBOUND"), merchant(channel=None)],
    ids=["direct message", "unbound channel", "no channel"],
)
@pytest.mark.parametrize(
    "text",
    [
        f"status {ANNA_SPF}",
        "referens ORDER-10023 hos nordic-shoes.example",
        "anna@example.se",
        "summary for nordic-shoes.example last week",
    ],
)
def test_nothing_live_outside_a_bound_channel(asker, text):
    source = FakeInvitations()
    reply = ask(make_desk(source), text, asker=asker)
    assert reply.kind is ReplyKind.REFUSAL
    assert source.calls == []
    assert "anna" not in render_text(reply).lower()


def test_outside_asker_searches_the_bound_account_without_naming_it():
    source = FakeInvitations()
    reply = ask(make_desk(source), "referens ORDER-10023", asker=merchant())
    assert reply.status == "spf_failure"
    assert source.called("find_invitations") == [(NORDIC, "ORDER-10023", None)]


def test_outside_asker_email_search_is_masked_even_in_the_title():
    reply = ask(make_desk(), "kolla anna@example.se hos nordic-shoes.example", asker=merchant())
    assert reply.title == "2 invitations found for a***@example.se"
    assert "anna@" not in render_text(reply)
    assert all(inv["recipient"]["email"] == "a***@example.se" for inv in reply.data["invitations"])


def test_outside_search_in_an_unbound_account_is_refused():
    source = FakeInvitations()
    reply = ask(make_desk(source), "referens OS-1 hos other-shop.example", asker=merchant())
    assert reply.kind is ReplyKind.REFUSAL
    assert source.called("find_invitations") == []


def test_outside_search_with_no_hits_gets_the_refusal_text():
    desk = make_desk()
    missing = ask(desk, "referens ORDER-55555", asker=merchant())
    assert missing.kind is ReplyKind.NOT_FOUND
    assert missing.title == ask(desk, f"status {MISSING}", asker=merchant()).title


def test_channel_with_two_accounts_searches_both():
    source = FakeInvitations()
    reply = ask(make_desk(source), f"status {OTHER_INV}", asker=merchant(channel=BOTH))
    assert reply.status == "spf_failure"
    assert {args[1] for args in source.called("get_invitation")} <= {NORDIC, OTHER}


def test_staff_may_look_up_any_account_unmasked_in_their_own_channel():
    reply = ask(make_desk(), f"status {OTHER_INV}", asker=staff())
    assert reply.kind is ReplyKind.LOOKUP
    assert "olle@example.se" in render_text(reply)


def test_staff_in_a_shared_channel_see_masked_data():
    reply = ask(make_desk(), f"status {ANNA_SPF}", asker=staff(channel="C05SHARED1", shared=True))
    text = render_text(reply)
    assert "anna@example.se" not in text and "a***@example.se" in text


def test_outside_summary_of_the_bound_account_and_refusal_for_another():
    desk = make_desk()
    own = ask(desk, "summary for nordic-shoes.example in October", asker=merchant())
    assert own.kind is ReplyKind.SUMMARY and own.data["businessUnitId"] == NORDIC
    other = ask(desk, "summary for other-shop.example in October", asker=merchant())
    unknown = ask(desk, "summary for no-such-shop.example in October", asker=merchant())
    assert other.kind is ReplyKind.REFUSAL and same_answer(other, unknown)


def test_outside_summary_without_an_account_uses_the_bound_one():
    reply = ask(make_desk(), "sammanfattning för oktober", asker=merchant(), language="sv")
    assert reply.kind is ReplyKind.SUMMARY and reply.data["businessUnitId"] == NORDIC


def test_outside_summary_in_a_channel_with_two_accounts_asks_which():
    source = FakeInvitations()
    reply = ask(make_desk(source), "summary for October", asker=merchant(channel=BOTH))
    assert reply.kind is ReplyKind.ERROR and reply.data["error"] == "business_unit_needed"
    assert set(reply.sections[0].items) == {NORDIC, OTHER}
    assert source.called("status_stats") == []


def test_outside_summary_examples_are_masked():
    reply = ask(make_desk(), "summary for nordic-shoes.example in October", asker=merchant())
    examples = next(s for s in reply.sections if s.heading == "Examples")
    assert examples.items and all("***@example.com" in item for item in examples.items)


class IgnoresTheUnit(FakeInvitations):
    """An API that answers a lookup in one account with another account's invitation."""

    def get_invitation(self, invitation_id, business_unit_id=None):
        return super().get_invitation(invitation_id)


def test_an_invitation_of_an_unbound_account_is_refused_even_when_the_api_returns_it():
    reply = ask(make_desk(IgnoresTheUnit()), f"status {OTHER_INV}", asker=merchant())
    assert reply.kind is ReplyKind.REFUSAL
    assert "olle" not in render_text(reply).lower()
    # Staff may see any account: the same answer is shown to them.
    assert ask(make_desk(IgnoresTheUnit()), f"status {OTHER_INV}", asker=staff()).kind is ReplyKind.LOOKUP
