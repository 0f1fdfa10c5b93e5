"""The sandbox's API as a plain function from request to reply: routing, credentials, the contract's JSON."""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode

from bot.invitations.models import is_valid_id
from bot.invitations.ratelimit import Clock
from bot.invitations.sandbox.data import Account, DemoData, iso
from bot.invitations.sandbox.faults import FaultInjector, Reply, SandboxOptions, error_reply
from bot.invitations.sandbox.queries import ListQuery, list_page, status_counts
from bot.invitations.sandbox.tokens import CREDENTIALS, Grant, TokenStore

TOKEN_PATH = "/v1/oauth/oauth-business-users-for-applications/accesstoken"
_FIND = re.compile(r"/v1/business-units/find")
_SUPPORT_ONE = re.compile(r"/v1/private/invitations/([^/]*)")
_STATS = re.compile(r"/v1/private/business-units/([^/]*)/invitations/stats")
_BU_ONE = re.compile(r"/v1/private/business-units/([^/]*)/invitations/([^/]*)")
_BU_LIST = re.compile(r"/v1/private/business-units/([^/]*)/invitations")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: str = ""
    # Lower-case header names.
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""


class BadParameter(Exception):
    pass


def _json(payload: Any, status: int = 200) -> Reply:
    return Reply(status, json.dumps(payload, ensure_ascii=False).encode(), (("Content-Type", "application/json"),))


def _time_param(params: Mapping[str, str], name: str) -> float | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            moment = datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    except ValueError as exc:
        raise BadParameter(f"{name} must be YYYY-MM-DD or an ISO 8601 time") from exc
    return moment.timestamp()


