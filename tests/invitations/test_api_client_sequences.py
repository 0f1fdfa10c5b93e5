"""Exact request sequences of the invitations client against scripted answers (httpx.MockTransport)."""

from __future__ import annotations

import base64
import random
import threading
from datetime import UTC, datetime

import httpx
import pytest
from api_doubles import (
    BU,
    INV,
    TOKEN_PATH,
    FakeClock,
    ScriptedApi,
    invitation_json,
    json_response,
    make_client,
    token_response,
)

from bot.invitations.errors import (
    ApiUnavailable,
    AuthenticationFailed,
    BadRequest,
    Forbidden,
    InvalidId,
    MalformedResponse,
    NotFound,
    RateLimited,
)
from bot.invitations.responses import retry_after_seconds

FROM = datetime(2026, 11, 1, tzinfo=UTC)
TO = datetime(2026, 11, 27, tzinfo=UTC)


def test_private_request_carries_apikey_and_bearer_and_token_request_uses_basic_auth(clock: FakeClock) -> None:
    api = ScriptedApi(json_response(200, invitation_json()))
    with make_client(api, clock) as client:
        invitation = client.get_invitation(INV)
    assert invitation is not None and invitation.reference_number == "ORDER-10023"
    token_request, lookup = api.requests
    assert token_request.method == "POST" and token_request.url.path == TOKEN_PATH
    assert token_request.headers["apikey"] == "key"
    assert token_request.headers["authorization"] == "Basic " + base64.b64encode(b"key:secret").decode()
    assert token_request.content == b"grant_type=client_credentials"
    assert lookup.url.path == f"/v1/private/invitations/{INV}"
    assert lookup.headers["apikey"] == "key"
    assert lookup.headers["authorization"] == "Bearer t1"


def test_business_unit_endpoint_used_when_a_unit_is_given(clock: FakeClock) -> None:
    api = ScriptedApi(json_response(200, invitation_json()))
    with make_client(api, clock) as client:
        client.get_invitation(INV, BU)
    assert api.api_requests[0].url.path == f"/v1/private/business-units/{BU}/invitations/{INV}"


def test_public_find_endpoint_has_apikey_but_no_token(clock: FakeClock) -> None:
    api = ScriptedApi(json_response(200, {"id": BU, "displayName": "Nordic Shoes",
                                          "name": {"identifying": "nordic-shoes.example"}}))
    with make_client(api, clock) as client:
        unit = client.find_business_unit(" Nordic-Shoes.example ")
    assert unit is not None and unit.id == BU and unit.domain == "nordic-shoes.example"
    (request,) = api.requests
    assert request.url.params["name"] == "nordic-shoes.example"
    assert request.headers["apikey"] == "key" and "authorization" not in request.headers
    assert api.tokens_issued == 0


def test_token_refresh_on_401_fetches_exactly_one_new_token_and_retries_once(clock: FakeClock) -> None:
    api = ScriptedApi(json_response(401, {"message": "expired", "errorCode": "invalid_token"}),
                      json_response(200, invitation_json()))
    with make_client(api, clock) as client:
        invitation = client.get_invitation(INV)
        assert client.token_fetches == 2
    assert invitation is not None
    paths = [r.url.path for r in api.requests]
    assert paths == [TOKEN_PATH, f"/v1/private/invitations/{INV}", TOKEN_PATH, f"/v1/private/invitations/{INV}"]
    assert [r.headers["authorization"] for r in api.api_requests] == ["Bearer t1", "Bearer t2"]
    assert clock.sleeps == []


def test_second_401_is_an_authentication_failure_without_more_attempts(clock: FakeClock) -> None:
    api = ScriptedApi(json_response(401, {"message": "no"}),
                      json_response(401, {"message": "no", "correlationId": "c-401"}))
    with make_client(api, clock) as client, pytest.raises(AuthenticationFailed) as caught:
        client.get_invitation(INV)
    assert caught.value.correlation_id == "c-401"
    assert api.tokens_issued == 2 and len(api.api_requests) == 2


def test_wrong_key_or_secret_is_an_authentication_failure(clock: FakeClock) -> None:
    api = ScriptedApi()
    api.token_answer = lambda request: json_response(
        401, {"message": "Wrong API key or secret", "errorCode": "invalid_client", "correlationId": "c-1"})
    with make_client(api, clock) as client, pytest.raises(AuthenticationFailed) as caught:
        client.get_invitation(INV)
    assert caught.value.correlation_id == "c-1" and caught.value.error_code == "invalid_client"
    assert len(api.requests) == 1 and clock.sleeps == []


