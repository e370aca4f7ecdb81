"""Personal identity numbers (CPR) never go further than the first function that sees them.

A CPR number is ddmmyy-xxxx (the dash may be missing or a space). We redact anything of
that shape whose first six digits are a plausible date, before text is parsed, logged
or stored.
"""
from __future__ import annotations

import re

_CPR = re.compile(r"(?<!\d)([0-3]\d)([01]\d)(\d{2})[- ]?(\d{4})(?!\d)")
REDACTED = "[cpr-nummer fjernet]"


def _plausible(day: str, month: str) -> bool:
    d, m = int(day), int(month)
    return 1 <= d <= 31 and 1 <= m <= 12


def redact(text: str) -> str:
    """Text with every CPR-looking number replaced by a marker."""
    if not text:
        return text
    return _CPR.sub(lambda m: REDACTED if _plausible(m.group(1), m.group(2)) else m.group(0), text)


def contains_cpr(text: str) -> bool:
    return redact(text) != text
