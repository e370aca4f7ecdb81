"""KLE help for catalogue editors: suggest KLE numbers for a text, and flag tasks the router would confuse.

Suggestions rank every KLE number (NN.NN.NN, the "i almindelighed" .00 numbers included) by how
much of the text's words its title and OS2KLE keywords account for; rare words count more (idf
over the KLE entries), titles and heavily weighted keywords more than light ones. Words are
stemmed and stop-word-free with the router's own Danish functions (bot/routing/danish.py).
Compounds are matched by their known parts of 5+ letters, at half weight, both ways: a word of
the text OS2KLE lacks ('carportbyggeri') by its parts, and an entry's compound by its parts.

Measured on the real catalogue (106 tasks, 2,390 KLE numbers), suggesting from each task's title +
description; a hit is one of the task's own KLE numbers among the suggestions:
    top 1: 69/106 (65%)    top 5: 89/106 (84%)
    (stems only, no compound parts: 67 and 87. From title + keywords instead: 78 and 99; 76 and 102
    on stems only, where the compound parts cost three top-5 hits)
The 236 one-word task keywords OS2KLE does not know ('skiltetilladelse', 'svinestald') find no
KLE number on stems alone; with compound parts, one of the task's own is in the top 5 for 61.
No keyword overlap warnings: the closest pairs of tasks share 30% of the smaller one's words.
Command:  .venv/bin/python -m bot.catalog.kle_help   (prints the figures and the warnings)
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Set, Tuple

from bot.catalog.kle import KleEntry
from bot.routing.danish import known_parts, terms, words

_LEAF = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
TITLE_WEIGHT = 1.0
# A word found only as a part of a compound ('udeserveringstilladelse' -> 'udeservering') is
# weaker evidence than the word itself.
PART_WEIGHT = 0.5
MIN_PART = 5


def keyword_weight(weight: int) -> float:
    """OS2KLE keyword weight (1..500, mostly 5) as a factor in (0, 1]: 5 -> 0.6, 50 -> 0.8, 500 -> 1."""
    return max(0.2, min(1.0, 0.6 + 0.2 * math.log10(max(weight, 1) / 5)))


@dataclass(frozen=True)
class KleSuggestion:
    """One suggested KLE number. ``score`` is in [0, 1]: the idf-weighted share of the text's
    words the number accounts for (1.0 = every word is in its title or a top-weighted keyword).
    ``matched`` are the text's own words that matched, in the order they appear in the text."""

    number: str
    title: str
    score: float
    matched: Tuple[str, ...]


