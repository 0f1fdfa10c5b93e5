"""The work-queue port: accepted jobs go in; handlers registered by kind run them on worker threads."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """One piece of accepted work.

    `payload` must survive a JSON round trip (it may travel through Redis to another instance);
    `ref` is what logs call the job, e.g. "event Ev0123" or "command trigger 123.456", so a reply
    that could not be given can be traced to what Slack sent.
    """

    kind: str
    payload: Mapping[str, Any]
    ref: str = ""
    # Times this job was taken over from an instance that stopped answering it (Redis only).
    takeovers: int = field(default=0, compare=False)


Handler = Callable[[Job], None]


class Abandoned(Exception):
    """Raised by a handler when this instance stops before its job is done (a shutdown cut the answer short).

    A durable queue does not acknowledge the job, so another instance takes it over and answers it; the
    in-process queue can only log it as lost.
    """


class WorkQueue(Protocol):
    # True when accepted work outlives this process (another instance can take it over).
    durable: bool

    def start(self, handlers: Mapping[str, Handler]) -> None:
        """Start the worker threads; each job runs the handler registered for its kind."""
        ...

    def put(self, job: Job) -> None:
        """Accept a job. Quick: called while the asker's request waits for its acknowledgement."""
        ...

    def wait_idle(self, timeout: float) -> bool:
        """True once every job this instance has accepted or taken has finished (tests, shutdown)."""
        ...

    def close(self) -> None:
        """Stop taking jobs; jobs not yet started stay queued where the queue is durable."""
        ...


def run_job(handlers: Mapping[str, Handler], job: Job) -> bool:
    """Run `job`'s handler; False (logged with the job's ref) when it failed or has no handler.

    `Abandoned` (this instance is stopping) is raised on: the queue decides what becomes of the job.

    A failure here means the asker got no answer: the log line names the job so it can be traced.
    """
    handler = handlers.get(job.kind)
    if handler is None:
        log.error("no handler for %s job (%s); dropped", job.kind, job.ref or "no ref")
        return False
    try:
        handler(job)
    except Abandoned:
        raise
    except Exception as exc:
        log.exception("%s job failed, no answer was given (%s): %s", job.kind, job.ref or "no ref", exc)
        return False
    return True
