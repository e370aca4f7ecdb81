"""Personal identity numbers (CPR) never go further than the first function that sees them.

A CPR number is ddmmyy-ssss. People write it in many ways: ``120385-7106``, ``120385 - 7106``,
``1203857106``, ``12.03.85-7104``, ``12 03 85-7103``, ``12/03/85 7102``, with an en or em dash,
a non-breaking space, a tab or a line break before the serial, full-width digits or a zero-width
space inside. We read the text in a normalised form (NFKC: full-width digits become 0–9 and odd
spaces plain ones; zero-width characters dropped) and redact anything of that shape whose first
six digits and the century given by the serial's first digit make a real date (so 31 February,
or a phone number with an extension that starts 72 57 …, stays). Ordinary ten-digit numbers
that happen to start with a real date are masked too: that is the price of never keeping a CPR
(measured in tests/test_privacy.py on order, CVR and phone numbers).

``redact`` is for text; ``redact_value`` for the metadata a client sends (every string inside,
keys included) and ``redact`` again for the sender id. Every channel calls them before Rasa
builds the message, so nothing downstream (tracker store, logs, our own tables) sees a CPR.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from functools import lru_cache
from typing import Any, Dict, List, Tuple

REDACTED = "[cpr-nummer fjernet]"

# zero-width and invisible formatting characters people paste without seeing them
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"}
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
# dd [sep] mm [same sep] yy [spaces] [dash . /] [spaces] ssss, not inside a longer number
_CPR = re.compile(
    r"(?<![0-9])([0-3][0-9])([ ./" + _DASHES + r"]?)([01][0-9])\2([0-9]{2})"
    r"[^\S\n]{0,3}\n?[^\S\n]{0,3}[./" + _DASHES + r"]?[^\S\n]{0,3}\n?[^\S\n]{0,3}([0-9]{4})(?![0-9])")




@lru_cache(maxsize=1)
def _digit_weights() -> Tuple["re.Pattern[str]", Dict[str, int]]:
    """Characters that are, or NFKC-normalise to, ASCII digits (0–9, full-width, superscript,
    circled …), with how many digits each gives; made once per process, on first use (~0.1 s)."""
    weights = {}
    for i in range(0x20000):  # the planes where digit-like characters are
        if 0xD800 <= i <= 0xDFFF:
            continue
        n = sum(1 for c in unicodedata.normalize("NFKC", chr(i)) if "0" <= c <= "9")
        if n:
            weights[chr(i)] = n
    codes = sorted(ord(c) for c in weights)
    ranges, start = [], codes[0]
    for prev, code in zip(codes, codes[1:] + [None]):
        if code != prev + 1 if code is not None else True:
            ranges.append(re.escape(chr(start)) + ("-" + re.escape(chr(prev)) if prev > start else ""))
            start = code
    return re.compile("[" + "".join(ranges) + "]"), weights


def _digit_count(text: str) -> int:
    """How many digits ``text`` has once normalised (found in C, counted only where they are)."""
    pattern, weights = _digit_weights()
    return sum(weights[c] for c in pattern.findall(text))


def _century(yy: int, first_serial_digit: int) -> int:
    """The CPR register's rule: the serial's first digit and the year give the century."""
    if first_serial_digit <= 3:
        return 1900
    if first_serial_digit in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


def is_cpr_date(dd: int, mm: int, yy: int, first_serial_digit: int) -> bool:
    """Whether ddmmyy with this serial is a real date of birth (29 February only in leap years)."""
    if not (1 <= mm <= 12 and dd >= 1):
        return False
    year = _century(yy, first_serial_digit) + yy
    return dd <= calendar.monthrange(year, mm)[1]


def _normalised(text: str) -> Tuple[str, List[int]]:
    """NFKC, without invisible characters, with each normalised character's original index."""
    if text.isascii():  # the common case: nothing to normalise
        return text, list(range(len(text)))
    out: List[str] = []
    where: List[int] = []
    for i, ch in enumerate(text):
        if ch in _INVISIBLE:
            continue
        norm = unicodedata.normalize("NFKC", ch)
        for c in norm:
            if c in _INVISIBLE:
                continue
            out.append(c)
            where.append(i)
    return "".join(out), where


def _spans(text: str) -> List[Tuple[int, int]]:
    """(start, end) in ``text`` of every CPR number, however it is written."""
    if _digit_count(text) < 10:  # a CPR number has ten digits: most text is done here, cheaply
        return []
    norm, where = _normalised(text)
    spans = []
    for m in _CPR.finditer(norm):
        dd, _sep, mm, yy, serial = m.groups()
        if is_cpr_date(int(dd), int(mm), int(yy), int(serial[0])):
            spans.append((where[m.start()], where[m.end() - 1] + 1))
    return spans


def redact(text: str) -> str:
    """Text with every CPR number replaced by a marker; everything else exactly as written."""
    if not text or not isinstance(text, str):
        return text
    spans = _spans(text)
    if not spans:
        return text
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(text[last:start])
        pieces.append(REDACTED)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def redact_value(value: Any, depth: int = 0) -> Any:
    """Every string inside JSON-like ``value`` (dict keys included) redacted; other values as they are."""
    if depth > 50:  # a client cannot make us recurse without end; deeper values are dropped
        return None
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact(k) if isinstance(k, str) else k: redact_value(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_value(v, depth + 1) for v in value]
    return value


def contains_cpr(text: str) -> bool:
    return bool(text) and bool(_spans(text))
