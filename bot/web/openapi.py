"""The OpenAPI description of /api/, and a small HTML page that renders it (no CDN needed)."""
from __future__ import annotations

import html
from typing import Any, Dict

_Q = {"name": "q", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 1000},
      "description": "Keywords or a free-text enquiry in Danish, e.g. 'kunden vil sætte borde ud foran caféen'."}
_ID = {"name": "task_id", "in": "path", "required": True, "schema": {"type": "string"}}


def openapi_spec() -> Dict[str, Any]:
    ok = {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}
    unauthorised = {"description": "Not logged in as staff"}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Indgang API", "version": "1",
                 "description": "Lookups in the municipality's task catalogue. /api/lookup, /api/tasks and "
                                "/api/channels use the public (external) catalogue; /api/staff/* the internal "
                                "catalogue and require a staff session (cookie from /staff/login) or the reverse "
                                "proxy's user header."},
        "paths": {
            "/api/lookup": {"get": {"summary": "Route an enquiry (public catalogue): the chat's RouteResult",
                                    "parameters": [_Q], "responses": {"200": ok}}},
            "/api/tasks/{task_id}": {"get": {"summary": "One public task", "parameters": [_ID],
                                             "responses": {"200": ok, "404": {"description": "No such public task"}}}},
            "/api/channels": {"get": {"summary": "The one-entrance phone, switchboard and digital hotline, open now?",
                                      "responses": {"200": ok}}},
            "/api/municipality": {"get": {"summary": "The municipality and its one-entrance phone (from the catalogue; "
                                                     "any origin may read it: the widget on the municipality's site)",
                                          "responses": {"200": ok}}},
            "/api/staff/catalog-history": {"get": {"summary": "The latest catalogue versions and what each changed, "
                                                          "field by field (staff only)",
                                                   "responses": {"200": ok, "401": unauthorised}}},
            "/api/staff/lookup": {"get": {"summary": "Ranked tasks with internal contacts (staff only)",
                                          "parameters": [_Q], "responses": {"200": ok, "401": unauthorised}}},
            "/api/staff/tasks/{task_id}": {"get": {"summary": "One task, internal view (staff only)",
                                                   "parameters": [_ID],
                                                   "responses": {"200": ok, "401": unauthorised,
                                                                 "404": {"description": "No such task"}}}},
            "/api/staff/callbacks": {"get": {"summary": "Call-back requests left in the chat: open ones, then those "
                                                        "handled in the last day (staff only)",
                                             "responses": {"200": ok, "401": unauthorised}}},
            "/api/staff/callbacks/{request_id}/handled": {"post": {
                "summary": "Mark a call-back request handled (staff only, from the staff page: Origin checked)",
                "parameters": [{"name": "request_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": ok, "401": unauthorised, "403": {"description": "Not from the staff page"},
                              "404": {"description": "No such open request"}}}},
            "/api/staff/inbox": {"get": {"summary": "Praise for staff that businesses asked the assistant to pass on, "
                                                    "last 90 days, newest first (staff only)",
                                         "responses": {"200": ok, "401": unauthorised}}},
        },
    }


def render_docs(spec: Dict[str, Any]) -> str:
    rows = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            params = ", ".join(p["name"] for p in op.get("parameters", []))
            rows.append(f"<tr><td><code>{html.escape(method.upper())} {html.escape(path)}</code></td>"
                        f"<td>{html.escape(op['summary'])}</td><td>{html.escape(params)}</td></tr>")
    return ("<!doctype html><html lang='da'><head><meta charset='utf-8'><title>Indgang API</title></head><body>"
            f"<h1>{html.escape(spec['info']['title'])}</h1><p>{html.escape(spec['info']['description'])}</p>"
            "<p>Machine-readable: <a href='/api/openapi.json'>/api/openapi.json</a></p>"
            "<table><thead><tr><th>Endpoint</th><th>What</th><th>Parameters</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></body></html>")
