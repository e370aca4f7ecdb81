"""Follow-up questions about the task at hand: "hvad koster det?", "hvornår har de åbent?".

A conversation keeps its *focus*: the task (and so its department) or the authority of the last
answer. A follow-up is answered from that focus's facts in the catalogue, never from the model.
Without a focus the question is answered for the one-entrance phone where that makes sense
(hours, phone, e-mail, a person) and otherwise the user is asked what it concerns. A request
for a person, a call-back or an e-mail is never refused. Answers are in Danish or English; the
catalogue's facts are Danish and are shown as they are.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from bot.catalog.domain import Authority, Department, Task
from bot.hours import status as open_status
from bot.hours import weekly_text
from bot.language import DANISH, ENGLISH
from bot.routing.result import Alternative, AuthorityCard, IntentGuess, OneEntrance, RouteResult
from bot.routing.router import Door, Router, intent_ranking
from bot.routing.texts import texts_for

# Every follow-up kind the conversation answers, by the intent that asks it.
FOLLOW_UP_INTENTS = (
    "ask_cost", "ask_processing_time", "ask_documents", "ask_apply_online", "ask_phone", "ask_email",
    "ask_address", "ask_open_now", "opening_hours", "ask_related", "ask_legal_basis", "ask_callback",
    "ask_person", "complaint", "praise",
)
# Follow-ups that ask for a way to a person (answered even without a topic).
PERSON_FOLLOW_UPS = {"ask_phone", "ask_email", "ask_open_now", "opening_hours", "ask_callback", "ask_person",
                     "complaint", "praise"}
# Asked without a topic, these are answered for the one-entrance phone.
_ENTRANCE_ANSWERS = PERSON_FOLLOW_UPS | {"ask_address"}

# Intents that name no topic, and how plausible a topic intent must be to count in a follow-up.
NOT_TOPICS = {"greet", "goodbye", "thanks", "affirm", "deny", "ask_capabilities", "out_of_scope", "choose_task",
              "nlu_fallback"}
TOPIC_MIN = 0.15

PHRASES: Dict[str, Dict[str, str]] = {
    DANISH: {
        "call": "Ring til {name} på {phone}", "write": "Skriv til {name} på {email}.", "contact": "Kontakt {name}.",
        "no_fee": "Prisen står ikke i mit katalog.", "no_time": "Behandlingstiden står ikke i mit katalog.",
        "send": "Send gerne: {docs}.", "no_docs": "Det står ikke i mit katalog, hvad der skal sendes med.",
        "online": "Ja, det kan klares digitalt her: {url}", "site": "Se {name}s hjemmeside: {url}",
        "no_online": "Der er ingen digital ansøgning til det.", "or_write": " Eller skriv til {email}.",
        "contact_person": " Kontaktperson: {name}, tlf. {phone}.",
        "email": "Ja, skriv til {name} på {email}.", "address": "{name} har adresse {address}.",
        "meet": " Ring gerne først og aftal et møde.", "no_address": "Adressen står ikke i mit katalog.",
        "no_hours": "Jeg kender ikke {name}s telefontider.", "open_now": "{name}s telefon er {status}.",
        "hours": "{name} har telefontid {hours} – {status}.",
        "hours_phone": " Tlf. {phone}.",
        "related": "Husk også: {items}. Vælg en for at se, hvem der tager sig af det.",
        "no_related": "Jeg kender ikke til andet, I skal huske. Spørg gerne {name}:",
        "legal": "Reglerne står her: {url}", "no_legal": "Lovgrundlaget står ikke i mit katalog. {name} kan svare på det.",
        "callback": "Skriv til {email} med jeres telefonnummer og hvornår I kan tales ved, så ringer vi tilbage.",
        "person": "Du er velkommen til at tale med en medarbejder.",
        "complaint": "Det er jeg ked af at høre. Kontakt gerne sagsbehandleren eller lederen direkte:",
        "complain_how": " Er I uenige i en afgørelse, står det i afgørelsens klagevejledning, hvordan I klager.",
        "praise": "Tak, det bliver de glade for at høre! Send gerne rosen med navn på medarbejderen til {where}, så når den frem.",
        "which_case": "Hvilken sag drejer det sig om? Skriv kort, hvad I skal have lavet eller søge om, "
                      "så svarer jeg for den rette afdeling.",
        "entrance": "Ring til {name} på {phone} – {status}. Telefontid: {hours}.",
        "entrance_mail": " Du kan også skrive til {email}.",
        "praise_general": "Tak, det er dejligt at høre!",
        "praise_passed": "Tak, det bliver de glade for at høre! Jeg har givet rosen videre til {name}.",
        "praise_passed_general": "Tak, det er dejligt at høre! Jeg har givet rosen videre, så den når frem til "
                                 "den rette afdeling.",
        "complaint_general": "Det er jeg ked af at høre. Fortæl mig gerne, hvad sagen drejer sig om, så finder jeg "
                             "den rette afdeling – eller ring til {name} på {phone} ({status}).",
        "note": " ({note})", "danish": "",
        "which_of": "Hvilken af dem drejer det sig om? Vælg en, så svarer jeg for den.",
    },
    ENGLISH: {
        "call": "Call {name} on +45 {phone}", "write": "Write to {name} at {email}.", "contact": "Contact {name}.",
        "no_fee": "The price is not in my catalogue.", "no_time": "The processing time is not in my catalogue.",
        "send": "Please send: {docs}.", "no_docs": "My catalogue does not say what to send along.",
        "online": "Yes, you can do it online here: {url}", "site": "See {name}'s website: {url}",
        "no_online": "There is no online application for it.", "or_write": " Or write to {email}.",
        "contact_person": " Contact person: {name}, phone +45 {phone}.",
        "email": "Yes, write to {name} at {email}.", "address": "{name}'s address is {address}.",
        "meet": " Please call first to book a meeting.", "no_address": "The address is not in my catalogue.",
        "no_hours": "I don't know {name}'s phone hours.", "open_now": "{name}'s phone is {status}.",
        "hours": "{name}'s phone hours: {hours} – {status}.",
        "hours_phone": " Phone +45 {phone}.",
        "related": "Remember also: {items}. Pick one to see who handles it.",
        "no_related": "I don't know of anything else you need. Ask {name}:",
        "legal": "The rules are here: {url}", "no_legal": "The legal basis is not in my catalogue. {name} can tell you.",
        "callback": "Write to {email} with your phone number and when you can talk, and we will call you back.",
        "person": "You're welcome to talk to a person.",
        "complaint": "I'm sorry to hear that. Please contact the case officer or the manager directly:",
        "complain_how": " If you disagree with a decision, its complaints guidance (klagevejledning) says how to appeal.",
        "praise": "Thank you, they will be glad to hear it! Please send your praise with the employee's name to {where}.",
        "which_case": "Which matter is it about? Tell me briefly what you need to do or apply for, and I'll "
                      "answer for the right department.",
        "entrance": "Call {name} on +45 {phone} – {status}. Phone hours: {hours}.",
        "entrance_mail": " You can also write to {email}.",
        "praise_general": "Thank you, that's good to hear!",
        "praise_passed": "Thank you, they will be glad to hear it! I have passed your praise on to {name}.",
        "praise_passed_general": "Thank you, that's good to hear! I have passed your praise on so that it reaches "
                                 "the right department.",
        "complaint_general": "I'm sorry to hear that. Tell me what the matter is about and I'll find the right "
                             "department – or call {name} on +45 {phone} ({status}).",
        "note": " ({note})", "danish": " (in Danish)",
        "which_of": "Which of these is it about? Pick one and I'll answer for it.",
    },
}


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
    hours: Mapping[str, Tuple[str, ...]]
    reply_time: Optional[str]


def _unit_of_department(d: Department) -> _Unit:
    return _Unit(d.name, d.phone, d.email, d.address, d.url, d.opening_hours or {}, d.reply_time)


def _unit_of_authority(a: Authority) -> _Unit:
    return _Unit(a.name, a.phone, a.email, a.address, a.url, a.opening_hours or {}, a.reply_time)


@dataclass(frozen=True)
class _Ask:
    """One follow-up being answered: the focus task (if any), its unit, the time and language."""

    task: Optional[Task]
    unit: _Unit
    entrance: Optional[OneEntrance]
    now: datetime
    lang: str
    passed_on: bool = False  # praise: the action has kept it for the department (bot.inbox)

    @property
    def p(self) -> Dict[str, str]:
        return PHRASES[self.lang]


class FollowUps:
    """Answers follow-up questions for one router (its catalogue snapshot and view)."""

    def __init__(self, router: Router):
        self.router = router
        self._handlers: Dict[str, Callable[[_Ask], str]] = {
            "ask_cost": self._cost, "ask_processing_time": self._time, "ask_documents": self._documents,
            "ask_apply_online": self._apply, "ask_phone": self._phone, "ask_email": self._email,
            "ask_address": self._address, "ask_open_now": self._open_now, "opening_hours": self._hours,
            "ask_related": self._related, "ask_legal_basis": self._legal, "ask_callback": self._callback,
            "ask_person": self._person, "complaint": self._complaint, "praise": self._praise,
        }

    # ---- entry points ---------------------------------------------------------------------
    def answer(self, intent: str, focus: Focus, now: datetime, lang: str = DANISH, passed_on: bool = False
               ) -> RouteResult:
        """The answer to follow-up ``intent`` about ``focus`` at ``now``; ``passed_on``: praise that the
        caller has kept for the department (the answer then says so)."""
        if intent not in self._handlers:
            raise ValueError(f"not a follow-up intent: {intent!r}; known: {', '.join(FOLLOW_UP_INTENTS)}")
        lang = lang if lang in PHRASES else DANISH
        entrance = self.router.one_entrance(now, lang)
        make = self.router.answers(IntentGuess(intent, 1.0), entrance, 1.0, lang)
        task = self.router.task(focus.task_id) if focus.task_id else None
        authority = self.router.snapshot.authorities.get(focus.authority_id) if focus.authority_id else None
        if task is not None:
            ask = _Ask(task, _unit_of_department(task.department), entrance, now, lang, passed_on)
            return make("follow_up", self._handlers[intent](ask), route=self.router.route_of(task, lang),
                        alternatives=self._related_alternatives(task, lang) if intent == "ask_related" else ())
        if authority is not None:
            ask = _Ask(None, _unit_of_authority(authority), entrance, now, lang)
            card = AuthorityCard(authority.id, authority.name, authority.description, authority.phone, authority.url)
            return make("follow_up", self._handlers[intent](ask), authority=card)
        kind = "one_entrance" if intent in _ENTRANCE_ANSWERS else "follow_up"
        return make(kind, self._without_focus(intent, entrance, lang, passed_on))

    def topic_in(self, text: str, nlu: Mapping[str, Any], now: datetime) -> Optional[Focus]:
        """The topic a follow-up names itself ("hvad koster en byggetilladelse?"), if any: the
        message's ranking without the follow-up intents, when what is left is plausible and the
        words match the task, routed as an enquiry. None for "hvad koster det?"."""
        ranking = [(n, c) for n, c in intent_ranking(nlu) if n not in FOLLOW_UP_INTENTS and n not in NOT_TOPICS]
        if not ranking or ranking[0][1] < TOPIC_MIN:
            return None
        total = sum(c for _n, c in ranking)
        renormed = [{"name": n, "confidence": c / total} for n, c in ranking]
        scored = self.router.score_tasks(text, [(n, c / total) for n, c in ranking])  # once, for both uses
        result = self.router.route(text, {"intent": renormed[0], "intent_ranking": renormed}, now, scored=scored)
        if result.kind == "route" and result.route:
            words = next((s.keyword_part for s in scored if s.task.id == result.route.task_id), 0.0)
            if words > 0.0:
                return Focus(task_id=result.route.task_id)
        if result.kind == "external" and result.authority:
            return Focus(authority_id=result.authority.id)
        return None

    def which_of(self, text: str, nlu: Mapping[str, Any], now: datetime, lang: str = DANISH) -> RouteResult:
        """A question about "it" while "Er det en af disse?" is open: the same choices again."""
        return self._choices("which_of", text, nlu, None, now, lang,
                             lambda alts, e: PHRASES[lang]["which_of"] + " " + texts_for(lang).entrance_line(e))

    def not_that(self, text: str, nlu: Mapping[str, Any], focus: Focus, now: datetime,
                 lang: str = DANISH) -> RouteResult:
        """ "Nej, det var ikke det": the enquiry's other plausible doors, without the one given."""
        given = focus.task_id or (Door("authority", focus.authority_id).choice if focus.authority_id else None)
        return self._choices("deny", text, nlu, given, now, lang, texts_for(lang).not_that)

    def _choices(self, intent: str, text: str, nlu: Mapping[str, Any], without: Optional[str], now: datetime,
                 lang: str, wording: Callable[[Tuple[Alternative, ...], Optional[OneEntrance]], str]) -> RouteResult:
        """An answer offering the enquiry's plausible doors (up to three, ``without`` one) as choices."""
        entrance = self.router.one_entrance(now, lang)
        alts: Tuple[Alternative, ...] = ()
        if text:
            routed = self.router.route(text, nlu, now, lang=lang)
            alts = tuple(a for a in routed.alternatives if a.task_id != without)[:3]
        make = self.router.answers(IntentGuess(intent, 1.0), entrance, 1.0, lang)
        return make("one_entrance", wording(alts, entrance), alternatives=alts)

    # ---- the facts ---------------------------------------------------------------------------
    def _status(self, ask: _Ask) -> Optional[str]:
        if not ask.unit.hours:
            return None
        return open_status(ask.unit.hours, ask.now, self.router.timezone).phrase(ask.lang)

    def _reach(self, ask: _Ask) -> str:
        """One line: how to reach the unit by phone, worded right when closed."""
        u, p = ask.unit, ask.p
        if not u.phone:
            return p["write"].format(name=u.name, email=u.email) if u.email else p["contact"].format(name=u.name)
        st = self._status(ask)
        return p["call"].format(name=u.name, phone=u.phone) + (f" ({st})." if st else ".")

    def _fact(self, ask: _Ask, value: Optional[str], missing: str) -> str:
        if value:  # the fact, and still the way to a person who can say more
            return f"{value}{self._note(ask)}. {self._reach(ask)}".replace(".. ", ". ")
        return f"{ask.p[missing]} {self._reach(ask)}"

    def _note(self, ask: _Ask) -> str:
        note = ask.task.facts_note if ask.task else None
        return (ask.p["note"].format(note=note) if note else "") + ask.p["danish"]

    def _cost(self, ask: _Ask) -> str:
        return self._fact(ask, ask.task.fee if ask.task else None, "no_fee")

    def _time(self, ask: _Ask) -> str:
        return self._fact(ask, ask.task.processing_time if ask.task else None, "no_time")

    def _documents(self, ask: _Ask) -> str:
        docs = ask.task.documents if ask.task else ()
        if docs:
            return ask.p["send"].format(docs="; ".join(docs)).rstrip(".") + self._note(ask) + ".\n" + self._reach(ask)
        return f"{ask.p['no_docs']} {self._reach(ask)}"

    def _apply(self, ask: _Ask) -> str:
        u, p = ask.unit, ask.p
        if ask.task and ask.task.self_service_url:
            return p["online"].format(url=ask.task.self_service_url)
        if ask.task is None and u.url:
            return p["site"].format(name=u.name, url=u.url)
        return f"{p['no_online']} {self._reach(ask)}" + (p["or_write"].format(email=u.email) if u.email else "")

    def _phone(self, ask: _Ask) -> str:
        contact = next((c for c in ask.task.contacts if c.phone), None) if ask.task else None
        text = self._reach(ask)
        if contact:
            text += ask.p["contact_person"].format(name=contact.name, phone=contact.phone)
        return text

    def _email(self, ask: _Ask) -> str:
        u = ask.unit
        if u.email:
            return ask.p["email"].format(name=u.name, email=u.email) + (f" {u.reply_time}." if u.reply_time else "")
        if ask.entrance and ask.entrance.email:
            return ask.p["entrance_mail"].format(email=ask.entrance.email).strip()
        return self._reach(ask)

    def _address(self, ask: _Ask) -> str:
        u = ask.unit
        if u.address:
            return ask.p["address"].format(name=u.name, address=u.address) + ask.p["meet"] + " " + self._reach(ask)
        return f"{ask.p['no_address']} {self._reach(ask)}"

    def _open_now(self, ask: _Ask) -> str:
        st = self._status(ask)
        if st is None:
            return f"{ask.p['no_hours'].format(name=ask.unit.name)} {self._reach(ask)}"
        return ask.p["open_now"].format(name=ask.unit.name, status=st) + (f" ({ask.unit.phone})" if ask.unit.phone else "")

    def _hours(self, ask: _Ask) -> str:
        if not ask.unit.hours:
            return f"{ask.p['no_hours'].format(name=ask.unit.name)} {self._reach(ask)}"
        return (ask.p["hours"].format(name=ask.unit.name, hours=weekly_text(ask.unit.hours, ask.lang),
                                      status=self._status(ask))
                + (ask.p["hours_phone"].format(phone=ask.unit.phone) if ask.unit.phone else ""))

    def _related(self, ask: _Ask) -> str:
        alts = self._related_alternatives(ask.task, ask.lang) if ask.task else []
        if not alts:
            return f"{ask.p['no_related'].format(name=ask.unit.name)} {self._reach(ask)}"
        return ask.p["related"].format(items="; ".join(a.task for a in alts))

    def _legal(self, ask: _Ask) -> str:
        url = ask.task.legal_basis_url if ask.task else None
        if url:
            return ask.p["legal"].format(url=url) + "\n" + self._reach(ask)
        return f"{ask.p['no_legal'].format(name=ask.unit.name)} {self._reach(ask)}"

    def _callback(self, ask: _Ask) -> str:
        # Call-back requests are not stored yet (issue 12): never refuse, give the ways to reach a person.
        mail = ask.unit.email or (ask.entrance.email if ask.entrance else None)
        return self._reach(ask) + (" " + ask.p["callback"].format(email=mail) if mail else "")

    def _person(self, ask: _Ask) -> str:
        contact = next((c for c in ask.task.contacts if c.phone), None) if ask.task else None
        who = ask.p["contact_person"].format(name=contact.name, phone=contact.phone) if contact else ""
        return ask.p["person"] + who + " " + self._callback(ask)

    def _complaint(self, ask: _Ask) -> str:
        u = ask.unit
        return (ask.p["complaint"] + " " + self._reach(ask)
                + (" " + ask.p["write"].format(name=u.name, email=u.email) if u.email else "") + ask.p["complain_how"])

    def _praise(self, ask: _Ask) -> str:
        u = ask.unit
        if ask.passed_on:
            return ask.p["praise_passed"].format(name=u.name)
        where = f"{u.name}, {u.email}" if u.email else u.name
        return ask.p["praise"].format(where=where)

    # ---- helpers -------------------------------------------------------------------------------
    def _related_alternatives(self, task: Task, lang: str) -> List[Alternative]:
        out: List[Alternative] = []
        for tid in task.related_tasks:
            t = self.router.task(tid)
            if t is not None:
                out.append(self.router.alternative_of(t, lang))
        for aid in task.related_authorities:
            alt = self.router.door_alternative(Door("authority", aid), lang)
            if alt is not None:
                out.append(alt)
        return out

    def _without_focus(self, intent: str, e: Optional[OneEntrance], lang: str, passed_on: bool = False) -> str:
        p = PHRASES[lang]
        if intent == "praise" and passed_on:
            return p["praise_passed_general"]
        if e is None:
            return p["which_case"]
        if intent not in _ENTRANCE_ANSWERS:  # every answer keeps a way to a person
            return p["which_case"] + " " + p["entrance"].format(name=e.name, phone=e.phone, status=e.status,
                                                                hours=e.hours)
        mail = p["entrance_mail"].format(email=e.email) if e.email else ""
        if intent == "praise":
            return p["praise_general"] + mail
        if intent == "complaint":
            return p["complaint_general"].format(name=e.name, phone=e.phone, status=e.status) + mail
        return p["entrance"].format(name=e.name, phone=e.phone, status=e.status, hours=e.hours) + mail
