"""Ask the Rasa server to parse a query (HTTP API /model/parse), with a short timeout.

When Rasa is down or slow the staff page still works on the enquiry's words alone.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional

import aiohttp

log = logging.getLogger(__name__)


class NluClient:
    def __init__(self, rasa_url: str, token: Optional[str], timeout_s: float = 1.0):
        self.url = rasa_url.rstrip("/") + "/model/parse"
        self.token = token
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: Optional[aiohttp.ClientSession] = None

    async def parse(self, text: str) -> Dict[str, Any]:
        if not text.strip():
            return {}
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        params = {"token": self.token} if self.token else None
        try:
            async with self._session.post(self.url, json={"text": text}, params=params) as resp:
                if resp.status != 200:
                    log.warning("Rasa parse answered %s; routing on words alone", resp.status)
                    return {}
                return await resp.json()
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as exc:
            log.warning("Rasa parse unavailable (%s); routing on words alone", exc.__class__.__name__)
            return {}

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
