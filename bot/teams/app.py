"""Builds the Teams app: the SDK's connection manager and adapter, our agent, its stores and threads."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from microsoft_agents.activity import load_configuration_from_env
from microsoft_agents.authentication.msal import MsalConnectionManager
from microsoft_agents.hosting.aiohttp import CloudAdapter

from bot.answer_store import answer_store
from bot.config import Settings
from bot.core.access import AccessPolicy
from bot.core.answers import AnswerStore
from bot.core.conversation import Conversation
from bot.core.triage import TriageDesk
from bot.platform.channel_marks import channel_marks
from bot.platform.dedupe import SeenStore, seen_store
from bot.teams.agent import Answerer, TeamsAgent
from bot.teams.askers import TeamsAskers
from bot.teams.files import TeamsFileTriage
from bot.teams.filetransfer import TeamsFiles
from bot.teams.members import MemberDirectory
from bot.teams.pending import ConsentStore, consent_store
from bot.teams.server import TeamsServer

if TYPE_CHECKING:
    from bot.metrics import Metrics

log = logging.getLogger(__name__)


@dataclass
class TeamsBot:
    server: TeamsServer
    agent: TeamsAgent
    executor: ThreadPoolExecutor

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        if self.agent.files is not None:
            self.agent.files.close()
        for store in (self.agent.seen, self.agent.answers.store, self.agent.askers.marks):
            close = getattr(store, "close", None)
            if close is not None:
                close()


def build_teams_bot(
    settings: Settings,
    assistant: Answerer,
    access: AccessPolicy,
    *,
    seen: SeenStore | None = None,
    answers: AnswerStore | None = None,
    conversation: Conversation | None = None,
    gaps: Callable[[datetime], Any] | None = None,
    metrics: Metrics | None = None,
    triage: TriageDesk | None = None,
    consents: ConsentStore | None = None,
) -> TeamsBot:
    """Nothing goes out at build time: tokens for the Bot Connector are fetched on the first reply.

    The answers cards point at live in the same store as Slack's buttons' (REDIS_URL: Redis, else memory).
    """
    teams = settings.teams
    connections = MsalConnectionManager(**load_configuration_from_env(teams.sdk_configuration()))
    adapter = CloudAdapter(connection_manager=connections)
    our_tenants = access.internal_tenants | ({teams.tenant_id} if teams.tenant_id else frozenset())
    askers = TeamsAskers(MemberDirectory(frozenset(our_tenants)), access, settings.language,
                         channel_marks(settings.redis_url))
    executor = ThreadPoolExecutor(max_workers=teams.answer_threads, thread_name_prefix="teams-answer")
    agent = TeamsAgent(
        assistant,
        askers,
        answers if answers is not None else answer_store(settings.redis_url),
        seen if seen is not None else seen_store(settings.redis_url),
        executor,
        conversation=conversation,
        escalation=settings.teams_escalation_conversation,
        gaps=gaps,
        metrics=metrics,
    )
    adapter.on_turn_error = agent.on_turn_error
    if triage is not None:  # exports sent in a personal chat
        agent.files = TeamsFileTriage(triage, TeamsFiles(teams.files_url),
                                      consents if consents is not None else consent_store(settings.redis_url))
    server = TeamsServer(adapter=adapter, agent=agent, seen=agent.seen,
                         auth_configuration=connections.get_default_connection_configuration(),
                         anonymous=teams.anonymous, metrics=metrics)
    return TeamsBot(server=server, agent=agent, executor=executor)
