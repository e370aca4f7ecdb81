"""The one routing entry point shared by the chat action, the staff page and `bot route`.

Keeps one :class:`Router` per (database, view) and rebuilds it when a new catalogue
version has been imported, so a changed phone number takes effect without a restart or
retraining. The version check is one tiny query, made at most every few seconds.
"""
from __future__ import annotations

import threading
import time
from datetime import datetime
from typing import Any, Dict, Mapping, Optional, Tuple

from bot.catalog.queries import current_version_id, load_snapshot
from bot.routing.result import RouteResult
from bot.routing.router import Router, RouterConfig
from bot.settings import Settings

_CHECK_EVERY = 5.0
_lock = threading.Lock()
_routers: Dict[Tuple[str, bool], Tuple[Router, Optional[int], float]] = {}


def get_router(settings: Optional[Settings] = None, public: bool = True) -> Router:
    """The router for the current catalogue; public=True is the external catalogue."""
    settings = settings or Settings.from_env()
    key = (settings.database_url, public)
    now = time.monotonic()
    with _lock:
        cached = _routers.get(key)
        if cached and now - cached[2] < _CHECK_EVERY:
            return cached[0]
        version = current_version_id(settings.database_url) if cached else None
        if cached and version == cached[1]:
            _routers[key] = (cached[0], cached[1], now)
            return cached[0]
        snapshot = load_snapshot(settings.database_url, public=public)
        config = RouterConfig() if settings.route_min_confidence is None else \
            RouterConfig(min_confidence=settings.route_min_confidence)
        router = Router(snapshot, config, settings.timezone)
        _routers[key] = (router, snapshot.version.id if snapshot.version else None, now)
        return router


def clear_cache() -> None:
    with _lock:
        _routers.clear()


def answer(text: str, nlu: Mapping[str, Any], now: datetime, settings: Optional[Settings] = None,
           public: bool = True, lang: str = "da") -> RouteResult:
    """Route one enquiry: exactly what the chat action and `bot route` do."""
    return get_router(settings, public).route(text, nlu, now=now, lang=lang)


def answer_for_task(task_id: str, now: datetime, settings: Optional[Settings] = None,
                    public: bool = True, lang: str = "da") -> Optional[RouteResult]:
    return get_router(settings, public).answer_for_task(task_id, now=now, lang=lang)


def refer_to_person(now: datetime, settings: Optional[Settings] = None, public: bool = True,
                    lang: str = "da") -> RouteResult:
    return get_router(settings, public).refer_to_person(now=now, lang=lang)
