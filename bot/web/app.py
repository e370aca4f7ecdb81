"""The Sanic web app: demo page with the widget, staff lookup (login required), JSON API.

Public routes only ever use the public (external) catalogue. Internal data — internal
tasks, internal contacts and their direct numbers — is served only under /api/staff/ and
/staff, both behind `_staff_user()`.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import os
import re
import secrets
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional
from urllib.parse import quote, urlparse

from sanic import Sanic, response
from sanic.request import Request

from bot.callbacks import mark_handled, open_requests
from bot.catalog.db import DatabaseUnavailable
from bot.inbox import recent
from bot.routing.service import get_router
from bot.settings import PROJECT_ROOT, Settings
from bot.web.auth import COOKIE, SESSION_SECONDS, AuthConfig, StaffAuth
from bot.web.sessions import end_session, is_ended
from bot.web.throttle import SlidingWindow
from bot.web.lookup import MAX_QUERY_CHARS, channels_status, lookup, task_entry
from bot.web.nlu_client import NluClient
from bot.web.openapi import openapi_spec, render_docs

STATIC = Path(__file__).resolve().parent / "static"
audit = logging.getLogger("indgang.audit")  # staff logins, failures, lockouts and logouts (no passwords)
_names = itertools.count()


def auth_config_from_env(settings: Settings) -> AuthConfig:
    users = Path(os.environ.get("STAFF_USERS_FILE") or "var/staff_users.yml")
    users = users if users.is_absolute() else PROJECT_ROOT / users
    secret = os.environ.get("WEB_SECRET")
    return AuthConfig(
        mode=os.environ.get("STAFF_AUTH", "accounts"),
        users_file=users,
        secret=secret.encode() if secret else secrets.token_bytes(32),
        proxy_header=os.environ.get("STAFF_AUTH_HEADER", "X-Remote-User"),
        trusted_proxies=tuple(p.strip() for p in os.environ.get("STAFF_TRUSTED_PROXIES", "127.0.0.1/32,::1/128").split(",")
                              if p.strip()),
        secure_cookie=os.environ.get("WEB_SECURE_COOKIE", "") == "1",
    )


def _security_headers(resp, connect_src: str = "") -> None:
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "same-origin"
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {connect_src}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


def create_app(settings: Optional[Settings] = None, auth: Optional[AuthConfig] = None) -> Sanic:
    settings = settings or Settings.from_env()
    staff_auth = StaffAuth(auth or auth_config_from_env(settings), ended=lambda sid: is_ended(settings.database_url, sid))
    user_failures = SlidingWindow(max_events=5)    # guessing one colleague's password
    address_failures = SlidingWindow(max_events=30)  # guessing many (an office shares an address)
    rasa_internal = os.environ.get("RASA_URL") or f"http://127.0.0.1:{settings.rasa_port}"
    nlu = NluClient(rasa_internal, os.environ.get("RASA_TOKEN") or None)
    app = Sanic(f"indgang_web_{next(_names)}")
    app.config.REQUEST_MAX_SIZE = 64 * 1024
    app.config.FALLBACK_ERROR_FORMAT = "json"

    def public_rasa_url(request: Request) -> str:
        configured = os.environ.get("PUBLIC_RASA_URL")
        if configured:
            return configured.rstrip("/")
        host = (request.host or "localhost").split(":")[0]
        return f"http://{host}:{settings.rasa_port}"

    def staff_user(request: Request) -> Optional[str]:
        return (staff_auth.user_from_proxy(request.headers, request.ip)
                or staff_auth.user_from_cookie(request.cookies.get(COOKIE), time.time()))

    def same_origin(request: Request) -> bool:
        """A login form posted from our own page (login CSRF: another site must not log a
        colleague's browser into an account of its choosing)."""
        source = request.headers.get("origin") or request.headers.get("referer")
        if not source:
            return True  # non-browser clients send neither; browsers always send Origin on POST
        return urlparse(source).netloc == request.host

    def page(name: str, request: Request, connect_src: str = ""):
        html = (STATIC / name).read_text(encoding="utf-8")
        if name == "index.html":
            html = html.replace('data-rasa-url=""', f'data-rasa-url="{quote(public_rasa_url(request), safe=":/")}"')
        resp = response.html(html)
        _security_headers(resp, connect_src)
        return resp

    def query(request: Request) -> str:
        return (request.args.get("q") or "")[:MAX_QUERY_CHARS]

    def no_store(resp):
        resp.headers["Cache-Control"] = "no-store"
        _security_headers(resp)
        return resp

    app.static("/static", str(STATIC), name="static")

    @app.get("/")
    async def index(request: Request):
        return page("index.html", request, connect_src=public_rasa_url(request))

    @app.get("/health")
    async def health(request: Request):
        return response.json({"status": "ok"})

    @app.get("/staff")
    async def staff(request: Request):
        if not staff_user(request):
            return response.redirect("/staff/login?next=/staff")
        resp = page("staff.html", request)
        resp.headers["Cache-Control"] = "no-store"
        return resp

    @app.get("/staff/login")
    async def login_page(request: Request):
        return page("login.html", request)

    @app.post("/staff/login")
    async def login(request: Request):
        form = request.form or {}
        username = (form.get("username") or "").strip()
        password = form.get("password") or ""
        nxt = form.get("next") or "/staff"
        if not nxt.startswith("/staff") or urlparse(nxt).netloc:
            nxt = "/staff"
        if not same_origin(request):
            audit.warning("staff login refused: foreign origin ip=%s", request.ip)
            return response.redirect("/staff/login?error=origin")
        now = time.time()
        user_key, ip_key = f"user:{username.lower()}", f"ip:{request.ip}"
        if user_failures.blocked([user_key], now) or address_failures.blocked([ip_key], now):
            audit.warning("staff login refused: too many failures user=%s ip=%s", username[:80], request.ip)
            return response.redirect("/staff/login?error=locked")
        # scrypt takes ~50 ms of CPU: off the event loop, so lookups and chat pages stay fast meanwhile
        ok = bool(username) and await asyncio.get_running_loop().run_in_executor(
            None, staff_auth.check_password, username, password)
        if not ok:
            user_failures.record([user_key], now)
            address_failures.record([ip_key], now)
            audit.info("staff login failed user=%s ip=%s", username[:80], request.ip)
            return response.redirect("/staff/login?error=1")
        user_failures.clear([user_key])  # the address keeps its count: one good account must not reset it
        audit.info("staff login user=%s ip=%s", username, request.ip)
        resp = response.redirect(nxt)
        resp.cookies[COOKIE] = staff_auth.make_cookie(username, now)
        resp.cookies[COOKIE]["httponly"] = True
        resp.cookies[COOKIE]["samesite"] = "Strict"
        resp.cookies[COOKIE]["max-age"] = SESSION_SECONDS
        resp.cookies[COOKIE]["path"] = "/"
        if staff_auth.config.secure_cookie:
            resp.cookies[COOKIE]["secure"] = True
        return resp

    @app.get("/staff/logout")
    async def logout(request: Request):
        now = time.time()
        found = staff_auth.session(request.cookies.get(COOKIE), now)
        if found is not None:  # the cookie stops working everywhere, even where it was copied
            username, sid, expiry = found
            await asyncio.get_running_loop().run_in_executor(None, end_session, settings.database_url, sid, expiry, now)
            audit.info("staff logout user=%s ip=%s", username, request.ip)
        resp = response.redirect("/staff/login")
        del resp.cookies[COOKIE]
        return resp

    @app.get("/api/lookup")
    async def public_lookup(request: Request):
        """The public answer for an enquiry: exactly the chat's RouteResult (external catalogue)."""
        started = time.perf_counter()
        q = query(request)
        result = get_router(settings, public=True).route(q, await nlu.parse(q), datetime.now(timezone.utc))
        body = result.to_dict()
        body["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return no_store(response.json(body))

    def task_response(task_id: str, public: bool):
        task = get_router(settings, public=public).task(task_id)
        if task is None:
            message = "No public task with that id." if public else "No task with that id."
            return no_store(response.json({"error": message}, status=404))
        return no_store(response.json(task_entry(task, full=True)))

    @app.get("/api/tasks/<task_id:str>")
    async def public_task(request: Request, task_id: str):
        return task_response(task_id, public=True)

    @app.get("/api/channels")
    async def channels(request: Request):
        return no_store(response.json({"channels": channels_status(get_router(settings, public=True), datetime.now(timezone.utc))}))

    def refused():
        return no_store(response.json({"error": "Log ind som medarbejder."}, status=401))

    @app.get("/api/staff/lookup")
    async def staff_lookup(request: Request):
        if not staff_user(request):
            return refused()
        started = time.perf_counter()
        q = query(request)
        body = lookup(get_router(settings, public=False), q, await nlu.parse(q), datetime.now(timezone.utc))
        body["took_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return no_store(response.json(body))

    @app.get("/api/staff/tasks/<task_id:str>")
    async def staff_task(request: Request, task_id: str):
        if not staff_user(request):
            return refused()
        return task_response(task_id, public=False)

    async def records_list(key: str, read, now: datetime):
        """A staff list of the records kept beside the catalogue (bot/records.py), read off the event loop."""
        try:
            rows = await asyncio.get_running_loop().run_in_executor(None, read, settings.database_url, now)
        except DatabaseUnavailable:
            return no_store(response.json({"error": "Databasen kan ikke nås lige nu."}, status=503))
        return no_store(response.json({key: [r.to_dict() for r in rows]}))

    @app.get("/api/staff/inbox")
    async def staff_inbox(request: Request):
        """Praise and comments businesses asked the assistant to pass on (bot.inbox), newest first."""
        if not staff_user(request):
            return refused()
        return await records_list("messages", recent, datetime.now(timezone.utc))

    @app.get("/api/staff/callbacks")
    async def staff_callbacks(request: Request):
        """Call-back requests left in the chat: open ones oldest first, then those handled today."""
        if not staff_user(request):
            return refused()
        return await records_list("requests", open_requests, datetime.now(timezone.utc))

    @app.post("/api/staff/callbacks/<request_id:int>/handled")
    async def callback_handled(request: Request, request_id: int):
        user = staff_user(request)
        if not user:
            return refused()
        if not same_origin(request) or not request.headers.get("origin"):
            # state-changing: only from our own staff page (browsers send Origin on fetch POSTs)
            return no_store(response.json({"error": "Kun fra personalesiden."}, status=403))
        done = await asyncio.get_running_loop().run_in_executor(
            None, mark_handled, settings.database_url, request_id, datetime.now(timezone.utc), user)
        audit.info("call-back request %s handled by %s", request_id, user)
        return no_store(response.json({"handled": done}, status=200 if done else 404))

    report_dir = Path(os.environ.get("REPORT_DIR") or PROJECT_ROOT / "var" / "report")

    @app.get("/staff/report")
    async def staff_report(request: Request):
        """The latest `python -m bot report` (no personal data in it), for staff."""
        if not staff_user(request):
            return response.redirect("/staff/login?next=/staff/report")
        page = report_dir / "index.html"
        if not page.exists():
            return no_store(response.html("<!doctype html><html lang='da'><title>Rapport</title><p>Ingen rapport endnu: "
                                          "kør <code>python -m bot report</code>.</p></html>", status=404))
        resp = response.html(page.read_text(encoding="utf-8").replace('src="', 'src="/staff/report/'))
        _security_headers(resp)
        resp.headers["Content-Security-Policy"] = "default-src 'self'; style-src 'unsafe-inline'; img-src 'self'"
        resp.headers["Cache-Control"] = "no-store"
        return resp

    @app.get("/staff/report/<name:str>")
    async def staff_report_plot(request: Request, name: str):
        if not staff_user(request):
            return refused()
        if not re.fullmatch(r"[a-z_]+\.png", name) or not (report_dir / name).is_file():
            return no_store(response.json({"error": "Ingen sådan figur."}, status=404))
        return await response.file(report_dir / name, headers={"Cache-Control": "no-store"})

    @app.get("/api/openapi.json")
    async def spec(request: Request):
        return response.json(openapi_spec())

    @app.get("/api/docs")
    async def docs(request: Request):
        resp = response.html(render_docs(openapi_spec()))
        _security_headers(resp)
        return resp

    @app.listener("after_server_stop")
    async def close_client(_app, _loop):
        await nlu.close()

    return app
