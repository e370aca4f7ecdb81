"""The catalogue as editors change it: a new import reaches the running servers within a second,
with no restart and no retraining; and a second municipality's catalogue shows nothing of ours.
"""
from __future__ import annotations

import copy
import os
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Dict

import pytest
import requests

from bot.catalog.importer import import_catalog
from bot.catalog.queries import load_snapshot
from bot.routing.router import Router
from tests.conftest import IMPORTED, MINI, write_catalog
from tests.servers import actions_cmd, base_env, free_port, running, web_cmd

SECRET_HEADER = "X-Indgang-Action-Secret"


def _show_task(actions: str, task_id: str) -> Dict[str, Any]:
    """What the running action server answers when a business picks a task (as Rasa calls it)."""
    tracker = {"sender_id": "live", "slots": {"task_id": task_id, "language": "da"},
               "latest_message": {"text": "", "intent": {}, "entities": []}, "events": [], "paused": False,
               "followup_action": None, "active_loop": {}, "latest_action_name": None}
    r = requests.post(f"{actions}/webhook", json={"next_action": "action_show_task", "sender_id": "live",
                                                  "tracker": tracker, "domain": {}},
                      headers={SECRET_HEADER: os.environ["ACTION_SECRET"]}, timeout=10)
    r.raise_for_status()
    return r.json()["responses"][0]["custom"]


def _until(check: Callable[[], bool], timeout: float) -> float:
    """Seconds until ``check()`` holds (polled every 20 ms); fails after ``timeout``."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > timeout:
            pytest.fail(f"not seen within {timeout} s")
        time.sleep(0.02)
    return time.monotonic() - start


def test_a_new_phone_number_reaches_the_running_assistant_within_a_second(tmp_path: Path):
    data = copy.deepcopy(MINI)
    root = write_catalog(tmp_path / "catalog_data", data)
    db = f"sqlite:///{tmp_path / 'live.db'}"
    import_catalog(db, root, IMPORTED)
    a_port, w_port = free_port(), free_port()
    env = base_env(DATABASE_URL=db, RASA_URL=f"http://127.0.0.1:{free_port()}", WEB_SECRET="x" * 32)
    with running(actions_cmd(a_port), env, f"http://127.0.0.1:{a_port}/health", tmp_path / "actions.log"), \
            running(web_cmd(w_port), env, f"http://127.0.0.1:{w_port}/health", tmp_path / "web.log"):
        actions, web = f"http://127.0.0.1:{a_port}", f"http://127.0.0.1:{w_port}"
        assert _show_task(actions, "gravetilladelse")["route"]["phone"] == "72 57 75 00"
        assert requests.get(f"{web}/api/tasks/gravetilladelse", timeout=10).json()["phone"] == "72 57 75 00"

        data["departments.yml"]["departments"][0]["phone"] = "72 57 75 99"  # Vej & Park's new number
        write_catalog(root, data)
        import_catalog(db, root, datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc))

        chat = _until(lambda: _show_task(actions, "gravetilladelse")["route"]["phone"] == "72 57 75 99", 5)
        page = _until(lambda: requests.get(f"{web}/api/tasks/gravetilladelse", timeout=10).json()["phone"]
                      == "72 57 75 99", 5)
        # both servers watch the catalogue on their own: each had it within a second of the import
        assert chat < 1.0 and chat + page < 1.0, (chat, page)


OTHER: Dict[str, Any] = {
    "catalog.yml": {"version": "1", "municipality": {
        "name": "Sydkyst Kommune", "switchboard": "40 40 40 40", "one_entrance": "erhverv",
        "citizen_service": "borger", "email": "post@sydkyst.example", "url": "https://sydkyst.example",
        "stop_words": ["sydkyst"]}},
    "departments.yml": {"departments": [
        {"id": "veje", "name": "Veje og Trafik", "phone": "40 40 41 00", "email": "veje@sydkyst.example"},
        {"id": "borger", "name": "Borgerkontoret", "phone": "40 40 42 00"},
    ]},
    "tasks/t.yml": {"tasks": [
        {"id": "udeservering", "title": "Udeservering", "description": "Borde og stole på fortovet.",
         "kle": ["05.14.08"], "keywords": ["udeservering", "fortov", "borde"], "department": "veje", "external": True},
        {"id": "gravning", "title": "Gravetilladelse", "description": "Grav i vejen.",
         "kle": ["05.12.10"], "keywords": ["gravetilladelse", "opgravning"], "department": "veje", "external": True},
    ]},
    "contacts.yml": {"contacts": []},
    "channels.yml": {"channels": [
        {"id": "erhverv", "name": "Erhvervslinjen", "phone": "40 40 40 10",
         "opening_hours": {"mon": ["08:00-16:00"], "tue": ["08:00-16:00"]}},
    ]},
    "authorities.yml": {"authorities": [
        {"id": "skat", "name": "Skattestyrelsen", "description": "Moms og skat.", "topics": ["moms"]},
    ]},
    "topics.yml": {"topics": {"outdoor_serving": ["05.14"]}},
}
JAMMERBUGT = ("jammerbugt", "72 57", "8810", "aabybro", "én indgang for virksomheder")


def test_a_second_municipality_shows_nothing_of_jammerbugt(tmp_path: Path):
    from bot.catalog.publish import publish

    root = write_catalog(tmp_path / "catalog_data", copy.deepcopy(OTHER))
    db = f"sqlite:///{tmp_path / 'other.db'}"
    import_catalog(db, root, IMPORTED)
    router = Router(load_snapshot(db, public=True))
    now = datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc)  # a Monday, open
    answers = [
        router.route("Hej", {"intent": {"name": "greet", "confidence": 0.99}}, now=now),
        router.route("Jeg vil tale med en person", {"intent": {"name": "ask_person", "confidence": 0.99}}, now=now),
        router.route("borde på fortovet foran caféen i Sydkyst", {"intent": {"name": "outdoor_serving",
                                                                            "confidence": 0.95}}, now=now),
        router.route("jeg skal have et nyt sygesikringskort", {"intent": {"name": "citizen_matter", "confidence": 0.999}},
                     now=now),
        router.route("hvad er klokken på månen", {"intent": {"name": "out_of_scope", "confidence": 0.95}}, now=now),
        router.route("Hello, can we put tables outside?", {"intent": {"name": "outdoor_serving", "confidence": 0.9}},
                     now=now, lang="en"),
        router.refer_to_person(now=now),
    ]
    text = " ".join(str(a.to_dict()) for a in answers).lower()
    assert "sydkyst kommune" in text and "40 40 40 10" in text and "erhvervslinjen" in text
    for word in JAMMERBUGT:
        assert word not in text, word
    assert answers[2].route and answers[2].route.task_id == "udeservering"
    assert answers[3].kind == "citizen" and "Borgerkontoret" in answers[3].text
    out = publish(db, tmp_path / "published", generated=now.date())
    html = (tmp_path / "published" / "katalog.html").read_text(encoding="utf-8").lower()
    assert "sydkyst kommune" in html and all(word not in html for word in JAMMERBUGT)
    assert len(out) >= 2
