"""Follow-up questions about the task at hand: "hvad koster det?", "hvornår har de åbent?".

A conversation keeps its *focus*: the task (and so its department) or the authority of the last
answer. A follow-up is answered from that focus's facts in the catalogue, never from the model.
Without a focus the question is answered for the one-entrance phone where that makes sense
(hours, phone, e-mail, a person) and otherwise the user is asked what it concerns. A request
for a person, a call-back or an e-mail is never refused.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Dict, List, Optional, Tuple

from bot.catalog.queries import AuthorityInfo, DepartmentInfo, TaskInfo
from bot.hours import status as open_status
from bot.hours import weekly_text
from bot.routing.result import Alternative, AuthorityCard, IntentGuess, OneEntrance, RouteResult
from bot.routing import texts
from bot.routing.router import Router

# Every follow-up kind the conversation answers, by the intent that asks it.
FOLLOW_UP_INTENTS = (
    "ask_cost", "ask_processing_time", "ask_documents", "ask_apply_online", "ask_phone", "ask_email",
    "ask_address", "ask_open_now", "opening_hours", "ask_related", "ask_legal_basis", "ask_callback",
    "ask_person", "complaint", "praise",
)


@dataclass(frozen=True)
class Focus:
    """What the conversation is about now: a catalogue task or an external authority."""

    task_id: Optional[str] = None
    authority_id: Optional[str] = None

    @property
    def empty(self) -> bool:
        return not (self.task_id or self.authority_id)


@dataclass(frozen=True)
class _Unit:
    """Whoever answers for the focus: a department (through its task) or an authority."""

    name: str
    phone: Optional[str]
    email: Optional[str]
    address: Optional[str]
    url: Optional[str]
    hours: Dict[str, Tuple[str, ...]]
    reply_time: Optional[str]


def _unit_of_department(d: DepartmentInfo) -> _Unit:
    return _Unit(d.name, d.phone, d.email, d.address, d.url, d.opening_hours or {}, getattr(d, "reply_time", None))


def _unit_of_authority(a: AuthorityInfo) -> _Unit:
    return _Unit(a.name, a.phone, getattr(a, "email", None), getattr(a, "address", None), a.url,
                 getattr(a, "opening_hours", None) or {}, getattr(a, "reply_time", None))


class FollowUps:
    """Answers follow-up questions for one router (its catalogue snapshot and view)."""

    def __init__(self, router: Router):
        self.router = router
        self._handlers: Dict[str, Callable[[Optional[TaskInfo], _Unit, OneEntrance, datetime], str]] = {
            "ask_cost": self._cost, "ask_processing_time": self._time, "ask_documents": self._documents,
            "ask_apply_online": self._apply, "ask_phone": self._phone, "ask_email": self._email,
            "ask_address": self._address, "ask_open_now": self._open_now, "opening_hours": self._hours,
            "ask_related": self._related, "ask_legal_basis": self._legal, "ask_callback": self._callback,
            "ask_person": self._person, "complaint": self._complaint, "praise": self._praise,
        }

    # ---- entry point ------------------------------------------------------------------
    def answer(self, intent: str, focus: Focus, now: datetime) -> RouteResult:
        """The answer to follow-up ``intent`` about ``focus`` at ``now``."""
        if intent not in self._handlers:
            raise ValueError(f"not a follow-up intent: {intent!r}; known: {', '.join(FOLLOW_UP_INTENTS)}")
        entrance = self.router.one_entrance(now)
        make = self.router._answers(IntentGuess(intent, 1.0), entrance, 1.0)
        task = self.router.task(focus.task_id) if focus.task_id else None
        authority = self.router.snapshot.authorities.get(focus.authority_id) if focus.authority_id else None
        if task is not None:
            unit = _unit_of_department(task.department)
            text = self._handlers[intent](task, unit, entrance, now)
            return make("follow_up", text, route=self.router._route_of(task),
                        alternatives=self._related_alternatives(task) if intent == "ask_related" else ())
        if authority is not None:
            unit = _unit_of_authority(authority)
            card = AuthorityCard(authority.id, authority.name, authority.description, authority.phone, authority.url)
            return make("follow_up", self._handlers[intent](None, unit, entrance, now), authority=card)
        return make("one_entrance" if intent in _ENTRANCE_ANSWERS else "follow_up",
                    self._without_focus(intent, entrance))

    def not_that(self, text: str, nlu, focus: Focus, now: datetime) -> RouteResult:
        """ "Nej, det var ikke det": the enquiry's other plausible doors, without the one given."""
        entrance = self.router.one_entrance(now)
        make = self.router._answers(IntentGuess("deny", 1.0), entrance, 1.0)
        given = focus.task_id or (f"authority:{focus.authority_id}" if focus.authority_id else None)
        alts: Tuple[Alternative, ...] = ()
        if text:
            result = self.router.route(text, nlu, now)
            alts = tuple(a for a in result.alternatives if a.task_id != given)[:3]
        if alts:
            return make("one_entrance", texts.not_that(alts, entrance), alternatives=alts)
        return make("one_entrance", texts.not_that((), entrance))

    # ---- the facts ---------------------------------------------------------------------
    def _status(self, unit: _Unit, now: datetime) -> Optional[str]:
        if not unit.hours:
            return None
        st = open_status(unit.hours, now, self.router.timezone)
        return st.danish()

    def _reach(self, unit: _Unit, now: datetime) -> str:
        """One line: how to reach the unit by phone, worded right when closed."""
        if not unit.phone:
            return f"Skriv til {unit.name} på {unit.email}." if unit.email else f"Kontakt {unit.name}."
        st = self._status(unit, now)
        return f"Ring til {unit.name} på {unit.phone}" + (f" ({st})." if st else ".")

    def _cost(self, task, unit, e, now) -> str:
        fee = getattr(task, "fee", None) if task else None
        if fee:
            return f"{fee}{_note(task)}"
        return f"Prisen står ikke i mit katalog. {self._reach(unit, now)}"

    def _time(self, task, unit, e, now) -> str:
        t = getattr(task, "processing_time", None) if task else None
        if t:
            return f"{t}{_note(task)}"
        return f"Behandlingstiden står ikke i mit katalog. {self._reach(unit, now)}"

    def _documents(self, task, unit, e, now) -> str:
        docs = tuple(getattr(task, "documents", ()) or ()) if task else ()
        if docs:
            return "Send gerne: " + "; ".join(docs) + "." + _note(task)
        return f"Det står ikke i mit katalog, hvad der skal sendes med. {self._reach(unit, now)}"

    def _apply(self, task, unit, e, now) -> str:
        url = task.self_service_url if task else None
        if url:
            return f"Ja, det kan klares digitalt her: {url}"
        if unit.url and task is None:
            return f"Se {unit.name}s hjemmeside: {unit.url}"
        return f"Der er ingen digital ansøgning til det. {self._reach(unit, now)}" + (
            f" Eller skriv til {unit.email}." if unit.email else "")

    def _phone(self, task, unit, e, now) -> str:
        contact = next((c for c in task.contacts if c.phone), None) if task else None
        text = self._reach(unit, now)
        if contact:
            text += f" Kontaktperson: {contact.name}, tlf. {contact.phone}."
        return text

    def _email(self, task, unit, e, now) -> str:
        if unit.email:
            return f"Ja, skriv til {unit.name} på {unit.email}." + (f" {unit.reply_time}." if unit.reply_time else "")
        return _entrance_mail(e) or self._reach(unit, now)

    def _address(self, task, unit, e, now) -> str:
        if unit.address:
            return f"{unit.name} har adresse {unit.address}. Ring gerne først og aftal et møde: {unit.phone or ''}".rstrip(": ")
        return f"Adressen står ikke i mit katalog. {self._reach(unit, now)}"

    def _open_now(self, task, unit, e, now) -> str:
        st = self._status(unit, now)
        if st is None:
            return f"Jeg kender ikke {unit.name}s telefontider. {self._reach(unit, now)}"
        return f"{unit.name}s telefon er {st}" + (f": {unit.phone}." if unit.phone else ".")

    def _hours(self, task, unit, e, now) -> str:
        if not unit.hours:
            return f"Jeg kender ikke {unit.name}s telefontider. {self._reach(unit, now)}"
        return f"{unit.name} har telefontid {weekly_text(unit.hours)} – {self._status(unit, now)}."

    def _related(self, task, unit, e, now) -> str:
        alts = self._related_alternatives(task) if task else []
        if not alts:
            return f"Jeg kender ikke til andet, I skal huske. Spørg gerne {unit.name}: {self._reach(unit, now)}"
        return "Husk også: " + "; ".join(a.task for a in alts) + ". Vælg en for at se, hvem der tager sig af det."

    def _legal(self, task, unit, e, now) -> str:
        url = getattr(task, "legal_basis_url", None) if task else None
        if url:
            return f"Reglerne står her: {url}"
        return f"Lovgrundlaget står ikke i mit katalog. {unit.name} kan svare på det. {self._reach(unit, now)}"

    def _callback(self, task, unit, e, now) -> str:
        # Call-back requests are not taken yet (issue 12): never refuse, give the ways to reach a person.
        parts = [self._reach(unit, now)]
        mail = unit.email or (e.email if e else None)
        if mail:
            parts.append(f"Eller skriv til {mail} med jeres telefonnummer og hvornår I kan tales ved, så ringer vi tilbage.")
        return " ".join(parts)

    def _person(self, task, unit, e, now) -> str:
        return "Du er velkommen til at tale med en medarbejder. " + self._callback(task, unit, e, now)

    def _complaint(self, task, unit, e, now) -> str:
        return ("Det er jeg ked af at høre. Kontakt gerne sagsbehandleren eller lederen direkte: "
                + self._reach(unit, now) + (f" Skriv til {unit.email}." if unit.email else "")
                + " Er I uenige i en afgørelse, står det i afgørelsens klagevejledning, hvordan I klager.")

    def _praise(self, task, unit, e, now) -> str:
        where = f" til {unit.name} på {unit.email}" if unit.email else f" til {unit.name}"
        return f"Tak, det bliver de glade for at høre! Send gerne rosen med navn på medarbejderen{where}, så når den frem."

    # ---- helpers -------------------------------------------------------------------------
    def _related_alternatives(self, task: TaskInfo) -> List[Alternative]:
        out: List[Alternative] = []
        for tid in getattr(task, "related_tasks", ()) or ():
            t = self.router.task(tid)
            if t is not None:
                out.append(Alternative(t.id, t.title, t.kle, t.department.name))
        for aid in getattr(task, "related_authorities", ()) or ():
            alt = self.router._door_alt("authority:" + aid)
            if alt is not None:
                out.append(alt)
        return out

    def _without_focus(self, intent: str, e: Optional[OneEntrance]) -> str:
        if intent in _ENTRANCE_ANSWERS and e is not None:
            mail = _entrance_mail(e)
            if intent == "praise":
                return "Tak, det er dejligt at høre! " + (mail or "")
            if intent == "complaint":
                return ("Det er jeg ked af at høre. Fortæl mig gerne, hvad sagen drejer sig om, så finder jeg den rette "
                        f"afdeling – eller ring til {e.name} på {e.phone} ({e.status}). " + (mail or ""))
            return (f"Ring til {e.name} på {e.phone} – {e.status}. Telefontid: {e.hours}. " + (mail or "")).strip()
        return ("Hvilken sag drejer det sig om? Skriv kort, hvad I skal have lavet eller søge om, "
                "så svarer jeg for den rette afdeling.")


_ENTRANCE_ANSWERS = {"ask_phone", "ask_email", "ask_open_now", "opening_hours", "ask_callback", "ask_person",
                     "ask_address", "complaint", "praise"}


def _note(task: TaskInfo) -> str:
    note = getattr(task, "facts_note", None)
    return f" ({note})" if note else ""


def _entrance_mail(e: Optional[OneEntrance]) -> Optional[str]:
    if e is None or not e.email:
        return None
    return f"Du kan også skrive til {e.email}."
