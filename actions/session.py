"""ActionSessionStart ↔ action_session_start: a new session keeps what the conversation is about.

A session starts on a conversation's first message, after 60 minutes of silence, and — started
by the chat channel — every `CHAT_SESSION_MESSAGES` messages of a long conversation, so that what Rasa
reads and the policies walk per message stays bounded (channels/chat.py). Only the focus (task or
authority) and the language carry over: "hvad koster det?" still means the same task, while a
pending "Fik du svar?" or clarifying question does not. The slot `entrance` ("Én indgang for
virksomheder på 72 57 88 10") is set from the catalogue for the responses that must name a way
to a person even when the catalogue cannot be read (utter_default, utter_service_unavailable).
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.routing.service import entrance_phrase

CARRIED_OVER = ("last_task_id", "last_authority_id", "language")


class ActionSessionStart(Action):
    def name(self) -> Text:
        return "action_session_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kept = [SlotSet(name, tracker.get_slot(name)) for name in CARRIED_OVER if tracker.get_slot(name) is not None]
        entrance = entrance_phrase()
        if entrance:
            kept.append(SlotSet("entrance", entrance))
        return [SessionStarted(), *kept, ActionExecuted("action_listen")]
