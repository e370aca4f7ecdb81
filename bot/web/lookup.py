"""Lookup answers for the staff page and the public API, from the same router as the chat.

A lookup is the router's :class:`RouteResult` (the chat's answer) plus the ranked tasks, each
as the same :class:`Route` card the chat shows.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Mapping, Optional

from bot.catalog.domain import Task
from bot.hours import status as open_status
from bot.routing.result import Route
from bot.routing.router import Router, intent_ranking

MAX_QUERY_CHARS = 1000


def channels_status(router: Router, now: datetime) -> List[Dict[str, Any]]:
    out = []
    for ch in router.snapshot.channels.values():
        st = open_status(ch.opening_hours, now, router.timezone, ch.open_on_holidays)
        out.append({"id": ch.id, "name": ch.name, "phone": ch.phone, "short": ch.short, "open_now": st.open_now,
                    "status": st.danish(), "next_open": st.next_open.isoformat() if st.next_open else None})
    return out


def task_entry(task: Task, score: Optional[float] = None, full: bool = False) -> Dict[str, Any]:
    """A task as the answer card every surface uses (:class:`Route`), with its lookup score and,
    for the detail view, its keywords."""
    entry = Route.of(task).to_dict()
    if score is not None:
        entry["score"] = round(score, 3)
    if full:
        entry["keywords"] = list(task.keywords)
    return entry


def lookup(router: Router, text: str, nlu: Mapping[str, Any], now: datetime,
           limit: int = 8) -> Dict[str, Any]:
    """Ranked tasks for a query (keywords or a free-text enquiry), with the router's verdict.

    With an internal router this shows internal tasks and contacts: only for logged-in staff.
    """
    text = (text or "")[:MAX_QUERY_CHARS]
    scored = router.score_tasks(text, intent_ranking(nlu)) if text.strip() else []
    verdict = router.route(text, nlu, now=now, scored=scored)
    results = []
    if text.strip():
        seen = set()
        if verdict.route:
            seen.add(verdict.route.task_id)
            results.append(task_entry(router.task(verdict.route.task_id), verdict.confidence))
        for task, p, _ip, _kp in scored:
            if task.id not in seen and (p >= 0.02 or not results):
                seen.add(task.id)
                results.append(task_entry(task, p))
            if len(results) >= limit:
                break
    # the router's answer exactly as the chat and the public API give it, plus the ranked tasks
    return dict(verdict.to_dict(), query=text, results=results, channels=channels_status(router, now))
