"""Who a Teams member is (tenant, guest or not) and whether a chat has outsiders, asked of the Bot Connector.

A message does not carry the sender's own tenant, and what it carries a client
could shape; the conversation's member list is the authority. Lookups are cached
for a few minutes; a failed lookup reads conservatively: not staff, outsiders present.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from microsoft_agents.hosting.core.connector import ConnectorClientBase

log = logging.getLogger(__name__)

LOOKUP_TTL_SECONDS = 300.0
# A failed lookup is tried again after a short while rather than on every message.
FAILURE_TTL_SECONDS = 30.0
MAX_ENTRIES = 10_000
# Members of our own tenant who are not guests; guests (B2B) and anonymous meeting users are outsiders.
STAFF_ROLE = "user"


@dataclass(frozen=True)
class Member:
    tenant_id: str | None
    role: str | None
    known: bool = True


UNKNOWN = Member(tenant_id=None, role=None, known=False)


def _field(account: Any, name: str, camel: str) -> str | None:
    value = getattr(account, name, None)
    if value is None:
        value = (getattr(account, "model_extra", None) or {}).get(camel)
    return str(value) if value else None


def member_of(account: Any) -> Member:
    tenant = _field(account, "tenant_id", "tenantId")
    return Member(tenant_id=tenant.lower() if tenant else None, role=_field(account, "user_role", "userRole"))


class _AsyncTtlCache[V]:
    """Expiring entries; concurrent callers for one missing key share a single load."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, V]] = OrderedDict()
        self._loading: dict[str, asyncio.Future[V]] = {}

    async def get_or_load(self, key: str, load: Callable[[], Awaitable[tuple[V, float]]]) -> V:
        found = self._entries.get(key)
        if found is not None and found[0] > self._clock():
            return found[1]
        pending = self._loading.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self._loading[key] = future
        try:
            value, ttl = await load()
            self._entries.pop(key, None)
            self._entries[key] = (self._clock() + ttl, value)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)
            future.set_result(value)
            return value
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: nobody else may be waiting
            raise
        finally:
            del self._loading[key]

    def forget(self, key: str) -> None:
        self._entries.pop(key, None)


class MemberDirectory:
    def __init__(self, our_tenants: frozenset[str], *, ttl: float = LOOKUP_TTL_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.our_tenants = frozenset(t.lower() for t in our_tenants)
        self._ttl = ttl
        self._members: _AsyncTtlCache[Member] = _AsyncTtlCache(clock)
        self._outsiders: _AsyncTtlCache[bool] = _AsyncTtlCache(clock)

    def is_staff(self, member: Member) -> bool:
        return member.known and member.tenant_id in self.our_tenants and member.role == STAFF_ROLE

    def is_outsider(self, member: Member) -> bool:
        return not self.is_staff(member)

    async def member(self, connector: ConnectorClientBase | None, conversations: tuple[str, ...],
                     user_id: str, host_tenant: str | None) -> Member:
        """The member `user_id`, asked in the first of `conversations` that knows them (team, then channel)."""
        if connector is None or not user_id or not conversations:
            return UNKNOWN

        async def load() -> tuple[Member, float]:
            for conversation_id in conversations:
                try:
                    account = await _get_member(connector, conversation_id, user_id)
                except Exception as exc:  # aiohttp and pydantic errors alike: read conservatively
                    log.info("member lookup in %s failed: %s", conversation_id[:60], type(exc).__name__)
                    continue
                return member_of(account), self._ttl
            log.warning("member %s not found in the conversation; treating them as external", user_id[:40])
            return UNKNOWN, FAILURE_TTL_SECONDS

        return await self._members.get_or_load(f"{host_tenant}|{user_id}", load)

    async def has_outsiders(self, connector: ConnectorClientBase | None, conversation_id: str) -> bool:
        """Whether anyone in the chat is not our staff (another tenant, a guest); unknown -> yes."""
        if connector is None:
            return True

        async def load() -> tuple[bool, float]:
            try:
                accounts = await connector.conversations.get_conversation_members(conversation_id)
            except Exception as exc:
                log.warning("member list of %s failed (%s); treating it as shared", conversation_id[:60],
                            type(exc).__name__)
                return True, FAILURE_TTL_SECONDS
            return any(self.is_outsider(member_of(account)) for account in accounts), self._ttl

        return await self._outsiders.get_or_load(conversation_id, load)

    def forget_conversation(self, conversation_id: str) -> None:
        """Members came or went: the next message asks again (a chat that gains an outsider is shared at once)."""
        self._outsiders.forget(conversation_id)


async def _get_member(connector: ConnectorClientBase, conversation_id: str, user_id: str) -> Any:
    direct = getattr(connector, "get_conversation_member", None)
    if direct is not None:  # the Teams connector client: a typed TeamsChannelAccount
        return await direct(conversation_id, user_id)
    return await connector.conversations.get_conversation_member(conversation_id, user_id)
