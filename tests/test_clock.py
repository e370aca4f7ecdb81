"""The wall clock never leaks into logic: the same `now` gives the same answer on any date.

Each test runs under several frozen wall-clock dates (time-machine), including the days around
the fixtures' own clock (Saturday 28 November 2026) and dates years away. An answer computed
for a fixed `now` must not change with the date the tests happen to run on; this is the bug
that made `make test` fail on 29–30 November 2026 ("i morgen" was worded from the wall clock).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bot.hours import describe_day, status
from tests.conftest import nlu

CPH = ZoneInfo("Europe/Copenhagen")
OFFICE = {"mon": ["09:00-15:00"], "tue": ["09:00-15:00"], "wed": ["09:00-15:00"], "thu": ["09:00-17:00"],
          "fri": ["09:00-13:00"]}
SATURDAY = datetime(2026, 11, 28, 10, 0, tzinfo=CPH)
SUNDAY_EVENING = datetime(2026, 11, 29, 20, 0, tzinfo=CPH)

WALL_CLOCKS = [
    datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc),
    datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc),
    datetime(2026, 11, 29, 23, 30, tzinfo=timezone.utc),   # already Monday in Copenhagen
    datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc),
    datetime(2026, 12, 24, 10, 0, tzinfo=timezone.utc),
    datetime(2027, 3, 28, 1, 30, tzinfo=timezone.utc),     # the night clocks go forward
    datetime(2031, 2, 28, 12, 0, tzinfo=timezone.utc),
]


@pytest.fixture(params=WALL_CLOCKS, ids=lambda d: d.strftime("%Y-%m-%dT%H%M"))
def wall_clock(request):
    with time_machine.travel(request.param, tick=False):
        yield request.param


def test_next_opening_is_worded_from_the_status_time(wall_clock):
    assert status(OFFICE, SATURDAY).danish() == "lukket nu – åbner mandag d. 30.11. kl. 09.00"
    assert status(OFFICE, SUNDAY_EVENING).danish() == "lukket nu – åbner i morgen kl. 09.00"
    friday_evening = datetime(2026, 11, 27, 18, 0, tzinfo=CPH)
    assert status(OFFICE, friday_evening).danish() == "lukket nu – åbner mandag d. 30.11. kl. 09.00"
    early_monday = datetime(2026, 11, 30, 7, 0, tzinfo=CPH)
    assert status(OFFICE, early_monday).danish() == "lukket nu – åbner i dag kl. 09.00"


def test_describe_day_needs_its_reference_day(wall_clock):
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=CPH)
    assert describe_day(monday, date(2026, 11, 30)) == "i dag"
    assert describe_day(monday, date(2026, 11, 29)) == "i morgen"
    assert describe_day(monday, date(2026, 11, 28)) == "mandag d. 30.11."


def test_routed_answer_does_not_depend_on_the_wall_clock(wall_clock, router):
    r = router.route("kan jeg tale med en person", nlu(("ask_person", 0.95)), SATURDAY)
    assert r.one_entrance.next_open.startswith("2026-11-30T09:00")
    assert "mandag" in r.text and "i morgen" not in r.text
    r = router.route("kan jeg tale med en person", nlu(("ask_person", 0.95)), SUNDAY_EVENING)
    assert "i morgen" in r.text


def test_the_same_answer_on_every_date(router):
    """One routed answer, computed for one `now`, byte for byte the same under every wall clock."""
    answers = set()
    for clock in WALL_CLOCKS:
        with time_machine.travel(clock, tick=False):
            answers.add(repr(router.route("må vi stille borde ud", nlu(("outdoor_serving", 0.9)), SATURDAY).to_dict()))
    assert len(answers) == 1


def test_catalogue_versions_and_the_published_page_take_their_time_from_the_caller(wall_clock, catalog_dir, tmp_path):
    """An import records the time it is given; the published page shows the date it is given:
    neither reads the wall clock (the commands take one reading at their edge)."""
    from bot.catalog.importer import import_catalog
    from bot.catalog.publish import edition, render_html
    from bot.catalog.queries import load_snapshot, recent_changes, version_history

    url = f"sqlite:///{tmp_path / 'clock.db'}"
    imported = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)
    import_catalog(url, catalog_dir, imported, comment="ur")
    assert version_history(url)[0].imported_at == "2026-11-01T08:00:00"
    assert recent_changes(url)[0]["imported_at"] == "2026-11-01T08:00Z"
    page = render_html(edition(load_snapshot(url, public=True), False, date(2026, 11, 2)))
    assert "2. november 2026" in page and str(wall_clock.year) not in page.replace("2026", "")
