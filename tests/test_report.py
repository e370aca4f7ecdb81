"""`python -m bot report`: figures from Rasa's tracker store and the feedback, as HTML without
personal data."""
from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

from bot.report import figures, phrasing, read_traffic, write_report

NOW = datetime(2026, 6, 10, 10, 0, tzinfo=timezone.utc)  # a Wednesday


def _conversation(store, sender, turns, start):
    """turns: (user text, intent, answer kind, answer intent) – stored as Rasa stores them."""
    from rasa.shared.core.events import BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    events, t = [], start.timestamp()
    for text, intent, kind, area in turns:
        events.append(UserUttered(text, {"name": intent, "confidence": 0.9}, timestamp=t))
        events.append(BotUttered("svar", {"custom": {"kind": kind, "intent": {"name": area}}}, timestamp=t + 1))
        t += 60
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))


def test_the_report_counts_enquiries_outcomes_and_repeated_unrouted_phrasings(tmp_path):
    from rasa.core.tracker_store import SQLTrackerStore

    store = SQLTrackerStore(dialect="sqlite", db=str(tmp_path / "t.db"))
    _conversation(store, "a", [("vi skal grave i vejen", "road_works", "route", "road_works"),
                               ("nej det var ikke det", "deny", "one_entrance", "deny")], NOW - timedelta(days=3))
    _conversation(store, "b", [("Ring 20 30 40 50 om skrot", "out_of_scope", "one_entrance", "out_of_scope")], NOW)
    _conversation(store, "c", [("ring 71 72 73 74 om skrot", "out_of_scope", "one_entrance", "out_of_scope")], NOW)
    _conversation(store, "d", [("min private sag med Ib Hansen", "out_of_scope", "out_of_scope", "x")], NOW)
    traffic = read_traffic(f"sqlite:///{tmp_path / 't.db'}", NOW - timedelta(days=30))
    f = figures(traffic, [(NOW, "gravetilladelse", True), (NOW, None, False)], open_at=lambda when: when.hour < 10)
    assert f["enquiries"] == 4 and f["messages"] == 5          # "nej det var ikke det" is no enquiry
    assert f["answered"] == 0.25 and f["deflection"] == 0.0    # the answer was followed by "nej"
    assert f["top_unrouted"] == [("ring ## ## ## ## om skrot", 2)]  # one-off messages never listed
    assert sum(sum(w.values()) for w in f["feedback"].values()) == 2
    page = write_report(f, tmp_path / "out", NOW - timedelta(days=30), NOW, [(9.0, 15.0)])
    html = page.read_text()
    assert "Ib Hansen" not in html and "20 30 40 50" not in html and "ring ## ## ## ## om skrot" in html
    assert {p.name for p in (tmp_path / "out").glob("*.png")} == {"areas.png", "outcome.png", "feedback.png", "hours.png"}
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["enquiries"] == 4


def test_phrasings_mask_digits_and_case():
    assert phrasing("Ring 20 30 40 50  NU") == phrasing("ring 71 72 73 74 nu") == "ring ## ## ## ## nu"
