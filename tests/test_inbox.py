"""Praise kept for departments (bot.inbox): what is kept, for how long, and only with a given clock."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.inbox import KEEP_DAYS, record_praise, recent

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def test_praise_is_listed_newest_first_and_old_praise_is_deleted(db_url):
    record_praise(db_url, T0, "Tak til Byg for hjælpen", "byg-miljoe", "Byg & Miljø", "byggetilladelse")
    record_praise(db_url, T0 + timedelta(days=1), "God service  i\ttelefonen", None, None)
    listed = recent(db_url, T0 + timedelta(days=2))
    assert [m.text for m in listed] == ["God service i telefonen", "Tak til Byg for hjælpen"]
    assert listed[1].received_at == T0 and listed[1].to_dict()["department_name"] == "Byg & Miljø"
    assert recent(db_url, T0 + timedelta(days=100)) == []  # the staff page shows 90 days
    later = T0 + timedelta(days=KEEP_DAYS + 2)
    record_praise(db_url, later, "Ny ros", None, None)
    assert [m.text for m in recent(db_url, later, days=10_000)] == ["Ny ros"]  # the old ones are gone


def test_praise_needs_an_aware_clock_and_some_text(db_url):
    with pytest.raises(ValueError, match="timezone-aware"):
        record_praise(db_url, datetime(2026, 3, 1), "ros", None, None)
    with pytest.raises(ValueError, match="empty"):
        record_praise(db_url, T0, "   ", None, None)
