"""Soft checks of the catalogue: things worth a look that do not stop an import.

Staff journalise cases by a task's KLE numbers, so a KLE number whose title has nothing in
common with what the task says it is about is probably a typo or a copy-paste slip
(e.g. 09.00.12 "Miljøtilsynsplaner" on the task for inspecting companies).
"""
from __future__ import annotations

import re
from typing import Iterable, List, Mapping, Set

from bot.catalog.kle import KleEntry

_WORD = re.compile(r"[a-zæøåéü0-9]+")
# Longest first: one ending is stripped, and only when at least three letters remain.
_ENDINGS = ("erne", "ene", "ers", "ets", "ens", "er", "en", "et", "e", "s")
# Function words and the classification's own filler ("i almindelighed", "m.v.", "o. lign.").
STOPWORDS = frozenset("""
af alle andet andre anden at de den der det dette eller en end et efter for fra før hos i ikke in ind med mellem
mod mv m v ned og om op over på samt som til ud under ved vedr via lign o el almindelighed diverse øvrige
herunder iht jf sager sag
""".split())


def normalise(text: str) -> Set[str]:
    """Lowercase words with one Danish ending stripped, without stop words and numbers."""
    out = set()
    for w in _WORD.findall(text.lower()):
        if w in STOPWORDS or w.isdigit() or len(w) < 3:
            continue
        for ending in _ENDINGS:
            if w.endswith(ending) and len(w) - len(ending) >= 3:
                w = w[: -len(ending)]
                break
        out.add(w)
    return out


def shares_word(kle_title: str, task_words: Set[str]) -> bool:
    """Whole words only: 'miljøtilsyn' does not vouch for 'Miljøtilsynsplaner' (the plan is
    another task), so compounds are not split here."""
    return bool(normalise(kle_title) & task_words)


def kle_word_warnings(tasks: Iterable, kle: Mapping[str, KleEntry], files: Mapping[str, str]) -> List[str]:
    """One warning per KLE number whose title shares no word with its task's title, description
    and keywords. ``tasks`` are catalogue tasks (id, title, description, keywords, kle); ``files``
    maps a task id to the file it is defined in, for the message."""
    warnings = []
    for t in tasks:
        words = normalise(" ".join((t.title, t.description, *t.keywords)))
        for number in t.kle:
            entry = kle.get(number)
            if entry is None or shares_word(entry.title, words):
                continue
            warnings.append(
                f"{files.get(t.id, 'tasks')}: task '{t.id}', field 'kle': {number} '{entry.title}' shares no word "
                f"with the task's title, description or keywords. Check the number, or add the word businesses "
                f"use for it to the keywords."
            )
    return warnings
