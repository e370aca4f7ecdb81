"""bot/catalog/kle_help.py: KLE suggestions for catalogue editors and keyword overlap warnings."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Dict, Optional

import pytest

from bot.catalog.kle import KleEntry, read_kle
from bot.catalog.kle_help import (
    KleIndex, KleSuggestion, format_suggestions, keyword_overlap_warnings, kle_index, suggest_kle,
)
from bot.catalog.source import load_catalog

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def os2kle() -> Dict[str, KleEntry]:
    """The real OS2KLE classification (2,390 numbers; read and indexed in about a second)."""
    return read_kle(ROOT / "catalog_data" / "kle" / "OS2KLE.txt")


def entry(number: str, title: str, *keywords: tuple) -> KleEntry:
    return KleEntry(number, title, tuple(keywords))


# a small classification where 'vej' is everywhere and 'skilt' in one entry only
SMALL = {e.number: e for e in (
    entry("05.01.00", "Veje i almindelighed", ("vej", 5)),
    entry("05.01.08", "Vejvedligeholdelse", ("vej", 5), ("asfalt", 5)),
    entry("05.13.01", "Færdselstavler", ("vej", 5), ("skilt", 5)),
    entry("05.14.00", "Råden over vejareal", ("vej", 5), ("container", 5)),
    entry("05.14.04", "Containere på vej", ("vej", 5), ("container", 100)),
    entry("05.00", "A group number, not a KLE subject", ("skilt", 5)),
)}


def task(id: str, keywords: str, title: str = "", kle: Optional[tuple] = None) -> SimpleNamespace:
    """A task-like object; without ``kle`` it has no kle attribute at all (it is optional)."""
    t = SimpleNamespace(id=id, title=title or id, keywords=tuple(keywords.split(", ")))
    if kle is not None:
        t.kle = kle
    return t


# --- suggest_kle -------------------------------------------------------------------------------

def test_building_permit_for_a_carport_suggests_a_building_permit_number(os2kle):
    suggestions = suggest_kle("byggetilladelse til carport", os2kle)
    assert any(s.number.startswith("02.34.") for s in suggestions)
    assert suggestions[0].number == "02.34.02"  # 'Byggetilladelse': the title the text names whole
    assert "byggetilladelse" in suggestions[0].matched


def test_a_compound_os2kle_lacks_is_found_by_its_parts(os2kle):
    # 'udeserveringstilladelse' is no OS2KLE word; 'udeservering' is (05.14.08's keyword)
    numbers = [s.number for s in suggest_kle("udeserveringstilladelse", os2kle)]
    assert "05.14.08" in numbers
    assert "05.14.04" in [s.number for s in suggest_kle("containertilladelse", os2kle)]


def test_scores_are_in_0_1_sorted_and_limited(os2kle):
    for text in ("byggetilladelse til carport", "ansættelse med løntilskud", "støj fra køleanlæg om natten"):
        suggestions = suggest_kle(text, os2kle, limit=4)
        assert 0 < len(suggestions) <= 4
        assert all(isinstance(s, KleSuggestion) and 0.0 <= s.score <= 1.0 for s in suggestions)
        assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)


def test_a_text_naming_an_entry_whole_scores_high(os2kle):
    best = suggest_kle("ansættelse med løntilskud", os2kle)[0]
    assert (best.number, best.score) == ("15.18.10", 1.0)
    assert best.matched == ("ansættelse", "løntilskud")  # the text's own words, in its order


def test_unrelated_text_scores_low_or_not_at_all(os2kle):
    assert all(s.score < 0.3 for s in suggest_kle("Hvad er vejret i morgen? Jeg kan godt lide pizza", os2kle))
    assert suggest_kle("asdf qwerty", os2kle) == []
    assert suggest_kle("Hej kommunen, kan I hjælpe mig?", os2kle) == []  # only stop words


def test_a_lone_common_word_is_weak_evidence(os2kle):
    # 'tilladelse' is in many entries' titles: it explains the whole text, but scores well below 1
    assert all(s.score < 0.7 for s in suggest_kle("tilladelse", os2kle))
    assert suggest_kle("byggetilladelse", os2kle)[0].score > suggest_kle("tilladelse", os2kle)[0].score


def test_rare_words_and_heavy_keywords_count_more():
    assert suggest_kle("skilt ved vejen", SMALL)[0].number == "05.13.01"  # 'skilt' is rare, 'vej' everywhere
    # both have 'container'; 05.14.04 weighs it 100, 05.14.00 only 5
    assert [s.number for s in suggest_kle("container", SMALL, limit=2)] == ["05.14.04", "05.14.00"]


def test_only_kle_subjects_are_suggested():
    assert "05.00" not in {s.number for s in suggest_kle("skilt", SMALL, limit=10)}


def test_the_index_is_built_once_per_classification(os2kle):
    assert kle_index(os2kle) is kle_index(os2kle)
    assert isinstance(kle_index(SMALL), KleIndex) and kle_index(SMALL) is not kle_index(os2kle)


def test_format_suggestions_lists_number_title_and_matched_words():
    text = format_suggestions([KleSuggestion("02.34.02", "Byggetilladelse", 0.4626, ("byggetilladelse",))])
    assert text == "02.34.02  0.46  Byggetilladelse  (matched: byggetilladelse)"
    assert "No KLE number" in format_suggestions([])


# --- keyword_overlap_warnings ------------------------------------------------------------------

def test_near_identical_keywords_are_flagged_with_both_ids_and_the_shared_words():
    a = task("byggetilladelse", "byggetilladelse, tilbygning, nybyggeri, lagerhal, ombygning, byggesag",
             kle=("02.34.02",))
    b = task("byggetilladelse-erhverv", "byggetilladelser, tilbygning, nybyggeri, lagerhal, byggesager, hal",
             kle=("02.34.02", "02.03.17"))
    (warning,) = keyword_overlap_warnings([a, b], files={"byggetilladelse": "tasks/building.yml"})
    assert warning.startswith("tasks/building.yml: tasks 'byggetilladelse' and 'byggetilladelse-erhverv'")
    assert "lagerhal" in warning and "tilbygning" in warning
    assert "Give each task words of its own" in warning
    assert "share KLE 02.34.02" in warning and "merge them" in warning


def test_a_task_whose_words_sit_inside_another_is_flagged():
    big = task("affald", "erhvervsaffald, affaldssortering, restaffald, madaffald, pap, plast, glas, metal, "
                         "farligt affald, dagrenovation")
    small = task("sortering", "affaldssortering, pap, plast, glas")
    (warning,) = keyword_overlap_warnings([big, small])  # 4 of the small task's 5 words; neither has kle
    assert "tasks 'affald' and 'sortering'" in warning and "merge" not in warning


def test_distinct_tasks_and_a_few_shared_words_are_not_flagged():
    tasks = [
        task("udeservering", "udeservering, borde på fortovet, café, parasol, fortovscafé"),
        task("stillads-container", "stillads, container, materialer på fortov, byggekran, afmærkning"),
        task("loentilskud", "løntilskud, ansættelse med løntilskud, privat løntilskud"),
    ]
    assert keyword_overlap_warnings(tasks) == []


def test_the_real_catalogue_has_no_near_duplicate_tasks():
    # measured: the closest pairs (overkoersel/private-faellesveje) share 30% of the smaller
    # task's words and a Jaccard of 0.14, well under the limits; a new warning is worth a look
    tasks = load_catalog(ROOT / "catalog_data").tasks
    assert len(tasks) > 50
    assert keyword_overlap_warnings(tasks) == []
