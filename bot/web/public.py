"""The public rooms of the web app: the demo page with the widget, /health, static files and the
public JSON API. Everything here uses the public (external) catalogue only.
"""
from __future__ import annotations

import html
import time
from datetime import datetime, timezone
from typing import Any, Dict
from urllib.parse import quote

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.web.app import (STATIC, context, lookup_answer, no_store, query, security_headers, static_page,
                         task_answer)
from bot.catalog.domain import tel_href
from bot.routing.router import Router
from bot.web.lookup import channels_status
from bot.web.openapi import openapi_spec, render_docs


def public_rasa_url(request: Request) -> str:
    """The Rasa server as the browser reaches it: PUBLIC_RASA_URL, or this page's host on RASA_PORT."""
    rasa = context(request).settings.rasa
    if rasa.public_url:
        return rasa.public_url
    host = (request.host or "localhost").split(":")[0]
    return f"http://{host}:{rasa.port}"


def municipality_info(router: Router) -> Dict[str, Any]:
    """Who the assistant speaks for and its way to a person: all from the catalogue (catalog.yml)."""
    m, channel = router.municipality, router.snapshot.entrance_channel
    entrance = {"name": channel.name, "phone": channel.phone, "short": channel.short, "email": channel.email,
                "url": channel.url} if channel else None
    return {"name": m.name, "switchboard": m.switchboard, "email": m.email, "url": m.url, "address": m.address,
            "one_entrance": entrance}


def fill_page(page: str, info: Dict[str, Any], rasa_url: str) -> str:
    """The demo page with the municipality's name and one-entrance phone from the catalogue."""
    entrance = info["one_entrance"] or {"name": info["name"], "phone": info["switchboard"]}
    values = {"municipality": info["name"], "entrance_name": entrance["name"], "entrance_phone": entrance["phone"],
              "entrance_tel": tel_href(entrance["phone"])}
    for key, value in values.items():
        page = page.replace("{{" + key + "}}", html.escape(value or "", quote=True))
    return page.replace('data-rasa-url=""', f'data-rasa-url="{quote(rasa_url, safe=":/")}"')


def public_blueprint() -> Blueprint:
    """A new blueprint of the public routes (one per app)."""
    bp = Blueprint("public")
    bp.static("/static", str(STATIC), name="static")

    @bp.get("/")
    async def index(request: Request) -> HTTPResponse:
        rasa_url = public_rasa_url(request)
        info = municipality_info(context(request).router(public=True))
        return static_page("index.html", connect_src=rasa_url, replace=lambda page: fill_page(page, info, rasa_url))

    @bp.get("/api/municipality")
    async def municipality(request: Request) -> HTTPResponse:
        """The municipality and its one-entrance phone, for a widget embedded on another site
        (public facts from the catalogue; any page may read them)."""
        resp = response.json(municipality_info(context(request).router(public=True)))
        resp.headers["Access-Control-Allow-Origin"] = "*"
        resp.headers["Cache-Control"] = "max-age=60"
        return security_headers(resp)

    @bp.get("/health")
    async def health(request: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @bp.get("/api/lookup")
    async def lookup(request: Request) -> HTTPResponse:
        """The public answer for an enquiry: exactly the chat's RouteResult (external catalogue)."""
        ctx = context(request)
        started = time.perf_counter()
        q = query(request)
        result = ctx.router(public=True).route(q, await ctx.nlu.parse(q), datetime.now(timezone.utc))
        return lookup_answer(result.to_dict(), started)

    @bp.get("/api/tasks/<task_id:str>")
    async def task(request: Request, task_id: str) -> HTTPResponse:
        return task_answer(context(request).router(public=True), task_id, public=True)

    @bp.get("/api/channels")
    async def channels(request: Request) -> HTTPResponse:
        now = datetime.now(timezone.utc)
        return no_store(response.json({"channels": channels_status(context(request).router(public=True), now)}))

    @bp.get("/api/openapi.json")
    async def spec(request: Request) -> HTTPResponse:
        return response.json(openapi_spec())

    @bp.get("/api/docs")
    async def docs(request: Request) -> HTTPResponse:
        return security_headers(response.html(render_docs(openapi_spec())))

    return bp
