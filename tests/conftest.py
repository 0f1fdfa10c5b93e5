import pytest

from bot.core.assistant import Assistant
from bot.core.models import Asker, Question, Reply
from bot.knowledge.loader import load_knowledge
from bot.matching.matcher import Matcher


@pytest.fixture(scope="session")
def kb():
    return load_knowledge()


@pytest.fixture(scope="session")
def assistant(kb):
    return Assistant(kb, Matcher(kb))


@pytest.fixture
def say(assistant):
    """A chat turn: text in, Reply out, as a console user whose fallback language is Swedish."""

    def turn(text: str, language: str | None = None, fallback: str = "sv") -> Reply:
        return assistant.answer(Question(text=text, language=language, fallback_language=fallback,
                                         asker=Asker.console()))

    return turn
