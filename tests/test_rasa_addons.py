"""Our two additions to Rasa (rasa_addons/): same answers as Rasa's own code, only cheaper."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from jsonschema import ValidationError
from sklearn.linear_model import LogisticRegression

from rasa_addons.intent_classifier import contiguous_for_prediction


def _channel_set_up():
    """As `rasa run` does: the chat channel builds its webhook, which applies the fixes."""
    from channels.chat import ChatInput

    ChatInput().blueprint(lambda message: None)


def test_action_responses_are_still_validated_after_the_speedup():
    _channel_set_up()
    from rasa.core.actions.action import RemoteAction

    from rasa_addons import server_speedups

    assert RemoteAction._validate_action_result is server_speedups._validate_action_result
    assert server_speedups.apply() is True  # idempotent
    action = RemoteAction("action_route_enquiry", None)
    good = {"events": [{"event": "slot", "name": "task_id", "value": None}],
            "responses": [{"text": "hej", "buttons": [], "custom": {"kind": "route"}}]}
    assert action._validate_action_result(good) is True
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list", "responses": []})


def test_the_speedups_leave_another_rasa_release_alone(monkeypatch):
    import rasa
    from rasa.core.actions.action import RemoteAction

    from rasa_addons import server_speedups

    monkeypatch.setattr(RemoteAction, "_validate_action_result", server_speedups._rasa_validate_action_result)
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    assert server_speedups.apply() is False
    assert RemoteAction._validate_action_result is server_speedups._rasa_validate_action_result


def test_event_types_are_found_as_rasa_finds_them():
    _channel_set_up()
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
    ours = LogisticRegressionIntentClassifier.stack(messages)
    theirs = LogisticRegressionClassifier._create_X(None, messages)
    assert ours.shape == theirs.shape == (5, 100)
    assert (ours != theirs).nnz == 0
    # what the classifier trains and predicts on: that matrix, scaled when the pipeline says so
    from types import SimpleNamespace

    from rasa_addons.intent_classifier import log_l2

    for scaling, want in ((None, theirs), ("log_l2", log_l2(theirs.copy()))):
        me = SimpleNamespace(config={"scaling": scaling}, stack=LogisticRegressionIntentClassifier.stack)
        got = LogisticRegressionIntentClassifier._create_X(me, messages)
        np.testing.assert_allclose(got.toarray(), want.toarray())



def test_scaled_features_weigh_a_long_story_like_a_short_request():
    """``scaling: log_l2``: every enquiry's vector has length 1, and a word said five times is
    log(6)/log(2) times the evidence of once, not five times."""
    from rasa_addons.intent_classifier import log_l2

    X = sp.csr_matrix(np.array([[1.0, 0.0, 1.0], [5.0, 0.0, 5.0], [5.0, 1.0, 0.0], [0.0, 0.0, 0.0]]))
    Y = log_l2(X).toarray()
    np.testing.assert_allclose(np.linalg.norm(Y[:3], axis=1), 1.0)
    np.testing.assert_allclose(Y[0], Y[1])  # the same words, said more often: the same direction
    assert Y[2, 0] / Y[2, 1] == pytest.approx(np.log(6) / np.log(2))
    assert not Y[3].any()  # an enquiry with no known feature stays empty (no division by zero)
