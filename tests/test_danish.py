"""bot/routing/danish.py: the stop words are spaCy's Danish list plus our own function and domain words."""
from __future__ import annotations

from bot.language import spacy_stop_words
from bot.routing.danish import DOMAIN_WORDS, FUNCTION_WORDS, STOPWORDS, terms


def test_stop_words_are_spacys_danish_list_plus_ours():
    spacy_da = spacy_stop_words("da")
    assert len(spacy_da) > 200
    assert STOPWORDS == spacy_da | FUNCTION_WORDS | DOMAIN_WORDS
    # ours are only the words spaCy's list lacks
    assert not (FUNCTION_WORDS | DOMAIN_WORDS) & spacy_da


def test_function_words_from_spacy_are_dropped():
    # "alligevel", "derfor", "allerede" were not in the hand-written list; spaCy's has them
    assert terms("vi skal alligevel derfor allerede bruge en gravetilladelse") == terms("gravetilladelse")


def test_enquiry_and_municipality_words_are_dropped_but_topics_kept():
    assert terms("Hej kommunen, vi har et spørgsmål vedr. støj fra virksomheden i Jammerbugt. Mvh") == terms("støj")
    assert terms("når må vi sætte skilte op hos os") == terms("sætte skilte op")
    assert terms("udeservering") and terms("container på vejen")
