"""ActionFeedback ↔ action_feedback: the answer to "Fik du svar?" (or a stray yes/no)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.messages import send_result
from bot.routing.service import refer_to_person
from bot.settings import Settings


class ActionFeedback(Action):
    def name(self) -> Text:
        return "action_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if not tracker.get_slot("awaiting_feedback"):
            dispatcher.utter_message(response="utter_ok")
            return []
        if intent == "affirm":
            dispatcher.utter_message(response="utter_feedback_yes")
        else:
            # Not answered: hand over to a person through the one-entrance phone.
            result = refer_to_person(datetime.now(timezone.utc), Settings.from_env(), public=True)
            dispatcher.utter_message(text="Det er jeg ked af. " + result.text, json_message=result.to_dict())
        return [SlotSet("awaiting_feedback", False)]
