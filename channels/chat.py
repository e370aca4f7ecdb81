"""The website widget's channel: Rasa's REST channel, with CPR numbers removed on arrival.

Registered in credentials.yml as `channels.chat.ChatInput`; its webhook is
/webhooks/chat/webhook. Redacting here, before Rasa builds the UserMessage, keeps personal
identity numbers out of the tracker store, the logs and the model's input.
"""
from __future__ import annotations

from typing import Optional, Text

from rasa.core.channels.rest import RestInput
from sanic.request import Request

from bot.privacy import redact

MAX_MESSAGE_CHARS = 5000


class ChatInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "chat"

    def _extract_message(self, req: Request) -> Optional[Text]:
        message = (req.json or {}).get("message")
        if message is None:
            return None
        return redact(str(message))[:MAX_MESSAGE_CHARS]
