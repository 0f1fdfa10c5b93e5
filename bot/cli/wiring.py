"""The one place that builds the bot's components from Settings and connects them."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.config import Settings
from bot.core.access import AccessPolicy, load_access_policy
from bot.core.assistant import Assistant
from bot.core.conversation import AnswerObserver, Conversation
from bot.core.ports import EventSink, NullSink, ThreadStore
from bot.core.triage import TriageDesk
from bot.invitations.models import BusinessUnit, Invitation, StatusStats
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.matching.matcher import Matcher

if TYPE_CHECKING:
    from bot.core.live import LiveDesk
    from bot.invitations.client import InvitationsClient

log = logging.getLogger(__name__)


class LazySource:
    """The invitations API client, created on first use.

    Explaining a pasted status needs no API; creating the client (and, without
    INVITATIONS_API_URL, starting the bundled sandbox) only when a live
    question arrives keeps `ask` and the console chat quick to start.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._client: InvitationsClient | None = None
        self._sandbox: Any = None

    def client(self) -> InvitationsClient:
        with self._lock:
            if self._client is None:
                from bot.invitations.client import InvitationsClient

                if self._settings.uses_sandbox:
                    from bot.invitations.sandbox import start_sandbox

                    self._sandbox = start_sandbox()
                    log.info("bundled sandbox API started at %s", self._sandbox.url)
                    self._client = InvitationsClient.from_settings(
                        self._settings,
                        base_url=self._sandbox.url,
                        api_key=self._sandbox.api_key,
                        api_secret=self._sandbox.api_secret,
                    )
                else:
                    self._client = InvitationsClient.from_settings(self._settings)
            return self._client

    def get_invitation(self, invitation_id: str, business_unit_id: str | None = None) -> Invitation | None:
        return self.client().get_invitation(invitation_id, business_unit_id)

    def find_invitations(
        self,
        business_unit_id: str,
        *,
        reference_number: str | None = None,
        email: str | None = None,
        limit: int = 20,
    ) -> list[Invitation]:
        return self.client().find_invitations(
            business_unit_id, reference_number=reference_number, email=email, limit=limit
        )

    def estimate_bulk_seconds(self, requests: int) -> float:
        return self.client().estimate_bulk_seconds(requests)

    def find_business_unit(self, domain: str) -> BusinessUnit | None:
        return self.client().find_business_unit(domain)

    def status_stats(self, business_unit_id: str, created_from: datetime, created_to: datetime) -> StatusStats:
        return self.client().status_stats(business_unit_id, created_from, created_to)

    def sample_invitations(
        self,
        business_unit_id: str,
        statuses: list[str],
        created_from: datetime,
        created_to: datetime,
        limit: int = 3,
    ) -> list[Invitation]:
        return self.client().sample_invitations(business_unit_id, statuses, created_from, created_to, limit)

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                self._client.close()
                self._client = None
            if self._sandbox is not None:
                self._sandbox.stop()
                self._sandbox = None


@dataclass
class Components:
    settings: Settings
    kb: KnowledgeBase
    matcher: Matcher
    access: AccessPolicy
    source: LazySource
    live: LiveDesk
    assistant: Assistant
    threads: ThreadStore
    events: EventSink
    conversation: Conversation
    triage: TriageDesk
    _closed: bool = field(default=False, repr=False)

    def close(self) -> None:
        if not self._closed:
            close = getattr(self.events, "close", None)
            if close is not None:
                close()
            self.source.close()
            self._closed = True


def event_sink(settings: Settings, on_drop: Any = None) -> EventSink:
    """The buffered writer to the event store; it opens and migrates the store in the background."""
    from bot.conversation.buffer import BufferedSink
    from bot.conversation.store import open_store

    url = settings.event_store_url
    return BufferedSink(lambda: open_store(url, settings.gaps_retention_days), on_drop=on_drop)


def gaps_reader(settings: Settings) -> Callable[[datetime], Any]:
    """Reads the gaps report (App Home) from the event store, opening it on first use."""
    engines: list[Any] = []

    def read(since: datetime) -> Any:
        from bot.conversation.gaps import gaps_report
        from bot.conversation.store import open_engine

        if not engines:
            engines.append(open_engine(settings.event_store_url))
        return gaps_report(engines[0], since)

    return read


def load_components(settings: Settings, *, record_events: bool = False,
                    observer: AnswerObserver | None = None, on_drop: Any = None) -> Components:
    """Raises KnowledgeError or AccessPolicyError (each listing every problem) on bad data.

    `record_events`: feedback and knowledge gaps go to the event store (the long-running commands);
    otherwise they go nowhere.
    """
    from bot.conversation.threads import thread_store
    from bot.core.live import LiveDesk

    kb = load_knowledge()
    matcher = Matcher(kb)
    access = load_access_policy(settings.access_file)
    source = LazySource(settings)
    live = LiveDesk(source, kb, access)
    assistant = Assistant(kb, matcher, live)
    threads = thread_store(settings.redis_url)
    events = event_sink(settings, on_drop) if record_events else NullSink()
    return Components(
        settings=settings,
        kb=kb,
        matcher=matcher,
        access=access,
        source=source,
        live=live,
        assistant=assistant,
        threads=threads,
        events=events,
        conversation=Conversation(assistant, kb, access, threads, events, observer, settings.support_contact),
        # Labels an export spells exactly are found in a dictionary; the matcher reads the rest.
        triage=TriageDesk(kb, matcher.match),
    )
