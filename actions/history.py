"""What the conversation so far says: its focus and the enquiry being discussed (from the tracker)."""
from __future__ import annotations

from typing import Any, Dict, List, Tuple

from rasa_sdk import Tracker

from bot.privacy import redact
from bot.routing.followup import FOLLOW_UP_INTENTS, Focus
from bot.routing.needs import NEEDS_KEY

# Intents that ask something about the focus, or turn it down; never the enquiry itself.
NOT_AN_ENQUIRY = set(FOLLOW_UP_INTENTS) | {"deny", "affirm", "choose_task", "greet", "thanks", "goodbye"}


def focus_of(tracker: Tracker) -> Focus:
    return Focus(tracker.get_slot("last_task_id"), tracker.get_slot("last_authority_id"))


def last_enquiry(tracker: Tracker) -> Tuple[str, Dict[str, Any]]:
    """The latest user message that was an enquiry (not a follow-up, button or yes/no), with its parse."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if not seen_latest:  # skip the message being answered now
            seen_latest = True
            continue
        parse = event.get("parse_data") or {}
        name = (parse.get("intent") or {}).get("name")
        text = event.get("text") or ""
        if text.startswith("/") or name in NOT_AN_ENQUIRY:
            continue
        return redact(text), parse
    return "", {}


def latest_needs(tracker: Tracker) -> List[Dict[str, Any]]:
    """The parts of a several-needs message with their parses, as the chat channel attached them
    to the message's metadata (empty for a message with one need)."""
    metadata = (tracker.latest_message or {}).get("metadata")
    if metadata is None:
        latest = next((e for e in reversed(tracker.events) if e.get("event") == "user"), None)
        metadata = (latest or {}).get("metadata")
    needs = (metadata or {}).get(NEEDS_KEY) if isinstance(metadata, dict) else None
    if not isinstance(needs, list):
        return []
    return [n for n in needs if isinstance(n, dict) and isinstance(n.get("text"), str)]
