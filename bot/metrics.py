"""Prometheus metrics of the chat processes (served on /metrics): answers, latency, API errors, feedback.

One registry per process, handed to the adapters; nothing is registered at import time.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.core.models import Reply

CONTENT_TYPE = CONTENT_TYPE_LATEST
# Answers from the knowledge base take milliseconds; live lookups and summaries up to the API budget.
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.answers = Counter("invitation_bot_answers", "Answers given, by kind, language and platform",
                               ["kind", "language", "platform", "follow_up"], registry=self.registry)
        self.latency = Histogram("invitation_bot_answer_seconds", "Time from question to answer (the brain's part)",
                                 ["platform"], buckets=_LATENCY_BUCKETS, registry=self.registry)
        self.api_errors = Counter("invitation_bot_api_errors", "Invitations API failures seen in answers, by type",
                                  ["type"], registry=self.registry)
        self.redeliveries = Counter("invitation_bot_redeliveries_dropped",
                                    "Repeated deliveries of an event already taken, dropped", ["platform"],
                                    registry=self.registry)
        self.feedback = Counter("invitation_bot_feedback", "Feedback on answers: up, down, picked, comment",
                                ["platform", "kind"], registry=self.registry)
        self.events_dropped = Counter("invitation_bot_events_dropped",
                                      "Feedback and gap events dropped because the buffer was full",
                                      registry=self.registry)

    # -- the observers the conversation and the adapters call ------------------------------------

    def answered(self, reply: Reply, platform: str, seconds: float, follow_up: bool) -> None:
        self.answers.labels(reply.kind.value, reply.language, platform, "yes" if follow_up else "no").inc()
        self.latency.labels(platform).observe(seconds)
        error = reply.data.get("error")
        if isinstance(error, str) and error.startswith("api_"):
            self.api_errors.labels(error).inc()

    def redelivery_dropped(self, platform: str) -> None:
        self.redeliveries.labels(platform).inc()

    def feedback_given(self, platform: str, kind: str) -> None:
        self.feedback.labels(platform, kind).inc()

    def event_dropped(self) -> None:
        self.events_dropped.inc()

    def exposition(self) -> bytes:
        """The Prometheus text format of every metric."""
        return bytes(generate_latest(self.registry))
