"""ActionRouteEnquiry ↔ action_route_enquiry, ActionShowTask ↔ action_show_task."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.history import focus_of, last_enquiry, latest_needs
from actions.messages import send_result
from bot.catalog.db import DatabaseUnavailable
from bot.language import DANISH, GERMAN, detect
from bot.privacy import redact
from bot.routing.clarify import combine, is_reply
from bot.routing.result import RouteResult, asks
from bot.routing.followup import FOLLOW_UP_INTENTS, Focus, FollowUps
from bot.routing.needs import answer_needs
from bot.routing.router import intent_ranking
from bot.routing.service import answer, answer_for_task, get_router, refer_to_person
from bot.settings import Settings

log = logging.getLogger(__name__)


def _after_route(dispatcher: CollectingDispatcher, result: RouteResult, combined: bool = False,
                 lang: str = DANISH) -> List[Dict[Text, Any]]:
    """A routed answer becomes the conversation's focus (follow-ups are about it) and is followed
    by "Fik du svar?"; an authority's answer becomes the focus too; other answers keep it."""
    # an unsure answer with choices asks for a few more words: the next message is read with it
    asking = asks(result.kind, result.alternatives) and not combined
    clarifying = SlotSet("clarifying", asking)
    events: List[Dict[Text, Any]] = [SlotSet("language", lang)]
    if asking:  # an unsure new enquiry: the earlier topic is no longer what "it" means
        events += [SlotSet("last_task_id", None), SlotSet("last_authority_id", None)]
    if result.kind == "route" and result.route:
        dispatcher.utter_message(response="utter_feedback_question" if lang == DANISH else "utter_feedback_question_en")
        return events + [SlotSet("awaiting_feedback", True), SlotSet("last_task_id", result.route.task_id),
                         SlotSet("last_authority_id", None), clarifying]
    if result.kind == "external" and result.authority:
        return events + [SlotSet("awaiting_feedback", False), SlotSet("last_task_id", None),
                         SlotSet("last_authority_id", result.authority.id), clarifying]
    return events + [SlotSet("awaiting_feedback", False), clarifying]


FOLLOW_UP_MIN = 0.15  # a follow-up intent this plausible, about the task at hand, is answered as one


NO_DOOR = ("out_of_scope", "smalltalk")  # answers that name no door: in a conversation, maybe a follow-up


def _follow_up_in_context(result: RouteResult, nlu: Dict[str, Any], focus: Focus) -> Any:
    """The follow-up a message asks about the conversation's topic, or None. Two cases: it routes
    to the task the conversation is already about, or it names no door at all (out of scope,
    small talk, or below the model's fallback threshold: "hvornår skal det være sendt ind") — and
    the model hears a follow-up question in it."""
    if focus.empty:
        return None
    # the same task as THE answer, or as the first of the choices of an unsure answer
    top_task = (result.route.task_id if result.kind == "route" and result.route is not None
                else result.alternatives[0].task_id if result.kind == "one_entrance" and result.alternatives else None)
    same_task = top_task is not None and top_task == focus.task_id
    if not (same_task or result.kind in NO_DOOR):
        return None
    ranking = intent_ranking(nlu)
    top = ranking[0][1] if ranking else 0.0
    # with no door, the follow-up must also be the model's best or nearly so ("hvad bliver vejret i
    # morgen?" stays out of scope however plausible "is it open tomorrow" is)
    floor = FOLLOW_UP_MIN if same_task else max(FOLLOW_UP_MIN, top / 2)
    asked = [(n, c) for n, c in ranking if n in FOLLOW_UP_INTENTS and c >= floor]
    return asked[0][0] if asked else None


class ActionRouteEnquiry(Action):
    def name(self) -> Text:
        return "action_route_enquiry"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        message = tracker.latest_message or {}
        text = redact(message.get("text") or "")
        nlu: Dict[str, Any] = message
        combined = False
        if tracker.get_slot("clarifying"):
            first_text, first_nlu = last_enquiry(tracker)
            if first_text and is_reply(first_nlu, message):
                text, nlu = combine(first_text, first_nlu, text, message)
                combined = True
        now = datetime.now(timezone.utc)
        lang = detect(message.get("text"), tracker.get_slot("language"))
        needs = latest_needs(tracker) if not combined else []
        try:
            settings = Settings.from_env()
            if lang == GERMAN:  # read in Danish and English only: a polite German way to a person
                result = refer_to_person(now, settings, public=True, lang=GERMAN)
                send_result(dispatcher, result)
                return [SlotSet("language", lang), SlotSet("awaiting_feedback", False)]
            several = answer_needs(get_router(settings, public=True), needs, now, lang) if needs else []
            if several:
                for result in several:
                    send_result(dispatcher, result)
                return _after_route(dispatcher, several[0], combined=True, lang=lang)
            result = answer(text, nlu, now, settings, public=True, lang=lang)
            focus = focus_of(tracker)
            again = _follow_up_in_context(result, nlu, focus)
            if again is not None:  # "hvilke regler gælder for jeres udbud" while on procurement
                result = FollowUps(get_router(settings, public=True)).answer(again, focus, now, lang)
                send_result(dispatcher, result)
                return [SlotSet("language", lang), SlotSet("awaiting_feedback", False), SlotSet("clarifying", False)]
        except DatabaseUnavailable:
            log.exception("catalogue unavailable")
            dispatcher.utter_message(response="utter_service_unavailable")
            return []
        send_result(dispatcher, result)
        return _after_route(dispatcher, result, combined, lang)


class ActionShowTask(Action):
    """The user picked one of the "Mente du …?" alternatives."""

    def name(self) -> Text:
        return "action_show_task"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        task_id = tracker.get_slot("task_id") or next(tracker.get_latest_entity_values("task_id"), None)
        task_id = str(task_id) if task_id is not None else None  # a crafted payload may send a number
        lang = tracker.get_slot("language") or DANISH
        result = answer_for_task(task_id, datetime.now(timezone.utc), Settings.from_env(), public=True,
                                 lang=lang) if task_id else None
        if result is None:
            dispatcher.utter_message(response="utter_default")
            return [SlotSet("task_id", None)]
        send_result(dispatcher, result)
        return [SlotSet("task_id", None)] + _after_route(dispatcher, result, combined=True, lang=lang)
