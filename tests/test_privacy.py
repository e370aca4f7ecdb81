"""CPR numbers are redacted in every spelling people use, and ordinary numbers are left alone
(bot/privacy.py); logs keep no conversation content (rasa_addons/log_privacy.py)."""
from __future__ import annotations

import logging
import random
import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.privacy import REDACTED, contains_cpr, is_cpr_date, redact, redact_value

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def spellings(d: str, m: str, y: str, s: str):
    """Every way of writing CPR ddmmyy-ssss that the security review found stored as typed."""
    return [
        f"{d}{m}{y}-{s}", f"{d}{m}{y}{s}", f"{d}{m}{y} {s}", f"{d}{m}{y} - {s}", f"{d}{m}{y}–{s}", f"{d}{m}{y}—{s}",
        f"{d}{m}{y}\u00a0{s}", f"{d}{m}{y}\t{s}", f"{d}{m}{y}\n{s}", f"{d}.{m}.{y}-{s}", f"{d} {m} {y}-{s}",
        f"{d}/{m}/{y} {s}", f"{d}.{m}.{y}.{s}", f"{d}-{m}-{y}-{s}", f"{d}{m}{y}/{s}",
        f"{d}{m}{y}-{s}".translate(FULL_WIDTH), f"{d}{m}\u200b{y}-{s}", f"{d}{m}{y}\u2011{s}",
    ]


def digits_of(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isdigit())


@pytest.mark.parametrize("spelled", spellings("12", "03", "85", "7106"))
def test_every_spelling_is_redacted_and_the_rest_kept(spelled):
    text = f"Hej, mit cpr er {spelled} – kan I hjælpe med byggetilladelse?"
    out = redact(text)
    assert out == f"Hej, mit cpr er {REDACTED} – kan I hjælpe med byggetilladelse?"
    assert contains_cpr(text) and not contains_cpr(out)


NOT_CPR = [
    "Ring til 72 57 88 10 lokal 12", "tlf 72578810 lokal 1234", "+45 72 57 88 10", "CVR 29189854",
    "CVR-nr. 29 18 98 54", "CVR 2918985401", "ordre 4500123456", "ordrenr 1234567890", "EAN 5798000123456",
    "mødet er 12.03.2025 kl 10", "den 31/12/2026", "faktura nr. 2026-001234", "320285-1234",
    "300285-1234",          # 30 February
    "290201-1234",          # 29 February 1901 (the serial's 1 gives the 1900s): not a leap year
    "beløb 120385 kr.", "postnummer 9440 og 9460", "sagsnr. 24/12345", "kontonr 1234 0012345678",
    "22 03 45 67 89",       # a phone number in pairs and an extension
]


@pytest.mark.parametrize("text", NOT_CPR)
def test_ordinary_numbers_are_not_masked(text):
    assert redact(text) == text


def test_false_positive_rate_on_ordinary_ten_digit_numbers():
    """Numbers that are not CPR but have ten digits in a row: phone numbers with a two-digit
    extension, CVR numbers with two more digits, order numbers. Only those that begin with a
    real date are masked (the date check keeps the rate near 1 in 30; docs/production.md)."""
    rng = random.Random(7)
    kinds = {
        "phone + extension": lambda: f"{rng.randint(2, 9)}{rng.randint(0, 9_999_999):07d}{rng.randint(0, 99):02d}",
        "CVR + 2 digits": lambda: f"{rng.randint(10_000_000, 99_999_999)}{rng.randint(0, 99):02d}",
        "order number": lambda: f"{rng.randint(0, 9_999_999_999):010d}",
    }
    for name, make in kinds.items():
        numbers = [make() for _ in range(5000)]
        rate = sum(contains_cpr(f"nr. {n}") for n in numbers) / len(numbers)
        assert rate < 0.06, (name, rate)


def test_the_date_check_follows_the_cpr_centuries():
    assert is_cpr_date(29, 2, 0, 4)        # 29 Feb 2000 (serial 4xxx, year 00): a leap day
    assert not is_cpr_date(29, 2, 0, 0)    # ... 1900 was not a leap year
    assert is_cpr_date(29, 2, 60, 5)       # serial 5xxx and 60: 1860, a leap year
    assert not is_cpr_date(31, 4, 85, 1) and not is_cpr_date(0, 1, 85, 1) and not is_cpr_date(1, 13, 85, 1)


cpr_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2036, 12, 31))


@st.composite
def cprs(draw):
    born = draw(cpr_dates)
    yy = born.year % 100
    if born.year < 2000:
        first = draw(st.sampled_from([0, 1, 2, 3]))
    else:
        first = draw(st.sampled_from([4, 9, 5, 6, 7, 8]))
    serial = f"{first}{draw(st.integers(0, 999)):03d}"
    return f"{born.day:02d}", f"{born.month:02d}", f"{yy:02d}", serial


words = st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzæøå ,.!?:()")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(cpr=cprs(), which=st.integers(0, 17), before=words, after=words)
def test_a_cpr_in_any_spelling_inside_any_text_leaves_no_digit(cpr, which, before, after):
    spelled = spellings(*cpr)[which]
    out = redact(f"{before} {spelled} {after}")
    assert digits_of(out) == "" and REDACTED in out


@settings(max_examples=150, deadline=None)
@given(cpr=cprs(), which=st.integers(0, 17), key=words)
def test_metadata_strings_and_keys_are_redacted_at_any_depth(cpr, which, key):
    spelled = spellings(*cpr)[which]
    meta = {"page": f"https://example.dk/?q={spelled}", key or "k": [{"note": spelled, spelled: 1, "n": 5}]}
    out = redact_value(meta)
    assert spelled not in repr(out)
    assert all(digits_of(str(v)) == "" for v in _strings(out))


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_log_records_keep_no_exception_message_and_no_cpr(capsys):
    from rasa_addons import log_privacy

    log_privacy.apply()
    log = logging.getLogger("test.privacy")
    handler = logging.StreamHandler()
    log.addHandler(handler)
    tracker = {"text": "min nabo 120385-7106"}
    body = {"sender": "x", "metadata": {"secret": "y"}}
    who = "120385 - 7106"
    try:
        try:
            try:
                raise ValueError(f"the tracker: {tracker}")
            except ValueError as inner:
                raise RuntimeError(f"request body {body}") from inner
        except RuntimeError:
            log.exception("action failed for %s", who)
    finally:
        log.removeHandler(handler)
    err = capsys.readouterr().err
    assert "RuntimeError" in err and "ValueError" in err and "raise RuntimeError" in err  # types and frames kept
    assert "metadata" not in err and "min nabo" not in err and "7106" not in err
    assert "action failed for [cpr-nummer fjernet]" in err and "message withheld" in err


@pytest.mark.parametrize("spelled", ["①②⓪③⑧⑤-⑦①⓪⑥", "𝟏𝟐𝟎𝟑𝟖𝟓-𝟕𝟏𝟎𝟔", "¹²0385-7106"])
def test_digits_that_only_normalise_to_digits_still_count(spelled):
    """The quick "fewer than ten digits" check counts every character that NFKC turns into digits."""
    assert redact(f"nr {spelled} tak") == f"nr {REDACTED} tak"
