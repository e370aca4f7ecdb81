"""The website widget's channel: Rasa's REST channel with two additions.

1. CPR numbers are removed on arrival, before Rasa builds the UserMessage — from the text, from
   every string in the metadata and from the sender id (bot.privacy) — so personal identity
   numbers never reach the tracker store, the logs or the model. A body that is not a JSON
   object is refused (400), so is a body over 16 KB or metadata over 4 KB (413: one client must
   not fill the tracker store); a message without a sender is refused (400), never put in Rasa's
   shared "default" conversation.
2. Every message gets an answer: when the bot produced nothing (the action server is down
   or failed), the reply is the one-entrance phone instead of silence.
3. Setting it up (``blueprint()``) applies `rasa_addons.server_speedups` (Rasa re-checked a constant JSON schema on
   every custom action and re-walked the event classes for every stored event) and
   `rasa_addons.log_privacy` (exception messages withheld and CPR numbers redacted in every log
   record: a failed action made Rasa log the whole conversation).

Registered in credentials.yml as `channels.chat.ChatInput`; webhook: /webhooks/chat/webhook.
"""
from __future__ import annotations

import json
import logging
import time
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.privacy import redact, redact_value
from bot.routing.needs import NEEDS_KEY, split_needs
from bot.routing.service import entrance_phrase
from bot.settings import Settings
from bot.web.throttle import SlidingWindow
from rasa_addons import log_privacy, server_speedups

log = logging.getLogger(__name__)
MAX_MESSAGE_CHARS = 5000
MAX_SENDER_CHARS = 200
MAX_BODY_BYTES = 16 * 1024      # a message (5,000 characters) with room for ordinary metadata
MAX_METADATA_BYTES = 4 * 1024   # the widget sends none; an 8 MB field once grew the tracker by 24 MB
MAX_METADATA_KEYS = 20
# Two limits come from the settings (bot/settings.py, .env.example):
# - CHAT_MESSAGES_PER_MINUTE (20) per conversation: a person types far fewer; a script is refused
#   (429); benchmarks of long conversations raise it;
# - CHAT_SESSION_MESSAGES (30): a long conversation starts a new session every so many messages:
#   Rasa then reads, and its policies walk, only the current session (the focus carries over:
#   actions/session.py). Without it a reply took 35 ms at message 1 and 352 ms at message 400
#   (docs/performance.md).


GENERAL_ENTRANCE = "kommunens hovednummer"  # the `entrance` slot's initial value (domain.yml)


