"""Test doubles for the invitations client: a fake clock and scripted HTTP answers."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from bot.invitations.client import InvitationsClient

BASE = "https://api.test"
TOKEN_PATH = "/v1/oauth/oauth-business-users-for-applications/accesstoken"
BU = "64a0c1d2e3f4a5b6c7d8e9f0"
INV = "5f1e9c2a7b3d4e5f6a7b8c9d"
# A fixed moment for the sandbox's demo data, so tests do not depend on today's date.
DEMO_NOW = datetime(2026, 11, 27, 14, 30, tzinfo=UTC)


class FakeClock:
    """A monotonic clock that only moves when something sleeps (or a test advances it)."""

    def __init__(self, start: float = 1_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


def invitation_json(**fields: object) -> dict[str, object]:
    raw: dict[str, object] = {
        "id": INV,
        "businessUnitId": BU,
        "referenceNumber": "ORDER-10023",
        "recipient": {"email": "anna@example.se", "name": "Anna Svensson"},
        "status": "spf_failure",
        "createdAt": "2026-11-20T08:00:00Z",
    }
    raw.update(fields)
    return raw


def json_response(status: int, payload: object, **headers: str) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(payload).encode(),
                          headers={"Content-Type": "application/json", **headers})


def token_response(token: str = "t1", expires_in: object = "3600") -> httpx.Response:
    return json_response(200, {"access_token": token, "token_type": "Bearer", "expires_in": expires_in})


class ScriptedApi:
    """A MockTransport handler: token requests get fresh tokens, other requests the scripted answers in order.

    Every request is recorded with the fake clock's time, so tests can assert exact sequences.
    """

    def __init__(self, *answers: httpx.Response | Callable[[httpx.Request], httpx.Response],
                 clock: FakeClock | None = None) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.times: list[float] = []
        self.tokens_issued = 0
        self.clock = clock
        self.token_answer: Callable[[httpx.Request], httpx.Response] | None = None
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        # A copy: the auth flow reuses the request object when it retries with a new token.
        snapshot = httpx.Request(request.method, request.url, headers=request.headers.copy(), content=request.read())
        with self._lock:
            self.requests.append(snapshot)
            self.times.append(self.clock() if self.clock else 0.0)
            if request.url.path == TOKEN_PATH:
                self.tokens_issued += 1
                issued = self.tokens_issued
            else:
                issued = 0
                if not self.answers:
                    raise AssertionError(f"unexpected request {request.method} {request.url}")
                answer = self.answers.pop(0)
        if issued:
            return self.token_answer(request) if self.token_answer else token_response(f"t{issued}")
        return answer(request) if callable(answer) else answer

    @property
    def api_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path != TOKEN_PATH]


def make_client(
    api: Callable[[httpx.Request], httpx.Response], clock: FakeClock, **options: object
) -> InvitationsClient:
    settings: dict[str, object] = {"transport": httpx.MockTransport(api), "clock": clock, "sleep": clock.sleep}
    settings.update(options)
    return InvitationsClient(BASE, "key", "secret", **settings)  # type: ignore[arg-type]
