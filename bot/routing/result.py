"""The routing answer: one shape for the chat payload, the staff lookup and `bot route`."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, Optional, Sequence, Tuple

if TYPE_CHECKING:
    from bot.catalog.domain import Task

def _flat(card: Any) -> Optional[Dict[str, Any]]:
    """A card whose fields are plain values, as a dict (None stays None)."""
    return dict(vars(card)) if card is not None else None


KINDS = ("route", "one_entrance", "external", "citizen", "out_of_scope", "greeting", "smalltalk", "follow_up")
# Answers that name one door as *the* answer (rather than offering choices or the phone).
DOOR_KINDS = ("route", "external", "citizen")
# Answers whose alternatives are choices offered *instead of* an answer: "Mente du …?", and "that does
# not sound like ours, but is it one of these?" (out of scope with the tasks the words point at).
ASKING_KINDS = ("one_entrance", "out_of_scope")


def asks(kind: str, alternatives: Sequence[Any]) -> bool:
    """Does an answer of this kind with these alternatives ask the user to choose?"""
    return kind in ASKING_KINDS and bool(alternatives)


@dataclass(frozen=True)
class IntentGuess:
    name: Optional[str]
    confidence: float


@dataclass(frozen=True)
class ContactCard:
    name: str
    title: str
    phone: Optional[str]
    email: Optional[str]
    external: bool = True  # published; only the staff view shows contacts that are not


@dataclass(frozen=True)
class Route:
    task_id: str
    task: str
    description: str
    kle: Tuple[str, ...]
    department: str
    department_id: str
    phone: Optional[str]
    email: Optional[str]
    url: Optional[str]
    address: Optional[str]
    self_service_url: Optional[str]
    contact: Optional[ContactCard]
    contacts: Tuple[ContactCard, ...] = ()
    # the task's facts from the catalogue (None / () when unknown): shown in the card
    fee: Optional[str] = None
    processing_time: Optional[str] = None
    documents: Tuple[str, ...] = ()
    legal_basis_url: Optional[str] = None
    facts_note: Optional[str] = None
    language: str = "da"  # the language of ``task`` and ``description`` (the catalogue is Danish)
    external: bool = True  # a published task; only the staff view shows tasks that are not

    @classmethod
    def of(cls, task: "Task", lang: str = "da") -> "Route":
        """The answer card for a catalogue task; title and description in English where the catalogue has them."""
        cards = tuple(ContactCard(c.name, c.title, c.phone, c.email, c.external) for c in task.contacts)
        d = task.department
        return cls(task.id, task.title_in(lang), task.description_in(lang), task.kle, d.name, d.id, d.phone,
                   d.email, d.url, d.address, task.self_service_url, cards[0] if cards else None, cards,
                   task.fee, task.processing_time, task.documents, task.legal_basis_url, task.facts_note,
                   language="en" if task.in_english(lang) else "da", external=task.external)

    def to_dict(self) -> Dict[str, Any]:
        d = dict(vars(self))  # flat fields; the nested cards below (dataclasses.asdict is ~10x slower)
        d["kle"], d["documents"] = list(self.kle), list(self.documents)
        d["contact"] = _flat(self.contact)
        d["contacts"] = [_flat(c) for c in self.contacts]
        return d


@dataclass(frozen=True)
class Alternative:
    """One "Mente du …?" choice: a catalogue task, or a door outside the municipality's
    business services (an external authority, Borgerservice for a private matter).

    ``task_id`` is what a button sends back: the task's id, ``authority:<id>`` or ``citizen``.
    """

    task_id: str
    task: str
    kle: Tuple[str, ...]
    department: str
    kind: str = "route"              # "route" (a task), "external" or "citizen"
    authority_id: Optional[str] = None
    ask_as: Optional[str] = None     # how the clarifying question names it ("borde og stole på fortovet")


@dataclass(frozen=True)
class AuthorityCard:
    id: str
    name: str
    description: str
    phone: Optional[str]
    url: Optional[str]


@dataclass(frozen=True)
class OneEntrance:
    name: str
    phone: str
    short: Optional[str]
    email: Optional[str]
    open_now: bool
    next_open: Optional[str]  # ISO time, when closed
    status: str               # Danish phrase, e.g. "åben nu til kl. 15.00"
    hours: str                # weekly hours in Danish


@dataclass(frozen=True)
class Help:
    """Help for using a self-service solution (the digital hotline)."""

    name: str
    phone: str
    open_now: bool
    status: str


@dataclass(frozen=True)
class RouteResult:
    text: str
    kind: str
    intent: IntentGuess
    route: Optional[Route]
    alternatives: Tuple[Alternative, ...]
    authority: Optional[AuthorityCard]
    one_entrance: Optional[OneEntrance]
    help: Optional[Help] = None
    confidence: float = 0.0
    catalog_version: Optional[str] = None
    language: str = "da"      # the answer's language: "da", "en" or "de"

    def to_dict(self) -> Dict[str, Any]:
        d = dict(vars(self))  # by hand: dataclasses.asdict deep-copies and was most of a staff lookup
        d["intent"] = _flat(self.intent)
        d["route"] = self.route.to_dict() if self.route else None
        d["alternatives"] = [dict(vars(a), kle=list(a.kle)) for a in self.alternatives]
        for key in ("authority", "one_entrance", "help"):
            d[key] = _flat(getattr(self, key))
        d["confidence"] = round(self.confidence, 3)
        d["intent"]["confidence"] = round(self.intent.confidence, 3)
        return d

