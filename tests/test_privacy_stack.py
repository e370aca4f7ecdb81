"""CPR numbers, in every spelling, sent in the text, the metadata and the sender id of a real
conversation — including an action that fails and quotes the conversation in its exception —
leave no trace: not in Rasa's SQL tracker store, not in either server's log (run with --debug),
not in our own tables (praise kept for a department)."""
from __future__ import annotations
from tests.conftest import IMPORTED

import re
import sqlite3
import unicodedata
import uuid
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.servers import ROOT, actions_cmd, base_env, free_port, rasa_cmd, running, write_endpoints
from tests.test_privacy import cprs, spellings

pytestmark = pytest.mark.model
MODEL = ROOT / "models" / "indgang.tar.gz"
TOKEN = "privacy-token"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train` (make test does)")
    from bot.catalog.importer import import_catalog

    tmp = tmp_path_factory.mktemp("privacy")
    catalog = f"sqlite:///{tmp / 'catalog.db'}"
    import_catalog(catalog, ROOT / "catalog_data", IMPORTED)
    a_port, r_port = free_port(), free_port()
    endpoints = write_endpoints(tmp / "endpoints.yml", a_port, tracker_db=tmp / "tracker.db")
    env = base_env(DATABASE_URL=catalog, ACTIONS_PORT=str(a_port), RASA_TOKEN=TOKEN, CHAT_SESSION_MESSAGES="4")
    # both servers at --debug: the most they ever log; the actions with one that crashes
    actions = actions_cmd(a_port) + ["--actions", "tests.crashing_actions", "--debug"]
    rasa = rasa_cmd(r_port, MODEL, endpoints) + ["--debug"]
    with running(actions, env, f"http://127.0.0.1:{a_port}/health", tmp / "actions.log"), \
            running(rasa, env, f"http://127.0.0.1:{r_port}/status?token={TOKEN}", tmp / "rasa.log", timeout=180):
        yield {"url": f"http://127.0.0.1:{r_port}/webhooks/chat/webhook", "tmp": tmp}


def _readable(raw: bytes) -> str:
    """Bytes as text a CPR could hide in: UTF-8, JSON's \\uXXXX escapes undone, NFKC."""
    text = raw.decode("utf-8", errors="ignore")
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return unicodedata.normalize("NFKC", text)


def _pattern(dd: str, mm: str, yy: str, serial: str) -> "re.Pattern[str]":
    gap = r"[^0-9]{0,6}"
    return re.compile(dd + gap + mm + gap + yy + gap + serial)


def test_no_cpr_in_any_spelling_is_kept_anywhere(stack):
    sent = []

    @settings(max_examples=12, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(cpr=cprs(), in_text=st.integers(0, 17), in_meta=st.integers(0, 17), in_sender=st.integers(0, 17))
    def converse(cpr, in_text, in_meta, in_sender):
        forms = spellings(*cpr)
        sender = f"kunde {forms[in_sender]} {uuid.uuid4().hex[:6]}"
        body = {"sender": sender, "message": f"Hej, mit cpr er {forms[in_text]}. Vi skal bruge en gravetilladelse",
                "metadata": {"page": f"/kontakt?cpr={forms[in_meta]}", "form": [{"felt": forms[in_meta]}]}}
        assert requests.post(stack["url"], json=body, timeout=60).status_code == 200
        # praise is kept in our own table; then an action that fails quoting the conversation
        for message in (f"vi vil gerne rose Rita, husk mit nummer {forms[in_text]}",
                        '/choose_task{"task_id": "gravetilladelse"}'):
            requests.post(stack["url"], json=dict(body, message=message), timeout=60)
        sent.append(cpr)

    converse()
    assert len(sent) == 12
    files = [stack["tmp"] / name for name in ("tracker.db", "rasa.log", "actions.log", "catalog.db")]
    haystacks = {f.name: _readable(f.read_bytes()) for f in files if f.exists()}
    assert set(haystacks) == {"tracker.db", "rasa.log", "actions.log", "catalog.db"}
    assert "Encountered an exception while running action" in haystacks["rasa.log"]  # the failure did happen
    for log in ("rasa.log", "actions.log"):  # the failure is logged, the conversation it carried is not
        assert "message withheld" in haystacks[log] and "/kontakt?cpr=" not in haystacks[log]
    for cpr in sent:
        for name, text in haystacks.items():
            assert not _pattern(*cpr).search(text), f"a CPR number is kept in {name}"
    assert "cpr-nummer fjernet" in haystacks["tracker.db"]


def test_the_webhook_refuses_what_could_fill_the_disk_or_crash_it(stack):
    url = stack["url"]
    assert requests.post(url, json=[{"sender": "a", "message": "hej"}], timeout=30).status_code == 400
    assert requests.post(url, data=b"not json", timeout=30).status_code == 400
    big_meta = {"sender": "m", "message": "hej", "metadata": {"x": "a" * 5000}}
    assert requests.post(url, json=big_meta, timeout=30).status_code == 413
    assert requests.post(url, json={"sender": "b", "message": "a" * 20000}, timeout=30).status_code == 413
    many_keys = {"sender": "k", "message": "hej", "metadata": {f"k{i}": 1 for i in range(21)}}
    assert requests.post(url, json=many_keys, timeout=30).status_code == 413
    # one conversation sending like a script is paused; another conversation is not
    codes = [requests.post(url, json={"sender": "flood", "message": "hej"}, timeout=60).status_code for _ in range(21)]
    assert codes[:20] == [200] * 20 and codes[20] == 429
    assert requests.post(url, json={"sender": "calm", "message": "hej"}, timeout=60).status_code == 200
    # no sender: refused, never Rasa's shared "default" conversation that strangers would read
    assert requests.post(url, json={"message": "hej"}, timeout=60).status_code == 400
    assert requests.post(url, json={"sender": " ", "message": "hej"}, timeout=60).status_code == 400
    base = url.split("/webhooks")[0]
    default = requests.get(f"{base}/conversations/default/tracker", params={"token": TOKEN}, timeout=10).json()
    assert not [e for e in default.get("events") or [] if e.get("event") == "user"]


def test_a_long_conversation_starts_new_sessions_and_keeps_its_topic(stack):
    """Every few messages (4 here, 30 in use) the channel starts a new session, so a reply's cost
    stays bounded; the topic and language carry over, so a follow-up still means the same task."""
    url, sender = stack["url"], f"lang-{uuid.uuid4().hex[:6]}"
    for message in ("vi skal have en gravetilladelse til et fiberkabel", "ja", "tak", "ok", "hej igen"):
        assert requests.post(url, json={"sender": sender, "message": message}, timeout=60).status_code == 200
    reply = requests.post(url, json={"sender": sender, "message": "hvad koster det"}, timeout=60).json()
    card = next(m["custom"] for m in reply if m.get("custom"))
    assert card["kind"] == "follow_up" and card["route"]["task_id"] == "gravetilladelse"
    base = url.split("/webhooks")[0]
    full = requests.get(f"{base}/conversations/{sender}/tracker", params={"token": TOKEN, "include_events": "ALL"},
                        timeout=10).json()
    assert sum(e["event"] == "session_started" for e in full["events"]) >= 2
