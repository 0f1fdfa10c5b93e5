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
