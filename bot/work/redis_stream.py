"""The work queue on a Redis stream with a consumer group, so accepted work outlives its instance.

Every instance reads new jobs from the group (XREADGROUP), only as many as it has free worker
threads, and acknowledges and deletes each job once it is done (XACK, XDEL). While a job runs,
its instance renews its claim every `check_every` seconds (XCLAIM ... JUSTID resets the idle
time). A job whose claim has not been renewed for `claim_idle` seconds belongs to an instance
that died: a surviving instance takes it over (XAUTOCLAIM) and runs it from the start. So a
job is taken over at most `claim_idle + check_every` seconds after its instance died (20 s with
the defaults), and each job is answered once unless an instance dies in the moment between
posting an answer and acknowledging its job. A job taken over `max_takeovers` times (it may be
what kills instances) is logged and dropped.

When Redis cannot take a job, it runs in this process (logged): answered late is better than lost.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import uuid
from collections.abc import Mapping
from typing import Any

from bot.work.executor import TrackedExecutor
from bot.work.queue import Abandoned, Handler, Job, run_job

log = logging.getLogger(__name__)

GROUP = "workers"
CLAIM_IDLE_SECONDS = 15.0
CHECK_EVERY_SECONDS = 5.0
MAX_TAKEOVERS = 3
# Bounds the stream if every instance is down for long; each entry is a few KB.
MAX_STREAM_LENGTH = 100_000
BLOCK_MS = 1_000


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class RedisWorkQueue:
    durable = True

    def __init__(self, client: Any, reader: Any, name: str, threads: int, *,
                 claim_idle: float = CLAIM_IDLE_SECONDS, check_every: float | None = None,
                 max_takeovers: int = MAX_TAKEOVERS, consumer: str | None = None) -> None:
        """`client` runs quick commands; `reader` (its own connection) blocks on XREADGROUP."""
        self._redis = client
        self._reader = reader
        self.stream = f"invitation-bot:work:{name}"
        self._takeovers_key = f"{self.stream}:takeovers"
        self.consumer = consumer or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.threads = threads
        self._claim_idle_ms = int(claim_idle * 1000)
        # Renewals must come well within the idle time that counts as dead.
        self._check_every = check_every if check_every is not None else min(CHECK_EVERY_SECONDS, claim_idle / 3)
        self._max_takeovers = max_takeovers
        self._pool = TrackedExecutor(max_workers=threads, thread_name_prefix=f"{name}-worker")
        self._slots = threading.BoundedSemaphore(threads)
        self._handlers: Mapping[str, Handler] = {}
        self._active: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    # -- the port -----------------------------------------------------------------------------

    def start(self, handlers: Mapping[str, Handler]) -> None:
        self._handlers = dict(handlers)
        try:
            self._redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except Exception as exc:  # BUSYGROUP: another instance created it first
            if "BUSYGROUP" not in str(exc):
                log.warning("could not create the work queue's consumer group (%s); will retry on read", exc)
        for target, label in ((self._read_loop, "reader"), (self._claim_loop, "claimer")):
            thread = threading.Thread(target=target, name=f"work-{label}", daemon=True)
            thread.start()
            self._threads.append(thread)
        log.info("work queue on Redis stream %s as consumer %s", self.stream, self.consumer)

    def put(self, job: Job) -> None:
        fields = {"kind": job.kind, "payload": json.dumps(job.payload, separators=(",", ":")), "ref": job.ref}
        try:
            self._redis.xadd(self.stream, fields, maxlen=MAX_STREAM_LENGTH, approximate=True)
        except Exception as exc:  # redis raises many types (connection, timeout, response)
            log.warning("Redis did not take %s job (%s): %s; running it in this process", job.kind, job.ref, exc)
            self._pool.submit(run_job, self._handlers, job)

    def wait_idle(self, timeout: float) -> bool:
        return self._pool.wait_idle(timeout)

    @property
    def pending(self) -> int:
        return self._pool.pending

    def close(self) -> None:
        """Stop reading and claiming. Jobs read but not started stay claimed by us in Redis, and a
        sibling takes them over once the claim runs out."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=BLOCK_MS / 1000 + 2)
        self._pool.shutdown(wait=False, cancel_futures=True)
        for client in (self._reader, self._redis):
            try:
                client.close()
            except Exception as exc:
                log.debug("closing a Redis connection: %s", exc)

    # -- reading new jobs ---------------------------------------------------------------------

    def _take_slots(self, blocking: bool) -> int:
        """Free worker threads reserved for jobs about to be read (at least one when blocking)."""
        taken = 0
        if blocking:
            while not self._slots.acquire(timeout=0.5):
                if self._stop.is_set():
                    return 0
            taken = 1
        while taken < self.threads and self._slots.acquire(blocking=False):
            taken += 1
        return taken

    def _give_back(self, count: int) -> None:
        for _ in range(count):
            self._slots.release()

    def _read_loop(self) -> None:
        failures = 0
        while not self._stop.is_set():
            slots = self._take_slots(blocking=True)
            if not slots:
                return
            try:
                answer = self._reader.xreadgroup(GROUP, self.consumer, {self.stream: ">"}, count=slots,
                                                 block=BLOCK_MS)
                failures = 0
            except Exception as exc:
                self._give_back(slots)
                failures += 1
                if "NOGROUP" in str(exc):
                    self._create_group()
                elif failures in (1, 10) or failures % 100 == 0:
                    log.warning("reading the work queue failed %d time(s): %s", failures, exc)
                self._stop.wait(min(5.0, 0.2 * failures))
                continue
            messages = [entry for _stream, entries in (answer or []) for entry in entries]
            self._give_back(slots - len(messages))
            for message_id, fields in messages:
                self._run_later(_text(message_id), fields, takeovers=0, slot=True)

    def _create_group(self) -> None:
        try:
            self._redis.xgroup_create(self.stream, GROUP, id="0", mkstream=True)
        except Exception as exc:
            if "BUSYGROUP" not in str(exc):
                log.warning("could not create the work queue's consumer group: %s", exc)

    def _run_later(self, message_id: str, fields: Mapping[Any, Any], takeovers: int, slot: bool) -> None:
        """Run a job we have claimed in Redis; `slot`: the reader reserved a worker thread for it."""
        with self._lock:
            self._active.add(message_id)
        try:
            self._pool.submit(self._run, message_id, fields, takeovers, slot)
        except RuntimeError:  # shutting down: the job stays claimed in Redis for a sibling
            self._finish_locally(message_id, slot)

    def _run(self, message_id: str, fields: Mapping[Any, Any], takeovers: int, slot: bool) -> None:
        try:
            job = self._decode(message_id, fields, takeovers)
            if job is not None:
                if takeovers:
                    log.info("took over %s job (%s) from an instance that stopped answering it", job.kind, job.ref)
                run_job(self._handlers, job)
            self._acknowledge(message_id, takeovers)
        except Abandoned as exc:
            # Not acknowledged: once our claim runs out (we stop renewing it when closed), a sibling takes it over.
            log.warning("job %s left for another instance: %s", message_id, exc)
        finally:
            self._finish_locally(message_id, slot)

    def _finish_locally(self, message_id: str, slot: bool) -> None:
        with self._lock:
            self._active.discard(message_id)
        if slot:
            self._slots.release()

    def _decode(self, message_id: str, fields: Mapping[Any, Any], takeovers: int) -> Job | None:
        values = {_text(key): _text(value) for key, value in fields.items()}
        try:
            payload = json.loads(values["payload"])
            return Job(kind=values["kind"], payload=payload, ref=values.get("ref", ""), takeovers=takeovers)
        except (KeyError, ValueError) as exc:
            log.error("unreadable job %s in %s (%s); dropped", message_id, self.stream, exc)
            return None

    def _acknowledge(self, message_id: str, takeovers: int) -> None:
        try:
            pipe = self._redis.pipeline(transaction=False)
            pipe.xack(self.stream, GROUP, message_id)
            pipe.xdel(self.stream, message_id)
            if takeovers:
                pipe.hdel(self._takeovers_key, message_id)
            pipe.execute()
        except Exception as exc:
            # The job is done; a sibling may run it again once our claim runs out.
            log.warning("could not acknowledge job %s (%s); it may be answered twice", message_id, exc)

    # -- renewing our claims and taking over those of dead instances ----------------------------

    def _claim_loop(self) -> None:
        while not self._stop.wait(self._check_every):
            try:
                self._renew()
                self._take_over()
            except Exception as exc:
                log.warning("work queue claim check failed: %s", exc)

    def _renew(self) -> None:
        with self._lock:
            active = list(self._active)
        if active:
            self._redis.xclaim(self.stream, GROUP, self.consumer, 0, active, justid=True)

    def _take_over(self) -> None:
        """Claim jobs whose instance stopped renewing them. They run on our pool even when every
        worker is busy (waiting there, their claim renewed), so the reader cannot starve them."""
        answer = self._redis.xautoclaim(self.stream, GROUP, self.consumer, self._claim_idle_ms,
                                        start_id="0-0", count=self.threads)
        for message_id, fields in answer[1] if answer else []:
            if not fields:  # deleted meanwhile
                continue
            key = _text(message_id)
            takeovers = int(self._redis.hincrby(self._takeovers_key, key, 1))
            if takeovers > self._max_takeovers:
                values = {_text(k): _text(v) for k, v in fields.items()}
                log.error("dropping %s job (%s) after %d takeovers: it may be what stops instances",
                          values.get("kind"), values.get("ref"), takeovers - 1)
                self._acknowledge(key, takeovers)
                continue
            self._run_later(key, fields, takeovers, slot=False)


def redis_work_queue(redis_url: str, name: str, threads: int, **options: Any) -> RedisWorkQueue:
    import redis

    # Quick commands fail fast; the reader's socket waits longer than its blocking read.
    client = redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2, health_check_interval=30)
    reader = redis.Redis.from_url(redis_url, socket_timeout=BLOCK_MS / 1000 + 5, socket_connect_timeout=2,
                                  health_check_interval=30)
    return RedisWorkQueue(client, reader, name, threads, **options)
