"""Open now? Next opening? For a weekly schedule in Europe/Copenhagen, honouring Danish holidays.

Public holidays come from the maintained ``holidays`` package. Municipal offices and
phones are also closed on Grundlovsdag (5 June), juleaftensdag (24 Dec) and
nytårsaftensdag (31 Dec), which the package lists as optional days; 1 May is not a
closing day for the municipality and stays open.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Mapping, Optional, Sequence, Tuple
from zoneinfo import ZoneInfo

import holidays

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DANISH_WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EXTRA_CLOSED = {(6, 5), (12, 24), (12, 31)}
Schedule = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class OpenStatus:
    open_now: bool
    closes_at: Optional[datetime]  # when open now
    next_open: Optional[datetime]  # when closed now (None: no opening within two weeks)
    holiday: Optional[str]         # name of today's holiday, if closed for it
    at: datetime                   # the moment this status was computed for (local time)

    def phrase(self, lang: str = "da") -> str:
        """The status in the answer's language: Danish for 'da' ('åben nu til kl. 15.00',
        'lukket nu – åbner mandag d. 30.11. kl. 09.00'), English otherwise ('open now until
        15:00', 'closed now – opens Monday 30 Nov at 09:00')."""
        w = _WORDING["da" if lang == "da" else "en"]
        if self.open_now and self.closes_at:
            return w["open"].format(time=self.closes_at.strftime(w["time"]))
        if self.next_open is None:
            return w["closed"]
        return w["opens"].format(day=describe_day(self.next_open, self.at.date(), lang),
                                 time=self.next_open.strftime(w["time"]))

    def danish(self) -> str:
        return self.phrase("da")

    def english(self) -> str:
        return self.phrase("en")


_WORDING = {
    "da": {"open": "åben nu til kl. {time}", "closed": "lukket", "opens": "lukket nu – åbner {day} kl. {time}",
           "time": "%H.%M", "today": "i dag", "tomorrow": "i morgen", "weekdays": DANISH_WEEKDAYS,
           "date": "{weekday} d. {when.day}.{when.month}."},
    "en": {"open": "open now until {time}", "closed": "closed", "opens": "closed now – opens {day} at {time}",
           "time": "%H:%M", "today": "today", "tomorrow": "tomorrow", "weekdays": ENGLISH_WEEKDAYS,
           "date": "{weekday} {when.day} {month}"},
}


def describe_day(when: datetime, today: date, lang: str = "da") -> str:
    """'i dag', 'i morgen' or the weekday and date (English for any ``lang`` but 'da'), seen
    from ``today``.

    ``today`` is required: a phrase like 'i morgen' is only true relative to the moment the
    status was computed for, never the wall clock at the time the text is rendered.
    """
    w = _WORDING["da" if lang == "da" else "en"]
    if when.date() == today:
        return w["today"]
    if when.date() == today + timedelta(days=1):
        return w["tomorrow"]
    return w["date"].format(weekday=w["weekdays"][when.weekday()], when=when, month=when.strftime("%b"))


@lru_cache(maxsize=32)
def _holidays(year: int) -> Mapping[date, str]:
    public = holidays.country_holidays("DK", years=year, language="da")
    optional = holidays.country_holidays("DK", years=year, language="da", categories=("optional",))
    closed = dict(public.items())
    for d, name in optional.items():
        if (d.month, d.day) in _EXTRA_CLOSED:
            closed[d] = name
    return closed


def holiday_name(day: date) -> Optional[str]:
    """The Danish name of the holiday on ``day`` when the municipality is closed, else None."""
    return _holidays(day.year).get(day)


def _intervals(schedule: Schedule, day: date) -> Tuple[Tuple[time, time], ...]:
    out = []
    for iv in schedule.get(WEEKDAYS[day.weekday()], ()):
        start, end = iv.split("-")
        h1, m1 = map(int, start.split(":"))
        h2, m2 = map(int, end.split(":"))
        out.append((time(h1, m1), time(23, 59, 59) if (h2, m2) == (24, 0) else time(h2, m2)))
    return tuple(sorted(out))


def status(schedule: Schedule, now: datetime, tz: str = "Europe/Copenhagen",
           open_on_holidays: bool = False) -> OpenStatus:
    """Whether a schedule is open at ``now`` and, if not, when it next opens (within 14 days)."""
    zone = ZoneInfo(tz)
    now = now.astimezone(zone) if now.tzinfo else now.replace(tzinfo=zone)
    today_holiday = None if open_on_holidays else holiday_name(now.date())
    if not today_holiday:
        for start, end in _intervals(schedule, now.date()):
            if start <= now.time() < end:
                return OpenStatus(True, datetime.combine(now.date(), end, zone), None, None, now)
    for offset in range(0, 15):
        day = now.date() + timedelta(days=offset)
        if not open_on_holidays and holiday_name(day):
            continue
        for start, _end in _intervals(schedule, day):
            at = datetime.combine(day, start, zone)
            if at > now:
                return OpenStatus(False, None, at, today_holiday, now)
    return OpenStatus(False, None, None, today_holiday, now)


def weekly_text(schedule: Schedule, lang: str = "da") -> str:
    """The schedule in Danish: 'man–ons 09.00–15.00, tors 09.00–17.00, fre 09.00–13.00' (or English:
    'Mon–Wed 09:00–15:00; …')."""
    english = lang != "da"
    short = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun") if english else ("man", "tirs", "ons", "tors", "fre", "lør", "søn")
    parts, i = [], 0
    days = [tuple(schedule.get(d, ())) for d in WEEKDAYS]
    while i < 7:
        j = i
        while j + 1 < 7 and days[j + 1] == days[i]:
            j += 1
        if days[i]:
            label = short[i] if i == j else f"{short[i]}–{short[j]}"
            parts.append(f"{label} " + ", ".join((iv if english else iv.replace(":", ".")).replace("-", "–")
                                                 for iv in days[i]))
        i = j + 1
    return "; ".join(parts) if parts else ("closed" if english else "lukket")
