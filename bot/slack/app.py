"""Builds the Slack app: the bolt App, its Web API client, the asker lookups, de-duplication, the work queue."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient

from bot.answer_store import answer_store
from bot.config import Settings
from bot.core.access import AccessPolicy
from bot.core.answers import AnswerStore
from bot.core.conversation import Conversation
from bot.core.triage import TriageDesk
from bot.platform.channel_marks import channel_marks
from bot.platform.dedupe import SeenStore, seen_store
from bot.slack.answering import Answerer, Answering, ResponsePoster
from bot.slack.askers import AskerResolver
from bot.slack.directory import SlackDirectory
from bot.slack.feedback import FeedbackActions, FeedbackCounter
from bot.slack.files import FileTriage
from bot.slack.filetransfer import SlackFiles
from bot.slack.handoff import SlackHandoffDesk
from bot.slack.home import GapsReader, HomeTab
from bot.slack.intake import EventsFastPath
from bot.slack.listeners import Intake, job_handlers, register_listeners
from bot.slack.webclient import make_web_client, post_to_response_url
from bot.work import WorkQueue, work_queue
from bot.work.executor import TrackedExecutor
from bot.work.quiet import AckFirst

log = logging.getLogger(__name__)


@dataclass
class SlackBot:
    app: App
    answering: Answering
    seen: SeenStore
    # Runs bolt's listeners: quick (ack, de-duplicate, hand over), so acks never queue behind slow work.
    listener_pool: TrackedExecutor
    # Accepted work, answered on its worker threads: Slack lookups, the brain (live API calls included), posting.
    work: WorkQueue
    # Mentions and direct messages over HTTP, acknowledged without bolt.
    events: EventsFastPath
    # Told of every incoming HTTP request, so that answers wait for a lull in a burst.
    ack_first: AckFirst
    # Exports shared with the bot (None when the app was built without a triage desk).
    file_triage: FileTriage | None = None

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """True once every received request has been fully handled (tests, graceful shutdown)."""
        return self.listener_pool.wait_idle(timeout) and self.work.wait_idle(timeout)

    def close(self) -> None:
        self.listener_pool.shutdown(wait=False, cancel_futures=True)
        self.work.close()
        if self.file_triage is not None:
            self.file_triage.files.close()
        for store in (self.seen, self.answering.answers.store, self.answering.resolver.directory.marks):
            close = getattr(store, "close", None)
            if close is not None:
                close()


def build_slack_bot(
    settings: Settings,
    assistant: Answerer,
    access: AccessPolicy,
    *,
    client: WebClient | None = None,
    seen: SeenStore | None = None,
    work: WorkQueue | None = None,
    http: bool = True,
    answers: AnswerStore | None = None,
    triage: TriageDesk | None = None,
    conversation: Conversation | None = None,
    gaps: GapsReader | None = None,
    dropped: Callable[[], None] | None = None,
    feedback_counter: FeedbackCounter | None = None,
    post_response: ResponsePoster = post_to_response_url,
) -> SlackBot:
    """The app for HTTP (`http=True`: requests are signature-checked) or Socket Mode.

    Calls auth.test once, so a wrong SLACK_BOT_TOKEN fails here (slack_bolt.error.BoltError).
    """
    client = client or make_web_client(settings.slack_bot_token, settings.slack_api_url)
    threads = settings.slack_listener_threads
    listener_pool = TrackedExecutor(max_workers=threads, thread_name_prefix="slack-listener")
    app = App(
        client=client,
        # Passed explicitly (possibly empty) so bolt never reads the environment itself.
        signing_secret=settings.slack_signing_secret or "",
        request_verification_enabled=http,
        # Acknowledge first, run listeners afterwards (bolt's default, stated because it matters).
        process_before_response=False,
        listener_executor=listener_pool,
        name="invitation-bot",
        logger=logging.getLogger("bot.slack.bolt"),
    )
    seen = seen if seen is not None else seen_store(settings.redis_url)
    marks = channel_marks(settings.redis_url)
    directory = SlackDirectory(client, marks=marks)
    resolver = AskerResolver(directory, access, settings.language)
    answers = answers if answers is not None else answer_store(settings.redis_url)
    desk = SlackHandoffDesk(client, directory, settings.slack_escalation_channel, settings.language, access)
    answering = Answering(assistant, resolver, client, post_response, store=answers, conversation=conversation,
                          desk=desk)
    feedback = None
    if conversation is not None:
        feedback = FeedbackActions(conversation, resolver, client, desk, post_response, feedback_counter)
    home = HomeTab(client, resolver, gaps)
    work = work if work is not None else work_queue(settings.redis_url, "slack", threads,
                                                    claim_idle=settings.work_takeover_seconds)
    file_triage = None
    if triage is not None:
        file_triage = FileTriage(triage, resolver, client, SlackFiles(client, settings.slack_api_url))
    ack_first = AckFirst()
    work.start(job_handlers(answering, ack_first if http else None, file_triage, feedback, home))
    intake = Intake(seen, work, dropped)
    register_listeners(app, intake, answering, feedback=feedback is not None, home=True)
    events = EventsFastPath(settings.slack_signing_secret or "" if http else "", intake)
    return SlackBot(app=app, answering=answering, seen=seen, listener_pool=listener_pool, work=work, events=events,
                    ack_first=ack_first, file_triage=file_triage)
