"""ActionRouteEnquiry ↔ action_route_enquiry, ActionShowTask ↔ action_show_task."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.messages import send_result
from bot.catalog.db import DatabaseUnavailable
from bot.privacy import redact
from bot.routing.service import answer, answer_for_task
from bot.settings import Settings

log = logging.getLogger(__name__)


def _after_route(dispatcher: CollectingDispatcher, kind: str, task_id: str | None) -> List[Dict[Text, Any]]:
    """A routed answer is followed by "Fik du svar?"; other answers close the topic."""
    if kind == "route" and task_id:
        dispatcher.utter_message(response="utter_feedback_question")
        return [SlotSet("awaiting_feedback", True), SlotSet("last_task_id", task_id)]
    return [SlotSet("awaiting_feedback", False)]


class ActionRouteEnquiry(Action):
    def name(self) -> Text:
        return "action_route_enquiry"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        text = redact(message.get("text") or "")
        try:
            result = answer(text, message, datetime.now(timezone.utc), Settings.from_env(), public=True)
        except DatabaseUnavailable:
            log.exception("catalogue unavailable")
            dispatcher.utter_message(response="utter_service_unavailable")
            return []
        send_result(dispatcher, result)
        return _after_route(dispatcher, result.kind, result.route.task_id if result.route else None)


class ActionShowTask(Action):
    """The user picked one of the "Mente du …?" alternatives."""

    def name(self) -> Text:
        return "action_show_task"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        task_id = tracker.get_slot("task_id") or next(tracker.get_latest_entity_values("task_id"), None)
        result = answer_for_task(task_id, datetime.now(timezone.utc), Settings.from_env(), public=True) if task_id else None
        if result is None:
            dispatcher.utter_message(response="utter_default")
            return [SlotSet("task_id", None)]
        send_result(dispatcher, result)
        return [SlotSet("task_id", None)] + _after_route(dispatcher, result.kind, task_id)
