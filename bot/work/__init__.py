"""Work accepted from a chat surface (Slack, Teams) and answered later, on worker threads.

`queue.WorkQueue` is the port: the in-process queue (`memory`) loses what is in flight when the
process dies; the Redis stream (`redis_stream`) lets a surviving instance take it over.
`work_queue(redis_url, name)` picks one.
"""

from __future__ import annotations

import logging

from bot.work.queue import Abandoned, Handler, Job, WorkQueue, run_job

log = logging.getLogger(__name__)

__all__ = ["Abandoned", "Handler", "Job", "WorkQueue", "run_job", "work_queue"]


def work_queue(redis_url: str | None, name: str, threads: int, *, claim_idle: float | None = None) -> WorkQueue:
    """The Redis stream queue when `redis_url` is given, else the in-process one (which says in the
    log that what is in flight is lost if the process dies)."""
    if redis_url:
        from bot.work.redis_stream import CLAIM_IDLE_SECONDS, redis_work_queue

        return redis_work_queue(redis_url, name, threads,
                                claim_idle=claim_idle if claim_idle is not None else CLAIM_IDLE_SECONDS)
    from bot.work.memory import MemoryWorkQueue

    log.warning("no REDIS_URL: %s work accepted but not yet answered is lost if this process crashes "
                "(set REDIS_URL so that another instance takes it over)", name)
    return MemoryWorkQueue(threads, name)
