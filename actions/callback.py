"""The call-back form ("Ring mig op"): validate_callback_form and action_submit_callback.

A business that asks to be called (or asks for a person) is offered a button; the form then asks
for the company, its CVR number (8 digits, modulus-11 checked; "ved ikke" skips it), a contact
name, a phone number and a preferred time. An invalid answer is asked again with what is wrong;
after three tries, or when the business writes "stop", the form ends politely with the phone
number. The request is kept for the department of the conversation's topic (bot/callbacks.py)
and shown to staff on the staff page.
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.callbacks import cvr_number, phone_number, record_callback, skipped
from bot.language import ENGLISH
from bot.routing.service import entrance_phrase, get_router, refer_to_person
from bot.settings import Settings

log = logging.getLogger(__name__)
SLOTS = ("cb_company", "cb_cvr", "cb_contact", "cb_phone", "cb_time")
MAX_TRIES = 3
CANCEL = {"stop", "annuller", "afbryd", "fortryd", "glem det", "nej tak", "cancel", "never mind"}

TEXT = {
    "da": {
        "company": "Skriv virksomhedens navn – højst 120 tegn.",
        "cvr": "Det er ikke et gyldigt CVR-nummer.",
        "contact": "Skriv et navn på højst 80 tegn.",
        "phone": "Det er ikke et dansk telefonnummer på 8 cifre.",
        "time": "Skriv det kort – højst 100 tegn.",
        "given_up": "Det lykkedes ikke at få oplysningerne. ",
        "cancelled": "Okay, jeg har ikke sendt noget. ",
        "done": "Tak! {dept} ringer til {contact} på {phone} – helst {time}. Du får normalt opkaldet inden for "
                "to hverdage. Haster det, så ring selv: {entrance}",
    },
    "en": {
        "company": "Please use at most 120 characters.",
        "cvr": "That is not a valid CVR number.",
        "contact": "Please write a name of at most 80 characters.",
        "phone": "That is not a Danish 8-digit phone number.",
        "time": "Please keep it short – at most 100 characters.",
        "given_up": "I could not get the details. ",
        "cancelled": "All right, I have not sent anything. ",
        "done": "Thank you! {dept} will call {contact} on {phone} – preferably {time}. You will usually be called "
                "within two working days. If it is urgent, call yourself: {entrance}",
    },
}


def _lang(tracker: Tracker) -> str:
    return ENGLISH if tracker.get_slot("language") == ENGLISH else "da"


def _line(limit: int) -> Callable[[str], Optional[str]]:
    """One line of at most ``limit`` characters (a button payload is not an answer)."""
    def parse(value: str) -> Optional[str]:
        text = " ".join(value.split())
        return text if text and len(text) <= limit and not text.startswith("/") else None
    return parse


def _cancelled(value: Any) -> bool:
    return isinstance(value, str) and " ".join(value.lower().strip(" .!").split()) in CANCEL


class ValidateCallbackForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_callback_form"

    def _retry(self, slot: str, problem: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        tries = int(tracker.get_slot("cb_tries") or 0) + 1
        if tries >= MAX_TRIES:  # end the form; action_submit_callback says what to do instead
            return {slot: None, "cb_tries": float(tries), "requested_slot": None, "cb_status": "given_up"}
        dispatcher.utter_message(text=TEXT[_lang(tracker)][problem])
        return {slot: None, "cb_tries": float(tries)}

    def _check(self, slot: str, value: Any, parse: Callable[[str], Optional[str]], dispatcher: CollectingDispatcher,
               tracker: Tracker) -> Dict[Text, Any]:
        """The slot's value as ``parse`` reads it; "stop" ends the form; nothing readable asks again
        with what is wrong (TEXT's entry named after the slot)."""
        if _cancelled(value):
            return {slot: None, "requested_slot": None, "cb_status": "cancelled"}
        parsed = parse(str(value or ""))
        return {slot: parsed, "cb_tries": 0.0} if parsed else self._retry(slot, slot[3:], dispatcher, tracker)

    def validate_cb_company(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> Dict[Text, Any]:
        return self._check("cb_company", value, _line(120), dispatcher, tracker)

    def validate_cb_cvr(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                        domain: DomainDict) -> Dict[Text, Any]:
        return self._check("cb_cvr", value, lambda v: "-" if skipped(v) else cvr_number(v), dispatcher, tracker)

    def validate_cb_contact(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> Dict[Text, Any]:
        return self._check("cb_contact", value, _line(80), dispatcher, tracker)

    def validate_cb_phone(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[Text, Any]:
        return self._check("cb_phone", value, phone_number, dispatcher, tracker)

    def validate_cb_time(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> Dict[Text, Any]:
        return self._check("cb_time", value, _line(100), dispatcher, tracker)


class ActionSubmitCallback(Action):
    """After the form: keep the request and confirm it, or (given up, cancelled) give the phone."""

    def name(self) -> Text:
        return "action_submit_callback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        now = datetime.now(timezone.utc)
        lang = _lang(tracker)
        settings = Settings.from_env()
        values = {slot: tracker.get_slot(slot) for slot in SLOTS}
        status: Optional[str] = tracker.get_slot("cb_status")
        entrance = refer_to_person(now, settings, public=True, lang=lang)
        if status or not all(values.values()):
            lead = TEXT[lang]["cancelled" if status == "cancelled" else "given_up"]
            dispatcher.utter_message(text=lead + entrance.text, json_message=entrance.to_dict())
        else:
            task = get_router(settings, public=True).task(tracker.get_slot("last_task_id") or "")
            department = task.department if task else None
            try:
                record_callback(settings.database_url, now, company=values["cb_company"], contact=values["cb_contact"],
                                phone=values["cb_phone"], cvr=None if values["cb_cvr"] == "-" else values["cb_cvr"],
                                preferred_time=values["cb_time"], topic=task.title if task else None,
                                task_id=task.id if task else None, department_id=department.id if department else None,
                                department_name=department.name if department else None)
            except Exception as exc:  # never lose the business: give the phone instead; no content in the log
                log.error("call-back request could not be kept: %s", exc.__class__.__name__)
                dispatcher.utter_message(text=TEXT[lang]["given_up"] + entrance.text, json_message=entrance.to_dict())
            else:
                e = entrance.one_entrance
                where = f"{e.name} {'på' if lang == 'da' else 'on'} {e.phone}" if e else (entrance_phrase() or "")
                dept = department.name if department else (e.name if e else "Kommunen")
                dispatcher.utter_message(text=TEXT[lang]["done"].format(
                    dept=dept, contact=values["cb_contact"], phone=values["cb_phone"], time=values["cb_time"],
                    entrance=where))
        return [SlotSet(slot, None) for slot in SLOTS] + [SlotSet("cb_tries", 0.0), SlotSet("cb_status", None),
                                                          SlotSet("awaiting_feedback", False)]
