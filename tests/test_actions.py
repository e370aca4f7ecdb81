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


def said(text: str, *ranking) -> dict:
    """A user message as the tracker keeps it: its text and parse."""
    r = [{"name": n, "confidence": c} for n, c in ranking]
    return {"text": text, "intent": r[0] if r else {}, "intent_ranking": r, "entities": []}


def conversation(slots, *messages: dict) -> Tracker:
    """A tracker whose user turns are ``messages``, the last one being the latest."""
    return Tracker("test-user", slots, messages[-1], [{"event": "user", "text": m["text"], "parse_data": m}
                                                      for m in messages], False, None, {}, "action_listen")


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
    assert buttons[-1] == {"title": "Ingen af dem", "payload": "/ask_person"}
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


def test_feedback_is_kept_as_yes_or_no_with_its_task(env):
    from datetime import datetime, timedelta, timezone

    from bot.feedback import feedback_since
    from bot.settings import Settings

    run(ActionFeedback(), tracker("ja", [("affirm", 0.99)], slots={"awaiting_feedback": True,
                                                                    "last_task_id": "udeservering"}))
    run(ActionFeedback(), tracker("nej", [("deny", 0.99)], slots={"awaiting_feedback": True}))
    run(ActionFeedback(), tracker("ja", [("affirm", 0.99)], slots={"awaiting_feedback": False}))  # stray: not kept
    from actions.followup import ActionFollowUp  # "nej" goes to the other doors, and counts as a no

    run(ActionFollowUp(), tracker("nej det var ikke det", [("deny", 0.99)],
                                  slots={"awaiting_feedback": True, "last_task_id": "udeservering"}))
    kept = feedback_since(Settings.from_env().database_url, datetime.now(timezone.utc) - timedelta(hours=1))
    assert [(task, answered) for _when, task, answered in kept] == [("udeservering", True), (None, False),
                                                                    ("udeservering", False)]


def test_stray_yes_without_question(env):
    msgs, events = run(ActionFeedback(), tracker("ja", [("affirm", 0.99)], slots={"awaiting_feedback": False}))
    assert msgs[0]["response"] == "utter_ok" and events == []


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "<img src=x onerror=alert(1)>", "x" * 5000,
                                  "SELECT * FROM contact; --"], ids=["empty", "spaces", "emoji", "html", "5000", "sql"])
def test_bad_input_gets_a_reply_with_a_phone(env, text):
    msgs, _ = run(ActionRouteEnquiry(), tracker(text, [("out_of_scope", 0.5)]))
    assert msgs and "72 57 88 10" in msgs[0]["text"]


def test_follow_up_answers_about_the_focus_task(env):
    from actions.followup import ActionFollowUp

    msgs, events = run(ActionFollowUp(), tracker("hvad er deres telefonnummer", [("ask_phone", 0.9)],
                                                 slots={"last_task_id": "udeservering"}))
    assert msgs[0]["custom"]["kind"] == "follow_up"
    assert "72 57 75 00" in msgs[0]["text"]  # Vej & Park, not the one-entrance phone
    assert SlotSet("awaiting_feedback", False) in events


def test_praise_is_kept_for_the_department_the_conversation_is_about(env):
    """"Vi vil gerne rose …" is thanked, kept for that department (CPR removed) and shown to staff;
    praise about an authority's staff is not ours to keep: it says where to send it."""
    from datetime import datetime, timezone

    from actions.followup import ActionFollowUp
    from bot.inbox import recent
    from bot.settings import Settings

    msgs, _ = run(ActionFollowUp(), tracker("Vi vil gerne rose Rita for hurtig hjælp, cpr 010203-1234 står på sagen",
                                            [("praise", 0.9)], slots={"last_task_id": "udeservering"}))
    assert "givet rosen videre til Vej & Park" in msgs[0]["text"]
    msgs, _ = run(ActionFollowUp(), tracker("tak for god hjælp i telefonen", [("praise", 0.9)]))
    assert "givet rosen videre" in msgs[0]["text"]
    msgs, _ = run(ActionFollowUp(), tracker("ros til jeres medarbejder", [("praise", 0.9)],
                                            slots={"last_authority_id": "skattestyrelsen"}))
    assert "givet rosen videre" not in msgs[0]["text"]
    kept = recent(Settings.from_env().database_url, datetime.now(timezone.utc))
    assert [(m.department_id, m.task_id) for m in kept] == [(None, None), ("vej-park", "udeservering")]
    assert kept[1].department_name == "Vej & Park" and "Rita for hurtig hjælp" in kept[1].text
    assert "010203" not in kept[1].text and "1234" not in kept[1].text


