"""Several needs in one message: "1) skilt 2) udeservering 3) affald" gets an answer per need.

``split_needs`` finds the parts of a message that are separate needs: numbered or bulleted
items, separate lines, and questions ended by "?". It is careful: a story followed by one
question is one need ("Vi har en café i Løkken. Må vi stille borde ud?"), so a part counts only
when it has a few words of its own, and a message splits only when at least two parts do.
The channel parses each part with the model; the routing action answers each part whose
answer names a door, in order, and keeps one answer when the parts lead to the same door.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from typing import Any, List, Mapping, Optional, Sequence, Tuple

from bot.routing.result import RouteResult
from bot.routing.router import Router

NEEDS_KEY = "needs"  # the message metadata key that carries the parts and their parses
MAX_NEEDS = 3
MIN_WORDS = 3
_ITEM = re.compile(r"(?:^|\s)(?:\(?[1-9][\).:]|[-•*])\s+")
_QUESTION_END = re.compile(r"(?<=\?)\s+")
_JOINERS = re.compile(r"\s(?:og så|desuden|derudover|og hvad med|samt|og så også|og desuden)\s", re.IGNORECASE)


def _words(part: str) -> int:
    return len(re.findall(r"\w+", part))


def split_needs(text: str) -> List[str]:
    """The separate needs in ``text`` (2–3 of them), or ``[text]`` when it is one."""
    text = (text or "").strip()
    if not text:
        return [text]
    for splitter in (_numbered, _lines, _questions, _joined):
        parts = [p.strip(" ,;.-") for p in splitter(text)]
        parts = [p for p in parts if p]
        if len(parts) >= 2 and sum(_words(p) >= MIN_WORDS for p in parts) >= 2:
            return _merge_short(parts)[:MAX_NEEDS]
    return [text]


def _numbered(text: str) -> List[str]:
    if len(_ITEM.findall(text)) < 2:
        return []
    parts = _ITEM.split(text)
    head, items = parts[0], parts[1:]
    if head.strip() and items:  # an introduction before the list belongs to the first item
        items[0] = head.strip() + " " + items[0]
    return items


def _lines(text: str) -> List[str]:
    return text.splitlines() if "\n" in text else []


def _questions(text: str) -> List[str]:
    parts = _QUESTION_END.split(text)
    questions = [p for p in parts if p.rstrip().endswith("?")]
    if len(questions) < 2:
        return []
    # statements before the first question are its background story
    out: List[str] = []
    pending = ""
    for p in parts:
        if p.rstrip().endswith("?"):
            out.append((pending + " " + p).strip())
            pending = ""
        else:
            pending = (pending + " " + p).strip()
    if pending and out:
        out[-1] = out[-1] + " " + pending
    return out


def _joined(text: str) -> List[str]:
    return _JOINERS.split(text)


def _merge_short(parts: List[str]) -> List[str]:
    """A part of one or two words ("og moms?") joins the part before it."""
    out: List[str] = []
    carry = ""
    for p in parts:
        if out and _words(p) < MIN_WORDS:
            out[-1] = out[-1] + " " + p
        elif not out and _words(p) < MIN_WORDS:  # "Hej" before the first need
            carry = (carry + " " + p).strip()
        else:
            out.append((carry + " " + p).strip() if carry else p)
            carry = ""
    return out


def door_of(result: RouteResult) -> Optional[Tuple[str, str]]:
    """Which door a result names, as (kind, id) — None for an unsure or other answer."""
    if result.kind == "route" and result.route:
        return ("task", result.route.task_id)
    if result.kind == "external" and result.authority:
        return ("authority", result.authority.id)
    if result.kind == "citizen":
        return ("citizen", "")
    return None


def answer_needs(router: Router, needs: Sequence[Mapping[str, Any]], now: datetime,
                 lang: str = "da") -> List[RouteResult]:
    """One answer per need, in order, numbered; [] unless at least two needs lead to different
    doors (then the whole message is routed as one enquiry, as before)."""
    answers: List[RouteResult] = []
    seen = set()
    for need in list(needs)[:MAX_NEEDS]:
        text = str(need.get("text") or "")
        result = router.route(text, need, now, lang=lang)
        door = door_of(result)
        if door is None or door in seen:
            continue
        seen.add(door)
        answers.append(result)
    if len(answers) < 2:
        return []
    return [replace(r, text=f"{i}) {r.text}") for i, r in enumerate(answers, 1)]
