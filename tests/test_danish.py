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


def test_enquiry_words_are_dropped_but_topics_kept():
    assert terms("Hej kommunen, vi har et spørgsmål vedr. støj fra virksomheden. Mvh") == terms("støj")
    assert terms("når må vi sætte skilte op hos os") == terms("sætte skilte op")
    assert terms("udeservering") and terms("container på vejen")


def test_the_municipalitys_own_name_from_the_catalogue_is_no_topic(imported):
    """Its stop words come from catalog.yml (municipality.stop_words), not from code."""
    from bot.catalog.queries import load_snapshot
    from bot.routing.index import TaskIndex

    index = TaskIndex(load_snapshot(imported, public=True))
    assert index.terms("støj fra virksomheden i Testkommune") == index.terms("støj fra virksomheden")
    assert len(index.terms("støj i Jammerbugt")) == 2  # another municipality's name is just a word
