"""Language guessing on short support texts."""

from __future__ import annotations

import pytest

from bot.matching.language import detect_language


@pytest.mark.parametrize(
    "text",
    [
        "varför har inbjudan inte skickats?",
        "vad gör jag när mottagaren är ogiltig",
        "kunden säger att mejlet aldrig kom fram",
        "kan vi skicka om den?",
        "hej, vi har problem med påminnelserna",
        "inbjudningarna stoppas hela tiden",
        "Ej levererad – SPF-fel",
        "I kö",
        "referensnumret är för långt",
    ],
)
def test_swedish(text):
    assert detect_language(text) == "sv"


@pytest.mark.parametrize(
    "text",
    [
        "why has the invitation not been sent?",
        "what do I do when the recipient is invalid",
        "the customer says the email never arrived",
        "can we send it again?",
        "hi, we have trouble with the reminders",
        "Not delivered - SPF failure",
        "Manually cancelled",
        "is this a spam risk?",
    ],
)
def test_english(text):
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", ["spf_failure", "ok", "SPF", "42", "", "   ", "😀", "SKU", "@"])
def test_undecided(text):
    assert detect_language(text) is None


def test_ids_codes_and_domains_do_not_sway_the_language():
    from bot.matching.language import detect_language

    assert detect_language("status 01188f639aaeb15f33a8eec4") is None
    assert detect_language("failure summary for bright-lamps.example last month") == "en"
    assert detect_language("kolla ORDER-10023 hos nordic-shoes.example") == "sv"
