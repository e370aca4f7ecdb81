"""Read the catalogue. Returns small frozen dataclasses, never ORM rows.

``public=True`` is the external catalogue: only external tasks and departments, and only
contacts the municipality publishes. Every public surface (chat, public API) calls with
``public=True``; only the logged-in staff page asks for the internal view.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Collection, Dict, List, Optional, Tuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from bot.catalog.db import ensure_schema, session_factory
from bot.catalog.models import Authority, CatalogVersion, Channel, Contact, Department, KleTopic, Task, Topic


@dataclass(frozen=True)
class DepartmentInfo:
    id: str
    name: str
    description: str
    phone: Optional[str]
    email: Optional[str]
    url: Optional[str]
    address: Optional[str]
    opening_hours: Dict[str, Tuple[str, ...]]
    external: bool
    reply_time: Optional[str] = None


@dataclass(frozen=True)
class ContactInfo:
    id: str
    name: str
    title: str
    department_id: str
    phone: Optional[str]
    email: Optional[str]
    external: bool


@dataclass(frozen=True)
class TaskInfo:
    id: str
    title: str
    description: str
    kle: Tuple[str, ...]
    keywords: Tuple[str, ...]
    department: DepartmentInfo
    self_service_url: Optional[str]
    external: bool
    contacts: Tuple[ContactInfo, ...]
    # facts for follow-up questions; None / () when the catalogue does not know
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
class ChannelInfo:
    id: str
    name: str
    phone: str
    short: Optional[str]
    email: Optional[str]
    url: Optional[str]
    description: str
    opening_hours: Dict[str, Tuple[str, ...]]
    open_on_holidays: bool


@dataclass(frozen=True)
class AuthorityInfo:
    id: str
    name: str
    description: str
    phone: Optional[str]
    url: Optional[str]
    topics: Tuple[str, ...]
    email: Optional[str] = None
    address: Optional[str] = None
    opening_hours: Dict[str, Tuple[str, ...]] = field(default_factory=dict)  # empty if unknown
    reply_time: Optional[str] = None


@dataclass(frozen=True)
class VersionInfo:
    id: int
    version: str
    published: Optional[str]
    imported_at: str
    changes: Tuple[str, ...]
    diff: Dict[str, Dict[str, List[str]]]


@dataclass(frozen=True)
class CatalogSnapshot:
    """Everything the router needs, read in one short session."""

    version: Optional[VersionInfo]
    public: bool
    tasks: Tuple[TaskInfo, ...]
    channels: Dict[str, ChannelInfo]
    authorities: Dict[str, AuthorityInfo]
    topics: Dict[str, Tuple[str, ...]]
    kle: Dict[str, Tuple[str, Tuple[str, ...]]]  # number -> (title, keywords) for the tasks' KLE numbers


def _hours(raw: Optional[dict]) -> Dict[str, Tuple[str, ...]]:
    return {day: tuple(ivs) for day, ivs in (raw or {}).items()}


def _dept(d: Department) -> DepartmentInfo:
    return DepartmentInfo(d.id, d.name, d.description or "", d.phone, d.email, d.url, d.address,
                          _hours(d.opening_hours), bool(d.external), d.reply_time)


def _contact(c: Contact) -> ContactInfo:
    return ContactInfo(c.id, c.name, c.title or "", c.department_id, c.phone, c.email, bool(c.external))


def _task(t: Task, public: bool, visible: Optional[Collection[str]] = None) -> TaskInfo:
    """``visible``: the task ids this view may show; related tasks outside it are left out."""
    contacts = tuple(_contact(c) for c in t.contacts if c.external or not public)
    related = tuple(i for i in (t.related_tasks or ()) if visible is None or i in visible)
    return TaskInfo(t.id, t.title, t.description or "", tuple(k.kle_number for k in t.kle), tuple(t.keywords or ()),
                    _dept(t.department), t.self_service_url, bool(t.external), contacts,
                    fee=t.fee, processing_time=t.processing_time, documents=tuple(t.documents or ()),
                    legal_basis_url=t.legal_basis_url, related_tasks=related,
                    related_authorities=tuple(t.related_authorities or ()), facts_note=t.facts_note,
                    title_en=t.title_en, description_en=t.description_en, ask_as=t.ask_as, ask_as_en=t.ask_as_en)


def _channel(ch: Channel) -> ChannelInfo:
    return ChannelInfo(ch.id, ch.name, ch.phone, ch.short, ch.email, ch.url, ch.description or "",
                       _hours(ch.opening_hours), bool(ch.open_on_holidays))


def _authority(a: Authority) -> AuthorityInfo:
    return AuthorityInfo(a.id, a.name, a.description or "", a.phone, a.url, tuple(a.topics or ()),
                         email=a.email, address=a.address, opening_hours=_hours(a.opening_hours),
                         reply_time=a.reply_time)


def _version(v: Optional[CatalogVersion]) -> Optional[VersionInfo]:
    if v is None:
        return None
    return VersionInfo(v.id, v.version, v.published.isoformat() if v.published else None,
                       v.imported_at.isoformat(timespec="seconds"), tuple(v.changes or ()), dict(v.diff or {}))


def _public_filter(q):
    return q.join(Task.department).where(Task.external.is_(True), Department.external.is_(True))


def _task_query(public: bool):
    q = select(Task).options(selectinload(Task.kle), selectinload(Task.contacts), selectinload(Task.department))
    if public:
        q = _public_filter(q)
    return q.order_by(Task.id)


def _visible_ids(s, public: bool) -> Optional[set]:
    """The task ids the view may show (None: all of them, the internal view)."""
    return set(s.execute(_public_filter(select(Task.id))).scalars()) if public else None


def current_version(database_url: str) -> Optional[VersionInfo]:
    with session_factory(database_url)() as s:
        return _version(s.execute(select(CatalogVersion).order_by(CatalogVersion.id.desc()).limit(1)).scalar())


def current_version_id(database_url: str) -> Optional[int]:
    """Cheap check used to notice a re-import without reloading everything."""
    with session_factory(database_url)() as s:
        return s.execute(select(func.max(CatalogVersion.id))).scalar()


def version_history(database_url: str, limit: int = 10) -> List[VersionInfo]:
    with session_factory(database_url)() as s:
        rows = s.execute(select(CatalogVersion).order_by(CatalogVersion.id.desc()).limit(limit)).scalars()
        return [v for v in (_version(r) for r in rows) if v]


def load_snapshot(database_url: str, public: bool) -> CatalogSnapshot:
    """Read the tasks (public or internal view), channels, authorities, topics and KLE words."""
    ensure_schema(database_url)
    with session_factory(database_url)() as s:
        rows = list(s.execute(_task_query(public)).scalars())
        visible = {t.id for t in rows} if public else None
        tasks = tuple(_task(t, public, visible) for t in rows)
        numbers = sorted({n for t in tasks for n in t.kle})
        kle = {}
        if numbers:
            for row in s.execute(select(KleTopic).where(KleTopic.number.in_(numbers))).scalars():
                kle[row.number] = (row.title, tuple(w for w, _weight in row.keywords or ()))
        return CatalogSnapshot(
            version=_version(s.execute(select(CatalogVersion).order_by(CatalogVersion.id.desc()).limit(1)).scalar()),
            public=public,
            tasks=tasks,
            channels={c.id: _channel(c) for c in s.execute(select(Channel)).scalars()},
            authorities={a.id: _authority(a) for a in s.execute(select(Authority)).scalars()},
            topics={t.intent: tuple(t.kle_prefixes) for t in s.execute(select(Topic)).scalars()},
            kle=kle,
        )


def get_task(database_url: str, task_id: str, public: bool) -> Optional[TaskInfo]:
    with session_factory(database_url)() as s:
        row = s.execute(_task_query(public).where(Task.id == task_id)).scalar()
        return _task(row, public, _visible_ids(s, public)) if row else None


def get_department(database_url: str, dep_id: str, public: bool) -> Optional[DepartmentInfo]:
    with session_factory(database_url)() as s:
        q = select(Department).where(Department.id == dep_id)
        if public:
            q = q.where(Department.external.is_(True))
        row = s.execute(q).scalar()
        return _dept(row) if row else None


def department_contacts(database_url: str, dep_id: str, public: bool) -> List[ContactInfo]:
    with session_factory(database_url)() as s:
        q = select(Contact).where(Contact.department_id == dep_id)
        if public:
            q = q.where(Contact.external.is_(True))
        return [_contact(c) for c in s.execute(q.order_by(Contact.name)).scalars()]


def find_entries(database_url: str, text: str, public: bool, limit: int = 10) -> Tuple[List[TaskInfo], List[DepartmentInfo]]:
    """Tasks and departments whose id or name/title contains ``text`` (case-insensitive, parameterised)."""
    pattern = f"%{text.strip().lower()}%"
    with session_factory(database_url)() as s:
        tq = _task_query(public).where(or_(func.lower(Task.id).like(pattern), func.lower(Task.title).like(pattern)))
        visible = _visible_ids(s, public)
        tasks = [_task(t, public, visible) for t in s.execute(tq.limit(limit)).scalars()]
        dq = select(Department).where(or_(func.lower(Department.id).like(pattern), func.lower(Department.name).like(pattern)))
        if public:
            dq = dq.where(Department.external.is_(True))
        deps = [_dept(d) for d in s.execute(dq.order_by(Department.id).limit(limit)).scalars()]
        return tasks, deps


def get_channels(database_url: str) -> Dict[str, ChannelInfo]:
    with session_factory(database_url)() as s:
        return {c.id: _channel(c) for c in s.execute(select(Channel)).scalars()}


def get_authority(database_url: str, authority_id: str) -> Optional[AuthorityInfo]:
    with session_factory(database_url)() as s:
        row = s.execute(select(Authority).where(Authority.id == authority_id)).scalar()
        return _authority(row) if row else None


def counts(database_url: str) -> Dict[str, int]:
    with session_factory(database_url)() as s:
        return {name: s.execute(select(func.count()).select_from(model)).scalar_one()
                for name, model in (("departments", Department), ("tasks", Task), ("contacts", Contact),
                                    ("authorities", Authority), ("kle", KleTopic))}
