"""Build the database from the source files in one transaction.

A failed validation or a failed write leaves the previous catalogue exactly as it was.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from bot.catalog.db import ensure_schema, session_factory
from bot.catalog.diff import diff_snapshots
from bot.catalog.domain import Catalog, record, snapshot_of
from bot.catalog.models import (
    Authority,
    CatalogVersion,
    Channel,
    Contact,
    Department,
    KleTopic,
    MunicipalityRow,
    Task,
    TaskKle,
    Topic,
    task_contact,
)
from bot.catalog.queries import stored_snapshot
from bot.catalog.source import load_catalog


def _hours_json(hours) -> Dict[str, List[str]]:
    return {day: list(ivs) for day, ivs in hours.items()}


def id_changes(before: Optional[Mapping[str, Any]], after: Mapping[str, Any]) -> Dict[str, Dict[str, List[str]]]:
    """Which ids each kind gained, lost or changed between two snapshots (the short history;
    "changed" as ``catalog diff`` sees it: bot/catalog/diff.py)."""
    diff = diff_snapshots(before or {}, after)
    return {kind: {"added": sorted(e.id for e in diff.kind(kind).added),
                   "removed": sorted(e.id for e in diff.kind(kind).removed),
                   "changed": sorted(c.id for c in diff.kind(kind).changed)}
            for kind in ("tasks", "contacts", "departments", "authorities")}


def _department_order(catalog: Catalog):
    """Parents before children, so foreign keys hold at every insert."""
    by_id = {d.id: d for d in catalog.departments}
    done, order = set(), []

    def visit(dep, path=()):
        if dep.id in done or dep.id in path:
            return
        if dep.parent and dep.parent in by_id:
            visit(by_id[dep.parent], path + (dep.id,))
        done.add(dep.id)
        order.append(dep)

    for d in catalog.departments:
        visit(d)
    return order


def _columns(entity: Any, **renamed: str) -> Dict[str, Any]:
    """An entity's fields as ORM column values (lists for tuples, hours as JSON)."""
    out = {renamed.get(k, k): v for k, v in record(entity).items()}
    out["id"] = entity.id
    if "verified" in out:
        out["verified"] = entity.verified  # a date column, not the snapshot's text
    return out


def _replace_content(session: Session, catalog: Catalog) -> None:
    for stmt in (delete(task_contact), delete(TaskKle), delete(Task), delete(Contact)):
        session.execute(stmt)
    # children first: a department may point at a parent
    session.execute(Department.__table__.update().values(parent_id=None))
    for model in (Department, Channel, Authority, Topic, KleTopic, MunicipalityRow):
        session.execute(delete(model))
    session.execute(insert(KleTopic), [
        {"number": k.number, "title": k.title, "keywords": [list(w) for w in k.keywords]}
        for k in catalog.kle.values()
    ])
    for d in _department_order(catalog):
        session.add(Department(**_columns(d, parent="parent_id")))
        session.flush()
    contacts = {}
    for c in catalog.contacts:
        cols = _columns(c)
        cols.pop("tasks")
        contacts[c.id] = Contact(**cols)
    session.add_all(contacts.values())
    for t in catalog.tasks:
        cols = _columns(t)
        cols.pop("contact_ids")
        cols["kle"] = [TaskKle(kle_number=n, position=i) for i, n in enumerate(t.kle)]
        cols["contacts"] = [contacts[c.id] for c in t.contacts]
        session.add(Task(**cols))
    session.add_all(Channel(**_columns(ch)) for ch in catalog.channels)
    session.add_all(Authority(**_columns(a)) for a in catalog.authorities)
    session.add_all(Topic(intent=intent, kle_prefixes=list(prefixes)) for intent, prefixes in catalog.topics.items())
    session.add(MunicipalityRow(id=1, data=record(catalog.municipality)))


def write_catalog(database_url: str, catalog: Catalog, now: datetime, comment: str = "") -> Dict[str, Dict[str, List[str]]]:
    """Replace the database content with ``catalog`` in one transaction and record the version
    (``now``: the import time, UTC; ``comment``: the editor's note). Returns what changed."""
    ensure_schema(database_url)
    snapshot = snapshot_of(catalog, comment)
    Session_ = session_factory(database_url)
    with Session_.begin() as session:
        last = session.execute(select(CatalogVersion).order_by(CatalogVersion.id.desc()).limit(1)).scalar()
        before = last.snapshot if last else None
        if last is not None and before is None:  # imported before versions kept the catalogue: read it
            before = stored_snapshot(session)
            last.snapshot = before  # so `catalog diff` can compare with it too
        _replace_content(session, catalog)
        session.flush()
        diff = id_changes(before, snapshot)
        session.add(CatalogVersion(version=catalog.version, published=catalog.published,
                                   imported_at=_utc_naive(now), source_hash=catalog.source_hash,
                                   changes=list(catalog.changes), diff=diff, comment=comment or None,
                                   snapshot=snapshot))
    return diff


def _utc_naive(now: datetime) -> datetime:
    return now.astimezone(timezone.utc).replace(tzinfo=None) if now.tzinfo else now


def import_catalog(database_url: str, catalog_dir: Path, now: datetime, comment: str = "") -> Catalog:
    """Validate, then replace the catalogue. Raises CatalogError before touching the database."""
    catalog = load_catalog(catalog_dir)
    write_catalog(database_url, catalog, now, comment)
    return catalog
