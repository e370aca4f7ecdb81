"""Call-back requests: CVR and phone checks, keeping, listing and handling (bot/callbacks.py), and
the chat form's validation and submission (actions/callback.py)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.callbacks import cvr_number, delete_older_than, mark_handled, open_requests, phone_number, record_callback

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("text, cvr", [("24256790", "24256790"), ("CVR: 24 25 67 90", "24256790"),
                                       ("24256791", None), ("1234567", None), ("02425679", None), ("abc", None)])
def test_cvr_numbers_are_checked_by_modulus_11(text, cvr):
    assert cvr_number(text) == cvr


@pytest.mark.parametrize("text, phone", [("20304050", "20 30 40 50"), ("+45 20 30 40 50", "20 30 40 50"),
                                         ("0045 2030 4050", "20 30 40 50"), ("72 57 88", None), ("10203040", None),
                                         ("ring på mobilen", None)])
def test_danish_phone_numbers(text, phone):
    assert phone_number(text) == phone


def test_requests_are_kept_listed_handled_and_deleted(db_url):
    first = record_callback(db_url, T0, company="Bageriet  i Brovst", contact="Ida", phone="20 30 40 50",
                            preferred_time="efter kl. 14, cpr 010203-1234", department_id="vej-park",
                            department_name="Vej & Park")
    second = record_callback(db_url, T0 + timedelta(hours=1), company="Smedjen", contact="Bo", phone="30 40 50 60")
    listed = open_requests(db_url, T0 + timedelta(hours=2))
    assert [r.id for r in listed] == [first, second] and listed[0].company == "Bageriet i Brovst"
    assert "1234" not in (listed[0].preferred_time or "")
    assert mark_handled(db_url, first, T0 + timedelta(hours=3), "anna") and not mark_handled(db_url, first, T0, "bo")
    assert [r.id for r in open_requests(db_url, T0 + timedelta(hours=4))] == [second, first]  # handled last
    assert [r.id for r in open_requests(db_url, T0 + timedelta(days=2))] == [second]  # handled > a day ago: gone
    assert delete_older_than(db_url, T0 + timedelta(days=40), 30) == 2


def _form_tracker(slots, text=""):
    return Tracker("s", slots, {"text": text, "intent": {}}, [], False, None, {"name": "callback_form"}, "callback_form")


def test_the_form_asks_again_then_gives_up_politely():
    from actions.callback import ValidateCallbackForm

    form, d = ValidateCallbackForm(), CollectingDispatcher()
    assert form.validate_cb_cvr("24256790", d, _form_tracker({}), {}) == {"cb_cvr": "24256790", "cb_tries": 0.0}
    assert form.validate_cb_cvr("ved ikke", d, _form_tracker({}), {})["cb_cvr"] == "-"
    again = form.validate_cb_phone("72 57 88", d, _form_tracker({"cb_tries": 0.0}), {})
    assert again == {"cb_phone": None, "cb_tries": 1.0} and "telefonnummer" in d.messages[-1]["text"]
    given_up = form.validate_cb_phone("nej", d, _form_tracker({"cb_tries": 2.0}), {})
    assert given_up["requested_slot"] is None and given_up["cb_status"] == "given_up"
    stop = form.validate_cb_company("stop", d, _form_tracker({}), {})
    assert stop["requested_slot"] is None and stop["cb_status"] == "cancelled"


def test_a_filled_form_is_kept_for_the_topics_department(imported, settings_for):
    from actions.callback import ActionSubmitCallback
    from bot.settings import Settings

    settings_for(imported)
    slots = {"cb_company": "Hansens VVS", "cb_cvr": "24256790", "cb_contact": "Jens", "cb_phone": "20 30 40 50",
             "cb_time": "i morgen", "last_task_id": "udeservering"}
    d = CollectingDispatcher()
    events = ActionSubmitCallback().run(d, _form_tracker(slots), {})
    assert "Vej & Park ringer til Jens på 20 30 40 50" in d.messages[0]["text"]
    kept = open_requests(Settings.from_env().database_url, datetime.now(timezone.utc))
    assert [(r.company, r.department_id, r.topic) for r in kept] == [("Hansens VVS", "vej-park", "Udeservering")]
    assert {"event": "slot", "timestamp": None, "name": "cb_company", "value": None} in events
    d = CollectingDispatcher()
    ActionSubmitCallback().run(d, _form_tracker({"cb_status": "cancelled"}), {})
    assert d.messages[0]["text"].startswith("Okay, jeg har ikke sendt noget.") and "72 57 88 10" in d.messages[0]["text"]