def test_token_is_cached_until_shortly_before_expiry_and_expires_in_may_be_a_number(clock: FakeClock) -> None:
    api = ScriptedApi(*[json_response(200, invitation_json()) for _ in range(3)])
    api.token_answer = lambda request: token_response(f"t{api.tokens_issued}", expires_in=600)
    with make_client(api, clock) as client:
        client.get_invitation(INV)
        clock.advance(500)  # 600 s lifetime, renewed 60 s early: still good
        client.get_invitation(INV)
        clock.advance(50)  # now 550 s: inside the renewal margin
        client.get_invitation(INV)
    assert [r.headers["authorization"] for r in api.api_requests] == ["Bearer t1", "Bearer t1", "Bearer t2"]


def test_malformed_token_answer(clock: FakeClock) -> None:
    api = ScriptedApi()
    api.token_answer = lambda request: json_response(200, {"access_token": "x", "expires_in": "soon"})
    with make_client(api, clock) as client, pytest.raises(MalformedResponse):
        client.get_invitation(INV)


def test_429_waits_as_told_then_succeeds(clock: FakeClock) -> None:
    api = ScriptedApi(json_response(429, {"message": "slow down"}, **{"Retry-After": "7"}),
                      json_response(200, invitation_json()), clock=clock)
    with make_client(api, clock, budget_seconds=20) as client:
        assert client.get_invitation(INV) is not None
    assert clock.sleeps == [7.0]
    assert api.times[-1] - api.times[-2] == 7.0


def test_429_wait_is_capped(clock: FakeClock) -> None:
    api = ScriptedApi(json_response(429, {}, **{"Retry-After": "120"}), json_response(200, invitation_json()))
    with make_client(api, clock, budget_seconds=100, retry_after_cap=30) as client:
        assert client.get_invitation(INV) is not None
    assert clock.sleeps == [30.0]


def test_429_beyond_the_budget_gives_up_at_once(clock: FakeClock) -> None:
    api = ScriptedApi(json_response(429, {"message": "slow down", "correlationId": "c-429"}, **{"Retry-After": "20"}))
    with make_client(api, clock, budget_seconds=10) as client, pytest.raises(RateLimited) as caught:
        client.get_invitation(INV)
    assert clock.sleeps == []
    assert caught.value.correlation_id == "c-429" and caught.value.status_code == 429


def test_5xx_then_success_backs_off_with_jitter(clock: FakeClock) -> None:
    api = ScriptedApi(json_response(503, {"message": "busy"}), json_response(500, {}),
                      json_response(200, invitation_json()))
    with make_client(api, clock, rng=random.Random(7)) as client:
        assert client.get_invitation(INV) is not None
    assert len(api.api_requests) == 3 and len(clock.sleeps) == 2
    first, second = clock.sleeps
    assert 0.125 <= first <= 0.25 and 0.25 <= second <= 0.5


def test_timeouts_spend_the_budget_then_api_unavailable(clock: FakeClock) -> None:
    def hang(request: httpx.Request) -> httpx.Response:
        # Time passes as long as the attempt's read timeout allows, then the read times out.
        clock.advance(request.extensions["timeout"]["read"])
        raise httpx.ReadTimeout("timed out", request=request)

    api = ScriptedApi(*[hang] * 20, clock=clock)
    start = clock()
    with make_client(api, clock, budget_seconds=10, read_timeout=3, max_attempts=20) as client, \
            pytest.raises(ApiUnavailable) as caught:
        client.get_invitation(INV)
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert 1 < len(api.api_requests) < 20
    assert clock() - start <= 10.0


def test_connection_errors_are_retried(clock: FakeClock) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    api = ScriptedApi(refuse, json_response(200, invitation_json()))
    with make_client(api, clock) as client:
        assert client.get_invitation(INV) is not None
    assert len(clock.sleeps) == 1


def test_non_json_5xx_bodies_are_handled(clock: FakeClock) -> None:
    html = httpx.Response(502, content=b"<html>Bad Gateway</html>", headers={"Content-Type": "text/html"})
    api = ScriptedApi(html, httpx.Response(504, content=b""),
                      json_response(503, {"message": "down", "correlationId": "c-503"}))
    with make_client(api, clock, max_attempts=3) as client, pytest.raises(ApiUnavailable) as caught:
        client.get_invitation(INV)
    assert caught.value.status_code == 503 and caught.value.correlation_id == "c-503"
    assert len(api.api_requests) == 3


def test_malformed_json_is_not_retried(clock: FakeClock) -> None:
    api = ScriptedApi(httpx.Response(200, content=b"{not json", headers={"Content-Type": "application/json"}))
    with make_client(api, clock) as client, pytest.raises(MalformedResponse):
        client.get_invitation(INV)
    assert len(api.api_requests) == 1


@pytest.mark.parametrize("payload", [[], {"id": INV}, {"status": "delivered"}, "text"])
def test_wrong_shapes_are_malformed(clock: FakeClock, payload: object) -> None:
    api = ScriptedApi(json_response(200, payload))
    with make_client(api, clock) as client, pytest.raises(MalformedResponse):
        client.get_invitation(INV)


