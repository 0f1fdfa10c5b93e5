"""Many invitations checked at once: fetched side by side, tallied by status, the failures explained."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Protocol, runtime_checkable

from bot.core.explain import explanation_sections, read_more_link, unknown_status_sections
from bot.core.invitation_view import invitation_data, record_gap, status_label
from bot.core.models import Reply, ReplyKind, Section
from bot.i18n.catalog import gettext_for
from bot.i18n.formats import format_number
from bot.invitations.errors import ApiError, ApiUnavailable, RateLimited
from bot.invitations.models import Invitation
from bot.invitations.ratelimit import bulk_requests
from bot.knowledge.model import Category, KnowledgeBase

# Lookups in flight at once; the API client's own limiter and concurrency bound still apply.
WORKERS = 4
# Bulk checks running at once, in all: each holds an answer thread for as long as its share of the rate
# limit lasts (minutes), and more of them do not go faster (the API gives bulk work a few slots).
MAX_RUNNING = 3
# Ids shown after each status, and failure statuses explained in full.
IDS_SHOWN = 5
EXPLAINED = 2

Progress = Callable[[int, int], None]
Outcome = Invitation | ApiError | None


@runtime_checkable
class TimedProgress(Protocol):
    """A progress display that can also tell the asker, up front, how long the check will take."""

    def __call__(self, done: int, total: int) -> None: ...

    def expect(self, seconds: float, total: int) -> None: ...


@runtime_checkable
class PacedSource(Protocol):
    """An invitations source that knows how long a bulk check's requests will take (its rate limit)."""

    def estimate_bulk_seconds(self, requests: int) -> float: ...


class BulkSlots:
    """Bulk checks allowed to run at once: one per conversation and a few in all, so that pasted lists (one
    merchant pasting again and again, or several at once) never hold every answer thread and lock everyone
    else out; a check that finds no slot is answered at once with when to try again."""

    def __init__(self, total: int = MAX_RUNNING) -> None:
        self.total = total
        self._lock = threading.Lock()
        self._running: set[str] = set()

    @contextmanager
    def take(self, conversation: str) -> Iterator[str | None]:
        """Yields None with a slot held, or why there is none: "here" (one is running in this conversation)
        or "busy" (the others are taken)."""
        with self._lock:
            refused = ("here" if conversation in self._running
                       else "busy" if len(self._running) >= self.total else None)
            if refused is None:
                self._running.add(conversation)
        try:
            yield refused
        finally:
            if refused is None:
                with self._lock:
                    self._running.discard(conversation)


def fetch_all(ids: tuple[str, ...], fetch: Callable[[str], Invitation | None],
              progress: Progress | None = None, estimate: float | None = None) -> dict[str, Outcome]:
    """Each id's invitation, None when not found, or the ApiError its lookup ended with.

    The lookups are bulk work for the API client: a bounded share of its rate limit, after
    interactive lookups. `estimate` (seconds) is passed on to a TimedProgress before they start.
    Once the API is unavailable (or the share is used up for longer than a bulk check may wait)
    the remaining ids are not tried: each would wait out its budget to say the same thing.
    """
    if estimate is not None and isinstance(progress, TimedProgress):
        progress.expect(estimate, len(ids))
    outcomes: dict[str, Outcome] = {}
    down: list[ApiUnavailable] = []
    lock = threading.Lock()

    def one(invitation_id: str) -> Outcome:
        with lock:
            if down:
                return down[0]
        try:
            with bulk_requests():
                return fetch(invitation_id)
        except ApiUnavailable as exc:
            with lock:
                down.append(exc)
            return exc
        except ApiError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="bulk") as pool:
        futures = {pool.submit(one, invitation_id): invitation_id for invitation_id in ids}
        for done, future in enumerate(as_completed(futures), start=1):
            outcomes[futures[future]] = future.result()
            if progress is not None:
                progress(done, len(ids))
    return outcomes


def bulk_reply(ids: tuple[str, ...], outcomes: dict[str, Outcome], kb: KnowledgeBase, language: str,
               question_text: str, left_out: int = 0) -> Reply:
    _ = gettext_for(language)
    found = [o for o in (outcomes[i] for i in ids) if isinstance(o, Invitation)]
    missing = [i for i in ids if outcomes[i] is None]
    failed = [i for i in ids if isinstance(outcomes[i], ApiError)]
    counts = Counter(invitation.status for invitation in found)
    ids_of: dict[str, list[str]] = {}
    for invitation in found:
        ids_of.setdefault(invitation.status, []).append(invitation.id)

    def line(code: str) -> str:
        shown = ids_of[code][:IDS_SHOWN]
        more = len(ids_of[code]) - len(shown)
        listed = ", ".join(shown) + (" " + _("and %(count)s more") % {"count": more} if more else "")
        return _("%(status)s: %(count)s (%(ids)s)") % {
            "status": status_label(code, kb, language), "count": format_number(counts[code], language),
            "ids": listed}

    ranked = sorted(counts, key=lambda code: (-counts[code], code))
    sections: list[Section] = [Section(heading=_("By status"), items=tuple(line(code) for code in ranked))]
    if missing:
        sections.append(Section(heading=_("Not found"), items=tuple(missing)))
    notices: list[str] = []
    if failed:
        sections.append(Section(heading=_("Could not be fetched"), items=tuple(failed)))
        waits = [o.retry_after for o in (outcomes[i] for i in failed)
                 if isinstance(o, RateLimited) and o.retry_after is not None]
        if waits:
            minutes = max(1, math.ceil(max(waits) / 60))
            notices.append(_("%(count)s invitations could not be fetched: the invitations service is busy. "
                             "Try again in %(minutes)s minutes.")
                           % {"count": format_number(len(failed), language), "minutes": minutes})
        else:
            notices.append(_("%(count)s invitations could not be fetched right now; ask again in a few minutes.")
                           % {"count": format_number(len(failed), language)})
    if left_out:
        notices.append(_("Only the first %(checked)s ids were checked; %(left)s more were left out.")
                       % {"checked": format_number(len(ids), language),
                          "left": format_number(left_out, language)})
    # Known failures first: their next steps help; an unknown code is explained after them.
    failures = sorted((code for code in ranked if _is_failure(code, kb)), key=lambda code: code not in kb)
    for code in failures[:EXPLAINED]:
        sections.append(Section(heading=_("About the status %(status)s")
                                % {"status": status_label(code, kb, language)}))
        entry = kb.get(code)
        if entry is not None:
            sections.extend(explanation_sections(entry, language))
        else:
            record_gap(code, f"bulk check of {len(ids)} invitations")
            sections.extend(unknown_status_sections(code, language))
    headline = next(iter(failures or ranked), None)
    return Reply(
        kind=ReplyKind.LOOKUP,
        language=language,
        title=_("Checked %(count)s invitations") % {"count": format_number(len(ids), language)},
        sections=tuple(sections),
        notices=tuple(notices),
        status=headline,
        question=question_text,
        read_more=next((link for code in failures[:EXPLAINED] if (link := read_more_link(kb.get(code), language))),
                       None),
        data={
            "checked": len(ids),
            "byStatus": dict(counts),
            "invitations": [invitation_data(invitation, kb) for invitation in found],
            "notFound": missing,
            "failed": failed,
            "leftOut": left_out,
            "status": headline,
            "language": language,
        },
    )


def _is_failure(code: str, kb: KnowledgeBase) -> bool:
    entry = kb.get(code)
    # A code the knowledge base lacks is worth explaining too: it says so and is recorded as a gap.
    return entry is None or entry.category is Category.NOT_DELIVERED
