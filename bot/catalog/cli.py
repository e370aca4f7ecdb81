"""`python -m bot catalog validate|import|export|show|history|diff|publish|suggest-kle`."""
from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.catalog.db import DatabaseUnavailable
from bot.catalog.importer import write_catalog
from bot.catalog.queries import (
    department_contacts,
    find_entries,
    get_department,
    get_task,
    version_history,
    version_snapshot,
)
from bot.catalog.domain import Catalog, Task
from bot.catalog.source import CatalogError, load_catalog
from bot.settings import Settings


def add_parser(sub) -> None:
    p = sub.add_parser("catalog", help="validate, import and show the task and employee catalogue")
    csub = p.add_subparsers(dest="catalog_command", metavar="ACTION", required=True)
    v = csub.add_parser("validate", help="check the source files in catalog_data/")
    v.set_defaults(func=validate_cli)
    i = csub.add_parser("import", help="validate, then replace the database content in one transaction")
    i.add_argument("--xlsx", metavar="FILE", type=Path, help="import this spreadsheet instead of the files in catalog_data/")
    i.add_argument("--comment", default="", help="a note kept with this version (who, why)")
    i.set_defaults(func=import_cli)
    e = csub.add_parser("export", help="write the catalogue in the database as a spreadsheet to edit")
    e.add_argument("--xlsx", metavar="FILE", type=Path, required=True, help="the .xlsx file to write")
    e.set_defaults(func=export_cli)
    d = csub.add_parser("diff", help="what changed between two imported versions, field by field")
    d.add_argument("old", nargs="?", default="-2",
                   help="a version: its import number (#3), its name (2026.1) or -2 for the one before the last "
                        "(default -2)")
    d.add_argument("new", nargs="?", default="-1", help="a version as OLD (default -1: the last import)")
    d.add_argument("--markdown", action="store_true", help="Danish Markdown for an e-mail to colleagues")
    d.set_defaults(func=diff_cli)
    pb = csub.add_parser("publish", help="write the external catalogue as an HTML page and an A4 PDF")
    pb.add_argument("--out", type=Path, required=True, help="the folder to write katalog.html and katalog.pdf to")
    pb.add_argument("--internal", action="store_true", help="the staff version, with internal tasks and contacts")
    pb.set_defaults(func=publish_cli)
    k = csub.add_parser("suggest-kle", help="propose KLE numbers for a task from the OS2KLE keywords")
    k.add_argument("text", help="what the task is about, e.g. \"tilladelse til udeservering\"")
    k.add_argument("--limit", type=int, default=5)
    k.set_defaults(func=suggest_kle_cli)
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


def _warn(source: Catalog) -> None:
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
    print(source.checked(), file=sys.stderr)
    return 0


def import_cli(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    now = datetime.now(timezone.utc)  # the command's one clock reading
    try:
        if args.xlsx:
            from bot.catalog.spreadsheet import load_workbook_catalog

            source = load_workbook_catalog(args.xlsx, settings.catalog_dir)
        else:
            source = load_catalog(settings.catalog_dir)
        write_catalog(settings.database_url, source, now, args.comment)
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
        print(f"Imported catalogue version {source.version} as #{history[0].id} ({'; '.join(changed)})")
        if history[0].id > 1:
            print(f"See what changed field by field: python -m bot catalog diff (add --markdown for an e-mail)")
    return 0


def export_cli(args: argparse.Namespace) -> int:
    from bot.catalog.spreadsheet import write_workbook

    settings = Settings.from_env()
    catalog = _catalog_in_database(settings)
    if catalog is None:
        return 1
    try:
        write_workbook(catalog, args.xlsx)
    except (OSError, ValueError) as exc:
        print(f"Cannot write {args.xlsx}: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {catalog.summary()} of version {catalog.version} to {args.xlsx}. "
          f"Edit it, then: python -m bot catalog import --xlsx {args.xlsx}")
    return 0


def _catalog_in_database(settings: Settings):
    """The live catalogue as it was imported (its stored snapshot, rebuilt and checked again)."""
    from bot.catalog.source import catalog_from_snapshot

    found = version_snapshot(settings.database_url)
    if found is None or not found[1]:
        print("No catalogue with a stored version in the database yet. Run `python -m bot catalog import` first.",
              file=sys.stderr)
        return None
    try:
        return catalog_from_snapshot(found[1], settings.catalog_dir)
    except CatalogError as err:
        _report(err)
        return None


def diff_cli(args: argparse.Namespace) -> int:
    from bot.catalog.diff import diff_snapshots, render_markdown, render_text

    settings = Settings.from_env()
    found = []
    for ref in (args.old, args.new):
        got = version_snapshot(settings.database_url, ref)
        if got is None or not got[1]:
            print(f"No imported version {ref!r} with a stored catalogue. `python -m bot catalog history` lists them "
                  "(versions imported before diffs were kept cannot be compared).", file=sys.stderr)
            return 1
        found.append(got)
    (old_v, old), (new_v, new) = found
    render = render_markdown if args.markdown else render_text
    print(render(diff_snapshots(old, new), f"{old_v.version} (#{old_v.id})", f"{new_v.version} (#{new_v.id})"))
    return 0


def publish_cli(args: argparse.Namespace) -> int:
    from bot.catalog.publish import publish

    settings = Settings.from_env()
    today = datetime.now(ZoneInfo(settings.timezone)).date()  # the command's one clock reading
    paths = publish(settings.database_url, args.out, internal=args.internal, generated=today)
    for path in paths:
        print(f"Wrote {path}")
    return 0


def suggest_kle_cli(args: argparse.Namespace) -> int:
    from bot.catalog.kle_help import format_suggestions, suggest_kle
    from bot.catalog.source import read_kle_of

    settings = Settings.from_env()
    try:
        kle = read_kle_of(settings.catalog_dir)
    except CatalogError as err:
        return _report(err)
    suggestions = suggest_kle(args.text, kle, limit=args.limit)
    if not suggestions:
        print(f"No KLE number matches {args.text!r}. Try other words, e.g. what the business applies for.",
              file=sys.stderr)
        return 1
    print(format_suggestions(suggestions))
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


def _print_facts(task: Task) -> None:
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
        print(f"#{v.id} version {v.version} published {v.published or '-'} imported {v.imported_at}"
              + (f" – {v.comment}" if v.comment else ""))
        for note in v.changes:
            print(f"    note: {note}")
        for kind, d in v.diff.items():
            for what in ("added", "removed", "changed"):
                if d.get(what):
                    print(f"    {kind} {what}: {', '.join(d[what])}")
    return 0