def with_entrance(messages: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Replies that still name the way to a person in general words (the `entrance` slot was
    never set: the action server was down when the conversation began) get the catalogue's
    one-entrance phone instead, when the catalogue can be read here."""
    if not any(GENERAL_ENTRANCE in (m.get("text") or "") for m in messages):
        return messages
    entrance = entrance_phrase()
    if not entrance:
        return messages
    return [dict(m, text=m["text"].replace(GENERAL_ENTRANCE, entrance)) if GENERAL_ENTRANCE in (m.get("text") or "")
            else m for m in messages]


def fallback_messages(recipient_id: str, entrance: Optional[str]) -> List[Dict[str, Any]]:
    """The answer when the assistant could not answer: the way to a person, from the catalogue
    (``entrance``: "Én indgang for virksomheder på 72 57 88 10", or None when it cannot be read)."""
    text = (f"Jeg kan ikke slå det op lige nu. Ring til {entrance or GENERAL_ENTRANCE}, "
            "så hjælper en medarbejder dig videre.")
    return [{"recipient_id": recipient_id, "text": text,
             "custom": {"kind": "one_entrance", "text": text, "route": None, "alternatives": [], "authority": None,
                        "one_entrance": None}}]


class ChatInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "chat"

    @staticmethod
    def _body(req: Request) -> Dict[str, Any]:
        try:
            body = req.json
        except Exception:  # Sanic raises on a body that is not JSON
            return {}
        return body if isinstance(body, dict) else {}

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        sender = self._body(req).get("sender")
        if sender is None or not str(sender).strip():
            return None  # refused by the webhook: never Rasa's shared "default" conversation
        return redact(str(sender))[:MAX_SENDER_CHARS]

    def _extract_message(self, req: Request) -> Optional[Text]:
        message = self._body(req).get("message")
        if message is None:
            return None
        return redact(str(message))[:MAX_MESSAGE_CHARS]

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        metadata = self._body(request).get("metadata")
        return redact_value(metadata) if isinstance(metadata, dict) else None

    @staticmethod
    async def _with_needs(request: Request, text: Optional[str], metadata: Optional[Dict[str, Any]]
                          ) -> Optional[Dict[str, Any]]:
        """A message with several needs carries each part and the model's parse of it in
        ``metadata["needs"]`` (parsed here, in the server's own process), so the routing
        action can answer each need; a client's own "needs" key is never trusted."""
        metadata = {k: v for k, v in (metadata or {}).items() if k != NEEDS_KEY} or None
        parts = split_needs(text) if text and not text.startswith("/") else []
        agent = getattr(request.app.ctx, "agent", None)
        if len(parts) < 2 or agent is None:
            return metadata
        needs = []
        for part in parts:
            parsed = await agent.parse_message(part)
            needs.append({"text": part, "intent": parsed.get("intent"),
                          "intent_ranking": (parsed.get("intent_ranking") or [])[:10]})
        return {**(metadata or {}), NEEDS_KEY: needs}

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        # set up once, when Rasa builds its server with this channel (both are idempotent)
        server_speedups.apply()
        log_privacy.apply()  # no conversation content in this server's logs (rasa_addons/log_privacy.py)
        counted: Dict[str, int] = {}  # messages per conversation since this server started (a bound, not a record)
        chat = Settings.from_env().chat  # CHAT_SESSION_MESSAGES, CHAT_MESSAGES_PER_MINUTE (.env.example)
        session_messages = chat.session_messages
        per_sender = SlidingWindow(max_events=chat.messages_per_minute, window_s=60.0)
        webhook = Blueprint("indgang_chat_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if len(request.body or b"") > MAX_BODY_BYTES:
                return response.json({"error": f"The request is too large (at most {MAX_BODY_BYTES} bytes)."},
                                     status=413)
            try:
                body = request.json
            except Exception:
                body = None
            if not isinstance(body, dict):
                return response.json({"error": "The body must be a JSON object with 'sender' and 'message'."},
                                     status=400)
            metadata = body.get("metadata")
            if (len(json.dumps(metadata, ensure_ascii=False, default=str).encode()) > MAX_METADATA_BYTES
                    or (isinstance(metadata, dict) and len(metadata) > MAX_METADATA_KEYS)):
                return response.json({"error": f"metadata is too large (at most {MAX_METADATA_BYTES} bytes and "
                                               f"{MAX_METADATA_KEYS} keys)."}, status=413)
            sender_id = await self._extract_sender(request)
            if sender_id is None:
                return response.json({"error": "'sender' is required: the conversation's id (the widget makes one)."},
                                     status=400)
            now = time.monotonic()
            if per_sender.blocked([sender_id], now):
                return response.json({"error": "Too many messages in this conversation; wait a minute."}, status=429)
            per_sender.record([sender_id], now)
            text = self._extract_message(request)
            collector = CollectingOutputChannel()
            counted[sender_id] = counted.get(sender_id, 0) + 1
            if len(counted) > 100_000:
                counted.clear()
            try:
                if counted[sender_id] % session_messages == 0 and text and not text.startswith("/"):
                    await on_new_message(UserMessage("/session_start", CollectingOutputChannel(), sender_id,
                                                     input_channel=self.name()))
                metadata = await self._with_needs(request, text, self.get_metadata(request))
                await on_new_message(UserMessage(text, collector, sender_id, input_channel=self.name(),
                                                 metadata=metadata))
            except CancelledError:
                log.error("chat: message handling timed out for %s", sender_id)
            except Exception:  # Rasa reports the cause; the business still gets a way forward
                log.exception("chat: message handling failed for %s", sender_id)
            messages = collector.messages
            if not messages and not (text or "").startswith("/restart"):
                messages = fallback_messages(sender_id, entrance_phrase())
            return response.json(with_entrance(messages))

        return webhook
