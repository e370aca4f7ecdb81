"""`python -m bot retention`: conversations untouched for N days are deleted from Rasa's own SQL
tracker store, newer ones kept whole; praise older than N days goes too."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bot.retention import delete_old_conversations, tracker_url

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)


def _store(path: Path):
    from rasa.core.tracker_store import SQLTrackerStore

    return SQLTrackerStore(dialect="sqlite", db=str(path))


def _save(store, sender: str, *days_ago: int) -> None:
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [UserUttered(f"besked {d}", timestamp=(NOW - timedelta(days=d)).timestamp()) for d in days_ago]
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))


def test_only_conversations_untouched_for_n_days_are_deleted(tmp_path):
    store = _store(tmp_path / "tracker.db")
    _save(store, "gammel", 200, 120)       # last touched 120 days ago
    _save(store, "aktiv", 200, 10)         # old start, but touched 10 days ago: kept whole
    _save(store, "ny", 1)
    assert delete_old_conversations(f"sqlite:///{tmp_path / 'tracker.db'}", NOW, 90) == (1, 2)
    keys = set(asyncio.run(store.keys()))
    assert keys == {"aktiv", "ny"}
    kept = asyncio.run(store.retrieve("aktiv"))
    assert [e.text for e in kept.events if e.type_name == "user"] == ["besked 200", "besked 10"]


def test_the_endpoints_files_tracker_store_is_found(tmp_path, monkeypatch):
    sqlite = tmp_path / "endpoints.yml"
    sqlite.write_text("tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: var/tracker.db\n")
    assert tracker_url(sqlite).endswith("/var/tracker.db")
    prod = Path(__file__).resolve().parent.parent / "endpoints.prod.yml"
    monkeypatch.setenv("TRACKER_DB_HOST", "db.example")
    for name, value in (("TRACKER_DB_PORT", "5432"), ("TRACKER_DB_NAME", "rasa"), ("TRACKER_DB_USER", "rasa"),
                        ("TRACKER_DB_PASSWORD", "p@ss"), ("TRACKER_LOGIN_DB", "postgres"), ("ACTION_ENDPOINT_URL", "x"),
                        ("REDIS_HOST", "r"), ("REDIS_PORT", "1"), ("REDIS_DB", "1"), ("REDIS_KEY_PREFIX", "k")):
        monkeypatch.setenv(name, value)
    assert tracker_url(prod) == "postgresql://rasa:p%40ss@db.example:5432/rasa"


def test_the_command_reports_what_it_deleted(tmp_path, monkeypatch, capsys, db_url):
    from bot.__main__ import main

    _save(_store(tmp_path / "t.db"), "gammel", 10_000)  # 1999: older than 90 days on any wall clock
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["retention", "--days", "90", "--tracker-url", f"sqlite:///{tmp_path / 't.db'}"]) == 0
    assert ("Deleted 1 conversations (1 events), 0 praise messages and 0 call-back requests older than 90 days."
            in capsys.readouterr().out)
    assert main(["retention", "--days", "0", "--tracker-url", f"sqlite:///{tmp_path / 't.db'}"]) == 2
