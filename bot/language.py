"""Which language a message is written in: Danish, English or German.

Uses lingua (lingua-language-detector), a maintained detector that ships its own language
models (nothing is downloaded at run time), restricted to the three languages the assistant
answers in. Danish is the default: a message is taken as English or German only when it has a
few words and the detector is clearly sure, since short Danish messages ("ok", "tak", "container
på vejen") are easily mistaken for another language.
"""
from __future__ import annotations

import re
import threading
from typing import Optional

DANISH, ENGLISH, GERMAN = "da", "en", "de"
LANGUAGES = (DANISH, ENGLISH, GERMAN)
MIN_WORDS = 3         # fewer words than this are answered in Danish
MIN_CONFIDENCE = 0.8  # the detector's confidence needed to answer in another language
_DANISH_LETTERS = re.compile(r"[æøåÆØÅ]")

_lock = threading.Lock()
_detector = None
_stops = None


def _get_detector():
    global _detector
    with _lock:
        if _detector is None:
            from lingua import Language, LanguageDetectorBuilder

            _detector = (LanguageDetectorBuilder.from_languages(Language.DANISH, Language.ENGLISH, Language.GERMAN)
                         .with_low_accuracy_mode().build())
        return _detector


def _spacy_stop_words(lang: str) -> frozenset:
    """spaCy's stop word list for ``lang``, read from its module file: importing spaCy itself
    would pull in thinc and TensorFlow (seconds and hundreds of MB) for a word list."""
    import importlib.util

    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("spaCy is not installed (see requirements.txt)")
    path = f"{list(spec.submodule_search_locations)[0]}/lang/{lang}/stop_words.py"
    module_spec = importlib.util.spec_from_file_location(f"_indgang_stop_words_{lang}", path)
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)


def _stop_words():
    """spaCy's Danish and English stop words (only the words each language has alone, plus the
    Danish words spelt without æøå), so shared words like "for" or "i" decide nothing."""
    global _stops
    if _stops is None:
        DA, EN = _spacy_stop_words("da"), _spacy_stop_words("en")

        folded = {w.replace("æ", "ae").replace("ø", "oe").replace("å", "aa") for w in DA}
        da = (set(DA) | folded) - set(EN)
        _stops = (frozenset(da), frozenset(set(EN) - set(DA)))
    return _stops


def detect(text: Optional[str], previous: Optional[str] = None) -> str:
    """'da', 'en' or 'de' for one message. A message too short to tell ("ok", "and the price?",
    a button) keeps the conversation's ``previous`` language; otherwise 'da' when unsure."""
    text = (text or "").strip()
    if not text or text.startswith("/") or len(re.findall(r"[^\W\d_]+", text)) < MIN_WORDS:
        return previous if previous in LANGUAGES else DANISH
    raw_words = re.findall(r"[^\W\d_]+", text)
    if any(_DANISH_LETTERS.search(w) and not w[0].isupper() for w in raw_words):
        return DANISH   # æ, ø or å in an ordinary word (not a place name such as Løkken)
    words = [w.lower() for w in raw_words]
    da_words, en_words = _stop_words()
    n_da, n_en = sum(w in da_words for w in words), sum(w in en_words for w in words)
    if n_da > n_en:
        return DANISH   # "hvad er deres telefonnummer"
    if n_en >= 2 and n_da == 0:
        return ENGLISH  # "we need a byggetilladelse for a carport"
    guess = _model_says(text)
    if guess == ENGLISH and n_en == 0:
        return DANISH   # "tak for hjaelpen": not one English word
    return guess


def _model_says(text: str) -> str:
    values = _get_detector().compute_language_confidence_values(text)
    if not values:
        return DANISH
    best = values[0]
    name = best.language.name
    if best.value >= MIN_CONFIDENCE and name in ("ENGLISH", "GERMAN"):
        return ENGLISH if name == "ENGLISH" else GERMAN
    return DANISH