class KleIndex:
    """Term weights of every KLE number, built once per classification (under a second for OS2KLE)."""

    def __init__(self, kle: Mapping[str, KleEntry]):
        self.entries: Dict[str, KleEntry] = {n: e for n, e in kle.items() if _LEAF.match(n)}
        weights: Dict[str, Dict[str, float]] = {}
        self.title_terms: Dict[str, Set[str]] = {}
        for number, entry in self.entries.items():
            w: Dict[str, float] = {}
            self.title_terms[number] = set(terms(entry.title))
            for term in self.title_terms[number]:
                w[term] = TITLE_WEIGHT
            for word, weight in entry.keywords:
                f = keyword_weight(weight)
                for term in terms(word):
                    w[term] = max(w.get(term, 0.0), f)
            weights[number] = w
        n = max(len(weights), 1)
        df: Dict[str, int] = defaultdict(int)
        for w in weights.values():
            for term in w:
                df[term] += 1
        self.idf: Dict[str, float] = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.unknown_idf = math.log(1 + (n + 0.5) / 0.5)  # a word no entry has
        # The least evidence that can score 1.0: a word found in one entry only. A lone common
        # word ('tilladelse') explains the whole text but is weak evidence all the same.
        self.full_evidence = math.log(1 + (n - 1 + 0.5) / 1.5)
        self.vocabulary: Set[str] = set(df)
        self._add_compound_parts(weights)
        self.postings: Dict[str, List[Tuple[str, float]]] = defaultdict(list)
        for number, w in weights.items():
            for term, f in w.items():
                self.postings[term].append((number, f))

    def _add_compound_parts(self, weights: Dict[str, Dict[str, float]]) -> None:
        """Let an entry's compounds answer for their known parts, at PART_WEIGHT: 'nedrivningsaffald'
        in an entry's keywords makes it a (weaker) match for 'affald'. The parts keep the idf of
        the word itself, so a common tail such as 'tillad' adds little."""
        parts_of: Dict[str, Tuple[str, ...]] = {}
        for w in weights.values():
            for term, f in list(w.items()):
                if len(term) < 2 * MIN_PART:
                    continue
                if term not in parts_of:
                    parts_of[term] = tuple(p for p in known_parts(term, self.vocabulary, MIN_PART)
                                           if len(p) >= MIN_PART and p != term)
                for part in parts_of[term]:
                    w[part] = max(w.get(part, 0.0), f * PART_WEIGHT)

    def _query(self, text: str) -> List[Tuple[str, float, Tuple[Tuple[str, float], ...]]]:
        """(surface word, weight, ((term, factor), …)) for each distinct term of the text.

        A term the classification knows is matched as itself; an unknown term of 6+ letters by
        its known compound parts of 5+ letters, each at PART_WEIGHT; a word with neither still
        weighs in (it is part of the text the suggestion does not account for)."""
        surface: Dict[str, str] = {}
        for w in words(text):
            for t in terms(w):
                surface.setdefault(t, w)
        out = []
        for term, word in surface.items():
            if term in self.vocabulary:
                out.append((word, self.idf[term], ((term, 1.0),)))
                continue
            parts = tuple(p for p in known_parts(term, self.vocabulary, MIN_PART) if len(p) >= MIN_PART) \
                if len(term) >= 6 else ()
            if parts:
                out.append((word, sum(self.idf[p] for p in parts) * PART_WEIGHT,
                            tuple((p, PART_WEIGHT) for p in parts)))
            else:
                out.append((word, self.unknown_idf, ()))
        return out

    def suggest(self, text: str, limit: int = 5) -> List[KleSuggestion]:
        """The ``limit`` best KLE numbers for ``text``, best first; [] if no word matches.

        Equal scores go to the entry whose title the text names more of, then the lower number."""
        query = self._query(text)
        total = max(sum(weight for _, weight, _ in query), self.full_evidence)
        scores: Dict[str, float] = defaultdict(float)
        matched: Dict[str, List[str]] = defaultdict(list)
        for word, _, candidates in query:
            for term, factor in candidates:
                idf = self.idf[term]
                for number, f in self.postings.get(term, ()):
                    scores[number] += idf * f * factor
                    if word not in matched[number]:
                        matched[number].append(word)
        qterms = {term for _, _, candidates in query for term, _ in candidates}

        def title_cover(number: str) -> float:
            """Share of the entry's title the text names: of equal scores, 'Byggetilladelse' before
            'Byggetilladelse og anmeldelse om byggearbejde i almindelighed'."""
            title = self.title_terms[number]
            return len(title & qterms) / len(title) if title else 0.0

        ranked = sorted(scores.items(), key=lambda kv: (-round(kv[1], 9), -title_cover(kv[0]), kv[0]))[:limit]
        return [KleSuggestion(n, self.entries[n].title, round(min(1.0, s / total), 4), tuple(matched[n]))
                for n, s in ranked]


_cache: Optional[Tuple[Mapping[str, KleEntry], int, KleIndex]] = None


def kle_index(kle: Mapping[str, KleEntry]) -> KleIndex:
    """The index of ``kle``, reused while the same mapping (same object and size) is passed."""
    global _cache
    if _cache is None or _cache[0] is not kle or _cache[1] != len(kle):
        _cache = (kle, len(kle), KleIndex(kle))
    return _cache[2]


def suggest_kle(text: str, kle: Mapping[str, KleEntry], limit: int = 5) -> List[KleSuggestion]:
    """KLE numbers whose title and keywords best match ``text``, best first, scores in [0, 1]."""
    return kle_index(kle).suggest(text, limit)


