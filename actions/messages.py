"""Turn a RouteResult into chat messages: text, buttons and the contact-card payload."""
from __future__ import annotations

import json
from typing import Any, Dict, List

from rasa_sdk.executor import CollectingDispatcher

from bot.routing.result import RouteResult, asks

OTHER_BUTTON = {"title": "Ingen af dem", "payload": "/ask_person"}
OTHER_BUTTON_EN = {"title": "None of these", "payload": "/ask_person"}
CALLBACK_BUTTON = {"da": {"title": "Ja, ring mig op", "payload": "/request_callback"},
                   "en": {"title": "Yes, call me back", "payload": "/request_callback"}}


def choose_payload(task_id: str) -> str:
    return "/choose_task" + json.dumps({"task_id": task_id})


def send_result(dispatcher: CollectingDispatcher, result: RouteResult, offer_callback: bool = False) -> None:
    """One message with the answer text and the RouteResult as custom payload (the widget's card);
    ``offer_callback`` adds the "Ja, ring mig op" button (the call-back form)."""
    payload: Dict[str, Any] = result.to_dict()
    buttons: List[Dict[str, str]] = []
    if result.alternatives and result.kind in ("one_entrance", "out_of_scope", "external", "citizen", "follow_up"):
        buttons = [{"title": a.task, "payload": choose_payload(a.task_id)} for a in result.alternatives]
        if asks(result.kind, result.alternatives):
            buttons.append(OTHER_BUTTON if result.language == "da" else OTHER_BUTTON_EN)
    if offer_callback:
        buttons.append(CALLBACK_BUTTON["en" if result.language == "en" else "da"])
    dispatcher.utter_message(text=result.text, buttons=buttons or None, json_message=payload)
