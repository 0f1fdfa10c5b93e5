"""Attack on the Teams endpoint with a client id: an activity whose serviceUrl points at the attacker's own host.
The bot sends its replies there with its own Bot Connector token attached, and asks that host who the sender is
(staff or not). The Bot Framework names the true host in the token's `serviceurl` claim; a token without that
claim (one Microsoft Entra ID issues to any app or person of our tenant for the bot's app id, which the SDK
accepts) let the activity name any host it liked. With a client id, the claim is now required and must match.

The tokens here are signed with a key of the test's making, put where the SDK's token check looks keys up, so
the app's real check runs (signature, audience, issuer routing) without the network."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import jwt
import pytest
from connectorstub import OUR_TENANT, personal_message
from cryptography.hazmat.primitives.asymmetric import rsa
from microsoft_agents.hosting.core.authorization.jwt.jwt_token_validator import (
    JwtTokenValidator,
    _JwkClientCacheEntry,
)

from bot.config import TEAMS_PREFIX, Settings, TeamsSettings

APP_ID = "0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5"
BOT_FRAMEWORK = "https://api.botframework.com"
ENTRA = f"https://sts.windows.net/{OUR_TENANT}/"
KEYS = {
    BOT_FRAMEWORK: "https://login.botframework.com/v1/.well-known/keys",
    ENTRA: f"https://login.microsoftonline.com/{OUR_TENANT}/discovery/v2.0/keys",
}
KID = "attack-test-key"
ATTACKER = "https://attacker.example/teams/"


class _LocalKeys:
    def __init__(self, key: jwt.PyJWK) -> None:
        self.key = key

    def get_signing_key(self, kid: str) -> jwt.PyJWK:
        assert kid == KID
        return self.key


@pytest.fixture
def private_key() -> Iterator[rsa.RSAPrivateKey]:
    """A signing key the SDK's token check finds for both issuers, as it would find Microsoft's."""
    import threading

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    found = jwt.PyJWK({**public, "kid": KID, "alg": "RS256", "use": "sig"})
    cache = JwtTokenValidator._jwk_client_manager._cache
    saved = {uri: cache.get(uri) for uri in KEYS.values()}
    for uri in KEYS.values():
        cache[uri] = _JwkClientCacheEntry(_LocalKeys(found), threading.Lock())  # type: ignore[arg-type]
    yield key
    for uri, entry in saved.items():
        if entry is None:
            cache.pop(uri, None)
        else:
            cache[uri] = entry


def token(key: rsa.RSAPrivateKey, issuer: str, **claims: str) -> str:
    now = int(time.time())
    body = {"iss": issuer, "aud": APP_ID, "iat": now, "nbf": now, "exp": now + 600, **claims}
    if issuer == ENTRA:
        body.setdefault("tid", OUR_TENANT)
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": KID})


@pytest.fixture
def guarded(make_teams):
    """The Teams app with a client id: every request needs a valid Bot Framework token."""
    environment = ((TEAMS_PREFIX + "CLIENTID", APP_ID), (TEAMS_PREFIX + "CLIENTSECRET", "not-used-here"),
                   (TEAMS_PREFIX + "TENANTID", OUR_TENANT))
    return make_teams(Settings(language="en", teams=TeamsSettings(client_id=APP_ID, tenant_id=OUR_TENANT,
                                                                  answer_threads=2,
                                                                  sdk_environment=environment)))


def typing_from(service_url: str) -> dict:
    """An activity the bot takes but does not answer: only the door is tested, nothing goes out."""
    return {**personal_message(service_url, "hej"), "type": "typing"}


def test_a_token_that_names_the_host_lets_the_activity_in(guarded, private_key):
    real = "https://smba.trafficmanager.net/emea/"
    response = guarded.post(typing_from(real), token=token(private_key, BOT_FRAMEWORK, serviceurl=real))
    assert response.status == 202


def test_a_token_for_another_host_is_refused(guarded, private_key):
    real = "https://smba.trafficmanager.net/emea/"
    response = guarded.post(typing_from(ATTACKER), token=token(private_key, BOT_FRAMEWORK, serviceurl=real))
    assert response.status == 401


@pytest.mark.parametrize("issuer", [BOT_FRAMEWORK, ENTRA], ids=["bot framework", "entra id of our tenant"])
def test_a_token_without_a_service_url_cannot_send_the_bot_to_another_host(guarded, private_key, issuer):
    response = guarded.post(typing_from(ATTACKER), token=token(private_key, issuer))
    assert response.status == 401
