"""Every action with a CollectingDispatcher and a tracker: the messages and events it returns."""
from __future__ import annotations

import json

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.feedback import ActionFeedback
from actions.route import ActionRouteEnquiry, ActionShowTask


def tracker(text: str, ranking, slots=None, entities=None) -> Tracker:
    r = [{"name": n, "confidence": c} for n, c in ranking]
    latest = {"text": text, "intent": r[0] if r else {}, "intent_ranking": r, "entities": entities or []}
    return Tracker("test-user", slots or {}, latest, [], False, None, {}, "action_listen")


@pytest.fixture
def env(imported, settings_for):
    return settings_for(imported)


def run(action, t: Tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, t, {})
    return dispatcher.messages, events


def test_routed_enquiry_sends_card_then_asks_fik_du_svar(env):
    msgs, events = run(ActionRouteEnquiry(), tracker("må vi stille borde ud foran caféen?",
                                                     [("outdoor_serving", 0.93)]))
    card = msgs[0]["custom"]
    assert card["kind"] == "route"
    assert card["route"]["task_id"] == "udeservering"
    assert card["route"]["department"] == "Vej & Park"
    assert card["one_entrance"]["phone"] == "72 57 88 10"
    assert "Vej & Park" in msgs[0]["text"]
    assert msgs[1]["response"] == "utter_feedback_question"
    assert SlotSet("awaiting_feedback", True) in events
    assert SlotSet("last_task_id", "udeservering") in events


def test_unsure_enquiry_offers_buttons_and_noget_andet(env):
    msgs, events = run(ActionRouteEnquiry(), tracker("vi har et spørgsmål", [("outdoor_serving", 0.3),
                                                                               ("building_permit", 0.29)]))
    assert msgs[0]["custom"]["kind"] == "one_entrance"
    buttons = msgs[0]["buttons"]
    assert buttons[-1] == {"title": "Noget andet", "payload": "/ask_person"}
    first = buttons[0]["payload"]
    assert first.startswith("/choose_task")
    assert json.loads(first[len("/choose_task"):])["task_id"] in {"udeservering", "byggetilladelse"}
    assert len(msgs) == 1 and SlotSet("awaiting_feedback", False) in events


def test_unsure_between_kommune_and_authority_buttons_lead_to_either(env):
    msgs, _ = run(ActionRouteEnquiry(), tracker("moms på udeservering", [("authority_skattestyrelsen", 0.35),
                                                                         ("outdoor_serving", 0.33)]))
    chosen = [json.loads(b["payload"][len("/choose_task"):])["task_id"] for b in msgs[0]["buttons"][:-1]]
    assert "authority:skattestyrelsen" in chosen and "udeservering" in chosen
    picked, events = run(ActionShowTask(), tracker("", [("choose_task", 1.0)], slots={"task_id": "authority:skattestyrelsen"}))
    assert picked[0]["custom"]["kind"] == "external"
    assert picked[0]["custom"]["authority"]["id"] == "skattestyrelsen"
    assert SlotSet("awaiting_feedback", False) in events  # no "Fik du svar?" after an authority's card


def test_external_authority_card(env):
    msgs, _ = run(ActionRouteEnquiry(), tracker("momsregistrering", [("authority_skattestyrelsen", 0.97)]))
    assert msgs[0]["custom"]["kind"] == "external"
    assert msgs[0]["custom"]["authority"]["id"] == "skattestyrelsen"


def test_cpr_number_is_not_passed_on(env):
    msgs, _ = run(ActionRouteEnquiry(), tracker("mit cpr er 010203-1234 og jeg vil have udeservering",
                                                [("outdoor_serving", 0.9)]))
    assert "010203-1234" not in json.dumps(msgs, ensure_ascii=False)


def test_public_chat_never_carries_internal_contacts(env):
    msgs, _ = run(ActionRouteEnquiry(), tracker("udeservering", [("outdoor_serving", 0.95)]))
    dumped = json.dumps(msgs, ensure_ascii=False)
    assert "Rita" not in dumped and "72 57 75 12" not in dumped


def test_show_task_from_button(env):
    msgs, events = run(ActionShowTask(), tracker('/choose_task{"task_id":"gravetilladelse"}', [("choose_task", 1.0)],
                                                 slots={"task_id": "gravetilladelse"}))
    assert msgs[0]["custom"]["route"]["task_id"] == "gravetilladelse"
    assert SlotSet("task_id", None) in events


@pytest.mark.parametrize("task_id", ["intern-fordeling", "no-such-task"])
def test_show_task_refuses_internal_or_unknown(env, task_id):
    msgs, _ = run(ActionShowTask(), tracker("", [("choose_task", 1.0)], slots={"task_id": task_id}))
    assert msgs == [{"text": None, "buttons": [], "elements": [], "custom": {}, "template": "utter_default",
                     "response": "utter_default", "image": None, "attachment": None}]


def test_feedback_yes(env):
    msgs, events = run(ActionFeedback(), tracker("ja", [("affirm", 0.99)], slots={"awaiting_feedback": True}))
    assert msgs[0]["response"] == "utter_feedback_yes"
    assert events == [SlotSet("awaiting_feedback", False)]


def test_feedback_no_hands_over_to_one_entrance(env):
    msgs, _ = run(ActionFeedback(), tracker("nej", [("deny", 0.99)], slots={"awaiting_feedback": True}))
    assert msgs[0]["custom"]["kind"] == "one_entrance"
    assert "72 57 88 10" in msgs[0]["text"]


def test_stray_yes_without_question(env):
    msgs, events = run(ActionFeedback(), tracker("ja", [("affirm", 0.99)], slots={"awaiting_feedback": False}))
    assert msgs[0]["response"] == "utter_ok" and events == []


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "<img src=x onerror=alert(1)>", "x" * 5000,
                                  "SELECT * FROM contact; --"], ids=["empty", "spaces", "emoji", "html", "5000", "sql"])
def test_bad_input_gets_a_reply_with_a_phone(env, text):
    msgs, _ = run(ActionRouteEnquiry(), tracker(text, [("out_of_scope", 0.5)]))
    assert msgs and "72 57 88 10" in msgs[0]["text"]
