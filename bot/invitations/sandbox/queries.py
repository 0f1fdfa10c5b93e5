"""Searches, pages and counts over a demo account, answered from the per-day tables instead of a scan."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.invitations.sandbox.data import Account


@dataclass(frozen=True)
class ListQuery:
    reference: str | None = None
    email: str | None = None
    statuses: frozenset[str] | None = None
    created_from: float | None = None
    created_to: float | None = None
    page: int = 1
    per_page: int = 20


def index_range(account: Account, created_from: float | None, created_to: float | None) -> tuple[int, int]:
    """The indices [low, high) created in [created_from, created_to)."""
    low = 0 if created_to is None else account.first_created_before(created_to)
    high = account.size if created_from is None else account.first_created_before(created_from)
    return low, max(low, high)


def _is_whole_day(account: Account, age: int, first: int, end: int) -> bool:
    return (first, end) == account.day_range(age)


def count_in_day(account: Account, age: int, first: int, end: int, statuses: frozenset[str]) -> int:
    if _is_whole_day(account, age, first, end):
        counts = account.day_counts[age]
        return sum(counts.get(status, 0) for status in statuses)
    return sum(1 for index in range(first, end) if account.status(index) in statuses)


def list_page(account: Account, query: ListQuery) -> tuple[list[int], int]:
    """The indices of one page (newest first) and the total number of matches."""
    offset = (query.page - 1) * query.per_page
    low, high = index_range(account, query.created_from, query.created_to)
    if query.reference is not None or query.email is not None:
        found: set[int] | None = None
        if query.reference is not None:
            found = set(account.by_reference(query.reference))
        if query.email is not None:
            by_email = set(account.by_email(query.email))
            found = by_email if found is None else found & by_email
        matches = sorted(
            index for index in (found or set())
            if low <= index < high and (query.statuses is None or account.status(index) in query.statuses)
        )
        return matches[offset: offset + query.per_page], len(matches)
    if query.statuses is None:
        start = min(high, low + offset)
        return list(range(start, min(high, start + query.per_page))), high - low
    items: list[int] = []
    total, skip = 0, offset
    for age, first, end in account.iter_days(low, high):
        count = count_in_day(account, age, first, end, query.statuses)
        total += count
        if len(items) >= query.per_page or count == 0:
            continue
        if skip >= count:
            skip -= count
            continue
        for index in range(first, end):
            if account.status(index) in query.statuses:
                if skip:
                    skip -= 1
                else:
                    items.append(index)
                    if len(items) >= query.per_page:
                        break
    return items, total


def status_counts(account: Account, created_from: float | None, created_to: float | None) -> dict[str, int]:
    """Invitations by status created in [created_from, created_to)."""
    low, high = index_range(account, created_from, created_to)
    counts: Counter[str] = Counter()
    for age, first, end in account.iter_days(low, high):
        if _is_whole_day(account, age, first, end):
            counts.update(account.day_counts[age])
        else:
            counts.update(account.status(index) for index in range(first, end))
    return dict(counts.most_common())
