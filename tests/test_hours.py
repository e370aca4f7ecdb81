"""Open now / next opening in Copenhagen time with Danish holidays, on fixed clocks."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.hours import holiday_name, status, weekly_text

CPH = ZoneInfo("Europe/Copenhagen")
HOTLINE = {"mon": ["09:00-21:00"], "tue": ["09:00-21:00"], "wed": ["09:00-21:00"], "thu": ["09:00-21:00"],
           "fri": ["09:00-17:00"], "sun": ["17:00-21:00"]}
OFFICE = {"mon": ["09:00-15:00"], "tue": ["09:00-15:00"], "wed": ["09:00-15:00"], "thu": ["09:00-17:00"],
          "fri": ["09:00-13:00"]}


def at(*args) -> datetime:
    return datetime(*args, tzinfo=CPH)


@pytest.mark.parametrize("when,open_now", [
    (at(2026, 11, 23, 9, 0), True),     # Monday opening minute
    (at(2026, 11, 23, 8, 59), False),
    (at(2026, 11, 26, 20, 59), True),   # Thursday evening
    (at(2026, 11, 27, 17, 0), False),   # Friday closes 17
    (at(2026, 11, 28, 12, 0), False),   # Saturday closed
    (at(2026, 11, 29, 17, 30), True),   # Sunday evening
])
def test_digital_hotline_open_now(when, open_now):
    assert status(HOTLINE, when).open_now is open_now


def test_closed_saturday_next_opening_is_sunday_evening():
    st = status(HOTLINE, at(2026, 11, 28, 12, 0))
    assert st.next_open == at(2026, 11, 29, 17, 0)
    assert "åbner i morgen kl. 17.00" in st.danish() or "søndag" in st.danish()


def test_open_status_gives_closing_time():
    st = status(OFFICE, at(2026, 11, 26, 10, 0))
    assert st.closes_at == at(2026, 11, 26, 17, 0)
    assert st.danish() == "åben nu til kl. 17.00"


def test_utc_clock_is_converted_to_copenhagen():
    # 08:30 UTC in winter is 09:30 in Copenhagen: open
    assert status(OFFICE, datetime(2026, 11, 23, 8, 30, tzinfo=timezone.utc)).open_now
    # summer time: 07:30 UTC is 09:30 CEST
    assert status(OFFICE, datetime(2026, 6, 8, 7, 30, tzinfo=timezone.utc)).open_now


@pytest.mark.parametrize("day,name", [
    ((2026, 12, 25), "Juledag"), ((2026, 4, 3), "Langfredag"), ((2026, 5, 14), "Kristi himmelfartsdag"),
    ((2026, 12, 24), "Juleaftensdag"), ((2026, 6, 5), "Grundlovsdag"), ((2026, 12, 31), "Nytårsaftensdag"),
])
def test_danish_holidays_close(day, name):
    from datetime import date

    assert (holiday_name(date(*day)) or "").lower().startswith(name.lower()[:6])
    assert not status(OFFICE, at(*day, 10, 0)).open_now


def test_first_of_may_is_a_working_day():
    assert status(OFFICE, at(2026, 5, 1, 10, 0)).open_now


def test_christmas_next_opening_skips_holidays():
    # Thu 24 Dec 2026 (juleaftensdag), Fri 25 (juledag), Sat 26, Sun 27 -> Monday 28 Dec
    st = status(OFFICE, at(2026, 12, 24, 10, 0))
    assert not st.open_now and st.holiday
    assert st.next_open == at(2026, 12, 28, 9, 0)


def test_easter_next_opening():
    # Maundy Thursday 2 Apr 2026 → Easter Monday 6 Apr closed → Tuesday 7 Apr
    st = status(OFFICE, at(2026, 4, 1, 16, 0))
    assert st.next_open == at(2026, 4, 7, 9, 0)


def test_open_on_holidays_flag():
    assert status(HOTLINE, at(2026, 12, 25, 10, 0), open_on_holidays=True).open_now


def test_weekly_text_groups_days():
    assert weekly_text(OFFICE) == "man–ons 09.00–15.00; tors 09.00–17.00; fre 09.00–13.00"