def test_a_follow_up_the_model_is_unsure_of_is_read_in_the_conversations_context(env):
    """Below the fallback threshold, with a task in focus: a follow-up the model ranks first is
    answered about that task; a clear out-of-scope message stays out of scope."""
    slots = {"last_task_id": "udeservering", "awaiting_feedback": True}
    msgs, _ = run(ActionRouteEnquiry(), tracker("hvornaar skal det vaere sendt ind",
                                                [("nlu_fallback", 0.3), ("ask_processing_time", 0.26),
                                                 ("out_of_scope", 0.2), ("ask_documents", 0.1)], slots=slots))
    assert msgs[0]["custom"]["kind"] == "follow_up" and msgs[0]["custom"]["route"]["task_id"] == "udeservering"
    msgs, _ = run(ActionRouteEnquiry(), tracker("hvad bliver vejret i morgen",
                                                [("out_of_scope", 0.8), ("ask_open_now", 0.16)], slots=slots))
    assert msgs[0]["custom"]["kind"] == "out_of_scope"
    msgs, _ = run(ActionRouteEnquiry(), tracker("hvornaar skal det vaere sendt ind",
                                                [("nlu_fallback", 0.3), ("ask_processing_time", 0.26),
                                                 ("out_of_scope", 0.2)]))
    assert msgs[0]["custom"]["kind"] != "follow_up"  # no topic yet: nothing to follow up on


def test_follow_up_is_not_swallowed_by_a_pending_feedback_question(env):
    from actions.followup import ActionFollowUp

    msgs, _ = run(ActionFollowUp(), tracker("hvor lang tid tager det", [("ask_processing_time", 0.8)],
                                            slots={"last_task_id": "byggetilladelse", "awaiting_feedback": True}))
    assert msgs[0]["custom"]["route"]["task_id"] == "byggetilladelse"
    assert "Byg & Miljø" in msgs[0]["text"] or "72 57 73 00" in msgs[0]["text"]


def test_no_not_that_offers_the_previous_enquirys_other_doors(env):
    from actions.followup import ActionFollowUp

    enquiry = {"event": "user", "text": "borde på fortovet og et kabel i vejen",
               "parse_data": {"intent": {"name": "outdoor_serving", "confidence": 0.6},
                              "intent_ranking": [{"name": "outdoor_serving", "confidence": 0.6},
                                                 {"name": "road_works", "confidence": 0.3}]}}
    latest = {"text": "nej det var ikke det", "intent": {"name": "deny", "confidence": 0.9}}
    t = Tracker("test-user", {"last_task_id": "udeservering"}, latest,
                [enquiry, {"event": "user", "text": latest["text"], "parse_data": latest}], False, None, {},
                "action_listen")
    msgs, _ = run(ActionFollowUp(), t)
    payloads = [b["payload"] for b in msgs[0]["buttons"]]
    assert any("gravetilladelse" in p for p in payloads)
    assert not any('"udeservering"' in p for p in payloads)


def test_authority_answer_becomes_the_focus(env):
    msgs, events = run(ActionRouteEnquiry(), tracker("hvordan momsregistrerer vi os", [("authority_skattestyrelsen", 0.95)]))
    assert msgs[0]["custom"]["kind"] == "external"
    assert SlotSet("last_authority_id", "skattestyrelsen") in events


def test_unsure_answer_asks_and_the_reply_is_read_with_the_first_message(env):
    first = said("vi har et spørgsmål", ("outdoor_serving", 0.34), ("building_permit", 0.33))
    msgs, events = run(ActionRouteEnquiry(), conversation({}, first))
    assert msgs[0]["custom"]["kind"] == "one_entrance"
    assert SlotSet("clarifying", True) in events
    reply = said("vi skal bygge en tilbygning", ("building_permit", 0.7))
    msgs, events = run(ActionRouteEnquiry(), conversation({"clarifying": True}, first, reply))
    assert msgs[0]["custom"]["kind"] == "route"
    assert msgs[0]["custom"]["route"]["task_id"] == "byggetilladelse"
    assert SlotSet("clarifying", False) in events  # one clarifying turn, not a loop


