"""Live lookups by invitation id, reference number and email, explained from the knowledge base."""

from __future__ import annotations

import logging

from live_fakes import (
    ANNA_OLD,
    ANNA_SPF,
    MISSING,
    NORDIC,
    NOW,
    QUEUED_INV,
    UNKNOWN_CODE_INV,
    FakeInvitations,
    ask,
    make_desk,
    staff,
    tiny_kb,
)

from bot.core.entities import BadIdRequest, InvitationLookup
from bot.core.models import Question, ReplyKind
from bot.i18n.catalog import gettext_for
from bot.i18n.formats import format_when
from bot.render.text import render_text


def items_of(reply, heading: str) -> tuple[str, ...]:
    for section in reply.sections:
        if section.heading == heading:
            return section.items
    raise AssertionError(f"no section {heading!r} in {[s.heading for s in reply.sections]}")


def test_bare_id_uses_the_support_scope_and_explains_the_status():
    source = FakeInvitations()
    reply = ask(make_desk(source), f"status {ANNA_SPF}")
    assert source.called("get_invitation") == [(ANNA_SPF, None)]
    assert reply.kind is ReplyKind.LOOKUP
    assert reply.status == "spf_failure"
    assert reply.title == f"Invitation {ANNA_SPF}: Not delivered - SPF failure"
    details = items_of(reply, "This invitation")
    assert "Status: Not delivered - SPF failure" in details
    assert "Message from the mail server: 550 5.7.23 SPF validation failed" in details
    assert "Reference number: ORDER-10023" in details
    assert "Recipient: Anna Svensson <anna@example.se>" in details
    assert "Type: service review invitation, sent via Automatic Feedback Service (AFS)" in details
    invitation = source.get_invitation(ANNA_SPF)
    assert invitation is not None and invitation.created_at and invitation.scheduled_at
    assert f"Created: {format_when(invitation.created_at, 'en')}" in details
    assert f"Scheduled for: {format_when(invitation.scheduled_at, 'en')}" in details
    assert "Sent: no" in details
    text = render_text(reply)
    # The knowledge-base part follows the invitation's own details.
    assert "Meaning of Not delivered - SPF failure." in text
    assert "Add include:trustpilotservice.com to the SPF record." in text
    assert text.index("This invitation") < text.index("What it means")


def test_lookup_json_shape():
    reply = ask(make_desk(), f"status {ANNA_SPF}")
    data = reply.data
    assert data["status"] == "spf_failure" and data["known"] is True and data["found"] is True
    assert data["language"] == "en"
    invitation = data["invitation"]
    assert invitation["id"] == ANNA_SPF
    assert invitation["businessUnitId"] == NORDIC
    assert invitation["referenceNumber"] == "ORDER-10023"
    assert invitation["recipient"]["email"] == "anna@example.se"
    assert invitation["createdAt"] == "2026-11-20T08:00:00Z"


def test_lookup_in_swedish_uses_swedish_labels_and_formats():
    reply = ask(make_desk(), f"status för {ANNA_SPF}", language="sv")
    sv = gettext_for("sv")
    assert reply.language == "sv"
    assert reply.title == f"Inbjudan {ANNA_SPF}: Ej levererad – SPF-fel"
    details = items_of(reply, "Den här inbjudan")
    assert "Referensnummer: ORDER-10023" in details
    assert "Skickad: nej" in details
    created = format_when(NOW.replace(month=11, day=20, hour=8, minute=0), "sv")
    assert f"Skapad: {created}" in details
    assert "nov." in created and created != format_when(NOW.replace(day=20, hour=8, minute=0), "en")
    text = render_text(reply)
    assert sv("What it means") in text and "What it means" not in text
    assert "Betydelse av Ej levererad – SPF-fel." in text


def test_scheduled_invitation_not_yet_sent():
    reply = ask(make_desk(), f"status {QUEUED_INV}")
    assert reply.status == "queued"
    assert "Sent: not yet; it is scheduled for later." in items_of(reply, "This invitation")
    assert "Type: reminder, sent via API" in items_of(reply, "This invitation")


def test_not_found_for_staff():
    reply = ask(make_desk(), f"status {MISSING}")
    assert reply.kind is ReplyKind.NOT_FOUND
    assert MISSING in reply.title
    assert reply.data["status"] is None and reply.data["found"] is False


def test_not_found_within_a_named_business_unit():
    source = FakeInvitations()
    reply = ask(make_desk(source), f"status {ANNA_SPF} hos other-shop.example")
    assert reply.kind is ReplyKind.NOT_FOUND
    assert source.called("get_invitation")[-1] == (ANNA_SPF, "5d3f2a1b0c9e8d7f6a5b4c3d")


def test_named_business_unit_is_resolved_and_used():
    source = FakeInvitations()
    reply = ask(make_desk(source), f"status {ANNA_SPF} at nordic-shoes.example")
    assert reply.status == "spf_failure"
    assert source.called("find_business_unit") == [("nordic-shoes.example",)]
    assert source.called("get_invitation") == [(ANNA_SPF, NORDIC)]


def test_unknown_domain_is_named():
    reply = ask(make_desk(), f"status {ANNA_SPF} at no-such-shop.example")
    assert reply.kind is ReplyKind.NOT_FOUND
    assert reply.title == "No account with the domain no-such-shop.example was found."
    assert reply.data["error"] == "unknown_business_unit"


