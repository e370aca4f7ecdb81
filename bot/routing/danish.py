"""Danish text normalisation for keyword routing.

Folding makes 'støj', 'stoej' and 'STØJ' one form; Snowball stems inflections
('tilladelser' → 'tillad'); compounds are split against the index vocabulary
('udeserveringstilladelse' → 'udeservering' + 'tillad') because businesses write
one long word where the catalogue has two.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Container, Iterable, List, Tuple

import snowballstemmer

from bot.language import spacy_stop_words

_TOKEN = re.compile(r"[a-z0-9æøåéü]+")
_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ä": "ae", "ö": "oe"})

# Words that say nothing about which task an enquiry is about: spaCy's Danish stop words (read
# from its module file, as bot/language.py does), the Danish function words that list lacks, and
# the words of enquiries to a municipality. Measured against the hand-written list it replaced:
# the same development figures (docs/nlu.md, "Third session: Danish language resources").
# The municipality's own name is a stop word too; it comes from the catalogue (municipality.stop_words).
FUNCTION_WORDS = frozenset("""
bare både første gerne giver godt helt hos hvilket mod nye når sin sine sit tror
""".split())
DOMAIN_WORDS = frozenset("""
ang angående behov brug bruge bruger dag firma firmaet gang hej hilsen hjælp hjælpe ift kl kommune
kommunen mvh spørge spørgsmål tak ting vedr vedrørende venlig virksomhed virksomheden ønsker
""".split())
STOPWORDS = spacy_stop_words("da") | FUNCTION_WORDS | DOMAIN_WORDS


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("danish")


def fold(text: str) -> str:
    """Lowercase, strip accents we don't need, and spell æ/ø/å as ae/oe/aa."""
    text = unicodedata.normalize("NFKC", text).lower()
    return text.translate(_FOLD)


def words(text: str) -> List[str]:
    """Lowercase word tokens with æøå kept (for stemming)."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).lower())


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    """Snowball stem of one lowercase word, then folded to ascii."""
    return fold(_stemmer().stemWord(word))


def terms(text: str, drop_stopwords: bool = True) -> List[str]:
    """Stemmed, folded terms of a text (stopwords and 1-letter words dropped)."""
    out = []
    for w in words(text):
        if len(w) < 2 or w.isdigit() or (drop_stopwords and w in STOPWORDS):
            continue
        out.append(stem(w))
    return out


def split_compound(term: str, vocabulary: Container[str], min_part: int = 3) -> Tuple[str, ...]:
    """Split a folded term into known parts, longest head first ('graveTILLAD' → 'grav', 'tillad').

    Tries a head and a tail that both occur in ``vocabulary`` (allowing the Danish linking
    letters 's' and 'e' between them); returns () when no split is found.
    """
    n = len(term)
    for cut in range(n - min_part, min_part - 1, -1):
        head, tail = term[:cut], term[cut:]
        for h in (head, head[:-1] if head.endswith(("s", "e")) and len(head) > min_part else None):
            if h and h in vocabulary:
                if tail in vocabulary:
                    return (h, tail)
                rest = split_compound(tail, vocabulary, min_part) if len(tail) >= 2 * min_part else ()
                if rest:
                    return (h,) + rest
    return ()


def known_parts(term: str, vocabulary: Container[str], min_len: int = 5) -> Tuple[str, ...]:
    """Parts of an unknown term that the vocabulary knows: a full compound split, or else
    the longest known head and tail ('udeserveringstilad' → 'udeservering')."""
    parts = split_compound(term, vocabulary)
    if parts:
        return parts
    found = []
    for cut in range(len(term) - 1, min_len - 1, -1):
        if term[:cut] in vocabulary:
            found.append(term[:cut])
            break
    for cut in range(1, len(term) - min_len + 1):
        if term[cut:] in vocabulary:
            found.append(term[cut:])
            break
    return tuple(found)


def sort_key(text: str) -> str:
    """Sort key in Danish alphabetical order: æ, ø, å after z; case and accents ignored (Én ~ En)."""
    folded = text.casefold().replace("æ", "{").replace("ø", "|").replace("å", "}")
    return "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))


def phrase_key(text: str) -> str:
    """A folded, stemmed phrase for substring matching of multi-word keywords."""
    return " ".join(terms(text, drop_stopwords=False))


def expand(terms_in: Iterable[str], vocabulary: Container[str]) -> List[str]:
    """Query terms plus the parts of compounds not themselves in the vocabulary."""
    out: List[str] = []
    for t in terms_in:
        out.append(t)
        if t not in vocabulary and len(t) >= 6:
            out.extend(known_parts(t, vocabulary))
    return out
