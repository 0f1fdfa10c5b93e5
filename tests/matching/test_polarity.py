"""Delivery polarity: what a question says about whether its invitation arrived, and how the matcher leans on it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.knowledge.cues import PolarityCues
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import Category, KnowledgeBase, LocalizedList
from bot.matching.matcher import Matcher
from bot.matching.normalize import normalize
from bot.matching.polarity import PolarityReader, factors
from bot.matching.variants import label_variants

POLARITY = Path(__file__).with_name("polarity.tsv")
# Floors per split, a little under what the matcher reaches, so a regression shows.
FLOORS = {"tune": 0.85, "held": 0.80}

D, N, P = Category.DELIVERED, Category.NOT_DELIVERED, Category.PENDING


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.fixture(scope="module")
def reader(kb) -> PolarityReader:
    assert kb.polarity is not None
    return PolarityReader(kb.polarity)


def _without_cues(kb: KnowledgeBase) -> KnowledgeBase:
    return KnowledgeBase({entry.id: entry for entry in kb}, kb.out_of_scope, kb.concepts)


def _rows() -> list[tuple[str, str, str, str]]:
    rows = []
    for line in POLARITY.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("query\t"):
            continue
        query, expected, kind, split = line.split("\t")
        rows.append((query, expected, kind, split))
    return rows


@pytest.mark.parametrize(
    ("text", "lean"),
    [
        ("the invitation arrived this morning", {D: 1}),
        ("inbjudan kom fram i morse", {D: 1}),
        ("the invitation never arrived", {N: 1}),
        ("inbjudan kom aldrig fram", {N: 1}),
        # Swedish puts the negation after the verb.
        ("inbjudan skickades inte", {N: 1}),
        ("it hasn't arrived yet", {P: 1}),
        ("den har inte kommit fram än", {P: 2}),  # "inte än" is a pending cue of its own
        ("why hasn't the invite been sent", {N: 1}),
        ("the invite has not been sent yet", {P: 2}),  # "not ... yet" is a pending cue as well
        # A negation does not reach past a clause break.
        ("it was not spam, it arrived", {D: 1}),
        ("det var inte skräppost men den kom fram", {D: 1}),
        # A negated failure says nothing about what did happen; a plain "sent" says nothing either.
        ("it wasn't blocked", {}),
        ("we sent the invitations on monday", {}),
        # Present and future forms settle nothing until negated.
        ("will the customer receive it today?", {}),
        ("the invite arrives tomorrow", {}),
        ("the customer didn't receive it", {N: 1}),
        # A delivered cue about an earlier invitation says nothing about this one.
        ("the customer already received an invite for this order", {}),
        ("kunden har redan fått en inbjudan", {}),
        # "Not arrived" beside "on its way" is "not yet".
        ("it is on its way but has not arrived", {P: 2}),
        # "Before it goes out" speaks of what has not happened yet: no lean against a queued invitation.
        ("stopped before it went out", {N: 1}),
        ("can I edit it before it goes out", {}),
        ("kan jag ändra den innan den skickas", {}),
        # Saying it was stopped outright settles it: waiting words then tell what came before.
        ("we cancelled the queued invitations", {N: 1}),
        ("jag råkade avbryta de köade inbjudningarna", {N: 1}),
        ("I clicked cancel while they were in the queue", {N: 1}),
        ("den har inte kommit fram än, den står i kö", {P: 3}),
        # Sending refused is stopped, however "still" it is; without a permission word "still" means not yet.
        ("our invites still aren't allowed to be sent from that address", {N: 1}),
        ("you are not authorized to send mail for our brand", {N: 1}),
        ("vi får fortfarande inte skicka från den adressen", {N: 1}),
        ("det är ännu inte tillåtet att skicka härifrån", {N: 1}),
        ("the invites still haven't been sent", {P: 1}),
        # A permission word further off, or the one a cue itself begins with, is no refusal.
        ("kunden får fortfarande inte mejlet", {P: 1}),
    ],
)
def test_the_lean_of_a_question(reader, text, lean):
    assert reader.lean(normalize(text)) == {category: float(count) for category, count in lean.items()}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # Inflections, words between the words of a cue, missing diacritics and typos.
        ("the email reached the customer's inbox", D),
        ("inbjudningen levererades igår", D),
        ("the invitation hasnt arived yet", P),
        ("recieved the invite yesterday", D),
        ("the invite was deliverd", D),
        ("inbjudan har inte komit fram", N),
        ("mejlet nadde aldrig fram", N),
        ("kunden oppnade mejlet", D),
        ("inbjudan levrerades i morse", D),
        ("inbjudan togs emot", D),
        # Colloquial and mistyped negations.
        ("it aint arrived yet", P),
        ("it dosent arrive", N),
        ("kunden har int fått mejlet", N),
        ("inbjudan har annu inte kommit fram", P),
    ],
)
def test_inflections_and_typos_are_read(reader, text, category):
    assert set(reader.lean(normalize(text))) == {category}


def test_a_typo_as_close_to_two_groups_is_no_reading(reader):
    # "levererads" is one letter from "levererades" (it arrived) and from "levereras" (it is delivered).
    assert reader.lean("mejlet levererads") == {}


def test_a_word_of_the_knowledge_base_is_not_taken_for_a_typo_of_a_cue():
    empty = LocalizedList((), ())
    cues = PolarityCues(
        delivered=LocalizedList(("levererad",), ("received",)),
        not_delivered=LocalizedList(("stoppad",), ("stopped",)),
        pending=LocalizedList(("väntar",), ("waiting",)),
        went_out=LocalizedList(("skickad",), ("sent",)),
        negations=LocalizedList(("inte",), ("not",)),
        not_yet=empty,
        breaks=empty,
        earlier=empty,
    )
    assert PolarityReader(cues).lean("the receiver was fine") == {D: 1.0}
    assert PolarityReader(cues, known={"receiver"}).lean("the receiver was fine") == {}


def test_a_permission_word_turns_a_negated_send_into_a_refusal_only_when_the_file_lists_it(kb):
    assert kb.polarity is not None and "allowed" in kb.polarity.permission.en
    without = PolarityReader(replace(kb.polarity, permission=LocalizedList((), ())))
    with_words = PolarityReader(kb.polarity)
    text = normalize("we are still not allowed to send these invitations")
    assert without.lean(text) == {P: 1.0}
    assert with_words.lean(text) == {N: 1.0}


def test_factors_penalise_what_the_cues_speak_against_and_boost_rare_categories_more():
    sizes = {D: 3, N: 32, P: 2}
    delivered = factors({D: 1.0}, penalty=0.3, boost=1.0, sizes=sizes)
    assert delivered[D] > 1.0 > delivered[N] and delivered[N] == delivered[P] == pytest.approx(0.7)
    failed = factors({N: 1.0}, penalty=0.3, boost=1.0, sizes=sizes)
    # "It was stopped" tells failures from the rest, hardly one failure from another.
    assert 1.0 < failed[N] < delivered[D]
    mixed = factors({D: 1.0, N: 1.0}, penalty=0.3, boost=0.0, sizes=sizes)
    assert mixed[D] == mixed[N] > mixed[P]
    assert factors({}, penalty=0.3, boost=1.0, sizes=sizes) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the invite is still going out but hasn't arrived yet", "sending"),
        ("den har inte kommit fram än, den håller på att skickas", "sending"),
    ],
)
def test_saying_it_has_not_arrived_turns_a_delivered_answer_into_a_pending_one(kb, text, expected):
    assert Matcher(_without_cues(kb)).match(text).status == "delivered"
    assert Matcher(kb).match(text).status == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the email reached them but then they unsubscribed from our mails", "delivered_unsubscribed"),
        ("customer unsubscribed long ago, is that why the new invitation was never delivered?", "already_unsubscribed"),
        ("customer is known to report everything as spam so we can't send", "spam_risk"),
        ("inbjudan kom fram men sedan avanmälde hon sig", "delivered_unsubscribed"),
        ("mejlet stoppades innan det skickades eftersom kunden brukar markera som skräppost", "spam_risk"),
        ("the invitation did arrive, then the customer unsubscribed", "delivered_unsubscribed"),
        ("the person got the email and then opted out of future messages", "delivered_unsubscribed"),
    ],
)
def test_look_alikes_told_apart_by_whether_it_arrived(kb, text, expected):
    assert Matcher(kb).match(text).status == expected


@pytest.mark.parametrize(
    "text",
    [
        "the mail server was busy and it has not arrived yet, do we just wait?",
        "servern var upptagen så mejlet har inte kommit fram än, ska vi bara vänta?",
    ],
)
def test_a_status_that_also_reads_as_pending_gains_from_a_not_yet(kb, text):
    assert kb.polarity is not None and "scheduled_for_later" in kb.polarity.also_pending
    plain = KnowledgeBase(
        {entry.id: entry for entry in kb}, kb.out_of_scope, kb.concepts, replace(kb.polarity, also_pending=())
    )
    assert Matcher(plain).match(text).status != "scheduled_for_later"
    assert Matcher(kb).match(text).status == "scheduled_for_later"


def test_labels_codes_and_typos_are_untouched_by_the_cues(kb):
    plain, leaning = Matcher(_without_cues(kb)), Matcher(kb)
    changed = [
        (text, expected)
        for text, expected, _kind in label_variants(kb)
        if leaning.match(text).status != expected or plain.match(text).status != expected
    ]
    assert not changed


def test_a_status_label_said_in_so_many_words_wins_over_a_negation(kb):
    # The exact label decides, whatever the cues in it would say.
    assert Matcher(kb).match("Not delivered - Already unsubscribed").status == "already_unsubscribed"
    assert Matcher(kb).match("Levererad – avregistrerad").status == "delivered_unsubscribed"


def test_the_cues_never_make_an_off_topic_question_a_status_one(kb):
    plain, leaning = Matcher(_without_cues(kb)), Matcher(kb)
    for text in (
        "my account is blocked, can't log in",
        "we got an email from you about billing",
        "we received a one-star review, how do we report it",
        "min inloggning är spärrad",
        "omdömet avvisades av moderatorn",
    ):
        assert plain.match(text).status is None, text
        assert leaning.match(text).status is None, text


def test_the_polarity_set_is_split_and_names_real_statuses(kb):
    rows = _rows()
    for _query, expected, kind, split in rows:
        assert expected in kb, expected
        assert kind in ("question_sv", "question_en") and split in ("tune", "held")
    for split in ("tune", "held"):
        assert sum(s == split for *_rest, s in rows) >= 30


@pytest.mark.parametrize("split", list(FLOORS))
def test_accuracy_on_each_half_of_the_polarity_set(kb, split):
    matcher = Matcher(kb)
    rows = [(q, e) for q, e, _kind, s in _rows() if s == split]
    right = sum(matcher.match(q).status == e for q, e in rows)
    assert right / len(rows) >= FLOORS[split], f"{right}/{len(rows)}"


@pytest.mark.parametrize(
    ("text", "lean"),
    [
        # Phrasal verbs of getting through or being turned away.
        ("the reminder got through to the shopper on friday", {D: 1}),
        ("our mail was turned away by their provider", {N: 1}),
        ("the mail got knocked back by the receiving end", {N: 1}),
        ("will this one get through tomorrow?", {}),
        ("the order mail didn't get through", {N: 1}),
        # The progressive carries "still sending"; a modal "can we still send" asks whether it may go out.
        ("it is still sending after an hour", {P: 1}),
        ("can we still send them one after they left our list?", {}),
    ],
)
def test_english_phrasal_verbs_and_the_progressive(reader, text, lean):
    assert reader.lean(normalize(text)) == {category: float(count) for category, count in lean.items()}


def test_switched_off_reminders_also_read_as_pending(kb):
    # Follow-ups that were waiting and then stopped by the reminder setting are described as waiting.
    assert kb.polarity is not None and "reminders_disabled" in kb.polarity.also_pending
    text = "what becomes of the queued follow-up mails once I deactivate that option?"
    plain = KnowledgeBase(
        {entry.id: entry for entry in kb},
        kb.out_of_scope,
        kb.concepts,
        replace(kb.polarity, also_pending=tuple(s for s in kb.polarity.also_pending if s != "reminders_disabled")),
    )
    assert Matcher(kb).match(text).status == "reminders_disabled"
    assert Matcher(plain).match(text).status != "reminders_disabled"
