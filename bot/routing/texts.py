"""The Danish wording of every answer. Every answer that ends a topic gives a way to a person."""
from __future__ import annotations

import sys
from types import ModuleType
from typing import Optional, Sequence

from bot.catalog.domain import Department
from bot.routing.result import Alternative, AuthorityCard, Help, OneEntrance, Route


def entrance_line(e: Optional[OneEntrance]) -> str:
    """One line for the one-entrance phone, worded right whether it is open or closed."""
    if e is None:
        return "Ring til kommunens hovednummer."
    short = f" (lokal {e.short})" if e.short else ""
    if e.open_now:
        return f"Vil du hellere tale med en medarbejder, så ring til {e.name} på {e.phone}{short} – {e.status}."
    mail = f" eller skriv til {e.email}" if e.email else ""
    return f"Vil du tale med en medarbejder, så ring til {e.name} på {e.phone}{short} ({e.status}){mail}."


# The first line of a routed answer, varied so a conversation does not read like a form.
_ROUTED_FRAMES = (
    "Det er {dept}, der tager sig af «{task}».",
    "«{task}» hører under {dept}.",
    "Det klarer {dept} – opgaven hedder «{task}».",
)
MAX_DESCRIPTION_WORDS = 20


def frame_for(task_id: str, frames: Sequence[str]) -> str:
    """A frame chosen by the task (stable: the same task is always worded the same way)."""
    return frames[sum(map(ord, task_id)) % len(frames)]


def first_sentence(text: str, max_words: int = MAX_DESCRIPTION_WORDS) -> str:
    """The description's first sentence, at most ``max_words`` words: the card has the rest."""
    sentence = (text or "").strip().split(". ")[0].rstrip(".")
    words = sentence.split()
    if not words:
        return ""
    return " ".join(words[:max_words]) + ("…" if len(words) > max_words else ".")


def routed(route: Route, help_: Optional[Help], e: Optional[OneEntrance]) -> str:
    """A short routed answer (≤ 60 words before the card): who, what in one sentence, the
    self-service link, and one line with the phone."""
    lines = [frame_for(route.task_id, _ROUTED_FRAMES).format(dept=route.department, task=route.task)]
    if route.description:
        lines.append(first_sentence(route.description))
    if route.self_service_url:
        lines.append(f"Søg digitalt: {route.self_service_url}")  # help with it: the card's help line
    if route.phone and e is not None:
        lines.append(f"Ring til {route.department} på {route.phone} eller {e.name} på {e.phone} ({e.status}).")
    elif route.phone:
        lines.append(f"Ring til {route.department} på {route.phone}.")
    else:
        lines.append(entrance_line(e))
    return "\n".join(lines)


def choices_question(alts: Sequence[Alternative], lead: str, either: str, fallback: str) -> str:
    """One question that names the choices ("Handler det om borde og stole på fortovet, at grave i
    vejen eller noget hos Politiet?"), or ``fallback`` when a choice has no phrase for it."""
    phrases = [a.ask_as for a in alts]
    if not phrases or not all(phrases):
        return fallback
    named = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + f" {either} " + phrases[-1]
    return f"{lead} {named}?"


def did_you_mean(alts: Sequence[Alternative], e: Optional[OneEntrance]) -> str:
    if not alts:
        return ("Jeg er ikke sikker på, hvem der kan hjælpe med det. "
                + entrance_line(e) + " Så finder vi den rigtige til dig.")
    question = choices_question(alts, "Handler det om", "eller", "Er det en af disse?")
    return (f"{question} Vælg en – eller skriv med et par ord mere, hvad I skal have lavet. " + entrance_line(e))


def not_that(alts: Sequence[Alternative], e: Optional[OneEntrance]) -> str:
    if not alts:
        return "Undskyld. Skriv gerne med andre ord, hvad I har brug for. " + entrance_line(e)
    question = choices_question(alts, "Handler det så om", "eller", "Handler det så om en af disse?")
    return f"Undskyld. {question} " + entrance_line(e)


