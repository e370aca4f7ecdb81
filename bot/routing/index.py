"""An inverted index of catalogue tasks for keyword routing (BM25-style weights per field).

Each task is indexed by its title and keywords (strong), its KLE topics' titles and the
OS2KLE keywords (medium), and its description (weak). Built once per catalogue
snapshot; a search touches only the postings of the query's terms, so it stays fast at
10,000 tasks.
"""
from __future__ import annotations

import difflib
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Dict, List, Mapping, Set, Tuple

from bot.catalog.domain import Task
from bot.catalog.queries import CatalogSnapshot
from bot.routing.danish import expand, known_parts, phrase_key, stem, terms, words

FIELD_WEIGHTS = {"title": 3.0, "keyword": 3.0, "kle_title": 1.2, "kle_keyword": 1.0, "description": 0.6}


@dataclass(frozen=True)
class Hit:
    task: Task
    score: float
    matched: Tuple[str, ...]


class TaskIndex:
    def __init__(self, snapshot: CatalogSnapshot):
        self.tasks: Tuple[Task, ...] = snapshot.tasks
        # the municipality's own name ("jammerbugt") says nothing about the topic
        own = snapshot.municipality.stop_words if snapshot.municipality else ()
        self._own_name = frozenset(stem(w) for word in own for w in words(word))
        terms = self.terms
        weights: List[Dict[str, float]] = []
        self.phrases: List[Tuple[str, ...]] = []
        for task in self.tasks:
            w: Dict[str, float] = defaultdict(float)

            def add(text: str, field: str) -> None:
                for term in set(terms(text)):
                    w[term] = max(w[term], FIELD_WEIGHTS[field])

            add(task.title, "title")
            for kw in task.keywords:
                add(kw, "keyword")
            for number in task.kle:
                title, kle_words = snapshot.kle.get(number, ("", ()))
                add(title, "kle_title")
                for kw in kle_words:
                    add(kw, "kle_keyword")
            add(task.description, "description")
            weights.append(dict(w))
            keys = [phrase_key(k) for k in (task.title, *task.keywords)]
            self.phrases.append(tuple(k for k in keys if " " in k or len(k) >= 7))
        n = max(len(self.tasks), 1)
        df: Dict[str, int] = defaultdict(int)
        for w in weights:
            for term in w:
                df[term] += 1
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        self.postings: Dict[str, List[Tuple[int, float]]] = defaultdict(list)
        for i, w in enumerate(weights):
            for term, fw in w.items():
                self.postings[term].append((i, fw))
        self.vocabulary: Set[str] = set(self.postings)
        # close-spelling candidates, bucketed by first two letters (typos rarely hit those)
        self._by_prefix: Dict[str, List[str]] = defaultdict(list)
        for t in sorted(self.vocabulary):
            if len(t) >= 5:
                self._by_prefix[t[:2]].append(t)

    def terms(self, text: str) -> List[str]:
        """Stemmed terms without stop words and without the municipality's own name."""
        return [t for t in terms(text) if t not in self._own_name]

    def query_terms(self, text: str) -> List[str]:
        """The query's terms: stems, compound parts, and close spellings of unknown words."""
        out: List[str] = []
        for t in expand(self.terms(text), self.vocabulary):
            if t in self.vocabulary:
                out.append(t)
            elif len(t) >= 5 and not known_parts(t, self.vocabulary):
                out.extend(difflib.get_close_matches(t, self._by_prefix.get(t[:2], ()), n=1, cutoff=0.84))
        return list(dict.fromkeys(out))

    def search(self, text: str, limit: int = 10) -> List[Hit]:
        """Tasks ranked by keyword evidence; phrases of a task found whole in the text count extra."""
        qterms = self.query_terms(text)
        scores: Dict[int, float] = defaultdict(float)
        matched: Dict[int, List[str]] = defaultdict(list)
        for term in qterms:
            idf = self.idf.get(term, 0.0)
            for i, fw in self.postings.get(term, ()):
                scores[i] += idf * fw
                matched[i].append(term)
        if scores:
            key = " " + phrase_key(text) + " "
            squashed = key.replace(" ", "")
            for i in list(scores):
                for p in self.phrases[i]:
                    if (" " in p and f" {p} " in key) or (" " not in p and p in squashed):
                        scores[i] += 2.0
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self.tasks[kv[0]].id))[:limit]
        return [Hit(self.tasks[i], s, tuple(matched[i])) for i, s in ranked]

    def by_id(self) -> Mapping[str, Task]:
        return {t.id: t for t in self.tasks}


def squash(score: float, half: float = 6.0) -> float:
    """Map a keyword score to 0..1 (``half`` gives 0.5)."""
    return score / (score + half) if score > 0 else 0.0

