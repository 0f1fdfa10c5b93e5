"""The counts behind a failure summary: delivered, pending and failed, and the failures by what can be done."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.invitations.models import StatusStats
from bot.knowledge.model import Category, FailureGroup, KnowledgeBase, StatusEntry, failure_group

# The fixes worth naming.
TOP_FIXES = 3
_PENDING_CODES = frozenset({"queued", "sending"})


@dataclass(frozen=True)
class Figures:
    """The counts of one period, split into delivered, pending and not delivered."""

    total: int
    delivered: int
    pending: int
    not_delivered: int
    # Failure statuses and their counts, largest first.
    failures: tuple[tuple[str, int], ...] = ()
    by_status: Mapping[str, int] = field(default_factory=dict)

    @property
    def delivery_rate(self) -> float | None:
        return self.delivered / self.total if self.total else None


def category_of(code: str, kb: KnowledgeBase) -> Category:
    """Delivered, pending or not delivered; a code the knowledge base lacks counts by its name."""
    entry = kb.get(code)
    if entry is not None:
        return entry.category
    if code == "delivered" or code.startswith("delivered_"):
        return Category.DELIVERED
    if code in _PENDING_CODES:
        return Category.PENDING
    return Category.NOT_DELIVERED


def figures(stats: StatusStats, kb: KnowledgeBase) -> Figures:
    delivered = pending = 0
    failures: list[tuple[str, int]] = []
    for code, count in stats.by_status.items():
        category = category_of(code, kb)
        if category is Category.DELIVERED:
            delivered += count
        elif category is Category.PENDING:
            pending += count
        elif count:
            failures.append((code, count))
    failures.sort(key=lambda item: (-item[1], item[0]))
    # The API's total wins, but never below what byStatus itself accounts for.
    total = max(stats.total, delivered + pending + sum(count for _code, count in failures))
    return Figures(
        total=total,
        delivered=delivered,
        pending=pending,
        not_delivered=sum(count for _code, count in failures),
        failures=tuple(failures),
        by_status=dict(stats.by_status),
    )


def top_fixes(current: Figures, kb: KnowledgeBase) -> list[tuple[StatusEntry, int]]:
    """Failures that a fix really recovers (fix the cause, then send again: `recoverable_by_fix`), largest first."""
    return failures_by_group(current, kb)[FailureGroup.RECOVERABLE][:TOP_FIXES]


def failures_by_group(current: Figures, kb: KnowledgeBase) -> dict[FailureGroup, list[tuple[StatusEntry, int]]]:
    """The failures of known statuses by what can be done about them, each group largest first.

    Every group is present (maybe empty), in the order a summary lists them. Codes the knowledge base lacks
    belong to no group: nobody knows yet what can be done about them.
    """
    groups: dict[FailureGroup, list[tuple[StatusEntry, int]]] = {group: [] for group in FailureGroup}
    for code, count in current.failures:
        entry = kb.get(code)
        if entry is not None:
            groups[failure_group(entry)].append((entry, count))
    return groups
