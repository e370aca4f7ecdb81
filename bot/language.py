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


def spacy_stop_words(lang: str) -> frozenset:
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
    """spaCy's Danish, English and German stop words, each without the words the others share
    (so "for", "i" or "die" decide nothing), the Danish ones also spelt without æøå."""
    global _stops
    if _stops is None:
        da, en, de = (spacy_stop_words(x) for x in ("da", "en", "de"))
        da = set(da) | {w.replace("æ", "ae").replace("ø", "oe").replace("å", "aa") for w in da}
        _stops = {DANISH: frozenset(da - en - de), ENGLISH: frozenset(en - da - de), GERMAN: frozenset(de - da - en)}
    return _stops


def detect(text: Optional[str], previous: Optional[str] = None) -> str:
    """'da', 'en' or 'de' for one message. A message too short to tell ("ok", "and the price?",
    a button) keeps the conversation's ``previous`` language; otherwise 'da' when unsure.

    First the function words: when one language's stop words clearly outnumber the others'
    ("hvad er deres telefonnummer", "we need a byggetilladelse for a carport"), that language.
    Otherwise lingua's guess counts when at least one function word of that language agrees
    and none is Danish ("tak for hjaelpen" is not English)."""
    text = (text or "").strip()
    if not text or text.startswith("/") or len(re.findall(r"[^\W\d_]+", text)) < MIN_WORDS:
        return previous if previous in LANGUAGES else DANISH
    raw_words = re.findall(r"[^\W\d_]+", text)
    if any(_DANISH_LETTERS.search(w) and not w[0].isupper() for w in raw_words):
        return DANISH   # æ, ø or å in an ordinary word (not a place name such as Løkken)
    words = [w.lower() for w in raw_words]
    counts = {lang: sum(w in stops for w in words) for lang, stops in _stop_words().items()}
    n_da, n_en, n_de = counts[DANISH], counts[ENGLISH], counts[GERMAN]
    if n_da > max(n_en, n_de):
        return DANISH
    if (n_en >= 2 and n_en > n_da and n_en >= n_de) or (n_en >= 1 and n_da == 0 and n_de == 0):
        return ENGLISH  # "we need a byggetilladelse for a carport": only English function words
    if n_de >= 2 and n_de > n_da and n_de > n_en:
        return GERMAN
    guess = _model_says(text)
    if guess == ENGLISH and n_en >= 1 and n_da == 0:
        return ENGLISH
    if guess == GERMAN and n_de >= 1 and n_da == 0:
        return GERMAN
    # not clear either way: a conversation keeps its language, a new one is Danish
    return previous if previous in LANGUAGES else DANISH


def _model_says(text: str) -> str:
    values = _get_detector().compute_language_confidence_values(text)
    if not values:
        return DANISH
    best = values[0]
    name = best.language.name
    return {"ENGLISH": ENGLISH, "GERMAN": GERMAN}.get(name, DANISH)