def test_probably_not_ours_says_so_but_keeps_the_choices_and_reads_the_reply_with_it(env):
    first = said("bestil et bord til fire på en café med udeservering i aften",
                 ("out_of_scope", 0.48), ("outdoor_serving", 0.3))
    msgs, events = run(ActionRouteEnquiry(), conversation({}, first))
    assert msgs[0]["custom"]["kind"] == "out_of_scope"
    assert "ikke som noget, kommunen hjælper virksomheder med" in msgs[0]["text"]
    buttons = msgs[0]["buttons"]
    assert json.loads(buttons[0]["payload"][len("/choose_task"):])["task_id"] == "udeservering"
    assert buttons[-1] == {"title": "Ingen af dem", "payload": "/ask_person"}
    assert SlotSet("clarifying", True) in events
    reply = said("nej, vi er en café og vil have borde på fortovet", ("outdoor_serving", 0.6))
    msgs, events = run(ActionRouteEnquiry(), conversation({"clarifying": True}, first, reply))
    assert msgs[0]["custom"]["kind"] == "route" and msgs[0]["custom"]["route"]["task_id"] == "udeservering"


def test_a_plain_out_of_scope_has_no_buttons_and_asks_nothing(env):
    msgs, events = run(ActionRouteEnquiry(), tracker("hvad bliver vejret i morgen", [("out_of_scope", 0.97)]))
    assert msgs[0]["custom"]["kind"] == "out_of_scope" and not msgs[0].get("buttons")
    assert SlotSet("clarifying", False) in events


def test_several_needs_get_an_answer_each(env):
    needs = [{"text": "borde på fortovet", "intent": {"name": "outdoor_serving", "confidence": 0.9},
              "intent_ranking": [{"name": "outdoor_serving", "confidence": 0.9}]},
             {"text": "en ny lagerhal", "intent": {"name": "building_permit", "confidence": 0.9},
              "intent_ranking": [{"name": "building_permit", "confidence": 0.9}]}]
    latest = {"text": "1) borde på fortovet 2) en ny lagerhal", "intent": {"name": "outdoor_serving", "confidence": 0.5},
              "intent_ranking": [{"name": "outdoor_serving", "confidence": 0.5}], "entities": []}
    t = Tracker("test-user", {}, latest, [{"event": "user", "text": latest["text"], "parse_data": latest,
                                           "metadata": {"needs": needs}}], False, None, {}, "action_listen")
    msgs, events = run(ActionRouteEnquiry(), t)
    cards = [m["custom"] for m in msgs if m.get("custom")]
    assert [c["route"]["task_id"] for c in cards] == ["udeservering", "byggetilladelse"]
    assert SlotSet("last_task_id", "udeservering") in events


def test_english_enquiry_is_answered_in_english(env):
    msgs, events = run(ActionRouteEnquiry(), tracker("Hi, we would like to put tables outside our cafe on the pavement",
                                                     [("outdoor_serving", 0.9)]))
    card = msgs[0]["custom"]
    assert card["language"] == "en" and card["route"]["task_id"] == "udeservering"
    assert "handled by Vej & Park" in msgs[0]["text"] and "in Danish" in msgs[0]["text"]
    assert msgs[1]["response"] == "utter_feedback_question_en"
    assert SlotSet("language", "en") in events


def test_english_follow_up_keeps_the_language(env):
    from actions.followup import ActionFollowUp

    msgs, _ = run(ActionFollowUp(), tracker("phone?", [("ask_phone", 0.9)],
                                            slots={"last_task_id": "udeservering", "language": "en"}))
    assert msgs[0]["text"].startswith("Call Vej & Park on +45 72 57 75 00")


def test_german_gets_a_polite_german_answer_with_phone_and_mail(env):
    msgs, events = run(ActionRouteEnquiry(), tracker("Guten Tag, ich möchte Tische vor meinem Café aufstellen",
                                                     [("outdoor_serving", 0.6)]))
    assert msgs[0]["text"].startswith("Guten Tag!")
    assert "72 57 88 10" in msgs[0]["text"] and "erhverv@example.dk" in msgs[0]["text"]
    assert SlotSet("language", "de") in events


