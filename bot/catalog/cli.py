"""`python -m bot catalog validate|import|show|history`."""
from __future__ import annotations

import argparse
import sys

from bot.catalog.db import DatabaseUnavailable
from bot.catalog.importer import import_catalog
from bot.catalog.queries import (
    TaskInfo,
    department_contacts,
    find_entries,
    get_department,
    get_task,
    version_history,
)
from bot.catalog.source import CatalogError, CatalogSource, load_catalog
from bot.settings import Settings


def add_parser(sub) -> None:
    p = sub.add_parser("catalog", help="validate, import and show the task and employee catalogue")
    csub = p.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    v = csub.add_parser("validate", help="check the source files in catalog_data/")
    v.set_defaults(func=validate_cli)
    i = csub.add_parser("import", help="validate, then replace the database content in one transaction")
    i.set_defaults(func=import_cli)
    s = csub.add_parser("show", help="print one task or department")
    s.add_argument("entry", help="a task or department id, or part of its title")
    s.add_argument("--public", action="store_true", help="show the external (public) view only")
    s.set_defaults(func=show_cli)
    h = csub.add_parser("history", help="the imported catalogue versions and what changed")
    h.set_defaults(func=history_cli)


def _report(err: CatalogError) -> int:
    print(f"The catalogue has {len(err.problems)} problem(s):", file=sys.stderr)
    for problem in err.problems:
        print(f"  - {problem}", file=sys.stderr)
    return 1


def _warn(source: CatalogSource) -> None:
    """Warnings do not stop an import; they are printed so an editor can look."""
    if source.warnings:
        print(f"{len(source.warnings)} warning(s):", file=sys.stderr)
        for warning in source.warnings:
            print(f"  - WARNING {warning}", file=sys.stderr)


def validate_cli(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    try:
        source = load_catalog(settings.catalog_dir)
    except CatalogError as err:
        return _report(err)
    print(source.summary())
    _warn(source)
    return 0


def import_cli(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    try:
        source = import_catalog(settings.database_url, settings.catalog_dir)
    except CatalogError as err:
        print("Nothing was imported; the database is unchanged.", file=sys.stderr)
        return _report(err)
    except DatabaseUnavailable as err:
        print(str(err), file=sys.stderr)
        return 1
    print(source.summary())
    _warn(source)
    history = version_history(settings.database_url, limit=1)
    if history:
        diff = history[0].diff
        changed = [f"{kind}: +{len(d['added'])} -{len(d['removed'])} ~{len(d['changed'])}" for kind, d in diff.items()]
        print(f"Imported catalogue version {source.version} ({'; '.join(changed)})")
    return 0


def show_cli(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    public = bool(args.public)
    try:
        task = get_task(settings.database_url, args.entry, public)
        dep = None if task else get_department(settings.database_url, args.entry, public)
        if not task and not dep:
            tasks, deps = find_entries(settings.database_url, args.entry, public)
            if len(tasks) + len(deps) == 1:
                task, dep = (tasks or [None])[0], (deps or [None])[0]
            elif tasks or deps:
                print(f"{args.entry!r} matches several entries; name one of them:", file=sys.stderr)
                for t in tasks:
                    print(f"  task {t.id}: {t.title}", file=sys.stderr)
                for d in deps:
                    print(f"  department {d.id}: {d.name}", file=sys.stderr)
                return 1
    except Exception as exc:  # no database yet, or unreachable
        print(f"Cannot read the catalogue database: {exc}. Run `python -m bot catalog import` first.", file=sys.stderr)
        return 1
    if task:
        d = task.department
        print(f"Task {task.id}: {task.title}")
        print(f"  KLE: {', '.join(task.kle)}   {'external' if task.external else 'internal'}")
        print(f"  {task.description}")
        print(f"  Department: {d.name} ({d.id}), tlf. {d.phone or '-'}, {d.email or '-'}")
        if task.self_service_url:
            print(f"  Self-service: {task.self_service_url}")
        print(f"  Keywords: {', '.join(task.keywords)}")
        _print_facts(task)
        for c in task.contacts:
            print(f"  Contact: {c.name}, {c.title}, tlf. {c.phone or '-'}, {c.email or '-'}"
                  f"{'' if c.external else ' (internal)'}")
        return 0
    if dep:
        print(f"Department {dep.id}: {dep.name}   {'external' if dep.external else 'internal'}")
        print(f"  {dep.description}")
        print(f"  tlf. {dep.phone or '-'}, {dep.email or '-'}, {dep.url or '-'}")
        print(f"  {dep.address or ''}")
        if dep.reply_time:
            print(f"  Reply time: {dep.reply_time}")
        for c in department_contacts(settings.database_url, dep.id, public):
            print(f"  Contact: {c.name}, {c.title}, tlf. {c.phone or '-'}")
        return 0
    print(f"No task or department {args.entry!r}. Try part of a title, e.g. `catalog show udeservering`.",
          file=sys.stderr)
    return 1


def _print_facts(task: TaskInfo) -> None:
    for label, value in (("Fee", task.fee), ("Processing time", task.processing_time),
                         ("Legal basis", task.legal_basis_url)):
        if value:
            print(f"  {label}: {value}")
    for doc in task.documents:
        print(f"  Document: {doc}")
    if task.related_tasks or task.related_authorities:
        print(f"  Related: {', '.join(task.related_tasks + tuple('authority ' + a for a in task.related_authorities))}")
    if task.facts_note:
        print(f"  Note: {task.facts_note}")


def history_cli(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    for v in version_history(settings.database_url):
        print(f"#{v.id} version {v.version} published {v.published or '-'} imported {v.imported_at}")
        for note in v.changes:
            print(f"    note: {note}")
        for kind, d in v.diff.items():
            for what in ("added", "removed", "changed"):
                if d.get(what):
                    print(f"    {kind} {what}: {', '.join(d[what])}")
    return 0