def format_suggestions(suggestions: Sequence[KleSuggestion]) -> str:
    """Plain text for the command line: one line per suggestion (number, score, title, matched words)."""
    if not suggestions:
        return "No KLE number matches these words. Try the words a business would use, e.g. 'byggetilladelse'."
    return "\n".join(f"{s.number}  {s.score:.2f}  {s.title}  (matched: {', '.join(s.matched)})" for s in suggestions)


# A pair of tasks is flagged when their word sets overlap this much (measured on the real
# catalogue, 106 tasks: the closest pairs reach Jaccard 0.14 and containment 0.30; see the module
# docstring). Containment needs a smaller set of at least MIN_CONTAINED words, so that a task of
# two words is not flagged for sharing one of them.
JACCARD_LIMIT = 0.4
CONTAINMENT_LIMIT = 0.6
MIN_CONTAINED = 3


def _routing_words(task: Any) -> Dict[str, str]:
    """{stem: the task's own spelling} of its title and keywords, the words the router weighs most."""
    out: Dict[str, str] = {}
    for phrase in (task.title, *task.keywords):
        for w in words(phrase):
            for t in terms(w):
                out.setdefault(t, w)
    return out


def keyword_overlap_warnings(tasks: Sequence[Any], files: Optional[Mapping[str, str]] = None) -> List[str]:
    """One warning per pair of tasks whose title and keyword words (stemmed, stop words dropped)
    overlap so much that the router would confuse them: Jaccard >= JACCARD_LIMIT, or the smaller
    set (MIN_CONTAINED+ words) at least CONTAINMENT_LIMIT inside the other. ``tasks`` have id,
    title, keywords and optionally kle; ``files`` maps a task id to its file, for the message."""
    files = files or {}
    sets = [(t, _routing_words(t)) for t in tasks]
    warnings = []
    for (a, wa), (b, wb) in combinations(sets, 2):
        shared = wa.keys() & wb.keys()
        if not shared:
            continue
        jaccard = len(shared) / len(wa.keys() | wb.keys())
        smaller = min(len(wa), len(wb))
        contained = len(shared) / smaller
        if jaccard < JACCARD_LIMIT and (contained < CONTAINMENT_LIMIT or smaller < MIN_CONTAINED):
            continue
        listed = ", ".join(sorted(wa[t] for t in shared))
        same_kle = sorted(set(getattr(a, "kle", ())) & set(getattr(b, "kle", ())))
        advice = ("Give each task words of its own that businesses use for it, and drop the shared ones "
                  "from the task they fit less")
        if same_kle:
            advice += f"; they also share KLE {', '.join(same_kle)}: if they are one task, merge them"
        warnings.append(
            f"{files.get(a.id, 'tasks')}: tasks '{a.id}' and '{b.id}' ({files.get(b.id, 'tasks')}), field "
            f"'keywords': {len(shared)} of their title and keyword words are shared ({listed}; "
            f"{contained:.0%} of the smaller task's words), so the router cannot tell them apart. {advice}."
        )
    return warnings


def measure(root: Path) -> str:
    """How often one of a task's own KLE numbers is suggested for its title + description
    (top 1 and top 5), and the overlap warnings, on the catalogue under ``root``."""
    from bot.catalog.source import load_catalog  # here: source.py may import this module for its warnings

    catalog = load_catalog(root)
    top1 = top5 = 0
    for task in catalog.tasks:
        numbers = [s.number for s in suggest_kle(f"{task.title} {task.description}", catalog.kle, 5)]
        top1 += bool(numbers) and numbers[0] in task.kle
        top5 += bool(set(numbers) & set(task.kle))
    n = len(catalog.tasks)
    warnings = keyword_overlap_warnings(catalog.tasks)
    lines = [f"{n} tasks, suggest_kle(title + description): own KLE number top 1 {top1}/{n} ({top1 / n:.0%}), "
             f"top 5 {top5}/{n} ({top5 / n:.0%})", f"keyword overlap warnings: {len(warnings)}", *warnings]
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    print(measure(Path(sys.argv[1] if len(sys.argv) > 1 else "catalog_data")))
