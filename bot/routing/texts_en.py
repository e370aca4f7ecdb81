"""The English wording of every answer (same functions as bot.routing.texts).

The catalogue is written in Danish: task titles, descriptions and facts are shown as they are,
with one line saying so. Every answer that ends a topic gives a way to a person.
"""
from __future__ import annotations

from typing import Optional, Sequence

from bot.catalog.domain import Department
from bot.routing.result import Alternative, AuthorityCard, Help, OneEntrance, Route
from bot.routing.texts import choices_question

DANISH_NOTE = "(Names and details from the municipality's catalogue are in Danish.)"


def entrance_line(e: Optional[OneEntrance]) -> str:
    if e is None:
        return "Call the municipality's main number."
    mail = f" or write to {e.email}" if e.email else ""
    if e.open_now:
        return f"To talk to a person, call {e.name} on +45 {e.phone} – {e.status}{mail}."
    return f"To talk to a person, call {e.name} on +45 {e.phone} ({e.status}){mail}."


def routed(route: Route, help_: Optional[Help], e: Optional[OneEntrance]) -> str:
    """A short routed answer: who, the self-service link, and one line with the phone."""
    note = "" if route.language == "en" else f" {DANISH_NOTE}"
    lines = [f"This is «{route.task}», handled by {route.department}.{note}"]
    if route.self_service_url:
        lines.append(f"Apply online: {route.self_service_url}")
    if route.phone and e is not None:
        lines.append(f"Call {route.department} on +45 {route.phone} or {e.name} on +45 {e.phone} ({e.status}).")
    elif route.phone:
        lines.append(f"Call {route.department} on +45 {route.phone}.")
    else:
        lines.append(entrance_line(e))
    return "\n".join(lines)


def did_you_mean(alts: Sequence[Alternative], e: Optional[OneEntrance]) -> str:
    if not alts:
        return "I'm not sure who can help with that. " + entrance_line(e)
    question = choices_question(alts, "Is it about", "or", "Is it one of these?")
    return f"{question} Pick one – or tell me in a few more words what you need. " + entrance_line(e)


def not_that(alts: Sequence[Alternative], e: Optional[OneEntrance]) -> str:
    if not alts:
        return "Sorry. Please tell me in other words what you need. " + entrance_line(e)
    question = choices_question(alts, "Is it about", "or", "Is it one of these, then?")
    return f"Sorry. {question} " + entrance_line(e)


def ask_person(e: Optional[OneEntrance]) -> str:
    if e is None:
        return "Call the municipality's main number to talk to a person."
    mail = f" or write to {e.email}" if e.email else ""
    return (f"You're welcome to talk to a person: call {e.name} on +45 {e.phone}{mail}. "
            f"The phone is {e.status}. Hours: {e.hours}.")


def opening_hours(e: Optional[OneEntrance]) -> str:
    if e is None:
        return "Call the municipality's main number."
    return f"{e.name}: phone +45 {e.phone} – {e.status}. Hours: {e.hours}."


OTHER_CHOICES = "If it is about something else, pick it below."


def external(a: AuthorityCard, e: Optional[OneEntrance], choices: bool = False) -> str:
    parts = [f"This is not the municipality's: {a.name} handles it. {DANISH_NOTE}"]
    how = [x for x in (f"phone +45 {a.phone}" if a.phone else "", a.url or "") if x]
    if how:
        parts.append(f"Contact {a.name}: " + ", ".join(how) + ".")
    parts.append("Not sure whether part of it is the municipality's? " + entrance_line(e))
    if choices:
        parts.append(OTHER_CHOICES)
    return "\n".join(parts)


def citizen(dep: Optional[Department], e: Optional[OneEntrance], choices: bool = False) -> str:
    more = " " + OTHER_CHOICES if choices else ""
    if dep is None:
        return "That sounds like a private matter: contact the municipality's Borgerservice (citizen service)." + more
    how = ", ".join(x for x in (f"phone +45 {dep.phone}" if dep.phone else "", dep.url or "") if x)
    return (f"That sounds like a private matter for a citizen: {dep.name} (citizen service) helps"
            + (f": {how}." if how else ".") + " This chat is for businesses." + more)


def greeting(name: str, e: Optional[OneEntrance], municipality: str = "the municipality") -> str:
    if name == "goodbye":
        return "Goodbye, and have a nice day! " + entrance_line(e)
    if name == "thanks":
        return "You're welcome. " + entrance_line(e)
    return ("Hello! I help businesses find the right door into the municipality. Tell me briefly what you "
            "need – for example «tables outside our café» or «permit to dig in the road».")


def capabilities(e: Optional[OneEntrance]) -> str:
    return ("I'm a digital assistant for businesses. Tell me what your business needs from the municipality – "
            "building permits, environment, roads, recruiting, an invoice – and I'll find the department "
            "that handles it. " + entrance_line(e))


def out_of_scope(e: Optional[OneEntrance], alts: Sequence[Alternative] = ()) -> str:
    if alts:  # probably not ours, but some task's words are there: the choices stay open
        question = choices_question(alts, "Is it about", "or", "Is it one of these?")
        return ("That doesn't sound like something the municipality helps businesses with. If it is your "
                f"business's matter after all: {question} " + entrance_line(e))
    return ("I'm afraid I can't help with that. I help businesses find the right department in the "
            "municipality, e.g. permits, environment, roads, recruiting and payments. " + entrance_line(e))


def empty_input(e: Optional[OneEntrance]) -> str:
    return "Please tell me in a few words what your business needs help with. " + entrance_line(e)
