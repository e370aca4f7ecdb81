"""Build the database from the source files in one transaction.

A failed validation or a failed write leaves the previous catalogue exactly as it was.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from bot.catalog.db import ensure_schema, session_factory
from bot.catalog.models import (
    Authority,
    CatalogVersion,
    Channel,
    Contact,
    Department,
    KleTopic,
    Task,
    TaskKle,
    Topic,
    task_contact,
)
from bot.catalog.source import CatalogSource, load_catalog


def _hours_json(hours) -> Dict[str, List[str]]:
    return {day: [f"{s}-{e}" for s, e in ivs] for day, ivs in hours.items()}


def _fingerprints(session: Session) -> Dict[str, Dict[str, str]]:
    """What each task, contact, department and authority looks like now, to report what an import changed."""
    out: Dict[str, Dict[str, str]] = {"tasks": {}, "contacts": {}, "departments": {}, "authorities": {}}
    for t in session.execute(select(Task)).scalars():
        out["tasks"][t.id] = repr((t.title, t.description, t.department_id, t.self_service_url, t.external,
                                   sorted(t.keywords or []), sorted(k.kle_number for k in t.kle),
                                   sorted(c.id for c in t.contacts), t.fee, t.processing_time,
                                   list(t.documents or []), t.legal_basis_url, list(t.related_tasks or []),
                                   list(t.related_authorities or []), t.facts_note, t.title_en, t.description_en,
                                   t.ask_as, t.ask_as_en))
    for c in session.execute(select(Contact)).scalars():
        out["contacts"][c.id] = repr((c.name, c.title, c.department_id, c.phone, c.email, c.external))
    for d in session.execute(select(Department)).scalars():
        out["departments"][d.id] = repr((d.name, d.parent_id, d.phone, d.email, d.url, d.address, d.external,
                                         sorted((d.opening_hours or {}).items()), d.reply_time))
    for a in session.execute(select(Authority)).scalars():
        out["authorities"][a.id] = repr((a.name, a.description, a.phone, a.url, list(a.topics or []), a.email,
                                         a.address, sorted((a.opening_hours or {}).items()), a.reply_time))
    return out


def _diff(before: Dict[str, Dict[str, str]], after: Dict[str, Dict[str, str]]) -> Dict[str, Dict[str, List[str]]]:
    result = {}
    for kind in after:
        b, a = before.get(kind, {}), after[kind]
        result[kind] = {
            "added": sorted(set(a) - set(b)),
            "removed": sorted(set(b) - set(a)),
            "changed": sorted(k for k in set(a) & set(b) if a[k] != b[k]),
        }
    return result


def _department_order(source: CatalogSource):
    """Parents before children, so foreign keys hold at every insert."""
    by_id = {d.id: d for d in source.departments}
    done, order = set(), []

    def visit(dep, path=()):
        if dep.id in done or dep.id in path:
            return
        if dep.parent and dep.parent in by_id:
            visit(by_id[dep.parent], path + (dep.id,))
        done.add(dep.id)
        order.append(dep)

    for d in source.departments:
        visit(d)
    return order


def write_catalog(database_url: str, source: CatalogSource) -> Dict[str, Dict[str, List[str]]]:
    """Replace the database content with ``source`` in one transaction; return what changed."""
    ensure_schema(database_url)
    Session_ = session_factory(database_url)
    with Session_.begin() as session:
        before = _fingerprints(session)
        for stmt in (delete(task_contact), delete(TaskKle), delete(Task), delete(Contact)):
            session.execute(stmt)
        # children first: a department may point at a parent
        session.execute(Department.__table__.update().values(parent_id=None))
        for model in (Department, Channel, Authority, Topic, KleTopic):
            session.execute(delete(model))
        session.execute(insert(KleTopic), [
            {"number": k.number, "title": k.title, "keywords": [list(w) for w in k.keywords]}
            for k in source.kle.values()
        ])
        for d in _department_order(source):
            session.add(Department(id=d.id, name=d.name, parent_id=d.parent, description=d.description,
                                   phone=d.phone, email=d.email, url=d.url, address=d.address,
                                   opening_hours=_hours_json(d.opening_hours), external=d.external,
                                   reply_time=d.reply_time))
            session.flush()
        contacts = {c.id: Contact(id=c.id, name=c.name, title=c.title, department_id=c.department, phone=c.phone,
                                  email=c.email, external=c.external) for c in source.contacts}
        session.add_all(contacts.values())
        task_contacts = {t.id: list(dict.fromkeys(t.contacts)) for t in source.tasks}
        for c in source.contacts:
            for tid in c.tasks:
                if c.id not in task_contacts.setdefault(tid, []):
                    task_contacts[tid].append(c.id)
        for t in source.tasks:
            session.add(Task(
                id=t.id, title=t.title, description=t.description, department_id=t.department,
                self_service_url=t.self_service_url, keywords=list(t.keywords), external=t.external,
                fee=t.fee, processing_time=t.processing_time, documents=list(t.documents),
                legal_basis_url=t.legal_basis_url, related_tasks=list(t.related_tasks),
                related_authorities=list(t.related_authorities), facts_note=t.facts_note,
                title_en=t.title_en, description_en=t.description_en, ask_as=t.ask_as, ask_as_en=t.ask_as_en,
                kle=[TaskKle(kle_number=n, position=i) for i, n in enumerate(t.kle)],
                contacts=[contacts[cid] for cid in task_contacts.get(t.id, [])],
            ))
        for ch in source.channels:
            session.add(Channel(id=ch.id, name=ch.name, phone=ch.phone, short=ch.short, email=ch.email, url=ch.url,
                                description=ch.description, opening_hours=_hours_json(ch.opening_hours),
                                open_on_holidays=ch.open_on_holidays))
        for a in source.authorities:
            session.add(Authority(id=a.id, name=a.name, description=a.description, phone=a.phone, url=a.url,
                                  topics=list(a.topics), email=a.email, address=a.address,
                                  opening_hours=_hours_json(a.opening_hours), reply_time=a.reply_time))
        for intent, prefixes in source.topics.items():
            session.add(Topic(intent=intent, kle_prefixes=list(prefixes)))
        session.flush()
        diff = _diff(before, _fingerprints(session))
        session.add(CatalogVersion(version=source.version, published=source.published,
                                   imported_at=datetime.now(timezone.utc).replace(tzinfo=None),
                                   source_hash=source.source_hash, changes=list(source.changes), diff=diff))
    return diff


def import_catalog(database_url: str, catalog_dir: Path) -> CatalogSource:
    """Validate, then replace the catalogue. Raises CatalogError before touching the database."""
    source = load_catalog(catalog_dir)
    write_catalog(database_url, source)
    return source
