"""The knowledge-gap report: unanswered questions grouped by wording, 👎 by status, unknown codes, hand-offs.

The database does the counting (one grouped query each); only the distinct wordings of unanswered
questions come back, and rapidfuzz groups those that differ a little (typos, word order).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import Engine, and_, func, select

from bot.conversation.schema import events

# Wordings grouped per report: the most frequent ones; rarer ones beyond these are counted apart.
MAX_WORDINGS = 2_000
# How alike two wordings must be (rapidfuzz ratio of their sorted words, 0-100) to count as one question.
SIMILAR = 82
TOP_GROUPS = 20
EXAMPLES = 3


@dataclass
class Group:
    example: str
    count: int
    examples: list[str] = field(default_factory=list)


@dataclass
class StatusFeedback:
    status: str
    up: int = 0
    down: int = 0
    picked: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class GapsReport:
    since: date
    unanswered: list[Group]
    feedback: list[StatusFeedback]
    unknown_codes: list[tuple[str, int]]
    handoffs: int
    # Unanswered questions whose wording was too rare to be grouped (beyond MAX_WORDINGS).
    unanswered_other: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(),
            "unanswered": [{"example": g.example, "count": g.count, "examples": g.examples} for g in self.unanswered],
            "unansweredOther": self.unanswered_other,
            "feedback": [{"status": f.status, "up": f.up, "down": f.down, "picked": f.picked, "notes": f.notes}
                         for f in self.feedback],
            "unknownCodes": [{"code": code, "count": count} for code, count in self.unknown_codes],
            "handoffs": self.handoffs,
        }


def _sorted_words(key: str) -> str:
    return " ".join(sorted(key.split()))


def group_wordings(wordings: list[tuple[str, int, str]]) -> list[Group]:
    """(text_key, count, example) rows, most frequent first -> groups of similar wording, biggest first."""
    groups: list[Group] = []
    keys: list[str] = []
    for key, count, example in wordings:
        sorted_key = _sorted_words(key)
        found = process.extractOne(sorted_key, keys, scorer=fuzz.ratio, score_cutoff=SIMILAR) if keys else None
        if found is None:
            keys.append(sorted_key)
            groups.append(Group(example=example, count=count, examples=[example]))
            continue
        group = groups[found[2]]
        group.count += count
        if len(group.examples) < EXAMPLES and example not in group.examples:
            group.examples.append(example)
    groups.sort(key=lambda g: g.count, reverse=True)
    return groups


def gaps_report(engine: Engine, since: datetime, *, top: int = TOP_GROUPS) -> GapsReport:
    recent = events.c.at >= since
    with engine.connect() as connection:
        wordings_query = (
            select(events.c.text_key, func.count(), func.min(events.c.text))
            .where(and_(events.c.kind == "unanswered", recent, events.c.text_key.is_not(None)))
            .group_by(events.c.text_key)
            .order_by(func.count().desc(), events.c.text_key)
        )
        rows = [(key, int(count), example) for key, count, example in connection.execute(wordings_query)]
        votes = connection.execute(
            select(events.c.status, events.c.vote, func.count())
            .where(and_(events.c.kind == "feedback", recent, events.c.vote.is_not(None)))
            .group_by(events.c.status, events.c.vote)
        ).all()
        picks = connection.execute(
            select(events.c.status, events.c.picked, func.count())
            .where(and_(events.c.kind == "feedback", recent, events.c.picked.is_not(None)))
            .group_by(events.c.status, events.c.picked)
        ).all()
        notes = connection.execute(
            select(events.c.status, events.c.text)
            .where(and_(events.c.kind == "feedback", recent, events.c.text.is_not(None)))
            .order_by(events.c.at.desc()).limit(500)
        ).all()
        codes = connection.execute(
            select(events.c.code, func.count())
            .where(and_(events.c.kind == "unknown_code", recent, events.c.code.is_not(None)))
            .group_by(events.c.code).order_by(func.count().desc(), events.c.code)
        ).all()
        handoffs = connection.execute(
            select(func.count()).select_from(events).where(and_(events.c.kind == "handoff", recent))
        ).scalar_one()
    grouped = group_wordings(rows[:MAX_WORDINGS])
    return GapsReport(
        since=since.date(),
        unanswered=grouped[:top],
        feedback=_feedback(votes, picks, notes),
        unknown_codes=[(str(code), int(count)) for code, count in codes],
        handoffs=int(handoffs),
        unanswered_other=sum(count for _key, count, _example in rows[MAX_WORDINGS:]),
    )


def _feedback(votes: Any, picks: Any, notes: Any) -> list[StatusFeedback]:
    by_status: dict[str, StatusFeedback] = {}

    def entry(status: str | None) -> StatusFeedback:
        name = status or "none"
        return by_status.setdefault(name, StatusFeedback(status=name))

    for status, vote, count in votes:
        if vote == "up":
            entry(status).up += int(count)
        else:
            entry(status).down += int(count)
    picked: dict[str, dict[str, int]] = defaultdict(dict)
    for status, choice, count in picks:
        picked[status or "none"][str(choice)] = int(count)
    for status, choices in picked.items():
        entry(status).picked = dict(sorted(choices.items(), key=lambda item: (-item[1], item[0])))
    for status, text in notes:
        found = entry(status)
        if len(found.notes) < EXAMPLES:
            found.notes.append(str(text))
    return sorted(by_status.values(), key=lambda f: (-f.down, -sum(f.picked.values()), -f.up, f.status))
