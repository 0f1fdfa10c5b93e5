"""With a Bot Framework token, replies go only to the host the token names (the answer store's tests: tests/core)."""

from __future__ import annotations

from microsoft_agents.hosting.core.authorization import ClaimsIdentity

from bot.teams.server import TeamsServer


def server(anonymous: bool) -> TeamsServer:
    return TeamsServer(adapter=None, agent=None, seen=None, auth_configuration=None,  # type: ignore[arg-type]
                       anonymous=anonymous, turns=None)  # type: ignore[arg-type]


def test_with_a_token_replies_go_only_to_the_host_the_token_names():
    claims = ClaimsIdentity({"serviceurl": "https://smba.trafficmanager.net/emea/"}, True)
    checked = server(anonymous=False)
    assert checked._service_url_matches(claims, "https://SMBA.trafficmanager.net/emea/")
    assert not checked._service_url_matches(claims, "https://attacker.example/emea/")
    # A token that names no host cannot send the bot anywhere (tests/security/teams/test_attack_teams_service_url.py).
    assert not checked._service_url_matches(ClaimsIdentity({}, True), "https://smba.trafficmanager.net/amer/")
    assert server(anonymous=True)._service_url_matches(claims, "http://127.0.0.1:9/")
