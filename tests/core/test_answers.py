"""Shown answers: remembered with their audience, re-rendered for it, and only the asker changes them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from bot.answer_store import MemoryAnswerStore, answer_store
from bot.core.answers import ShownAnswer, ShownAnswers
from bot.core.models import Asker, Question, Reply, ReplyKind

ASKED = datetime(2026, 11, 27, 14, 0, tzinfo=UTC)
MERCHANT = Asker(user_id="U0GUEST", team_id="T0SHOP", internal=False, channel_id="C0SHARED", shared_channel=True)
STAFF = Asker(user_id="U0STAFF", team_id="T0HOME", internal=True, channel_id="C0SHARED", shared_channel=True)
OTHER_MERCHANT = Asker(user_id="U0OTHER", team_id="T0SHOP", internal=False, channel_id="C0SHARED",
                       shared_channel=True)


class Recorder:
    """Answers with the kind it is told, in the asked language; records every question."""

    def __init__(self, kind: ReplyKind = ReplyKind.LOOKUP) -> None:
        self.kind = kind
        self.questions: list[Question] = []

    def answer(self, question: Question, progress=None) -> Reply:
        self.questions.append(question)
        language = question.language or question.fallback_language
        return Reply(kind=self.kind, language=language, title=f"{language}:{question.text}", question=question.text)


def shown_answers(kind: ReplyKind = ReplyKind.LOOKUP) -> tuple[ShownAnswers, Recorder]:
    brain = Recorder(kind)
    return ShownAnswers(brain, MemoryAnswerStore(), clock=lambda: ASKED), brain


def test_the_askers_click_re_renders_for_the_original_audience_in_place():
    answers, brain = shown_answers()
    shown = answers.ask(Question("status x", fallback_language="en", asker=MERCHANT))
    click = answers.click(shown.answer_id, MERCHANT, language="sv", full=True)
    assert click.in_place and click.answer_id == shown.answer_id
    again = brain.questions[-1]
    assert (again.asker, again.language, again.full, again.asked_at) == (MERCHANT, "sv", True, ASKED)


def test_staff_click_on_a_merchants_answer_is_private_and_keeps_the_merchants_rights():
    answers, brain = shown_answers(ReplyKind.REFUSAL)
    shown = answers.ask(Question("status x", fallback_language="en", asker=MERCHANT))
    click = answers.click(shown.answer_id, STAFF, language="sv", full=False)
    assert not click.in_place
    assert brain.questions[-1].asker == MERCHANT


def test_an_outsider_gets_only_a_note_for_someone_elses_live_answer():
    answers, brain = shown_answers(ReplyKind.LOOKUP)
    shown = answers.ask(Question("status x", fallback_language="en", asker=STAFF))
    asked = len(brain.questions)
    click = answers.click(shown.answer_id, OTHER_MERCHANT, language="en", full=False)
    assert not click.in_place and click.answer_id is None
    assert click.reply.kind is ReplyKind.ERROR and "Only the person who asked" in click.reply.title
    assert len(brain.questions) == asked  # nothing was asked again


def test_an_explanation_may_be_seen_privately_by_anyone():
    answers, _brain = shown_answers(ReplyKind.EXPLAIN)
    shown = answers.ask(Question("spf", fallback_language="en", asker=STAFF))
    click = answers.click(shown.answer_id, OTHER_MERCHANT, language="sv", full=False)
    assert not click.in_place and click.reply.title == "sv:spf"


def test_unknown_or_expired_answers_get_a_note_in_the_asked_language():
    answers, _brain = shown_answers()
    click = answers.click("no-such-answer", STAFF, language="sv", full=False)
    assert not click.in_place and click.reply.title == "Det här svaret finns inte kvar längre."


def test_errors_offer_nothing_to_click():
    answers, _brain = shown_answers(ReplyKind.ERROR)
    assert answers.ask(Question("x", asker=STAFF)).answer_id is None


def test_memory_store_forgets_after_its_time_to_live_and_beyond_its_size():
    now = [0.0]
    store = MemoryAnswerStore(ttl=10, max_answers=2, clock=lambda: now[0])
    answer = ShownAnswer(Question("x"), ReplyKind.EXPLAIN, ASKED)
    store.put("a", answer)
    now[0] = 5
    store.put("b", answer)
    now[0] = 7
    store.put("c", answer)
    assert store.get("a") is None and store.get("b") == answer
    now[0] = 16
    assert store.get("b") is None and store.get("c") == answer


def test_a_stored_answer_survives_json_and_foreign_json_is_refused():
    answer = ShownAnswer(Question("fråga", language="sv", fallback_language="en", asker=MERCHANT, full=True,
                                  asked_at=ASKED), ReplyKind.LOOKUP, ASKED)
    again = ShownAnswer.from_json(answer.to_json())
    assert again == ShownAnswer(Question("fråga", language="sv", fallback_language="en", asker=MERCHANT,
                                         full=True), ReplyKind.LOOKUP, ASKED)
    for foreign in ("", "[]", '{"question": {"text": "x"}}', '{"question": {"text": "x", "asker": {"x": 1}}}'):
        assert ShownAnswer.from_json(foreign) is None


def test_with_redis_down_answers_are_kept_in_this_instances_memory(caplog):
    store = answer_store("redis://127.0.0.1:1/0")  # nothing listens on port 1
    answer = ShownAnswer(Question("x"), ReplyKind.EXPLAIN, ASKED)
    store.put("a", answer)
    assert store.get("a") == answer
    assert "redis unavailable" in caplog.text


def test_an_answer_shown_in_a_conversation_answers_clicks_from_there_only():
    answers, brain = shown_answers(ReplyKind.EXPLAIN)
    shown = answers.ask(Question("spf", fallback_language="en", asker=STAFF), shown_in="19:here@thread.v2")
    asked = len(brain.questions)
    for elsewhere in ("19:there@thread.v2", None):
        click = answers.click(shown.answer_id, STAFF, language="sv", full=False, where=elsewhere)
        assert not click.in_place and click.answer_id is None
        assert click.reply.title == "Det här svaret finns inte kvar längre."  # reads as expired: nothing told
    assert len(brain.questions) == asked
    click = answers.click(shown.answer_id, STAFF, language="sv", full=False, where="19:here@thread.v2")
    assert click.in_place and click.reply.title == "sv:spf"


def test_an_answer_tied_to_no_conversation_is_not_found_from_one():
    answers, _brain = shown_answers(ReplyKind.EXPLAIN)
    shown = answers.ask(Question("spf", fallback_language="en", asker=STAFF))
    click = answers.click(shown.answer_id, STAFF, language="en", full=False, where="19:any@thread.v2")
    assert click.answer_id is None and "no longer available" in click.reply.title


def test_the_conversation_survives_json():
    answer = ShownAnswer(Question("x", asker=MERCHANT), ReplyKind.REFUSAL, ASKED, shown_in="19:c@thread.tacv2")
    assert ShownAnswer.from_json(answer.to_json()) == answer
    assert ShownAnswer.from_json(answer.to_json().replace('"19:c@thread.tacv2"', "[1]")) is None


def test_redis_store_is_shared_by_instances(redis_url):
    first, second = answer_store(redis_url), answer_store(redis_url)
    answer = ShownAnswer(Question("spf", asker=MERCHANT), ReplyKind.EXPLAIN, ASKED, shown_in="19:c@thread.tacv2")
    answer_id = f"shared-{uuid.uuid4()}"
    first.put(answer_id, answer)
    assert second.get(answer_id) == answer
    assert second.get(answer_id + "-missing") is None


def test_memory_store_bounds_the_questions_it_keeps_in_total():
    store = MemoryAnswerStore(max_chars=25_000)
    for n in range(3):
        store.put(f"id-{n}", ShownAnswer(Question("x" * 10_000), ReplyKind.LOOKUP, ASKED))
    assert store.get("id-0") is None and store.get("id-1") is not None and store.get("id-2") is not None
    assert len(store) == 2
