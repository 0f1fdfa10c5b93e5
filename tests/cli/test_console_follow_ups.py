"""The console chat is one conversation: a follow-up is read in the context of the answer before it."""

from __future__ import annotations

from bot.cli.chat import ConsoleThread
from bot.console import chat
from bot.conversation.threads import MemoryThreadStore
from bot.core.access import AccessPolicy
from bot.core.conversation import Conversation


def test_console_follow_up_uses_the_previous_answer(kb, assistant):
    session = ConsoleThread(Conversation(assistant, kb, AccessPolicy(), MemoryThreadStore()), "console:test")
    lines = iter(["Not delivered - Invalid recipient", "who needs to fix it?", "quit"])
    out: list[str] = []
    assert chat(session, language=None, fallback_language="sv", read=lambda _p: next(lines), write=out.append) == 0
    follow = out[-1]
    assert follow.startswith("Not delivered - Invalid recipient") and "Who must act" in follow
