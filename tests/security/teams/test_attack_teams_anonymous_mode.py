"""Attack on Teams in anonymous development mode (no client id), which the start-up warning calls fine for a
tunnel: without a token, an activity's serviceUrl is wherever the sender says. Pointed at the sender's own
server, it received the answers, and the member lookup that decides who is staff went there too, so the sender
made themselves staff and read any merchant's invitations. In anonymous mode the bot now talks only to a Bot
Connector on this machine (the Agents Playground's), so a tunnel exposes nothing: an activity naming any other
host is refused before anything is sent."""

from __future__ import annotations

import json
import socket

import pytest
from connectorstub import MERCHANT, MERCHANT_TENANT, OUR_TENANT, StubConnector, member, personal_message

from bot.invitations.sandbox import BRIGHT_LAMPS_ID

LOOKUP = "status 01188f639aae8f1da0f15423"


@pytest.mark.parametrize("elsewhere", ["https://attacker.example/teams/", "http://192.0.2.10:3978/",
                                       "http://127.0.0.1.attacker.example/", "http://localhost@attacker.example/"])
def test_an_anonymous_activity_cannot_send_the_bot_to_another_host(teams, stub, elsewhere):
    activity = personal_message(elsewhere, LOOKUP, user=MERCHANT, tenant=MERCHANT_TENANT)
    response = teams.post(activity)
    assert teams.idle()
    assert 400 <= response.status < 500
    assert stub.calls == []


@pytest.mark.parametrize("local", ["http://127.0.0.1:{port}/emea/", "http://localhost:{port}/emea/"])
def test_the_playground_on_this_machine_is_still_answered(teams, stub, local):
    service_url = local.format(port=stub.service_url.split(":")[2].split("/")[0])
    assert teams.post(personal_message(service_url, "Ej levererad – SPF-fel")).status == 202
    assert teams.idle()
    assert len(stub.messages()) == 1


def _outward_address() -> str | None:
    """This machine's address on its outward interface (no packet is sent), None without one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


@pytest.fixture
def attacker():
    """The sender's own "Bot Connector", on an address other than loopback: it says the sender is our staff."""
    address = _outward_address()
    if address is None:
        pytest.skip("no network interface besides loopback to put the attacker's server on")
    server = StubConnector(host=address).start()
    server.members[MERCHANT] = member(MERCHANT, OUR_TENANT, name="Not Really Staff")
    yield server
    server.stop()


def test_a_sender_with_a_connector_of_their_own_does_not_become_staff(teams, stub, attacker, components):
    (other,) = components.source.client().find_invitations(BRIGHT_LAMPS_ID, reference_number="BL-700009")
    activity = personal_message(attacker.service_url, f"status {other.id}", user=MERCHANT, tenant=OUR_TENANT)
    response = teams.post(activity)
    assert teams.idle()
    leaked = json.dumps([call.body for call in attacker.calls], ensure_ascii=False)
    assert "BL-700009" not in leaked
    assert attacker.calls == [] and 400 <= response.status < 500