@pytest.mark.parametrize("payload", [{"total": 1}, {"invitations": {"a": 1}}, {"invitations": [{"id": INV}]}])
def test_wrong_list_shapes_are_malformed(clock: FakeClock, payload: object) -> None:
    api = ScriptedApi(json_response(200, payload))
    with make_client(api, clock) as client, pytest.raises(MalformedResponse):
        client.find_invitations(BU, reference_number="ORDER-1")


def test_unknown_status_and_unknown_fields_pass_through(clock: FakeClock) -> None:
    api = ScriptedApi(json_response(200, invitation_json(status="brand_new_code", shinyNewField={"x": 1})))
    with make_client(api, clock) as client:
        invitation = client.get_invitation(INV)
    assert invitation is not None and invitation.status == "brand_new_code"


BAD_IDS = [
    "../../../../etc/passwd/xx",
    "..%2F..%2F5f1e9c2a7b3d4e5f",
    "5f1e9c2a7b3d4e5f6a7b8c9%2F",
    "5f1e9c2a 7b3d4e5f6a7b8c9d",
    "5F1E9C2A7B3D4E5F6A7B8C9D",
    "5f1e9c2a7b3d4e5f6a7b8c9",
    "5f1e9c2a7b3d4e5f6a7b8c9d0",
    "5f1e9c2a7b3d4e5f6a7b8c9g",
    "",
]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_ids_are_rejected_before_any_request(clock: FakeClock, bad: str) -> None:
    api = ScriptedApi()
    with make_client(api, clock) as client:
        calls = [
            lambda: client.get_invitation(bad),
            lambda: client.get_invitation(INV, bad),
            lambda: client.get_invitation(bad, BU),
            lambda: client.find_invitations(bad, reference_number="ORDER-1"),
            lambda: client.status_stats(bad, FROM, TO),
            lambda: client.sample_invitations(bad, ["spf_failure"], FROM, TO),
            lambda: list(client.iter_invitations(bad)),
        ]
        for call in calls:
            with pytest.raises(InvalidId):
                call()
    assert api.requests == []


def test_not_found_is_a_value_and_counts_of_an_unknown_unit_raise(clock: FakeClock) -> None:
    api = ScriptedApi(json_response(404, {"message": "nope"}), json_response(404, {"message": "nope"}),
                      json_response(404, {}), json_response(404, {"message": "nope", "correlationId": "c-404"}))
    with make_client(api, clock) as client:
        assert client.get_invitation(INV) is None
        assert client.find_business_unit("nowhere.example") is None
        assert client.find_invitations(BU, email="x@example.se") == []
        with pytest.raises(NotFound) as caught:
            client.status_stats(BU, FROM, TO)
    assert caught.value.correlation_id == "c-404"
    assert clock.sleeps == []


def test_400_and_403_are_clear_errors_without_retry(clock: FakeClock) -> None:
    api = ScriptedApi(json_response(400, {"message": "bad date", "errorCode": "invalid_parameter"}),
                      json_response(403, {"message": "no support scope"}))
    with make_client(api, clock) as client:
        with pytest.raises(BadRequest) as bad:
            client.status_stats(BU, FROM, TO)
        with pytest.raises(Forbidden):
            client.get_invitation(INV)
    assert bad.value.error_code == "invalid_parameter"
    assert len(api.api_requests) == 2 and clock.sleeps == []


def test_stats_and_sample_requests(clock: FakeClock) -> None:
    stats = {"businessUnitId": BU, "createdFrom": "2026-11-01T00:00:00Z", "createdTo": "2026-11-27T00:00:00Z",
             "total": 12, "byStatus": {"delivered": 10, "spf_failure": 2}}
    sample = {"invitations": [invitation_json(), invitation_json(id="5f1e9c2a7b3d4e5f6a7b0001")], "total": 2,
              "links": [{"rel": "next-page", "href": "/v1/private/x?page=2", "method": "GET"}]}
    api = ScriptedApi(json_response(200, stats), json_response(200, sample))
    with make_client(api, clock) as client:
        counts = client.status_stats(BU, FROM, TO)
        examples = client.sample_invitations(BU, ["spf_failure", "invalid_recipient"], FROM, TO, limit=2)
    assert counts.total == 12 and counts.by_status["spf_failure"] == 2
    stats_request, sample_request = api.api_requests
    assert stats_request.url.path.endswith(f"/business-units/{BU}/invitations/stats")
    assert stats_request.url.params["createdFrom"] == "2026-11-01T00:00:00Z"
    assert sample_request.url.params["status"] == "spf_failure,invalid_recipient"
    assert sample_request.url.params["perPage"] == "2"
    # One request: a sample never follows the next-page link.
    assert len(examples) == 2 and len(api.api_requests) == 2


