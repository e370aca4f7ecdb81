"""ActionFeedback ↔ action_feedback: the answer to "Fik du svar?" (or a stray yes/no), kept as a
yes/no with the task it was about (bot/feedback.py) for the report."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.feedback import record_feedback
from bot.inbox import record_praise
from bot.routing.service import get_router, refer_to_person
from bot.settings import Settings

log = logging.getLogger(__name__)


class ActionFeedback(Action):
    def name(self) -> Text:
        return "action_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if not tracker.get_slot("awaiting_feedback"):
            dispatcher.utter_message(response="utter_ok")
            return []
        now = datetime.now(timezone.utc)
        settings = Settings.from_env()
        keep_feedback(settings, now, intent == "affirm", tracker.get_slot("last_task_id"))
        if intent == "affirm":
            dispatcher.utter_message(response="utter_feedback_yes")
        else:
            # Not answered: hand over to a person through the one-entrance phone.
            result = refer_to_person(now, settings, public=True)
            dispatcher.utter_message(text="Det er jeg ked af. " + result.text, json_message=result.to_dict())
        return [SlotSet("awaiting_feedback", False)]


def keep_feedback(settings: Settings, now: datetime, answered: bool, task_id) -> None:
    """The answer, with the task it was about, for `python -m bot report`; never at the cost of the reply."""
    try:
        task = get_router(settings, public=True).task(task_id) if task_id else None
        record_feedback(settings.database_url, now, answered, task.id if task else None,
                        task.department.id if task else None)
    except Exception as exc:
        log.error("feedback could not be kept: %s", exc.__class__.__name__)


COMMENT_THANKS = {"da": "Tak for din kommentar – den går videre til {where}.",
                  "en": "Thank you for your comment – it goes to {where}."}


class ActionSubmitComment(Action):
    """The comment written after "Skriv en kommentar": kept (CPR-redacted) for the department of the
    answer it is about, and shown on the staff page beside praise."""

    def name(self) -> Text:
        return "action_submit_comment"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        now = datetime.now(timezone.utc)
        settings = Settings.from_env()
        lang = "en" if tracker.get_slot("language") == "en" else "da"
        comment = (tracker.get_slot("fb_comment") or "").strip()
        task_id = tracker.get_slot("last_task_id")
        where = "Én indgang for virksomheder"
        try:
            task = get_router(settings, public=True).task(task_id) if task_id else None
            if task:
                where = task.department.name
            if comment:
                record_praise(settings.database_url, now, comment, task.department.id if task else None,
                              task.department.name if task else None, task.id if task else None, kind="comment")
        except Exception as exc:  # the business is thanked either way; no content in the log
            log.error("comment could not be kept: %s", exc.__class__.__name__)
        dispatcher.utter_message(text=COMMENT_THANKS[lang].format(where=where))
        return [SlotSet("fb_comment", None), SlotSet("awaiting_feedback", False)]