def test_none_of_them_gives_a_person_and_keeps_the_topic(env):
    from actions.followup import ActionFollowUp

    first = {"text": "vi har et spørgsmål om fortovet", "intent": {"name": "outdoor_serving", "confidence": 0.34},
             "intent_ranking": [{"name": "outdoor_serving", "confidence": 0.34}]}
    latest = {"text": "/ask_person", "intent": {"name": "ask_person", "confidence": 1.0}}
    t = Tracker("test-user", {"clarifying": True}, latest,
                [{"event": "user", "text": first["text"], "parse_data": first},
                 {"event": "user", "text": latest["text"], "parse_data": latest}], False, None, {}, "action_listen")
    msgs, events = run(ActionFollowUp(), t)
    assert "72 57 88 10" in msgs[0]["text"] and "vi har et spørgsmål om fortovet" in msgs[0]["text"]
    assert SlotSet("clarifying", False) in events


def test_a_follow_up_worded_with_the_topic_is_answered_as_a_follow_up(env):
    msgs, events = run(ActionRouteEnquiry(), tracker("hvad koster udeservering på fortovet",
                                                     [("outdoor_serving", 0.6), ("ask_cost", 0.3)],
                                                     slots={"last_task_id": "udeservering"}))
    assert msgs[0]["custom"]["kind"] == "follow_up" and msgs[0]["custom"]["intent"]["name"] == "ask_cost"
    assert len(msgs) == 1  # no second "Fik du svar?" for the same task


def test_a_fact_question_while_choices_are_open_shows_the_choices_again(env):
    from actions.followup import ActionFollowUp

    first = {"text": "vi har et spørgsmål", "intent": {"name": "outdoor_serving", "confidence": 0.34},
             "intent_ranking": [{"name": "outdoor_serving", "confidence": 0.34},
                                {"name": "building_permit", "confidence": 0.33}]}
    latest = {"text": "hvad koster det", "intent": {"name": "ask_cost", "confidence": 0.9}}
    t = Tracker("test-user", {"clarifying": True}, latest,
                [{"event": "user", "text": first["text"], "parse_data": first},
                 {"event": "user", "text": latest["text"], "parse_data": latest}], False, None, {}, "action_listen")
    msgs, events = run(ActionFollowUp(), t)
    assert "Hvilken af dem" in msgs[0]["text"]
    payloads = [b["payload"] for b in msgs[0]["buttons"]]
    assert any("udeservering" in p for p in payloads) and any("byggetilladelse" in p for p in payloads)
    assert SlotSet("clarifying", False) not in events  # the next free text is still read with the question


def test_a_new_session_keeps_the_topic_and_language_but_not_a_pending_question():
    from rasa_sdk.events import ActionExecuted, SessionStarted

    from actions.session import ActionSessionStart

    _msgs, events = run(ActionSessionStart(), tracker("", [], slots={
        "last_task_id": "udeservering", "language": "en", "awaiting_feedback": True, "clarifying": True}))
    assert events[0] == SessionStarted() and events[-1] == ActionExecuted("action_listen")
    assert SlotSet("last_task_id", "udeservering") in events and SlotSet("language", "en") in events
    assert not [e for e in events if e.get("name") in ("awaiting_feedback", "clarifying")]
    # the fallback responses (utter_default, utter_service_unavailable) name the catalogue's way to a person
    assert SlotSet("entrance", "Én indgang for virksomheder på 72 57 88 10") in events


def test_a_comment_on_an_answer_is_kept_for_its_department(env):
    from datetime import datetime, timedelta, timezone

    from actions.feedback import ActionSubmitComment
    from bot.inbox import recent
    from bot.settings import Settings

    msgs, events = run(ActionSubmitComment(), tracker("", [], slots={
        "fb_comment": "Linket virkede ikke, mit cpr 010203-1234", "last_task_id": "udeservering"}))
    assert msgs[0]["text"] == "Tak for din kommentar – den går videre til Vej & Park."
    kept = recent(Settings.from_env().database_url, datetime.now(timezone.utc) + timedelta(minutes=1))
    assert [(m.kind, m.department_id) for m in kept] == [("comment", "vej-park")] and "1234" not in kept[0].text
    assert SlotSet("fb_comment", None) in events
