"""Look-alike statuses told apart by the fact the status article gives for each: the one whose fact a message
states wins, one whose fact it denies loses, and a question states no fact. Written apart from the realistic sets."""

from __future__ import annotations

import pytest

from bot.matching.matcher import Matcher


@pytest.fixture(scope="module")
def matcher(kb):
    return Matcher(kb)


@pytest.mark.parametrize(
    "text, status",
    [
        # A reference number used before: for the same customer, or for someone else.
        ("the reference number was already used for a completely different person, so it stopped",
         "wrong_reference_number"),
        ("vi skickade igen till samma kund med samma referensnummer och den stoppades", "already_invited"),
        # Kickstart: the time ran out, or the invitations did.
        ("we still have lots of kickstart invitations left but the account is a year old now", "kickstart_expired"),
        ("vi har skickat alla kickstart-inbjudningar vi fick, nu stoppas resten", "kickstart_used_up"),
        # The template: deleted, or the plan no longer allows a custom one.
        ("we didn't delete any template, but custom templates aren't part of our plan any more",
         "no_custom_template"),
        ("vi har kvar Enhance, men någon raderade mallen som inbjudningarna använde", "no_template"),
        # Placeholders: one left out, or one written wrong.
        ("nothing is missing from the template, we just wrote the name placeholder in the wrong brackets",
         "placeholder_error"),
        # The recipient's server: a known problem, or it refused the message.
        ("kundens mejlserver vägrade ta emot inbjudan när vi skickade", "message_rejected"),
        # A cleft sentence denies too: "det är inte tiden som gått ut".
        ("alla våra kickstart-inbjudningar är skickade, det är inte tiden som har gått ut", "kickstart_used_up"),
        # Time left counts against the time running out.
        ("there is still time left in our kickstart period, but we have sent as many kickstart invites as we may",
         "kickstart_used_up"),
        # What a clause says is allowed is not the problem.
        ("a custom sender is allowed on our plan, but the SPF record lacks trustpilotservice.com", "spf_failure"),
    ],
)
def test_the_fact_stated_decides_between_look_alikes(matcher, text, status):
    match = matcher.match(text)
    assert match.status == status, match


def test_a_question_states_no_fact(matcher):
    # "Will it be retried later?" asks; the bounce told before it decides.
    match = matcher.match("The customer's server refused the invite outright. Will it be retried later?")
    assert match.status == "message_rejected", match
