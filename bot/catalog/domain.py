"""The catalogue's entities: one frozen set used everywhere.

The loader builds them from the editors' files (YAML or a spreadsheet), the importer writes
them to the database, the queries read them back, the router answers from them and the staff
lookup and the published catalogue show them. The ORM models in :mod:`bot.catalog.models`
are only the storage layer and never leave :mod:`bot.catalog.queries`.

Opening hours are ``{"mon": ("08:00-15:00", …), …}``: weekday keys, "HH:MM-HH:MM" intervals.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any, Dict, Mapping, Optional, Tuple

from bot.catalog.kle import KleEntry

Hours = Dict[str, Tuple[str, ...]]
ONE_ENTRANCE = "one-entrance"  # the channel every answer refers to, unless the municipality names another


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    parent: Optional[str] = None
    description: str = ""
    phone: Optional[str] = None
    email: Optional[str] = None
    url: Optional[str] = None
    address: Optional[str] = None
    opening_hours: Hours = field(default_factory=dict)
    external: bool = True
    reply_time: Optional[str] = None  # typical reply time for e-mail and letters
    source: Optional[str] = None      # where its public facts were taken from (the municipality's page)
    verified: Optional[date] = None   # when they were last checked there; empty: not checked (sample data)


@dataclass(frozen=True)
class Contact:
    id: str
    name: str
    department_id: str
    title: str = ""
    phone: Optional[str] = None
    email: Optional[str] = None
    external: bool = False
    tasks: Tuple[str, ...] = ()  # task ids as the editor wrote them on the contact (the tasks also list it)


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    description: str
    kle: Tuple[str, ...]
    keywords: Tuple[str, ...]
    department: Department
    contacts: Tuple[Contact, ...] = ()  # in the public view: published contacts only
    self_service_url: Optional[str] = None
    external: bool = False
    # facts the chat answers follow-up questions from; None / () when the catalogue does not know
    fee: Optional[str] = None
    processing_time: Optional[str] = None
    documents: Tuple[str, ...] = ()
    legal_basis_url: Optional[str] = None
    related_tasks: Tuple[str, ...] = ()        # task ids (in the public view: public tasks only)
    related_authorities: Tuple[str, ...] = ()  # authority ids
    facts_note: Optional[str] = None           # e.g. "Gebyr og servicemål er eksempler"
    title_en: Optional[str] = None             # English wording, where the catalogue has it
    description_en: Optional[str] = None
    ask_as: Optional[str] = None               # the task in a clarifying question ("Handler det om …?")
    ask_as_en: Optional[str] = None

    def in_english(self, lang: str) -> bool:
        """Whether this task is shown in English for an answer in ``lang``."""
        return lang == "en" and bool(self.title_en)

    def title_in(self, lang: str) -> str:
        return self.title_en if self.in_english(lang) and self.title_en else self.title

    def description_in(self, lang: str) -> str:
        return (self.description_en or self.description) if self.in_english(lang) else self.description


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    phone: str
    short: Optional[str] = None
    email: Optional[str] = None
    url: Optional[str] = None
    description: str = ""
    opening_hours: Hours = field(default_factory=dict)
    open_on_holidays: bool = False
    source: Optional[str] = None
    verified: Optional[date] = None


@dataclass(frozen=True)
class Authority:
    id: str
    name: str
    description: str
    phone: Optional[str] = None
    url: Optional[str] = None
    topics: Tuple[str, ...] = ()
    email: Optional[str] = None
    address: Optional[str] = None
    opening_hours: Hours = field(default_factory=dict)  # empty if unknown
    reply_time: Optional[str] = None
    source: Optional[str] = None
    verified: Optional[date] = None


@dataclass(frozen=True)
class Municipality:
    """Who the assistant speaks for: everything municipality-specific lives here, not in code."""

    name: str                    # "Jammerbugt Kommune"
    switchboard: str             # the town hall's general number
    one_entrance: str = ONE_ENTRANCE            # the channel every answer refers to
    citizen_service: Optional[str] = None       # department id for private matters (Borgerservice)
    digital_help: Optional[str] = None          # channel id for help with self-service
    email: Optional[str] = None
    url: Optional[str] = None
    address: Optional[str] = None
    stop_words: Tuple[str, ...] = ()            # its own name in enquiries ("jammerbugt"): no topic
    source: Optional[str] = None                # where the public facts were taken from
    verified: Optional[date] = None             # when they were last checked there


@dataclass(frozen=True)
class Catalog:
    """One whole catalogue as the editors wrote it (all entities, internal ones included)."""

    version: str
    published: Optional[date]
    municipality: Municipality
    changes: Tuple[str, ...]
    departments: Tuple[Department, ...]
    tasks: Tuple[Task, ...]
    contacts: Tuple[Contact, ...]
    channels: Tuple[Channel, ...]
    authorities: Tuple[Authority, ...]
    topics: Dict[str, Tuple[str, ...]]
    kle: Dict[str, KleEntry] = field(repr=False)
    source_hash: str = ""
    warnings: Tuple[str, ...] = ()  # worth a look, but not wrong enough to stop an import

    def summary(self) -> str:
        return (
            f"{len(self.departments)} departments, {len(self.tasks)} tasks, "
            f"{len(self.contacts)} contacts, {len(self.authorities)} authorities"
        )

    def checked(self) -> str:
        """How much of the public contact information has been checked at its source."""
        parts = [f"{sum(1 for e in entities if e.verified)} of {len(entities)} {kind}"
                 for kind, entities in (("departments", self.departments), ("channels", self.channels),
                                        ("authorities", self.authorities))]
        return ("Checked at their source (source: and verified: set): " + ", ".join(parts)
                + (", the municipality" if self.municipality.verified else ", not the municipality")
                + ". The rest is sample data until an editor checks it.")


KINDS = ("departments", "tasks", "contacts", "channels", "authorities")


def record(entity: Any) -> Dict[str, Any]:
    """An entity as plain JSON-able fields (a task names its department and contacts by id)."""
    if isinstance(entity, Task):
        out = {f.name: getattr(entity, f.name) for f in fields(entity) if f.name not in ("department", "contacts")}
        out["department_id"] = entity.department.id
        out["contact_ids"] = [c.id for c in entity.contacts]
    else:
        out = asdict(entity)
    return {k: _plain(v) for k, v in out.items() if k != "id"}


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


def snapshot_of(catalog: Catalog, comment: str = "") -> Dict[str, Any]:
    """The whole catalogue as JSON-able dicts by kind and id: stored with each imported version
    so any two versions can be compared field by field (``python -m bot catalog diff``)."""
    out: Dict[str, Any] = {
        "version": catalog.version,
        "published": catalog.published.isoformat() if catalog.published else None,
        "comment": comment,
        "changes": list(catalog.changes),
        "municipality": record(catalog.municipality),
    }
    for kind in KINDS:
        out[kind] = {e.id: record(e) for e in getattr(catalog, kind)}
    # a contact's tasks as the catalogue has them (whichever side named them), sorted: what the
    # database holds too, so a snapshot read back from it compares equal
    for contact in out["contacts"].values():
        contact["tasks"] = []
    for task in catalog.tasks:
        for c in task.contacts:
            out["contacts"][c.id]["tasks"].append(task.id)
    for contact in out["contacts"].values():
        contact["tasks"].sort()
    out["topics"] = {intent: list(prefixes) for intent, prefixes in catalog.topics.items()}
    return out


def tel_href(phone: Optional[str]) -> str:
    """A phone number as a link: '72 57 73 00' -> 'tel:+4572577300' (Danish numbers have eight digits)."""
    raw = "".join(c for c in (phone or "") if c.isdigit() or c == "+")
    return f"tel:+45{raw}" if len(raw) == 8 and raw.isdigit() else f"tel:{raw}"


def hours_from(raw: Optional[Mapping[str, Any]]) -> Hours:
    return {day: tuple(ivs) for day, ivs in (raw or {}).items()}
