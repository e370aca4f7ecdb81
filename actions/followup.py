"""ActionFollowUp ↔ action_follow_up: questions about the task at hand, and "nej, det var ikke det".

The conversation's focus (slots ``last_task_id`` / ``last_authority_id``) is set by the routing
actions; this action answers from that focus's catalogue facts through bot.routing.followup.
"""
from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.history import focus_of, last_enquiry
from actions.messages import send_result
from bot.catalog.db import DatabaseUnavailable
from bot.language import DANISH, ENGLISH, detect
from bot.privacy import redact
from bot.routing.followup import FOLLOW_UP_INTENTS, PERSON_FOLLOW_UPS, FollowUps
from bot.routing.service import get_router
from bot.settings import Settings

log = logging.getLogger(__name__)
KEEP_TOPIC = {DANISH: " Fortæl, at det drejer sig om: «{topic}».",
              ENGLISH: " Tell them it is about: «{topic}»."}


class ActionFollowUp(Action):
    def name(self) -> Text:
        return "action_follow_up"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        now = datetime.now(timezone.utc)
        events: List[Dict[Text, Any]] = []
        intent: Optional[str] = (tracker.latest_message.get("intent") or {}).get("name")
        lang = detect(tracker.latest_message.get("text"), tracker.get_slot("language"))
        if lang not in (DANISH, ENGLISH):
            lang = DANISH
        try:
            follow = FollowUps(get_router(Settings.from_env(), public=True))
            if intent == "deny":
                text, parse = last_enquiry(tracker)
                result = follow.not_that(text, parse, focus_of(tracker), now, lang)
            elif intent in FOLLOW_UP_INTENTS:
                # "hvad koster en byggetilladelse?" names its own topic: that becomes the focus
                named = follow.topic_in(redact(tracker.latest_message.get("text") or ""), tracker.latest_message, now)
                focus = named or focus_of(tracker)
                asked, asked_parse = last_enquiry(tracker) if tracker.get_slot("clarifying") else ("", {})
                if focus.empty and asked and intent not in PERSON_FOLLOW_UPS:
                    # a fact question while the choices are open: which of them? (the choices again)
                    result = follow.which_of(asked, asked_parse, now, lang)
                    send_result(dispatcher, result)
                    return [SlotSet("awaiting_feedback", False), SlotSet("language", lang)]
                result = follow.answer(intent, focus, now, lang)
                if focus.empty and asked:
                    # "Ingen af dem" or asking for a person: they get the enquiry the choices were for
                    result = replace(result, text=result.text + KEEP_TOPIC[lang].format(topic=asked[:120]))
                if named is not None:
                    events = [SlotSet("last_task_id", named.task_id), SlotSet("last_authority_id", named.authority_id)]
            else:
                log.warning("action_follow_up called for intent %r", intent)
                dispatcher.utter_message(response="utter_default")
                return [SlotSet("awaiting_feedback", False)]
        except DatabaseUnavailable:
            log.exception("catalogue unavailable")
            dispatcher.utter_message(response="utter_service_unavailable")
            return []
        send_result(dispatcher, result)
        return events + [SlotSet("awaiting_feedback", False), SlotSet("language", lang), SlotSet("clarifying", False)]
