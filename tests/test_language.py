"""Which language a message is in: Danish by default, English and German when clearly so."""
from __future__ import annotations

import pytest

from bot.language import detect


@pytest.mark.parametrize("text,lang", [
    ("Hi, I'm a Dutch entrepreneur and want to open a beach bar in Løkken", "en"),
    ("we need a byggetilladelse for a carport", "en"),
    ("can someone call me back tomorrow", "en"),
    ("Guten Tag, ich möchte ein Ferienhaus in Blokhus vermieten", "de"),
    ("Können Sie mich zurückrufen?", "de"),
    ("maa vi stille borde ud paa fortovet", "da"),
    ("må vi stille borde ud", "da"),
    ("tak for hjaelpen", "da"),
    ("hvad er deres telefonnummer", "da"),
    ("vi skal have en container", "da"),
    ("byggetilladelse", "da"),
    ("/choose_task{\"task_id\": \"x\"}", "da"),
    ("", "da"),
])
def test_detect(text, lang):
    assert detect(text) == lang


def test_a_short_message_keeps_the_conversations_language():
    assert detect("phone?", previous="en") == "en"
    assert detect("ok tak", previous="en") == "en"
    assert detect("how much does it cost", previous="da") == "en"
    assert detect("hvad koster det så", previous="en") == "da"


def test_german_with_words_shared_with_danish():
    assert detect("Moin, ich habe vor sechs Wochen eine Rechnung an die Kommune geschickt") == "de"
    assert detect("Sehr geehrte Damen und Herren, wir möchten ein Restaurant eröffnen") == "de"
    assert detect("hvem er kontaktpersonen", previous="da") == "da"
