"""The staff rooms of the web app: the pages (/staff, login, logout, the report) and the JSON API
under /api/staff/. Every route but the login itself answers only a logged-in colleague
(``WebContext.staff_user``); only these routes see the internal catalogue.
"""
from __future__ import annotations

import asyncio
import re
import time
from datetime import datetime, timezone
from typing import Any, Callable, Optional, Sequence
from urllib.parse import urlparse

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.callbacks import mark_handled, open_requests
from bot.catalog.db import DatabaseUnavailable
from bot.catalog.queries import recent_changes
from bot.inbox import recent
from bot.web.app import audit, context, lookup_answer, no_store, query, security_headers, static_page, task_answer
from bot.web.auth import COOKIE, SESSION_SECONDS
from bot.web.lookup import lookup
from bot.web.sessions import end_session


def same_origin(request: Request) -> bool:
    """A form or fetch posted from our own page (login CSRF: another site must not log a
    colleague's browser into an account of its choosing, nor press buttons for them)."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source:
        return True  # non-browser clients send neither; browsers always send Origin on POST
    return urlparse(source).netloc == request.host


def refused() -> HTTPResponse:
    return no_store(response.json({"error": "Log ind som medarbejder."}, status=401))


async def off_loop(work: Callable[..., Any], *args: Any) -> Any:
    """Blocking work (scrypt, the database) off the event loop, so lookups and chat pages stay fast."""
    return await asyncio.get_running_loop().run_in_executor(None, work, *args)


def staff_pages_blueprint() -> Blueprint:
    """A new blueprint of the staff pages (one per app)."""
    bp = Blueprint("staff_pages")

    @bp.get("/staff")
    async def staff(request: Request) -> HTTPResponse:
        if not context(request).staff_user(request):
            return response.redirect("/staff/login?next=/staff")
        resp = static_page("staff.html")
        resp.headers["Cache-Control"] = "no-store"
        return resp

    @bp.get("/staff/login")
    async def login_page(request: Request) -> HTTPResponse:
        return static_page("login.html")

    @bp.post("/staff/login")
    async def login(request: Request) -> HTTPResponse:
        ctx = context(request)
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
        if ctx.user_failures.blocked([user_key], now) or ctx.address_failures.blocked([ip_key], now):
            audit.warning("staff login refused: too many failures user=%s ip=%s", username[:80], request.ip)
            return response.redirect("/staff/login?error=locked")
        # scrypt takes ~50 ms of CPU
        ok = bool(username) and await off_loop(ctx.staff_auth.check_password, username, password)
        if not ok:
            ctx.user_failures.record([user_key], now)
            ctx.address_failures.record([ip_key], now)
            audit.info("staff login failed user=%s ip=%s", username[:80], request.ip)
            return response.redirect("/staff/login?error=1")
        ctx.user_failures.clear([user_key])  # the address keeps its count: one good account must not reset it
        audit.info("staff login user=%s ip=%s", username, request.ip)
        resp = response.redirect(nxt)
        resp.cookies[COOKIE] = ctx.staff_auth.make_cookie(username, now)
        resp.cookies[COOKIE]["httponly"] = True
        resp.cookies[COOKIE]["samesite"] = "Strict"
        resp.cookies[COOKIE]["max-age"] = SESSION_SECONDS
        resp.cookies[COOKIE]["path"] = "/"
        if ctx.staff_auth.config.secure_cookie:
            resp.cookies[COOKIE]["secure"] = True
        return resp

    @bp.get("/staff/logout")
    async def logout(request: Request) -> HTTPResponse:
        ctx = context(request)
        now = time.time()
        found = ctx.staff_auth.session(request.cookies.get(COOKIE), now)
        if found is not None:  # the cookie stops working everywhere, even where it was copied
            username, sid, expiry = found
            await off_loop(end_session, ctx.settings.database_url, sid, expiry, now)
            audit.info("staff logout user=%s ip=%s", username, request.ip)
        resp = response.redirect("/staff/login")
        del resp.cookies[COOKIE]
        return resp

    @bp.get("/staff/report")
    async def report(request: Request) -> HTTPResponse:
        """The latest `python -m bot report` (no personal data in it), for staff."""
        if not context(request).staff_user(request):
            return response.redirect("/staff/login?next=/staff/report")
        page = context(request).settings.report_dir / "index.html"
        if not page.exists():
            return no_store(response.html("<!doctype html><html lang='da'><title>Rapport</title><p>Ingen rapport "
                                          "endnu: kør <code>python -m bot report</code>.</p></html>", status=404))
        resp = security_headers(response.html(page.read_text(encoding="utf-8").replace('src="', 'src="/staff/report/')))
        resp.headers["Content-Security-Policy"] = "default-src 'self'; style-src 'unsafe-inline'; img-src 'self'"
        resp.headers["Cache-Control"] = "no-store"
        return resp

    @bp.get("/staff/report/<name:str>")
    async def report_plot(request: Request, name: str) -> HTTPResponse:
        if not context(request).staff_user(request):
            return refused()
        report_dir = context(request).settings.report_dir
        if not re.fullmatch(r"[a-z_]+\.png", name) or not (report_dir / name).is_file():
            return no_store(response.json({"error": "Ingen sådan figur."}, status=404))
        return await response.file(report_dir / name, headers={"Cache-Control": "no-store"})

    return bp


async def database_list(key: str, read: Callable[..., Sequence[Any]], *args: Any) -> HTTPResponse:
    """``{key: read(*args)}`` read off the event loop; 503 when the database cannot be reached."""
    try:
        rows = await off_loop(read, *args)
    except DatabaseUnavailable:
        return no_store(response.json({"error": "Databasen kan ikke nås lige nu."}, status=503))
    return no_store(response.json({key: [r if isinstance(r, dict) else r.to_dict() for r in rows]}))


async def records_list(request: Request, key: str, read: Callable[[str, datetime], Sequence[Any]]) -> HTTPResponse:
    """A staff list of the records kept beside the catalogue (bot/records.py)."""
    return await database_list(key, read, context(request).settings.database_url, datetime.now(timezone.utc))


def staff_api_blueprint() -> Blueprint:
    """A new blueprint of the staff JSON API, /api/staff/* (one per app): every route answers a
    logged-in colleague only (the blueprint's request middleware), with the internal catalogue."""
    bp = Blueprint("staff_api")

    @bp.middleware("request")
    async def staff_only(request: Request) -> Optional[HTTPResponse]:
        return None if context(request).staff_user(request) else refused()

    @bp.get("/api/staff/lookup")
    async def staff_lookup(request: Request) -> HTTPResponse:
        ctx = context(request)
        started = time.perf_counter()
        q = query(request)
        return lookup_answer(lookup(ctx.router(public=False), q, await ctx.nlu.parse(q), datetime.now(timezone.utc)),
                             started)

    @bp.get("/api/staff/tasks/<task_id:str>")
    async def staff_task(request: Request, task_id: str) -> HTTPResponse:
        return task_answer(context(request).router(public=False), task_id, public=False)

    @bp.get("/api/staff/inbox")
    async def inbox(request: Request) -> HTTPResponse:
        """Praise and comments businesses asked the assistant to pass on (bot.inbox), newest first."""
        return await records_list(request, "messages", recent)

    @bp.get("/api/staff/catalog-history")
    async def catalog_history(request: Request) -> HTTPResponse:
        """The latest catalogue versions and what each changed (bot.catalog.queries.recent_changes)."""
        return await database_list("versions", recent_changes, context(request).settings.database_url, 5)

    @bp.get("/api/staff/callbacks")
    async def callbacks(request: Request) -> HTTPResponse:
        """Call-back requests left in the chat: open ones oldest first, then those handled today."""
        return await records_list(request, "requests", open_requests)

    @bp.post("/api/staff/callbacks/<request_id:int>/handled")
    async def callback_handled(request: Request, request_id: int) -> HTTPResponse:
        ctx = context(request)
        user = ctx.staff_user(request)  # set: the middleware let the request in
        if not same_origin(request) or not request.headers.get("origin"):
            # state-changing: only from our own staff page (browsers send Origin on fetch POSTs)
            return no_store(response.json({"error": "Kun fra personalesiden."}, status=403))
        done = await off_loop(mark_handled, ctx.settings.database_url, request_id, datetime.now(timezone.utc), user)
        audit.info("call-back request %s handled by %s", request_id, user)
        return no_store(response.json({"handled": done}, status=200 if done else 404))

    return bp