def ask_person(e: Optional[OneEntrance]) -> str:
    if e is None:
        return "Ring til kommunens hovednummer, så hjælper en medarbejder dig."
    mail = f" eller skriv til {e.email}" if e.email else ""
    return (f"Du er velkommen til at tale med en medarbejder: ring til {e.name} på {e.phone}{mail}. "
            f"Telefonen er {e.status}. Åbningstider: {e.hours}.")


def opening_hours(e: Optional[OneEntrance]) -> str:
    if e is None:
        return "Ring til kommunens hovednummer."
    return f"{e.name} har telefon {e.phone} – {e.status}. Åbningstider: {e.hours}."


OTHER_CHOICES = "Handler det om noget andet, så vælg det herunder."


def external(a: AuthorityCard, e: Optional[OneEntrance], choices: bool = False) -> str:
    parts = [f"Det er ikke kommunen, men {a.name}, der tager sig af det. {a.description}".strip()]
    how = []
    if a.phone:
        how.append(f"tlf. {a.phone}")
    if a.url:
        how.append(a.url)
    if how:
        parts.append(f"Kontakt {a.name}: " + ", ".join(how) + ".")
    parts.append("Er du i tvivl, om noget også hører under kommunen? " + entrance_line(e))
    if choices:
        parts.append(OTHER_CHOICES)
    return "\n".join(parts)


def citizen(dep: Optional[Department], e: Optional[OneEntrance], choices: bool = False) -> str:
    more = " " + OTHER_CHOICES if choices else ""
    if dep is None:
        return "Det lyder som en personlig sag. Kontakt Borgerservice i din kommune." + more
    how = ", ".join(x for x in (f"tlf. {dep.phone}" if dep.phone else "", dep.url or "") if x)
    return (f"Det lyder som en personlig sag for en borger. Den hjælper {dep.name} med"
            + (f": {how}." if how else ".") + " Denne indgang er for virksomheder." + more)


def greeting(name: str, e: Optional[OneEntrance], municipality: str = "kommunen") -> str:
    if name == "goodbye":
        return "Tak for nu, og god dag! " + entrance_line(e)
    if name == "thanks":
        return "Det var så lidt. " + entrance_line(e)
    return (f"Hej! Jeg hjælper virksomheder med at finde den rette indgang til {municipality}. "
            "Skriv kort, hvad du har brug for – fx «udeservering foran caféen» eller «gravetilladelse».")


def capabilities(e: Optional[OneEntrance]) -> str:
    return ("Jeg er en digital assistent for virksomheder. Skriv, hvad din virksomhed har brug for fra kommunen – "
            "fx byggetilladelse, miljøtilsyn, gravetilladelse, udeservering, rekruttering eller en faktura – "
            "så finder jeg den afdeling, der tager sig af det. " + entrance_line(e))


def out_of_scope(e: Optional[OneEntrance], alts: Sequence[Alternative] = ()) -> str:
    if alts:  # probably not ours, but some task's words are there: the choices stay open
        question = choices_question(alts, "Handler det om", "eller", "Er det en af disse?")
        return ("Det lyder ikke som noget, kommunen hjælper virksomheder med. Hvis det alligevel er din "
                f"virksomheds sag: {question} " + entrance_line(e))
    return ("Det kan jeg desværre ikke hjælpe med. Jeg hjælper virksomheder med at finde den rette afdeling i kommunen, "
            "fx om tilladelser, miljø, veje, rekruttering og betaling. " + entrance_line(e))


def empty_input(e: Optional[OneEntrance]) -> str:
    return "Skriv gerne med et par ord, hvad din virksomhed har brug for hjælp til. " + entrance_line(e)


def texts_for(lang: str) -> ModuleType:
    """The wording module for an answer's language: this one for Danish, texts_en for English."""
    if lang == "en":
        from bot.routing import texts_en

        return texts_en
    if lang == "de":  # German has only the way to a person (texts_de.ask_person)
        from bot.routing import texts_de

        return texts_de
    return sys.modules[__name__]
