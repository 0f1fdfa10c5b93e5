import datetime as dt
import re

from bot.i18n.catalog import gettext_for, translations
from bot.i18n.formats import format_number, format_share, format_when, negotiate
from bot.i18n.maintain import code_messages, problems


def test_swedish_catalog_loads_and_speaks_swedish():
    # Guards both silent fall-backs to English: a missing .mo and dropped fuzzy entries.
    _ = gettext_for("sv")
    assert _("Next steps") == "Nästa steg"
    assert _("Who must act") == "Vem behöver agera"
    assert gettext_for("en")("Next steps") == "Next steps"


def test_every_message_of_the_code_is_translated_in_both_languages_and_compiled():
    assert len(code_messages()) > 20
    assert problems() == []


# Product names read the same in both languages.
SAME_IN_BOTH = {"Automatic Feedback Service (AFS)"}


def test_each_swedish_translation_differs_from_english_where_words_are_involved():
    sv = translations("sv")
    untranslated = []
    for message in code_messages():
        words = re.findall(r"[^\W\d_]{2,}", re.sub(r"%\(\w+\)[sdf]", "", message))
        # One word ("Status") may well be the same in Swedish; a phrase must be translated.
        if sv.gettext(message) == message and len(words) > 1 and message not in SAME_IN_BOTH:
            untranslated.append(message)
    assert untranslated == []


def test_numbers_dates_and_locales_follow_the_language():
    when = dt.datetime(2026, 11, 20, 8, 15, tzinfo=dt.UTC)
    assert format_number(12345, "sv") == "12\xa0345"
    assert format_number(12345, "en") == "12,345"
    assert format_share(1, 4, "sv") == "25,0\xa0%"
    assert format_share(1, 4, "en") == "25.0%"
    assert "nov." in format_when(when, "sv") and "Nov" in format_when(when, "en")
    assert negotiate("sv-SE") == "sv" and negotiate("en_US") == "en"
    assert negotiate("de-DE") is None and negotiate(None) is None


def test_maintain_add_replaces_an_existing_translation(tmp_path, monkeypatch):
    import bot.i18n.maintain as maintain

    monkeypatch.setattr(maintain, "data_dir", lambda _name: tmp_path)
    maintain.add("Hello %(name)s", {"sv": "Hej %(name)s", "en": "Hello %(name)s"})
    maintain.add("Hello %(name)s", {"sv": "Tjena %(name)s", "en": "Hello %(name)s"})
    catalog = maintain._read(maintain._po_path("sv"), "sv")
    assert catalog.get("Hello %(name)s").string == "Tjena %(name)s"
    assert (tmp_path / "sv" / "LC_MESSAGES" / "messages.mo").exists()


def test_a_catalog_with_a_message_written_twice_is_not_in_normal_form(tmp_path, monkeypatch):
    """Union merges can write an entry twice; check names it and compile folds it back into one."""
    import shutil

    from bot.i18n import maintain

    locales = tmp_path / "locales"
    shutil.copytree(maintain.data_dir("locales"), locales)
    monkeypatch.setattr(maintain, "data_dir", lambda name: tmp_path / name)
    po = locales / "sv" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "Next steps"\nmsgstr "Nästa steg"\n', encoding="utf-8")
    assert any("not in normal form" in line for line in maintain.problems())
    maintain.compile_all()
    assert not [line for line in maintain.problems() if "normal form" in line]
    assert po.read_text(encoding="utf-8").count('msgid "Next steps"\n') == 1
