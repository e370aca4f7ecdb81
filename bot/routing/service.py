"""The one routing entry point shared by the chat action, the staff page and `bot route`.

Keeps one :class:`Router` per (database, view) and swaps in a new one when a new catalogue
version has been imported, so a changed phone number takes effect within a second, without a
restart or retraining. A watcher thread per router checks the version (one tiny query) every
quarter of a second and builds the new router itself: requests never wait for a rebuild and the
servers' event loops are never blocked by one; they keep getting the old router until the new
one is ready.
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Any, Dict, Mapping, Optional, Tuple

from bot.catalog.queries import current_version_id, load_snapshot
from bot.routing.result import RouteResult
from bot.routing.router import Router, RouterConfig
from bot.settings import Settings

CHECK_EVERY = 0.25  # seconds between version checks
log = logging.getLogger(__name__)
_lock = threading.Lock()


def _build(settings: Settings, public: bool) -> Tuple[Router, Optional[int]]:
    snapshot = load_snapshot(settings.database_url, public=public)
    config = RouterConfig() if settings.route_min_confidence is None else \
        RouterConfig(min_confidence=settings.route_min_confidence)
    return Router(snapshot, config, settings.timezone), (snapshot.version.id if snapshot.version else None)


class _Live:
    """The current router of one (database, view), rebuilt off the request path on a new import."""

    def __init__(self, settings: Settings, public: bool):
        self.settings, self.public = settings, public
        self.router, self.version = _build(settings, public)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name=f"catalog-watch-{'public' if public else 'internal'}",
                                        daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(CHECK_EVERY):
            try:
                version = current_version_id(self.settings.database_url)
                if version != self.version:
                    router, built_version = _build(self.settings, self.public)
                    self.router, self.version = router, built_version  # one reference swap
                    log.info("catalogue version #%s loaded", built_version)
            except Exception as exc:  # a database hiccup: keep answering from the router we have
                log.warning("catalogue version check failed (%s); keeping version #%s", type(exc).__name__,
                            self.version)

    def stop(self) -> None:
        self._stop.set()


_routers: Dict[Tuple[str, bool, Optional[float], str], _Live] = {}


def get_router(settings: Optional[Settings] = None, public: bool = True) -> Router:
    """The router for the current catalogue; public=True is the external catalogue."""
    settings = settings or Settings.from_env()
    key = (settings.database_url, public, settings.route_min_confidence, settings.timezone)
    live = _routers.get(key)
    if live is None:
        with _lock:
            live = _routers.get(key)
            if live is None:
                live = _routers[key] = _Live(settings, public)
    return live.router


def clear_cache() -> None:
    with _lock:
        for live in _routers.values():
            live.stop()
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


def entrance_phrase(settings: Optional[Settings] = None) -> Optional[str]:
    """The way to a person as "Én indgang for virksomheder på 72 57 88 10", from the catalogue:
    for the chat's fallback replies. None when the catalogue cannot be read."""
    try:
        router = get_router(settings)
        channel = router.snapshot.entrance_channel
        if channel:
            return f"{channel.name} på {channel.phone}"
        m = router.municipality
        return f"{m.name} på {m.switchboard}" if m.switchboard else None
    except Exception as exc:  # the catalogue is down: the replies keep their general wording
        log.warning("cannot read the one-entrance phone from the catalogue (%s)", type(exc).__name__)
        return None
