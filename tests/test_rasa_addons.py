"""Our two additions to Rasa (rasa_addons/): same answers as Rasa's own code, only cheaper."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from jsonschema import ValidationError
from sklearn.linear_model import LogisticRegression

from rasa_addons.intent_classifier import contiguous_for_prediction


def test_action_responses_are_still_validated_after_the_speedup():
    import channels.chat  # noqa: F401  (the chat channel applies the fix, as in `rasa run`)
    from rasa.core.actions.action import RemoteAction

    from rasa_addons import server_speedups

    assert RemoteAction._validate_action_result is server_speedups._validate_action_result
    action = RemoteAction("action_route_enquiry", None)
    good = {"events": [{"event": "slot", "name": "task_id", "value": None}],
            "responses": [{"text": "hej", "buttons": [], "custom": {"kind": "route"}}]}
    assert action._validate_action_result(good) is True
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list", "responses": []})


def test_event_types_are_found_as_rasa_finds_them():
    import channels.chat  # noqa: F401
    from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered, deserialise_events

    for _ in range(2):  # the second time from the remembered classes
        assert Event.resolve_by_type("user") is UserUttered
        assert Event.resolve_by_type("slot") is SlotSet
        assert Event.resolve_by_type("action") is ActionExecuted
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no-such-event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no-such-event")
    events = [UserUttered("hej", {"name": "greet", "confidence": 1.0}), SlotSet("task_id", "x"),
              ActionExecuted("action_listen")]
    assert deserialise_events([e.as_dict() for e in events]) == events


def test_weights_in_fortran_order_predict_the_same_and_need_no_copy():
    rng = np.random.default_rng(1)
    X = sp.random(200, 3000, density=0.01, format="csr", random_state=2)
    y = rng.integers(0, 5, 200)
    clf = LogisticRegression(max_iter=50).fit(X, y)
    before = clf.predict_proba(X[:7])
    contiguous_for_prediction(clf)
    assert clf.coef_.T.flags["C_CONTIGUOUS"]
    np.testing.assert_array_equal(clf.predict_proba(X[:7]), before)


def test_feature_matrix_is_the_same_as_rasas():
    from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
    from rasa.shared.nlu.training_data.features import Features
    from rasa.shared.nlu.training_data.message import Message

    from rasa_addons.intent_classifier import LogisticRegressionIntentClassifier

    messages = []
    for i in range(5):
        m = Message(data={"text": f"tekst {i}"})
        for origin, width in (("words", 40), ("chars", 60)):
            row = sp.random(1, width, density=0.2, format="coo", random_state=i)
            m.add_features(Features(row, "sentence", "text", origin))
            m.add_features(Features(sp.random(2, width, density=0.2, format="coo", random_state=i), "sequence",
                                    "text", origin))
        messages.append(m)
    ours = LogisticRegressionIntentClassifier._create_X(None, messages)
    theirs = LogisticRegressionClassifier._create_X(None, messages)
    assert ours.shape == theirs.shape == (5, 100)
    assert (ours != theirs).nnz == 0


def _rows(db):
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT sender_id, type_name, intent_name, action_name, data FROM events ORDER BY id").fetchall()


def test_lean_tracker_store_writes_what_rasas_writes_and_reads_its_own(tmp_path):
    import asyncio

    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from rasa_addons.tracker_store import LeanSQLTrackerStore
    from tests.servers import ROOT

    domain = Domain.load(str(ROOT / "domain.yml"))
    turn1 = [ActionExecuted("action_listen"), UserUttered("byggetilladelse", {"name": "building_permit", "confidence": 0.9}),
             ActionExecuted("action_route_enquiry"), BotUttered("Byg & Miljø"), SlotSet("awaiting_feedback", True),
             ActionExecuted("action_listen")]
    turn2 = [UserUttered("ja", {"name": "affirm", "confidence": 0.99}), ActionExecuted("action_feedback"),
             SlotSet("awaiting_feedback", False), ActionExecuted("action_listen")]

    async def conversation(store):
        tracker = DialogueStateTracker.from_events("anna", turn1, domain.slots)
        await store.save(tracker)  # a new conversation: counted, as Rasa does
        again = await store.retrieve("anna")
        for event in turn2:
            again.update(event)
        await store.save(again)
        await store.save(again)  # nothing new: nothing written
        return await store.retrieve("anna")

    lean_db, rasa_db = tmp_path / "lean.db", tmp_path / "rasa.db"
    lean = asyncio.run(conversation(LeanSQLTrackerStore(domain, dialect="sqlite", db=str(lean_db))))
    theirs = asyncio.run(conversation(SQLTrackerStore(domain, dialect="sqlite", db=str(rasa_db))))
    assert len(_rows(lean_db)) == len(turn1) + len(turn2)
    assert _rows(lean_db) == _rows(rasa_db)
    assert list(lean.events) == list(theirs.events)
    # either store reads the other's conversations
    crossed = asyncio.run(SQLTrackerStore(domain, dialect="sqlite", db=str(lean_db)).retrieve("anna"))
    assert list(crossed.events) == list(lean.events)


def test_production_endpoints_use_the_lean_store_not_rasas_silent_fallback(monkeypatch):
    from rasa.shared.utils.common import class_from_module_path
    from rasa.utils.endpoints import read_endpoint_config

    from rasa_addons.tracker_store import LeanSQLTrackerStore
    from tests.servers import ROOT

    for key in ("TRACKER_DB_HOST", "TRACKER_DB_PORT", "TRACKER_DB_NAME", "TRACKER_DB_USER", "TRACKER_DB_PASSWORD",
                "TRACKER_LOGIN_DB", "REDIS_HOST", "REDIS_PORT", "REDIS_DB", "REDIS_KEY_PREFIX", "ACTION_ENDPOINT_URL"):
        monkeypatch.setenv(key, "1")
    store = read_endpoint_config(str(ROOT / "endpoints.prod.yml"), "tracker_store")
    assert class_from_module_path(store.type) is LeanSQLTrackerStore
    assert store.kwargs["dialect"] == "postgresql"
