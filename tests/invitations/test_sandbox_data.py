"""The sandbox's demo data and request handling, without HTTP: determinism, consistency, lookups, errors."""

from __future__ import annotations

import base64
import json
from collections import Counter
from datetime import timedelta

import pytest
from api_doubles import DEMO_NOW, FakeClock

from bot.invitations.models import Invitation, is_valid_id
from bot.invitations.sandbox import API_KEY, API_SECRET, NORDIC_SHOES_ID, SandboxOptions
from bot.invitations.sandbox.api import TOKEN_PATH, Request, SandboxApi
from bot.invitations.sandbox.data import DemoData
from bot.invitations.sandbox.queries import ListQuery, list_page, status_counts
from bot.invitations.sandbox.statuses import STATUS_CODES


@pytest.fixture(scope="module")
def data() -> DemoData:
    return DemoData(DEMO_NOW, large_account_size=30_000)


def test_there_are_37_known_status_codes() -> None:
    assert len(STATUS_CODES) == 37 == len(set(STATUS_CODES))


def test_same_moment_same_data(data: DemoData) -> None:
    again = DemoData(DEMO_NOW, large_account_size=30_000)
    for account, twin in zip(data.accounts, again.accounts, strict=True):
        for index in (0, 1, 23, account.size // 2, account.size - 1):
            assert account.invitation(index) == twin.invitation(index)


def test_rows_agree_with_the_day_tables(data: DemoData) -> None:
    for account in data.accounts[:4]:
        scanned = Counter(account.status(index) for index in range(account.size))
        tabled: Counter[str] = Counter()
        for counts in account.day_counts:
            tabled.update(counts)
        assert scanned == tabled
        assert sum(scanned.values()) == account.size


def test_rows_are_newest_first_within_the_last_90_days(data: DemoData) -> None:
    account = data.accounts[0]
    created = [account.created(index) for index in range(account.size)]
    assert created == sorted(created, reverse=True)
    newest, oldest = created[0], created[-1]
    assert newest <= data.anchor <= DEMO_NOW.timestamp()
    assert data.anchor - oldest <= 90 * 86_400


def test_delivered_dominates_and_failures_are_spread(data: DemoData) -> None:
    large = data.accounts[-1]
    counts = status_counts(large, None, None)
    assert counts["delivered"] / large.size > 0.6
    assert set(STATUS_CODES) - {"sending"} <= set(counts)


def test_every_invitation_parses_and_its_lookups_find_it(data: DemoData) -> None:
    for account in data.accounts:
        for index in range(0, account.size, max(1, account.size // 150)):
            raw = account.invitation(index)
            invitation = Invitation.from_json(json.loads(json.dumps(raw)))
            assert is_valid_id(invitation.id) and invitation.business_unit_id == account.id
            assert account.index_of_id(invitation.id) == index
            assert data.locate(invitation.id) == (account, index)
            assert index in account.by_reference(raw["referenceNumber"])
            assert index in account.by_email(raw["recipient"]["email"].upper())
            assert raw["createdAt"] <= raw["statusUpdatedAt"]


def test_ids_of_one_account_are_unknown_to_another(data: DemoData) -> None:
    nordic, other = data.accounts[0], data.accounts[1]
    assert other.index_of_id(nordic.invitation_id(23)) is None
    tampered = nordic.invitation_id(23)[:-1] + ("0" if nordic.invitation_id(23)[-1] != "0" else "1")
    assert nordic.index_of_id(tampered) is None


def test_demo_rows(data: DemoData) -> None:
    nordic = data.account(NORDIC_SHOES_ID)
    assert nordic is not None
    (anna,) = nordic.by_reference("ORDER-10023")
    assert nordic.invitation(anna)["recipient"]["email"] == "anna@example.se"
    assert nordic.by_email("anna@example.se") == [23, 1450]
    unknown = {a.status(row.index) for a in data.accounts for row in a.spec.demo_rows} - set(STATUS_CODES)
    assert len(unknown) >= 3


def test_status_pages_match_the_total(data: DemoData) -> None:
    large = data.accounts[-1]
    wanted = frozenset({"spf_failure", "kickstart_expired"})
    start = data.anchor - 20 * 86_400 - 1234
    end = data.anchor - 5 * 86_400 + 777
    seen: list[int] = []
    page, total = 1, None
    while True:
        items, total = list_page(large, ListQuery(statuses=wanted, created_from=start, created_to=end,
                                                  page=page, per_page=40))
        if not items:
            break
        seen += items
        page += 1
    assert len(seen) == total == sum(1 for i in range(large.size)
                                     if start <= large.created(i) < end and large.status(i) in wanted)
    assert seen == sorted(seen)


def _call(api: SandboxApi, method: str, path: str, query: str = "", **headers: str) -> tuple[int, dict]:
    reply = api.handle(Request(method, path, query, {k.lower(): v for k, v in headers.items()},
                               b"grant_type=client_credentials" if method == "POST" else b""))
    return reply.status, (json.loads(reply.body) if reply.body else {})


def _token(api: SandboxApi) -> str:
    basic = "Basic " + base64.b64encode(f"{API_KEY}:{API_SECRET}".encode()).decode()
    status, body = _call(api, "POST", TOKEN_PATH, apikey=API_KEY, authorization=basic)
    assert status == 200 and body["expires_in"].isdigit()
    return str(body["access_token"])


def test_requests_without_apikey_or_token_are_refused(data: DemoData) -> None:
    api = SandboxApi(SandboxOptions(), data=data)
    assert _call(api, "GET", "/v1/business-units/find", "name=nordic-shoes.example")[0] == 401
    status, body = _call(api, "GET", f"/v1/private/business-units/{NORDIC_SHOES_ID}/invitations", apikey=API_KEY)
    assert status == 401 and body["errorCode"] == "invalid_token" and body["correlationId"]
    bad_basic = "Basic " + base64.b64encode(f"{API_KEY}:nope".encode()).decode()
    assert _call(api, "POST", TOKEN_PATH, apikey=API_KEY, authorization=bad_basic)[0] == 401


def test_tokens_expire(data: DemoData) -> None:
    clock = FakeClock()
    api = SandboxApi(SandboxOptions(token_lifetime_seconds=5), data=data, clock=clock)
    bearer = "Bearer " + _token(api)
    path = f"/v1/private/business-units/{NORDIC_SHOES_ID}/invitations/stats"
    assert _call(api, "GET", path, apikey=API_KEY, authorization=bearer)[0] == 200
    clock.advance(5)
    assert _call(api, "GET", path, apikey=API_KEY, authorization=bearer)[0] == 401


@pytest.mark.parametrize("query", ["perPage=101", "perPage=0", "page=0", "createdFrom=yesterday",
                                   "createdFrom=2026-11-20&createdTo=2026-11-01"])
def test_bad_parameters_are_400(data: DemoData, query: str) -> None:
    api = SandboxApi(SandboxOptions(), data=data)
    bearer = "Bearer " + _token(api)
    status, body = _call(api, "GET", f"/v1/private/business-units/{NORDIC_SHOES_ID}/invitations", query,
                         apikey=API_KEY, authorization=bearer)
    assert status == 400 and body["errorCode"] == "invalid_parameter"


def test_list_links_and_totals(data: DemoData) -> None:
    api = SandboxApi(SandboxOptions(), data=data)
    bearer = "Bearer " + _token(api)
    since = (DEMO_NOW - timedelta(days=2)).strftime("%Y-%m-%d")
    status, body = _call(api, "GET", f"/v1/private/business-units/{NORDIC_SHOES_ID}/invitations",
                         f"createdFrom={since}&perPage=5", apikey=API_KEY, authorization=bearer, host="h:1")
    assert status == 200 and len(body["invitations"]) == 5 and body["total"] > 5
    (link,) = body["links"]
    assert link["rel"] == "next-page" and link["href"].startswith("http://h:1/v1/private/")
    assert "page=2" in link["href"] and f"createdFrom={since}" in link["href"]
