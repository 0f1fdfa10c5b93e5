"""The in-process work queue: a thread pool. What is in flight is lost when the process dies."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from bot.work.executor import TrackedExecutor
from bot.work.queue import Abandoned, Handler, Job, run_job

log = logging.getLogger(__name__)


class MemoryWorkQueue:
    durable = False

    def __init__(self, threads: int, name: str = "work") -> None:
        self.threads = threads
        self._pool = TrackedExecutor(max_workers=threads, thread_name_prefix=f"{name}-worker")
        self._handlers: Mapping[str, Handler] = {}

    def start(self, handlers: Mapping[str, Handler]) -> None:
        self._handlers = dict(handlers)

    def put(self, job: Job) -> None:
        self._pool.submit(self._run, job)

    def _run(self, job: Job) -> None:
        try:
            run_job(self._handlers, job)
        except Abandoned as exc:
            log.error("%s job (%s) lost: this process stopped before it was answered (%s)", job.kind,
                      job.ref or "no ref", exc)

    def wait_idle(self, timeout: float) -> bool:
        return self._pool.wait_idle(timeout)

    @property
    def pending(self) -> int:
        return self._pool.pending

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