def test_unknown_status_code_shows_the_code_and_records_a_gap(caplog):
    caplog.set_level(logging.WARNING, logger="bot.knowledge_gaps")
    reply = ask(make_desk(), f"status {UNKNOWN_CODE_INV}")
    assert reply.kind is ReplyKind.LOOKUP
    assert reply.status == "delivery_deferred"
    assert "delivery_deferred" in reply.title
    assert reply.data["known"] is False and reply.data["status"] == "delivery_deferred"
    assert "not in the knowledge base" in render_text(reply)
    gaps = [r for r in caplog.records if r.name == "bot.knowledge_gaps"]
    assert gaps and gaps[0].levelno == logging.WARNING and "delivery_deferred" in gaps[0].getMessage()


def test_email_lookup_lists_every_invitation_and_explains_each_status_once():
    source = FakeInvitations()
    reply = ask(make_desk(source), "kolla <mailto:anna@example.se|anna@example.se> hos nordic-shoes.example")
    assert source.called("find_invitations") == [(NORDIC, None, "anna@example.se")]
    assert reply.kind is ReplyKind.LOOKUP
    assert reply.title == "2 invitations found for anna@example.se"
    listed = items_of(reply, "Invitations found, newest first")
    assert len(listed) == 2
    assert ANNA_SPF in listed[0] and ANNA_OLD in listed[1]  # newest first
    assert reply.status == "spf_failure"
    headings = [s.heading for s in reply.sections]
    assert headings.count("About the status Not delivered - SPF failure") == 1
    assert headings.count("About the status Delivered") == 1
    assert [inv["id"] for inv in reply.data["invitations"]] == [ANNA_SPF, ANNA_OLD]
    assert reply.data["query"] == {"email": "anna@example.se"}


def test_reference_with_repeated_status_is_explained_once():
    reply = ask(make_desk(), "referens ORDER-10050 hos nordic-shoes.example")
    assert reply.title == "3 invitations found for ORDER-10050"
    abouts = [s.heading for s in reply.sections if s.heading and s.heading.startswith("About the status")]
    assert abouts == ["About the status Queued", "About the status Not delivered - Invalid recipient"]
    assert reply.status == "queued"


def test_reference_with_one_invitation_is_a_plain_lookup():
    reply = ask(make_desk(), "order ORDER-10023 at nordic-shoes.example")
    assert reply.title == f"Invitation {ANNA_SPF}: Not delivered - SPF failure"
    assert reply.data["query"] == {"referenceNumber": "ORDER-10023"}
    assert reply.data["invitation"]["id"] == ANNA_SPF


def test_reference_not_found_for_staff():
    reply = ask(make_desk(), "referens ORDER-99999 hos nordic-shoes.example", language="sv")
    assert reply.kind is ReplyKind.NOT_FOUND
    assert reply.title == (
        "Inga inbjudningar med referensnumret ORDER-99999 hittades hos Nordic Shoes (nordic-shoes.example)."
    )


def test_email_without_business_unit_asks_for_it_without_calling_the_api():
    source = FakeInvitations()
    reply = ask(make_desk(source), "anna@example.se", language="sv")
    assert reply.kind is ReplyKind.ERROR
    assert reply.data["error"] == "business_unit_needed"
    assert reply.title == "Vilket konto ska jag söka i?"
    assert "domän" in render_text(reply)
    assert source.calls == []


def test_reference_without_business_unit_asks_for_it_in_english():
    reply = ask(make_desk(), "referens ORDER-10023", language="en")
    assert reply.title == "Which account should I search?"


def test_malformed_id_gets_a_clear_message_and_no_api_call():
    source = FakeInvitations()
    reply = ask(make_desk(source), "status 5f1e9c2a7b3d4e5f6a7b8c9", language="sv")
    assert reply.kind is ReplyKind.ERROR
    assert reply.data["error"] == "invalid_id"
    assert reply.title == "5f1e9c2a7b3d4e5f6a7b8c9 är inte ett giltigt inbjudnings-id."
    assert "24 tecken" in render_text(reply)
    assert source.calls == []


def test_invalid_id_raised_by_the_client_becomes_the_same_message():
    desk = make_desk()
    reply = desk.answer(InvitationLookup("5F1E9C2A7B3D4E5F6A7B8C9D"), Question(text="x", asker=staff()), "en")
    assert reply.kind is ReplyKind.ERROR and reply.data["error"] == "invalid_id"
    assert reply.title == desk.answer(BadIdRequest("5F1E9C2A7B3D4E5F6A7B8C9D"), Question(text="x"), "en").title


def test_every_kb_entry_can_be_explained_live():
    kb = tiny_kb()
    source = FakeInvitations()
    desk = make_desk(source, kb)
    for entry in kb:
        source.invitations.append(
            source.invitations[0].__class__(id=f"{0xC000 + len(source.invitations):024x}",
                                            business_unit_id=NORDIC, status=entry.id)
        )
        reply = ask(desk, f"status {source.invitations[-1].id}", language="sv")
        assert reply.status == entry.id and reply.data["known"] is True
        assert entry.label.sv in reply.title
