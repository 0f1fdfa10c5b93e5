"""Look-alike statuses told apart by the detail people give without naming it (SPF, kickstart, sender)."""

from __future__ import annotations

import pytest

from bot.knowledge.loader import load_knowledge
from bot.matching.matcher import Matcher


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_knowledge())


@pytest.mark.parametrize(
    "text",
    [
        # DNS, TXT records and sender authorisation say SPF without the word.
        "your platform isn't an authorized sender for our company domain",
        "vi har krånglat med domänautentiseringen och nu stoppas inbjudningarna",
        "our email authentication setup rejects your mail service",
        "ni är inte auktoriserade att skicka e-post från vår domän",
        "enligt vår IT-avdelning godkänner domänens DNS inte era servrar",
        "the TXT entry at our DNS host seems to be wrong and the invites fail",
    ],
)
def test_spf_told_as_dns_authorisation(matcher, text):
    assert matcher.match(text).status == "spf_failure"


@pytest.mark.parametrize(
    "text",
    [
        # Approval of the address itself, with no word of DNS, stays with the sender address.
        "does support have to approve a from address on our second domain?",
        "måste supporten godkänna avsändaradressen på vår andra domän?",
    ],
)
def test_approving_the_address_itself_is_still_the_sender_address(matcher, text):
    assert matcher.match(text).status == "invalid_sender_address"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Kickstart invitations still unused (negated using-up words) were cut off by time: expired.
        ("we haven't used all the kickstart invites yet, so why were they cancelled?", "kickstart_expired"),
        ("kickstarten avbröts fast vi har massor kvar", "kickstart_expired"),
        ("vi har inte använt alla kickstart-inbjudningar, ändå stoppas de", "kickstart_expired"),
        # None left, or run out: used up.
        ("we ran out of kickstart invitations, can we buy more?", "kickstart_used_up"),
        ("det finns inga kickstart-inbjudningar kvar för oss", "kickstart_used_up"),
        ("we've used all our kickstart invites already", "kickstart_used_up"),
    ],
)
def test_kickstart_expired_or_used_up_read_with_its_negation(matcher, text, expected):
    assert matcher.match(text).status == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The name people see is the sender name; the from field holds the sender address.
        ("the name shown as sender on our invites is rejected", "invalid_sender_name"),
        ("vilket namn som visas som avsändare får vi använda? det stoppas nu", "invalid_sender_name"),
        ("i från-fältet står en adress som inte finns, därför stoppas allt", "invalid_sender_address"),
    ],
)
def test_sender_name_or_sender_address(matcher, text, expected):
    assert matcher.match(text).status == expected


def test_a_broken_from_field_is_no_recipient_address(matcher):
    match = matcher.match("the from field holds something that isn't a proper email address")
    assert (match.status or match.alternatives[0]) == "invalid_sender_address"
