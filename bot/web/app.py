"""The Sanic web app, assembled: its services on ``app.ctx``, its routes in blueprints.

- ``bot/web/public.py``: the demo page with the widget, /health, static files and the public API
  (/api/lookup, /api/tasks, /api/channels, the OpenAPI document). Public routes only ever use
  the public (external) catalogue.
- ``bot/web/staff.py``: the staff pages (/staff, login, logout, report) and the staff API
  (/api/staff/*). Internal data — internal tasks, internal contacts and their direct numbers —
  is served only there, and only to ``WebContext.staff_user()``.

This module holds what both share: the context every handler reads (settings, staff login,
login throttles, the NLU client, the router) and the helpers that give every response the same
security headers.
"""
from __future__ import annotations

import itertools
import logging
import secrets
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable, Dict, Optional, Protocol

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.routing.router import Router
from bot.routing.service import get_router
from bot.settings import Settings
from bot.web.auth import COOKIE, AuthConfig, StaffAuth
from bot.web.lookup import MAX_QUERY_CHARS, task_entry
from bot.web.nlu_client import NluClient
from bot.web.sessions import is_ended
from bot.web.throttle import SlidingWindow

STATIC = Path(__file__).resolve().parent / "static"
audit = logging.getLogger("indgang.audit")  # staff logins, failures, lockouts and logouts (no passwords)
_names = itertools.count()  # Sanic 21.12 wants every app in a process to have its own name


class RouterFor(Protocol):
    def __call__(self, public: bool) -> Router:
        """The router of the public (external) or the internal catalogue."""


@dataclass
class WebContext:
    """What the handlers depend on, made once per app (``app.ctx``)."""

    settings: Settings
    staff_auth: StaffAuth
    user_failures: SlidingWindow     # failed logins per user name: guessing one colleague's password
    address_failures: SlidingWindow  # ... per address: guessing many (an office shares an address)
    nlu: NluClient
    router: RouterFor                # router(public=…): bot.routing.service.get_router for these settings

    def staff_user(self, request: Request) -> Optional[str]:
        """The logged-in colleague (proxy header from a trusted proxy, or a valid session cookie)."""
        return (self.staff_auth.user_from_proxy(request.headers, request.ip)
                or self.staff_auth.user_from_cookie(request.cookies.get(COOKIE), time.time()))


def context(request: Request) -> WebContext:
    """The app's context, typed."""
    return request.app.ctx


def auth_config(settings: Settings) -> AuthConfig:
    """Staff login as the settings say; without WEB_SECRET sessions are signed with a random key per start."""
    staff = settings.staff
    return AuthConfig(
        mode=staff.auth_mode.value,
        users_file=staff.users_file,
        secret=settings.web.secret.encode() if settings.web.secret else secrets.token_bytes(32),
        proxy_header=staff.auth_header,
        trusted_proxies=staff.trusted_proxies,
        secure_cookie=settings.web.secure_cookie,
    )


def security_headers(resp: HTTPResponse, connect_src: str = "") -> HTTPResponse:
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "same-origin"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {connect_src}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
    return resp


def no_store(resp: HTTPResponse) -> HTTPResponse:
    """An answer that must not be cached (lookups, staff data), with the security headers."""
    resp.headers["Cache-Control"] = "no-store"
    return security_headers(resp)


def static_page(name: str, connect_src: str = "", replace: Optional[Callable[[str], str]] = None) -> HTTPResponse:
    """One of the HTML pages in bot/web/static, with the security headers."""
    html = (STATIC / name).read_text(encoding="utf-8")
    return security_headers(response.html(replace(html) if replace else html), connect_src)


def query(request: Request) -> str:
    """The ``q`` parameter, cut to the longest enquiry we read."""
    return (request.args.get("q") or "")[:MAX_QUERY_CHARS]


def lookup_answer(body: Dict[str, Any], started: float) -> HTTPResponse:
    """A lookup's JSON with the time it took (``started``: ``time.perf_counter()`` at the request)."""
    body["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return no_store(response.json(body))


def task_answer(router: Router, task_id: str, public: bool) -> HTTPResponse:
    """One task in full, from the public or the internal catalogue; 404 when that catalogue has none."""
    task = router.task(task_id)
    if task is None:
        message = "No public task with that id." if public else "No task with that id."
        return no_store(response.json({"error": message}, status=404))
    return no_store(response.json(task_entry(task, full=True)))


def create_app(settings: Optional[Settings] = None, auth: Optional[AuthConfig] = None) -> Sanic:
    """A new app (each with fresh blueprints: Sanic 21.12 ties a blueprint to the apps it is registered on)."""
    # the blueprints import this module's helpers, so they are imported when an app is made
    from bot.web.public import public_blueprint
    from bot.web.staff import staff_api_blueprint, staff_pages_blueprint

    settings = settings or Settings.from_env()
    database_url = settings.database_url
    ctx = WebContext(
        settings=settings,
        staff_auth=StaffAuth(auth or auth_config(settings), ended=lambda sid: is_ended(database_url, sid)),
        user_failures=SlidingWindow(max_events=5),
        address_failures=SlidingWindow(max_events=30),
        nlu=NluClient(settings.rasa.url, settings.rasa.token),
        router=partial(get_router, settings),
    )
    app = Sanic(f"indgang_web_{next(_names)}", ctx=ctx)
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.FALLBACK_ERROR_FORMAT = "json"  # before the blueprints: they take it when registered
    app.blueprint([public_blueprint(), staff_pages_blueprint(), staff_api_blueprint()])

    @app.listener("after_server_stop")
    async def close_client(_app: Sanic, _loop: object) -> None:
        await ctx.nlu.close()

    return app
