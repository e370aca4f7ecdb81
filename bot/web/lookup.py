"""Lookup answers for the staff page and the public API, from the same router as the chat."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List, Mapping, Optional

from bot.hours import status as open_status
from bot.routing.router import Router, intent_ranking

MAX_QUERY_CHARS = 1000


def channels_status(router: Router, now: datetime) -> List[Dict[str, Any]]:
    out = []
    for ch in router.snapshot.channels.values():
        st = open_status(ch.opening_hours, now, router.timezone, ch.open_on_holidays)
        out.append({"id": ch.id, "name": ch.name, "phone": ch.phone, "short": ch.short, "open_now": st.open_now,
                    "status": st.danish(), "next_open": st.next_open.isoformat() if st.next_open else None})
    return out


def _department(d) -> Dict[str, Any]:
    return {"id": d.id, "name": d.name, "phone": d.phone, "email": d.email, "url": d.url, "address": d.address}


def task_entry(task, score: Optional[float] = None, full: bool = False) -> Dict[str, Any]:
    entry: Dict[str, Any] = {
        "task_id": task.id, "task": task.title, "description": task.description, "kle": list(task.kle),
        "department": _department(task.department), "self_service_url": task.self_service_url,
        "external": task.external,
        "fee": task.fee, "processing_time": task.processing_time, "documents": list(task.documents),
        "legal_basis_url": task.legal_basis_url, "facts_note": task.facts_note,
        "contacts": [{"name": c.name, "title": c.title, "phone": c.phone, "email": c.email, "external": c.external}
                     for c in task.contacts],
    }
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
    authority = None
    if verdict.authority:
        a = verdict.authority
        authority = {"id": a.id, "name": a.name, "phone": a.phone, "url": a.url, "description": a.description}
    return {"query": text, "kind": verdict.kind, "intent": {"name": verdict.intent.name,
                                                            "confidence": round(verdict.intent.confidence, 3)},
            "text": verdict.text, "results": results, "authority": authority,
            "channels": channels_status(router, now)}