def _int_param(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise BadParameter(f"{name} must be a whole number from {low} to {high}")
    return int(raw)


class SandboxApi:
    """Answers every endpoint of the contract over the demo data, with the configured faults."""

    def __init__(self, options: SandboxOptions, *, data: DemoData | None = None, clock: Clock = time.monotonic) -> None:
        self.options = options
        self.data = data or DemoData(options.now, large_account_size=options.large_account_size)
        self.tokens = TokenStore(options.token_lifetime_seconds, clock=clock)
        self.faults = FaultInjector(options)

    def handle(self, request: Request) -> Reply:
        injected = self.faults.before()
        if injected is not None:
            return injected
        grant = CREDENTIALS.get(request.headers.get("apikey", ""), (None, None))[1]
        if grant is None:
            return error_reply(401, "invalid_api_key", "Missing or unknown apikey header")
        params = {key: values[0] for key, values in parse_qs(request.query, keep_blank_values=True).items()}
        try:
            return self._route(request, grant, params)
        except BadParameter as exc:
            return error_reply(400, "invalid_parameter", str(exc))

    def _route(self, request: Request, grant: Grant, params: dict[str, str]) -> Reply:
        path = request.path.rstrip("/") or "/"
        if path == TOKEN_PATH:
            return self._token(request, grant) if request.method == "POST" else self._not_allowed()
        if request.method != "GET":
            return self._not_allowed()
        if _FIND.fullmatch(path):
            return self._find(params)
        if not path.startswith("/v1/private/"):
            return error_reply(404, "not_found", "No such endpoint")
        token = request.headers.get("authorization", "")
        bearer = self.tokens.grant_for(token[7:]) if token.startswith("Bearer ") else None
        if bearer is None or bearer.api_key != grant.api_key:
            return error_reply(401, "invalid_token", "Missing, unknown or expired access token")
        if match := _SUPPORT_ONE.fullmatch(path):
            return self._support_one(bearer, match.group(1))
        if match := _STATS.fullmatch(path):
            account_or_error = self._account(bearer, match.group(1))
            if isinstance(account_or_error, Reply):
                return account_or_error
            return self._stats(account_or_error, params)
        match = _BU_ONE.fullmatch(path) or _BU_LIST.fullmatch(path)
        if match is None:
            return error_reply(404, "not_found", "No such endpoint")
        account_or_error = self._account(bearer, match.group(1))
        if isinstance(account_or_error, Reply):
            return account_or_error
        if match.re is _BU_ONE:
            return self._bu_one(account_or_error, match.group(2))
        return self._list(account_or_error, request, params)

    @staticmethod
    def _not_allowed() -> Reply:
        return error_reply(405, "method_not_allowed", "Method not allowed")

    def _token(self, request: Request, grant: Grant) -> Reply:
        header = request.headers.get("authorization", "")
        try:
            user, _, secret = base64.b64decode(header[6:], validate=True).decode().partition(":") \
                if header.startswith("Basic ") else ("", "", "")
        except (binascii.Error, UnicodeDecodeError):
            user, secret = "", ""
        expected = CREDENTIALS.get(user)
        if expected is None or expected[0] != secret or user != grant.api_key:
            return error_reply(401, "invalid_client", "Wrong API key or secret")
        form = {k: v[0] for k, v in parse_qs(request.body.decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "client_credentials":
            return error_reply(400, "unsupported_grant_type", "grant_type must be client_credentials")
        token = self.tokens.issue(expected[1])
        # expires_in as a string of digits, as some deployments send it.
        return _json({"access_token": token, "token_type": "Bearer", "expires_in": str(self.tokens.lifetime)})

    def _find(self, params: Mapping[str, str]) -> Reply:
        name = params.get("name", "").strip()
        if not name:
            raise BadParameter("name is required")
        account = self.data.account_for_domain(name)
        if account is None:
            return error_reply(404, "not_found", "No business unit with that domain")
        spec = account.spec
        return _json({"id": spec.id, "displayName": spec.display_name, "name": {"identifying": spec.domain}})

    def _account(self, grant: Grant, business_unit_id: str) -> Account | Reply:
        if not is_valid_id(business_unit_id):
            return error_reply(400, "invalid_id", "A business unit id is 24 lowercase hex characters")
        account = self.data.account(business_unit_id)
        if account is None:
            return error_reply(404, "not_found", "Business unit not found")
        if not grant.may_see(business_unit_id):
            return error_reply(403, "forbidden", "These credentials may not read this business unit")
        return account

    def _support_one(self, grant: Grant, invitation_id: str) -> Reply:
        if not grant.support:
            return error_reply(403, "forbidden", "These credentials have no support scope")
        if not is_valid_id(invitation_id):
            return error_reply(400, "invalid_id", "An invitation id is 24 lowercase hex characters")
        found = self.data.locate(invitation_id)
        if found is None:
            return error_reply(404, "not_found", "Invitation not found")
        account, index = found
        return _json(account.invitation(index))

    def _bu_one(self, account: Account, invitation_id: str) -> Reply:
        if not is_valid_id(invitation_id):
            return error_reply(400, "invalid_id", "An invitation id is 24 lowercase hex characters")
        index = account.index_of_id(invitation_id)
        # Another unit's invitation gets the same 404 as a missing one, so nothing leaks.
        if index is None:
            return error_reply(404, "not_found", "Invitation not found")
        return _json(account.invitation(index))

    def _range(self, params: Mapping[str, str]) -> tuple[float | None, float | None]:
        created_from, created_to = _time_param(params, "createdFrom"), _time_param(params, "createdTo")
        if created_from is not None and created_to is not None and created_from > created_to:
            raise BadParameter("createdFrom must not be after createdTo")
        return created_from, created_to

    def _stats(self, account: Account, params: Mapping[str, str]) -> Reply:
        created_from, created_to = self._range(params)
        counts = status_counts(account, created_from, created_to)
        return _json({
            "businessUnitId": account.id,
            "createdFrom": iso(created_from) if created_from is not None else None,
            "createdTo": iso(created_to) if created_to is not None else None,
            "total": sum(counts.values()),
            "byStatus": counts,
        })

    def _list(self, account: Account, request: Request, params: dict[str, str]) -> Reply:
        created_from, created_to = self._range(params)
        statuses = frozenset(s.strip() for s in params.get("status", "").split(",") if s.strip())
        query = ListQuery(
            reference=params.get("referenceNumber") or None,
            email=params.get("email") or None,
            statuses=statuses or None,
            created_from=created_from,
            created_to=created_to,
            page=_int_param(params, "page", 1, 1, 1_000_000),
            per_page=_int_param(params, "perPage", 20, 1, 100),
        )
        indices, total = list_page(account, query)
        links = []
        if query.page * query.per_page < total:
            host = request.headers.get("host")
            origin = f"http://{host}" if host else ""
            href = f"{origin}{request.path}?{urlencode({**params, 'page': str(query.page + 1)})}"
            links.append({"rel": "next-page", "href": href, "method": "GET"})
        return _json({
            "invitations": [account.invitation(index) for index in indices],
            "total": total,
            "page": query.page,
            "perPage": query.per_page,
            "links": links,
        })
