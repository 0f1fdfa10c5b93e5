"""Threads that continue: follow-ups read in the thread's context, rights applied again, misses recorded."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from live_fakes import ANNA_SPF, NORDIC, OTHER_INV, SHARED, UNKNOWN_CODE_INV, FakeInvitations, merchant, policy, staff

from bot.conversation.threads import MemoryThreadStore
from bot.core.assistant import Assistant
from bot.core.conversation import Conversation
from bot.core.live import LiveDesk
from bot.core.models import Question, ReplyKind
from bot.core.ports import Event, EventKind, Handoff
from bot.matching.matcher import Matcher
from bot.render.text import render_text


@dataclass
class ListSink:
    events: list[Event] = field(default_factory=list)

    def record(self, event: Event) -> None:
        self.events.append(event)

    def of(self, kind: EventKind) -> list[Event]:
        return [e for e in self.events if e.kind is kind]


@dataclass
class Desk:
    posted: list[Handoff] = field(default_factory=list)
    works: bool = True

    def hand_off(self, handoff: Handoff) -> bool:
        self.posted.append(handoff)
        return self.works


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def matcher(kb):
    return Matcher(kb)


@pytest.fixture
def chat(kb, matcher):
    from live_fakes import NOW

    desk = LiveDesk(FakeInvitations(), kb, policy(), clock=lambda: NOW)
    clock = Clock()
    sink = ListSink()
    handoffs = Desk()
    conversation = Conversation(Assistant(kb, matcher, desk), kb, policy(), MemoryThreadStore(clock=clock), sink)

    class Chat:
        events = sink
        desk = handoffs
        time = clock

        def say(self, text, asker=None, thread="slack:C1:100.1", language=None):
            question = Question(text=text, language=language, fallback_language="sv", asker=asker or staff())
            return conversation.answer(question, platform="slack", thread=thread, desk=handoffs)

    Chat.conversation = conversation
    return Chat()


def test_resend_follow_up_answers_about_the_status_of_the_thread(chat):
    first = chat.say("Ej levererad – SPF-fel")
    assert first.status == "spf_failure"
    follow = chat.say("kan jag skicka om den?")
    assert follow.status == "spf_failure" and follow.language == "sv"
    text = render_text(follow)
    assert "skicka" in text.lower() and "Kan den skickas igen?" in text


def test_the_same_words_outside_the_thread_are_a_new_question(chat):
    chat.say("Ej levererad – SPF-fel")
    elsewhere = chat.say("kan jag skicka om den?", thread="slack:C1:999.9")
    assert elsewhere.status != "spf_failure"


def test_who_must_act_and_next_steps_follow_ups(chat):
    chat.say("Not delivered - Invalid recipient")
    who = chat.say("who needs to fix it?")
    assert who.status == "invalid_recipient" and who.language == "en"
    assert who.sections[0].heading == "Who must act"


def test_show_in_english_repeats_the_answer_in_english(chat):
    chat.say("Ej levererad – SPF-fel")
    english = chat.say("visa på engelska")
    assert english.language == "en" and english.title == "Not delivered - SPF failure"


def test_an_id_pasted_later_is_looked_up(chat):
    chat.say("what happened to ORDER-10023 at nordic-shoes.example?")
    later = chat.say(f"here's the id: {ANNA_SPF}")
    assert later.kind is ReplyKind.LOOKUP and later.data["invitation"]["id"] == ANNA_SPF


def test_a_reference_without_an_account_uses_the_account_of_the_thread(chat):
    chat.say(f"status {ANNA_SPF}")
    found = chat.say("and ORDER-10050?")
    assert found.kind is ReplyKind.LOOKUP
    assert found.data["query"] == {"referenceNumber": "ORDER-10050"}


def test_a_question_of_its_own_in_the_thread_is_answered_on_its_own(chat):
    chat.say("Ej levererad – SPF-fel")
    other = chat.say("Not delivered - Invalid recipient")
    assert other.status == "invalid_recipient"


def test_a_vague_follow_up_is_read_together_with_the_status_of_the_thread(chat):
    chat.say("Ej levererad – SPF-fel")
    vague = chat.say("and if the sender is on another domain?")
    assert vague.kind is ReplyKind.EXPLAIN and vague.status is not None


def test_a_person_with_fewer_rights_gets_nothing_of_the_account_from_the_context(chat):
    # Staff look up another merchant's invitation in a shared channel ...
    first = chat.say(f"status {OTHER_INV}", asker=staff(channel=SHARED, shared=True))
    assert first.kind is ReplyKind.LOOKUP
    # ... and the merchant of that channel follows up in the same thread.
    resend = chat.say("kan jag skicka om den?", asker=merchant())
    assert resend.status is None and OTHER_INV not in render_text(resend)
    again = chat.say("kolla igen", asker=merchant())
    assert OTHER_INV not in render_text(again) and again.kind is not ReplyKind.LOOKUP


def test_the_merchant_may_follow_up_on_its_own_account(chat):
    chat.say(f"status {ANNA_SPF}", asker=merchant())
    again = chat.say("check it again", asker=merchant())
    assert again.kind is ReplyKind.LOOKUP and again.data["invitation"]["recipient"]["email"] == "a***@example.se"


def test_a_thread_whose_context_expired_reads_a_follow_up_as_new(chat):
    chat.say("Ej levererad – SPF-fel")
    chat.time.now += 24 * 3600 + 1
    assert not chat.conversation.knows_thread("slack:C1:100.1")
    late = chat.say("kan jag skicka om den?")
    assert late.status != "spf_failure"


def test_thats_not_it_records_a_down_vote_and_offers_the_alternatives(chat):
    first = chat.say("my invitations are not arriving")
    wrong = chat.say("that's not it")
    assert wrong.kind is ReplyKind.FEEDBACK and wrong.data["pick"] is True
    down = chat.events.of(EventKind.FEEDBACK)
    assert down and down[0].vote == "down" and down[0].status == first.status


def test_unanswered_questions_are_recorded_minimised(chat):
    reply = chat.say("varför får Anna Svensson anna.svensson@example.se inget från oss på fredagar xyzzy")
    if reply.kind in (ReplyKind.NO_MATCH, ReplyKind.HELP):
        recorded = chat.events.of(EventKind.UNANSWERED)
        assert recorded and "anna.svensson@" not in recorded[0].text and "Anna Svensson" not in recorded[0].text
        assert "a***@example.se" in recorded[0].text


def test_unknown_status_codes_are_recorded(chat):
    chat.say(f"status {UNKNOWN_CODE_INV}")
    (event,) = chat.events.of(EventKind.UNKNOWN_CODE)
    assert event.code == "delivery_deferred" and event.invitation_id == UNKNOWN_CODE_INV
    assert event.business_unit_id == NORDIC


def test_talk_to_a_person_hands_off_with_the_thread_context(chat):
    chat.say(f"status {ANNA_SPF}", asker=merchant())
    reply = chat.say("kan jag prata med någon?", asker=merchant())
    assert reply.kind is ReplyKind.HANDOFF and reply.data["handoff"] is True
    (posted,) = chat.desk.posted
    assert posted.business_unit_id == NORDIC and posted.status == "spf_failure"
    assert "anna@example.se" not in posted.question + posted.answered
    assert chat.events.of(EventKind.HANDOFF)


def test_without_an_escalation_place_the_asker_is_told_whom_to_contact(chat):
    chat.desk.works = False
    reply = chat.say("can I talk to a person?", thread=None)
    assert reply.kind is ReplyKind.HANDOFF and reply.data["handoff"] is False
    assert "support" in render_text(reply).lower()


def test_a_complaint_that_names_its_own_status_is_answered_not_taken_as_feedback(chat):
    chat.say("Ej levererad – SPF-fel")
    reply = chat.say("Not delivered - Invalid recipient is not right for us")
    assert reply.kind is ReplyKind.EXPLAIN and reply.status == "invalid_recipient"
    assert not chat.events.of(EventKind.FEEDBACK)


def test_words_about_connecting_a_domain_are_no_hand_off(chat):
    reply = chat.say("hur ska jag koppla domänen till SPF?", thread=None)
    assert reply.kind is not ReplyKind.HANDOFF and not chat.desk.posted


def test_a_follow_up_in_a_shared_channel_is_masked_like_every_answer(chat):
    chat.say("Ej levererad – SPF-fel", asker=merchant())
    reply = chat.say("can I resend it to anna.svensson@example.se?", asker=merchant())
    assert reply.status == "spf_failure"
    assert "anna.svensson@example.se" not in reply.question and "@example.se" in reply.question
