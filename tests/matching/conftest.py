"""Fixtures for the matcher tests: a knowledge base made from the status labels alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.model import Action, Actor, Category, KnowledgeBase, Localized, LocalizedList, StatusEntry

LABELS_FILE = Path(__file__).with_name("labels.tsv")


def read_labels() -> list[tuple[str, str, str, str]]:
    """(id, Swedish label, English label, category) for each of the 37 statuses, in page order."""
    rows = []
    for line in LABELS_FILE.read_text(encoding="utf-8").splitlines()[1:]:
        status, sv, en, category = line.split("\t")
        rows.append((status, sv, en, category))
    return rows


def labels_only_kb() -> KnowledgeBase:
    empty = LocalizedList((), ())
    entries = {
        status: StatusEntry(
            id=status,
            category=Category(category),
            actor=Actor.NOBODY,
            action=Action.NOTHING_TO_DO,
            label=Localized(sv, en),
            meaning=Localized("", ""),
            cause=Localized("", ""),
            steps=empty,
            phrases=empty,
            keywords=empty,
        )
        for status, sv, en, category in read_labels()
    }
    return KnowledgeBase(entries)


@pytest.fixture(scope="session")
def label_kb() -> KnowledgeBase:
    return labels_only_kb()
