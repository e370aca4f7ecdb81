"""Read the catalogue. Returns the entities of :mod:`bot.catalog.domain`, never ORM rows.

``public=True`` is the external catalogue: only external tasks and departments, and only
contacts the municipality publishes. Every public surface (chat, public API) calls with
``public=True``; only the logged-in staff page asks for the internal view.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Collection, Dict, List, Optional, Tuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from bot.catalog.db import ensure_schema, session_factory
from bot.catalog.domain import (ONE_ENTRANCE, Authority, Channel, Contact, Department, Municipality, Task,
                                hours_from, record)
from bot.catalog.models import Authority as AuthorityRow
from bot.catalog.models import CatalogVersion
from bot.catalog.models import Channel as ChannelRow
from bot.catalog.models import Contact as ContactRow
from bot.catalog.models import Department as DepartmentRow
from bot.catalog.models import KleTopic, MunicipalityRow
from bot.catalog.models import Task as TaskRow
from bot.catalog.models import Topic


@dataclass(frozen=True)
class VersionInfo:
    id: int
    version: str
    published: Optional[str]
    imported_at: str
    changes: Tuple[str, ...]
    diff: Dict[str, Dict[str, List[str]]]
    comment: Optional[str] = None
    source_hash: str = ""


@dataclass(frozen=True)
class CatalogSnapshot:
    """Everything the router needs, read in one short session."""

    version: Optional[VersionInfo]
    public: bool
    tasks: Tuple[Task, ...]
    channels: Dict[str, Channel]
    authorities: Dict[str, Authority]
    topics: Dict[str, Tuple[str, ...]]
    kle: Dict[str, Tuple[str, Tuple[str, ...]]]  # number -> (title, keywords) for the tasks' KLE numbers
    municipality: Optional[Municipality] = None   # None only before the first import with a municipality
    departments: Dict[str, Department] = field(default_factory=dict)  # in the public view: published ones

    @property
    def entrance_channel(self) -> Optional[Channel]:
        """The channel every answer refers to: the municipality's ``one_entrance`` (the default
        id for a database imported before catalogues had a municipality)."""
        return self.channels.get(self.municipality.one_entrance if self.municipality else ONE_ENTRANCE)


def _dept(d: DepartmentRow) -> Department:
    return Department(d.id, d.name, d.parent_id, d.description or "", d.phone, d.email, d.url, d.address,
                      hours_from(d.opening_hours), bool(d.external), d.reply_time, d.source, d.verified)


def _contact(c: ContactRow) -> Contact:
    return Contact(c.id, c.name, c.department_id, c.title or "", c.phone, c.email, bool(c.external))


def _task(t: TaskRow, public: bool, visible: Optional[Collection[str]] = None) -> Task:
    """``visible``: the task ids this view may show; related tasks outside it are left out."""
    contacts = tuple(_contact(c) for c in t.contacts if c.external or not public)
    related = tuple(i for i in (t.related_tasks or ()) if visible is None or i in visible)
    return Task(t.id, t.title, t.description or "", tuple(k.kle_number for k in t.kle), tuple(t.keywords or ()),
                _dept(t.department), contacts, t.self_service_url, bool(t.external),
                fee=t.fee, processing_time=t.processing_time, documents=tuple(t.documents or ()),
                legal_basis_url=t.legal_basis_url, related_tasks=related,
                related_authorities=tuple(t.related_authorities or ()), facts_note=t.facts_note,
                title_en=t.title_en, description_en=t.description_en, ask_as=t.ask_as, ask_as_en=t.ask_as_en)


def _channel(ch: ChannelRow) -> Channel:
    return Channel(ch.id, ch.name, ch.phone, ch.short, ch.email, ch.url, ch.description or "",
                   hours_from(ch.opening_hours), bool(ch.open_on_holidays), ch.source, ch.verified)


def _authority(a: AuthorityRow) -> Authority:
    return Authority(a.id, a.name, a.description or "", a.phone, a.url, tuple(a.topics or ()),
                     email=a.email, address=a.address, opening_hours=hours_from(a.opening_hours),
                     reply_time=a.reply_time, source=a.source, verified=a.verified)


def _municipality(s) -> Optional[Municipality]:
    row = s.execute(select(MunicipalityRow)).scalar()
    if row is None:
        return None
    data: Dict[str, Any] = dict(row.data)
    data["stop_words"] = tuple(data.get("stop_words") or ())
    if data.get("verified"):
        from datetime import date
        data["verified"] = date.fromisoformat(data["verified"])
    return Municipality(**data)


def _version(v: Optional[CatalogVersion]) -> Optional[VersionInfo]:
    if v is None:
        return None
    return VersionInfo(v.id, v.version, v.published.isoformat() if v.published else None,
                       v.imported_at.isoformat(timespec="seconds"), tuple(v.changes or ()), dict(v.diff or {}),
                       v.comment, v.source_hash or "")


def _public_filter(q):
    return q.join(TaskRow.department).where(TaskRow.external.is_(True), DepartmentRow.external.is_(True))


def _task_query(public: bool):
    q = select(TaskRow).options(selectinload(TaskRow.kle), selectinload(TaskRow.contacts), selectinload(TaskRow.department))
    if public:
        q = _public_filter(q)
    return q.order_by(TaskRow.id)


def _visible_ids(s, public: bool) -> Optional[set]:
    """The task ids the view may show (None: all of them, the internal view)."""
    return set(s.execute(_public_filter(select(TaskRow.id))).scalars()) if public else None


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
            channels={c.id: _channel(c) for c in s.execute(select(ChannelRow)).scalars()},
            authorities={a.id: _authority(a) for a in s.execute(select(AuthorityRow)).scalars()},
            topics={t.intent: tuple(t.kle_prefixes) for t in s.execute(select(Topic)).scalars()},
            kle=kle,
            municipality=_municipality(s),
            departments={d.id: _dept(d) for d in s.execute(select(DepartmentRow)).scalars()
                         if d.external or not public},
        )


def get_task(database_url: str, task_id: str, public: bool) -> Optional[Task]:
    with session_factory(database_url)() as s:
        row = s.execute(_task_query(public).where(TaskRow.id == task_id)).scalar()
        return _task(row, public, _visible_ids(s, public)) if row else None


def get_department(database_url: str, dep_id: str, public: bool) -> Optional[Department]:
    with session_factory(database_url)() as s:
        q = select(DepartmentRow).where(DepartmentRow.id == dep_id)
        if public:
            q = q.where(DepartmentRow.external.is_(True))
        row = s.execute(q).scalar()
        return _dept(row) if row else None


def department_contacts(database_url: str, dep_id: str, public: bool) -> List[Contact]:
    with session_factory(database_url)() as s:
        q = select(ContactRow).where(ContactRow.department_id == dep_id)
        if public:
            q = q.where(ContactRow.external.is_(True))
        return [_contact(c) for c in s.execute(q.order_by(ContactRow.name)).scalars()]


def find_entries(database_url: str, text: str, public: bool, limit: int = 10) -> Tuple[List[Task], List[Department]]:
    """Tasks and departments whose id or name/title contains ``text`` (case-insensitive, parameterised)."""
    pattern = f"%{text.strip().lower()}%"
    with session_factory(database_url)() as s:
        tq = _task_query(public).where(or_(func.lower(TaskRow.id).like(pattern), func.lower(TaskRow.title).like(pattern)))
        visible = _visible_ids(s, public)
        tasks = [_task(t, public, visible) for t in s.execute(tq.limit(limit)).scalars()]
        dq = select(DepartmentRow).where(or_(func.lower(DepartmentRow.id).like(pattern), func.lower(DepartmentRow.name).like(pattern)))
        if public:
            dq = dq.where(DepartmentRow.external.is_(True))
        deps = [_dept(d) for d in s.execute(dq.order_by(DepartmentRow.id).limit(limit)).scalars()]
        return tasks, deps


def get_channels(database_url: str) -> Dict[str, Channel]:
    with session_factory(database_url)() as s:
        return {c.id: _channel(c) for c in s.execute(select(ChannelRow)).scalars()}


def get_authority(database_url: str, authority_id: str) -> Optional[Authority]:
    with session_factory(database_url)() as s:
        row = s.execute(select(AuthorityRow).where(AuthorityRow.id == authority_id)).scalar()
        return _authority(row) if row else None


def counts(database_url: str) -> Dict[str, int]:
    with session_factory(database_url)() as s:
        return {name: s.execute(select(func.count()).select_from(model)).scalar_one()
                for name, model in (("departments", DepartmentRow), ("tasks", TaskRow), ("contacts", ContactRow),
                                    ("authorities", AuthorityRow), ("kle", KleTopic))}


def version_snapshot(database_url: str, ref: Optional[str] = None) -> Optional[Tuple[VersionInfo, Dict[str, Any]]]:
    """An imported version and its stored catalogue: ``ref`` is "#<n>" or n (the import number),
    a version name ("2026.2": its latest import), "-1"/"-2" (the last, the one before), or None (the last)."""
    ensure_schema(database_url)
    with session_factory(database_url)() as s:
        q = select(CatalogVersion).order_by(CatalogVersion.id.desc())
        ref = (ref or "-1").strip()
        if ref.startswith("-") and ref[1:].isdigit():
            row = s.execute(q.offset(int(ref[1:]) - 1).limit(1)).scalar() if int(ref[1:]) >= 1 else None
        elif ref.lstrip("#").isdigit():
            row = s.execute(select(CatalogVersion).where(CatalogVersion.id == int(ref.lstrip("#")))).scalar()
            if row is None and not ref.startswith("#"):
                row = s.execute(q.where(CatalogVersion.version == ref).limit(1)).scalar()
        else:
            row = s.execute(q.where(CatalogVersion.version == ref).limit(1)).scalar()
        if row is None:
            return None
        return _version(row), dict(row.snapshot or {})  # type: ignore[return-value]


def recent_changes(database_url: str, limit: int = 5) -> List[Dict[str, Any]]:
    """The latest imports and what each changed against the import before it, in Danish lines
    (for the staff page: what colleagues should know changed in the catalogue)."""
    from bot.catalog.diff import change_lines_da, diff_snapshots, summary_da

    ensure_schema(database_url)
    with session_factory(database_url)() as s:
        rows = list(s.execute(select(CatalogVersion).order_by(CatalogVersion.id.desc()).limit(limit + 1)).scalars())
        out = []
        for row, before in zip(rows, rows[1:] + [None]):
            entry: Dict[str, Any] = {"id": row.id, "version": row.version,
                                     "imported_at": row.imported_at.isoformat(timespec="minutes") + "Z",
                                     "comment": row.comment, "published": row.published.isoformat()
                                     if row.published else None}
            if row.snapshot and (before is None or before.snapshot):
                diff = diff_snapshots(before.snapshot if before else {}, row.snapshot)
                entry["summary"] = "Første version." if before is None else summary_da(diff)
                entry["changes"] = [] if before is None else change_lines_da(diff)
            else:  # imported before versions kept the whole catalogue: only which entries changed
                entry["summary"] = "; ".join(f"{kind}: +{len(d['added'])} −{len(d['removed'])} ~{len(d['changed'])}"
                                             for kind, d in (row.diff or {}).items())
                entry["changes"] = []
            out.append(entry)
        return out[:limit]


def stored_snapshot(session) -> Dict[str, Any]:
    """The catalogue now in the database as a version snapshot (:func:`bot.catalog.domain.snapshot_of`'s
    shape, internal view): what a database imported before versions kept snapshots is compared with."""
    tasks = [_task(t, public=False) for t in session.execute(_task_query(public=False)).scalars()]
    back: Dict[str, List[str]] = {}
    for t in tasks:
        for c in t.contacts:
            back.setdefault(c.id, []).append(t.id)
    return {
        "departments": {d.id: record(_dept(d)) for d in session.execute(select(DepartmentRow)).scalars()},
        "tasks": {t.id: record(t) for t in tasks},
        "contacts": {c.id: dict(record(_contact(c)), tasks=sorted(back.get(c.id, [])))
                     for c in session.execute(select(ContactRow)).scalars()},
        "channels": {c.id: record(_channel(c)) for c in session.execute(select(ChannelRow)).scalars()},
        "authorities": {a.id: record(_authority(a)) for a in session.execute(select(AuthorityRow)).scalars()},
    }