def _page(ids: list[str], next_href: str | None) -> httpx.Response:
    links = [{"rel": "next-page", "href": next_href, "method": "GET"}] if next_href else []
    return json_response(200, {"invitations": [invitation_json(id=i) for i in ids], "links": links})


def test_pagination_follows_relative_and_absolute_next_page_links(clock: FakeClock) -> None:
    ids = [f"{n:024x}" for n in range(1, 6)]
    api = ScriptedApi(
        _page(ids[:2], f"/v1/private/business-units/{BU}/invitations?perPage=2&page=2"),
        _page(ids[2:4], f"https://api.test/v1/private/business-units/{BU}/invitations?perPage=2&page=3"),
        _page(ids[4:], None),
    )
    with make_client(api, clock) as client:
        found = [inv.id for inv in client.iter_invitations(BU, status=["spf_failure"], per_page=2)]
    assert found == ids
    assert [r.url.params.get("page") for r in api.api_requests] == [None, "2", "3"]
    assert api.api_requests[0].url.params["status"] == "spf_failure"


def test_find_stops_at_the_limit(clock: FakeClock) -> None:
    ids = [f"{n:024x}" for n in range(1, 5)]
    api = ScriptedApi(_page(ids[:2], "/v1/private/next?page=2"), _page(ids[2:], "/v1/private/next?page=3"))
    with make_client(api, clock) as client:
        found = client.find_invitations(BU, email="anna@example.se", limit=3)
    assert len(found) == 3 and len(api.api_requests) == 2


def test_next_page_link_to_another_host_is_refused(clock: FakeClock) -> None:
    api = ScriptedApi(_page([INV], "https://evil.example/v1/private/steal?page=2"))
    with make_client(api, clock) as client, pytest.raises(MalformedResponse):
        list(client.iter_invitations(BU))
    assert len(api.api_requests) == 1


def test_concurrent_requests_share_one_token_fetch(clock: FakeClock) -> None:
    release, entered = threading.Event(), threading.Event()
    api = ScriptedApi(*[json_response(200, invitation_json()) for _ in range(8)])

    def slow_token(request: httpx.Request) -> httpx.Response:
        entered.set()
        assert release.wait(5)
        return token_response("shared")

    api.token_answer = slow_token
    results: list[object] = []
    with make_client(api, clock, max_concurrency=8) as client:
        start = threading.Barrier(9)

        def lookup() -> None:
            start.wait()
            results.append(client.get_invitation(INV))

        threads = [threading.Thread(target=lookup) for _ in range(8)]
        for thread in threads:
            thread.start()
        start.wait()
        assert entered.wait(5)
        # Give the other threads a moment to queue behind the token fetch before it completes.
        threading.Event().wait(0.05)
        release.set()
        for thread in threads:
            thread.join(5)
    assert api.tokens_issued == 1
    assert len(results) == 8 and all(r is not None for r in results)
    assert {r.headers["authorization"] for r in api.api_requests} == {"Bearer shared"}


def test_concurrent_401s_refresh_the_token_once(clock: FakeClock) -> None:
    first_round = threading.Barrier(4)

    def expired(request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] == "Bearer t1":
            first_round.wait(5)  # all four see the old token refused before anyone refreshes
            return json_response(401, {})
        return json_response(200, invitation_json())

    api = ScriptedApi(*[expired] * 8)
    with make_client(api, clock, max_concurrency=4) as client:
        client._auth.token()  # the first token, fetched before the race
        threads = [threading.Thread(target=client.get_invitation, args=(INV,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(5)
    assert api.tokens_issued == 2
    assert [r.headers["authorization"] for r in api.api_requests].count("Bearer t2") == 4


def test_concurrency_is_bounded(clock: FakeClock) -> None:
    lock, active, peak = threading.Lock(), [0], [0]

    def busy(request: httpx.Request) -> httpx.Response:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        threading.Event().wait(0.02)  # hold the connection briefly so the threads overlap
        with lock:
            active[0] -= 1
        return json_response(200, invitation_json())

    api = ScriptedApi(*[busy] * 6)
    with make_client(api, clock, max_concurrency=2) as client:
        client._auth.token()
        threads = [threading.Thread(target=client.get_invitation, args=(INV,)) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(5)
    assert len(api.api_requests) == 6 and peak[0] == 2


def test_retry_after_may_be_an_http_date() -> None:
    now = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)
    dated = httpx.Response(429, headers={"Retry-After": "Fri, 27 Nov 2026 12:00:09 GMT"})
    assert retry_after_seconds(dated, now=now) == 9.0
    assert retry_after_seconds(httpx.Response(429, headers={"Retry-After": "soon"})) is None
    assert retry_after_seconds(httpx.Response(429, headers={"Retry-After": "-5"})) == 0.0
    assert retry_after_seconds(httpx.Response(429)) is None
