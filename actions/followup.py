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

from actions.feedback import keep_feedback
from actions.history import focus_of, last_enquiry
from actions.messages import send_result
from bot.catalog.db import DatabaseUnavailable
from bot.inbox import record_praise
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
            settings = Settings.from_env()
            follow = FollowUps(get_router(settings, public=True))
            if intent == "deny":
                if tracker.get_slot("awaiting_feedback"):  # "nej" to "Fik du svar?": kept for the report
                    keep_feedback(settings, now, False, tracker.get_slot("last_task_id"))
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
                passed_on = intent == "praise" and _pass_on_praise(settings, follow, focus, tracker, now)
                result = follow.answer(intent, focus, now, lang, passed_on=passed_on)
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
        # a business that asks to be called, or for a person, may leave its number (the call-back form)
        send_result(dispatcher, result, offer_callback=intent in ("ask_callback", "ask_person"))
        return events + [SlotSet("awaiting_feedback", False), SlotSet("language", lang), SlotSet("clarifying", False)]


def _pass_on_praise(settings: Settings, follow: FollowUps, focus, tracker: Tracker, now: datetime) -> bool:
    """Keep praise for the department the conversation is about (or for the one entrance to pass
    on when it is about none); False when it is about an authority or cannot be kept."""
    if focus.authority_id:
        return False  # their staff, not ours: the answer says where to send it
    task = follow.router.task(focus.task_id) if focus.task_id else None
    try:
        record_praise(settings.database_url, now, tracker.latest_message.get("text") or "",
                      task.department.id if task else None, task.department.name if task else None,
                      task.id if task else None)
    except Exception as exc:  # never lose the answer over it; no traceback: a driver error would quote the text
        log.error("praise could not be kept: %s", exc.__class__.__name__)
        return False
    return True
