import io

import pytest

from bot.core.triage import TriageDesk
from bot.matching.matcher import Matcher
from bot.triage.labels import StatusBook
from bot.triage.reader import open_export


@pytest.fixture(scope="session")
def matcher(kb):
    return Matcher(kb)


@pytest.fixture(scope="session")
def book(kb, matcher):
    return StatusBook(kb, matcher.match)


@pytest.fixture(scope="session")
def desk(kb, matcher):
    return TriageDesk(kb, matcher.match)


@pytest.fixture
def read(book):
    """read(bytes, **options) -> (Export, [ExportRow, ...])"""

    def run(data: bytes, **options):
        export = open_export(io.BytesIO(data), book, **options)
        return export, list(export.rows())

    return run
