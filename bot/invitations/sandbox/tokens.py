"""The sandbox's credentials and the access tokens it has issued."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

from bot.invitations.ratelimit import Clock
from bot.invitations.sandbox.accounts import (
    API_KEY,
    API_SECRET,
    MERCHANT_API_KEY,
    MERCHANT_API_SECRET,
    NORDIC_SHOES_ID,
)


@dataclass(frozen=True)
class Grant:
    api_key: str
    # Support scope: may read any invitation through /v1/private/invitations/{id}.
    support: bool
    # None: every business unit.
    business_units: frozenset[str] | None = None

    def may_see(self, business_unit_id: str) -> bool:
        return self.business_units is None or business_unit_id in self.business_units


CREDENTIALS: dict[str, tuple[str, Grant]] = {
    API_KEY: (API_SECRET, Grant(API_KEY, support=True)),
    MERCHANT_API_KEY: (MERCHANT_API_SECRET, Grant(MERCHANT_API_KEY, support=False,
                                                  business_units=frozenset({NORDIC_SHOES_ID}))),
}


class TokenStore:
    def __init__(self, lifetime_seconds: int, *, clock: Clock = time.monotonic) -> None:
        self.lifetime = lifetime_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens: dict[str, tuple[Grant, float]] = {}
        self.issued = 0

    def issue(self, grant: Grant) -> str:
        token = secrets.token_urlsafe(24)
        now = self._clock()
        with self._lock:
            # Forget expired tokens now and then, so a long-running sandbox does not grow.
            if len(self._tokens) > 1000:
                self._tokens = {t: v for t, v in self._tokens.items() if v[1] > now}
            self._tokens[token] = (grant, now + self.lifetime)
            self.issued += 1
        return token

    def grant_for(self, token: str) -> Grant | None:
        with self._lock:
            found = self._tokens.get(token)
        if found is None or found[1] <= self._clock():
            return None
        return found[0]

    def revoke_all(self) -> None:
        """Expire every token at once (tests of the client's refresh on 401)."""
        with self._lock:
            self._tokens.clear()
