"""Load and validate the human-edited catalogue: the files in catalog_data/ or a spreadsheet.

Every problem is reported with where it is (file and entry, or sheet, row and column), the
field, and where it helps, the valid choices. Reading is separate from checking: a reader
(:func:`read_yaml_source` here, :func:`bot.catalog.spreadsheet.read_workbook`) turns its
input into a :class:`RawCatalog` of plain mappings, each with its place; :func:`build_catalog`
checks them kind by kind from one table (:data:`KINDS`) and builds the entities of
:mod:`bot.catalog.domain`. :func:`load_catalog` does both and raises :class:`CatalogError`
listing *all* problems found.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import yaml

from bot.catalog.checks import kle_word_warnings
from bot.catalog.domain import (ONE_ENTRANCE, Authority, Catalog, Channel, Contact, Department, Hours, Municipality,
                                Task)
from bot.catalog.kle import KleEntry, read_kle
from bot.catalog.kle_help import keyword_overlap_warnings

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PHONE = re.compile(r"^(?:\+45 ?)?(?:\d{2} ?\d{2} ?\d{2} ?\d{2}|\d{4})$")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_KLE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
_KLE_PREFIX = re.compile(r"^\d{2}(?:\.\d{2}){0,2}$")
_INTERVAL = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


class CatalogError(ValueError):
    """One or more problems in the source files; ``problems`` lists them all."""

    def __init__(self, problems: Sequence[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Place:
    """Where an entry was written: a file, or a sheet row whose fields sit in named columns."""

    text: str                                  # "catalog_data/tasks/byg.yml" or "sheet 'Opgaver'"
    row: Optional[int] = None
    columns: Mapping[str, str] = field(default_factory=dict)  # field -> column letter

    def short(self) -> str:
        return f"{self.text}, row {self.row}" if self.row else self.text

    def describe(self, label: str, fieldname: Optional[str]) -> str:
        where = f"{self.short()}: {label}"
        if fieldname:
            where += f", field '{fieldname}'"
            if fieldname in self.columns:
                where += f" (column {self.columns[fieldname]})"
        return where


class _Collector:
    """Gathers problems so one run reports every broken entry, not just the first."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: List[str] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def place(self, path: Path) -> Place:
        return Place(self.rel(path))

    def add(self, where: Place, entry: str, fieldname: Optional[str], message: str) -> None:
        self.problems.append(f"{where.describe(entry, fieldname)}: {message}")


@dataclass
class RawCatalog:
    """What a reader found, not yet checked: plain mappings, each with its place."""

    meta: Mapping[str, Any]
    meta_place: Place
    entries: Dict[str, List[Tuple[Place, Mapping[str, Any]]]]  # kind name ("task") -> entries
    topics: Optional[Mapping[str, Any]]
    topics_place: Place
    source_hash: str = ""


_FIELDS: Dict[str, Tuple[Tuple[str, ...], Tuple[str, ...]]] = {
    # kind: (required, optional)
    "department": (("id", "name"), ("parent", "description", "phone", "email", "url", "address", "opening_hours",
                                     "external", "reply_time", "source", "verified")),
    "task": (("id", "title", "description", "kle", "keywords", "department"),
             ("contacts", "self_service_url", "external", "fee", "processing_time", "documents", "legal_basis_url",
              "related_tasks", "related_authorities", "facts_note", "title_en", "description_en", "ask_as",
              "ask_as_en")),
    "contact": (("id", "name", "department"), ("title", "phone", "email", "tasks", "external")),
    "channel": (("id", "name", "phone", "opening_hours"), ("short", "email", "url", "description", "open_on_holidays",
                                                         "source", "verified")),
    "authority": (("id", "name", "description", "topics"),
                  ("phone", "url", "email", "address", "opening_hours", "reply_time", "source",
                   "verified")),
    "municipality": (("name", "switchboard"),
                     ("one_entrance", "citizen_service", "digital_help", "email", "url", "address", "stop_words",
                      "source", "verified")),
}


def _read_yaml(c: _Collector, path: Path, key: str) -> List[Mapping[str, Any]]:
    where = c.place(path)
    if not path.exists():
        c.add(where, "file", None, "missing")
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        c.add(where, "file", None, f"is not valid YAML{at}: {getattr(exc, 'problem', exc)}")
        return []
    if not isinstance(data, dict) or key not in data:
        c.add(where, "file", None, f"must be a mapping with a top-level '{key}:' list")
        return []
    items = data[key] or []
    if not isinstance(items, list):
        c.add(where, "file", key, "must be a list of entries")
        return []
    good = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            c.add(where, f"entry #{i}", None, "must be a mapping of field: value")
        else:
            good.append(item)
    return good


def _check_fields(c: _Collector, where: Place, kind: str, entry: Mapping[str, Any], label: str) -> bool:
    required, optional = _FIELDS[kind]
    ok = True
    for name in required:
        if entry.get(name) in (None, "", []):
            c.add(where, label, name, "is required")
            ok = False
    unknown = sorted(set(entry) - set(required) - set(optional))
    for name in unknown:
        c.add(where, label, name, f"unknown field. Valid fields for a {kind}: {', '.join(required + optional)}")
    return ok


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _opt(v: Any) -> Optional[str]:
    s = _text(v)
    return s or None


def _line(c: _Collector, where: Place, label: str, name: str, v: Any) -> Optional[str]:
    """An optional line of plain text (a fee, a service target, a note): not a list or a mapping."""
    if v is None:
        return None
    if isinstance(v, (list, dict)):
        c.add(where, label, name, f"must be one line of text, e.g. {name}: \"Gebyr efter medgået tid\"")
        return None
    return _opt(" ".join(str(v).split()))


def _ask_as(c: _Collector, where: Place, label: str, name: str, v: Any) -> Optional[str]:
    """A short phrase for the clarifying question; its parts are joined with commas and "eller"/"or"."""
    phrase = _line(c, where, label, name, v)
    if phrase and ("," in phrase or {"eller", "or"} & set(phrase.lower().split())):
        c.add(where, label, name, f"{phrase!r}: write it without commas and without 'eller'/'or' – the question "
                                  "joins the choices with them (\"Handler det om borde på fortovet, … eller …?\")")
        return None
    return phrase


def _flag(c: _Collector, where: Place, label: str, name: str, v: Any, default: bool) -> bool:
    if v is None:
        return default
    if not isinstance(v, bool):
        c.add(where, label, name, f"must be true or false, not {v!r}")
        return default
    return v


def _str_list(c: _Collector, where: Place, label: str, name: str, v: Any) -> Tuple[str, ...]:
    if v is None:
        return ()
    if not isinstance(v, list) or not all(isinstance(x, (str, int, float)) for x in v):
        c.add(where, label, name, "must be a list of words, e.g. [a, b]")
        return ()
    return tuple(_text(x) for x in v if _text(x))


def _check_contact_fields(c: _Collector, where: Place, label: str, e: Mapping[str, Any]) -> None:
    for key in ("phone", "switchboard"):
        phone = _opt(e.get(key))
        if phone and not _PHONE.match(phone):
            c.add(where, label, key,
                  f"{phone!r} is not a Danish phone number (8 digits like '72 57 77 77', or a 4-digit short number)")
    email = _opt(e.get("email"))
    if email and not _EMAIL.match(email):
        c.add(where, label, "email", f"{email!r} is not an e-mail address like 'name@jammerbugt.dk'")
    for key in ("url", "self_service_url", "legal_basis_url", "source"):
        url = _opt(e.get(key))
        if url and not url.startswith("https://"):
            c.add(where, label, key, f"{url!r} must start with https://")


def _date(c: _Collector, where: Place, label: str, name: str, v: Any) -> Optional[date]:
    """An optional date (2026-11-01): a YAML date, a spreadsheet date cell or ISO text."""
    if v is None or v == "":
        return None
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v).strip())
    except ValueError:
        c.add(where, label, name, f"{v!r} is not a date like 2026-11-01")
        return None


def _hours(c: _Collector, where: Place, label: str, v: Any) -> Hours:
    if v is None:
        return {}
    if not isinstance(v, dict):
        c.add(where, label, "opening_hours", f"must map weekdays ({', '.join(WEEKDAYS)}) to lists of 'HH:MM-HH:MM'")
        return {}
    out: Hours = {}
    for day, intervals in v.items():
        if day not in WEEKDAYS:
            c.add(where, label, "opening_hours", f"unknown weekday {day!r}. Valid weekdays: {', '.join(WEEKDAYS)}")
            continue
        if isinstance(intervals, str):
            intervals = [intervals]
        if not isinstance(intervals, list):
            c.add(where, label, "opening_hours", f"{day}: must be a list of 'HH:MM-HH:MM'")
            continue
        parsed = []
        for iv in intervals:
            m = _INTERVAL.match(str(iv).strip())
            if not m or (m.group(1), m.group(2)) >= (m.group(3), m.group(4)):
                c.add(where, label, "opening_hours",
                      f"{day}: {iv!r} is not an interval like '09:00-15:00' (start before end)")
                continue
            start, end = str(iv).strip().split("-")
            parsed.append((start, end))
        parsed.sort()
        for (s1, e1), (s2, _e2) in zip(parsed, parsed[1:]):
            if s2 < e1:
                c.add(where, label, "opening_hours", f"{day}: intervals {s1}-{e1} and {s2} overlap")
        out[day] = tuple(f"{s}-{e}" for s, e in parsed)
    return out


def _did_you_mean(value: str, valid: Iterable[str]) -> str:
    import difflib

    valid = sorted(valid)
    close = difflib.get_close_matches(value, valid, n=3)
    if close:
        return f"Did you mean: {', '.join(close)}?"
    return f"Known: {', '.join(valid[:15])}{' …' if len(valid) > 15 else ''}"


# --- reading -------------------------------------------------------------------------------

TASKS_FOLDER = "tasks"
FILES = {"department": "departments.yml", "contact": "contacts.yml", "channel": "channels.yml",
         "authority": "authorities.yml"}


def read_yaml_source(root: Path, c: _Collector) -> RawCatalog:
    """The editors' YAML files under ``root`` (catalog.yml, departments.yml, tasks/*.yml, …)."""
    meta_path = root / "catalog.yml"
    meta: Mapping[str, Any] = {}
    if meta_path.exists():
        try:
            meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            c.add(c.place(meta_path), "file", None, f"is not valid YAML: {exc}")
    else:
        c.add(c.place(meta_path), "file", None, "missing")
    entries: Dict[str, List[Tuple[Place, Mapping[str, Any]]]] = {}
    for kind in KINDS:
        if kind.name == "task":
            folder = root / TASKS_FOLDER
            task_files = sorted(folder.glob("*.yml")) if folder.is_dir() else []
            if not task_files:
                c.add(c.place(folder), "folder", None, "must hold at least one tasks/*.yml file")
            entries["task"] = [(c.place(p), e) for p in task_files for e in _read_yaml(c, p, "tasks")]
        else:
            path = root / FILES[kind.name]
            entries[kind.name] = [(c.place(path), e) for e in _read_yaml(c, path, kind.plural)]
    topics_path = root / "topics.yml"
    topics: Optional[Mapping[str, Any]] = None
    if not topics_path.exists():
        c.add(c.place(topics_path), "file", None, "missing")
    else:
        try:
            data = yaml.safe_load(topics_path.read_text(encoding="utf-8")) or {}
            topics = data.get("topics") if isinstance(data, dict) else None
            if not isinstance(topics, dict):
                c.add(c.place(topics_path), "file", None, "must have a 'topics:' mapping of intent: [KLE prefixes]")
                topics = None
        except yaml.YAMLError as exc:
            c.add(c.place(topics_path), "file", None, f"is not valid YAML: {exc}")
    return RawCatalog(meta if isinstance(meta, dict) else {}, c.place(meta_path), entries, topics,
                      c.place(topics_path), _hash_sources(root))


# --- checking and building, one kind at a time ----------------------------------------------

@dataclass
class _Build:
    """What the kinds' builders share: the problems, the ids of every kind, what is built so far."""

    c: _Collector
    kle: Mapping[str, KleEntry]
    ids: Dict[str, set]
    external_tasks: set
    built: Dict[str, Dict[str, Any]] = field(default_factory=dict)

    def ref(self, where: Place, label: str, name: str, value: str, kind: str) -> None:
        """Report ``value`` in field ``name`` if it is not the id of a ``kind``."""
        if value and value not in self.ids[kind]:
            self.c.add(where, label, name, f"unknown {kind} {value!r}. {_did_you_mean(value, self.ids[kind])}")


def _department(b: _Build, where: Place, label: str, e: Mapping[str, Any]) -> Department:
    c = b.c
    parent = _opt(e.get("parent"))
    if parent and parent not in b.ids["department"]:
        c.add(where, label, "parent", f"unknown department {parent!r}. {_did_you_mean(parent, b.ids['department'])}")
    return Department(
        id=_text(e.get("id")), name=_text(e.get("name")), parent=parent,
        description=_text(e.get("description")), phone=_opt(e.get("phone")), email=_opt(e.get("email")),
        url=_opt(e.get("url")), address=_opt(e.get("address")),
        opening_hours=_hours(c, where, label, e.get("opening_hours")),
        external=_flag(c, where, label, "external", e.get("external"), True),
        reply_time=_line(c, where, label, "reply_time", e.get("reply_time")),
        **_checked(c, where, label, e),
    )


def _checked(c: _Collector, where: Place, label: str, e: Mapping[str, Any]) -> Dict[str, Any]:
    """Where public facts come from and when they were last checked there (source, verified)."""
    return {"source": _opt(e.get("source")), "verified": _date(c, where, label, "verified", e.get("verified"))}


def _contact(b: _Build, where: Place, label: str, e: Mapping[str, Any]) -> Contact:
    c = b.c
    dep = _text(e.get("department"))
    b.ref(where, label, "department", dep, "department")
    tasks = _str_list(c, where, label, "tasks", e.get("tasks"))
    for tid in tasks:
        b.ref(where, label, "tasks", tid, "task")
    return Contact(
        id=_text(e.get("id")), name=_text(e.get("name")), title=_text(e.get("title")), department_id=dep,
        phone=_opt(e.get("phone")), email=_opt(e.get("email")), tasks=tasks,
        external=_flag(c, where, label, "external", e.get("external"), False),
    )


def _task(b: _Build, where: Place, label: str, e: Mapping[str, Any]) -> Task:
    c = b.c
    own_id = _text(e.get("id"))
    kle_numbers = _str_list(c, where, label, "kle", e.get("kle"))
    if e.get("kle") is not None and not 1 <= len(kle_numbers) <= 3:
        c.add(where, label, "kle", f"must list 1 to 3 KLE numbers, not {len(kle_numbers)}")
    for number in kle_numbers:
        if not _KLE.match(number):
            c.add(where, label, "kle", f"{number!r} is not a KLE number like '02.34.02' (write it in quotes)")
        elif number not in b.kle:
            c.add(where, label, "kle", f"{number!r} does not exist in OS2KLE. {_did_you_mean(number, b.kle)}")
    dep = _text(e.get("department"))
    b.ref(where, label, "department", dep, "department")
    listed = _str_list(c, where, label, "contacts", e.get("contacts"))
    for cid in listed:
        b.ref(where, label, "contacts", cid, "contact")
    # the task's own list first, then contacts that name the task on their side
    contacts = b.built["contact"]
    ids = list(dict.fromkeys(listed))
    ids += [cid for cid, ct in contacts.items() if own_id in ct.tasks and cid not in ids]
    external = _flag(c, where, label, "external", e.get("external"), False)
    related = _related_tasks(c, where, label, own_id, external, e.get("related_tasks"), b.ids["task"],
                             b.external_tasks)
    related_auth = _str_list(c, where, label, "related_authorities", e.get("related_authorities"))
    for aid in related_auth:
        b.ref(where, label, "related_authorities", aid, "authority")
    return Task(
        id=own_id, title=_text(e.get("title")), description=" ".join(_text(e.get("description")).split()),
        kle=kle_numbers, keywords=_str_list(c, where, label, "keywords", e.get("keywords")),
        department=b.built["department"].get(dep) or Department(dep, dep),
        contacts=tuple(contacts[cid] for cid in ids if cid in contacts),
        self_service_url=_opt(e.get("self_service_url")), external=external,
        fee=_line(c, where, label, "fee", e.get("fee")),
        processing_time=_line(c, where, label, "processing_time", e.get("processing_time")),
        documents=_str_list(c, where, label, "documents", e.get("documents")),
        legal_basis_url=_opt(e.get("legal_basis_url")),
        related_tasks=related, related_authorities=related_auth,
        facts_note=_line(c, where, label, "facts_note", e.get("facts_note")),
        title_en=_line(c, where, label, "title_en", e.get("title_en")),
        description_en=" ".join(_text(e.get("description_en")).split()) or None,
        ask_as=_ask_as(c, where, label, "ask_as", e.get("ask_as")),
        ask_as_en=_ask_as(c, where, label, "ask_as_en", e.get("ask_as_en")),
    )


def _channel(b: _Build, where: Place, label: str, e: Mapping[str, Any]) -> Channel:
    c = b.c
    return Channel(
        id=_text(e.get("id")), name=_text(e.get("name")), phone=_text(e.get("phone")), short=_opt(e.get("short")),
        email=_opt(e.get("email")), url=_opt(e.get("url")), description=_text(e.get("description")),
        opening_hours=_hours(c, where, label, e.get("opening_hours")),
        open_on_holidays=_flag(c, where, label, "open_on_holidays", e.get("open_on_holidays"), False),
        **_checked(c, where, label, e),
    )


def _authority(b: _Build, where: Place, label: str, e: Mapping[str, Any]) -> Authority:
    c = b.c
    return Authority(
        id=_text(e.get("id")), name=_text(e.get("name")), description=_text(e.get("description")),
        phone=_opt(e.get("phone")), url=_opt(e.get("url")),
        topics=_str_list(c, where, label, "topics", e.get("topics")),
        email=_opt(e.get("email")), address=_line(c, where, label, "address", e.get("address")),
        opening_hours=_hours(c, where, label, e.get("opening_hours")),
        reply_time=_line(c, where, label, "reply_time", e.get("reply_time")),
        **_checked(c, where, label, e),
    )


@dataclass(frozen=True)
class Kind:
    name: str    # "task": in messages and as the key of RawCatalog.entries
    plural: str  # "tasks": the YAML list key and the Catalog attribute
    build: Callable[[_Build, Place, str, Mapping[str, Any]], Any]

    @property
    def fields(self) -> Tuple[str, ...]:
        required, optional = _FIELDS[self.name]
        return required + optional


# In build order: a task takes its department and contacts from those built before it.
KINDS = (
    Kind("department", "departments", _department),
    Kind("contact", "contacts", _contact),
    Kind("task", "tasks", _task),
    Kind("channel", "channels", _channel),
    Kind("authority", "authorities", _authority),
)


def _ids(c: _Collector, kind: str, entries: Iterable[Tuple[Place, Mapping[str, Any]]]) -> set:
    seen: Dict[str, Place] = {}
    for where, e in entries:
        ident = _text(e.get("id"))
        if not ident:
            continue
        if not _ID.match(ident):
            c.add(where, f"{kind} '{ident}'", "id", "must be lowercase letters, digits and dashes, e.g. 'byg-miljoe'")
        if ident in seen:
            c.add(where, f"{kind} '{ident}'", "id", f"duplicate id (also in {seen[ident].short()})")
        else:
            seen[ident] = where
    return set(seen)


def _municipality(b: _Build, where: Place, raw: Any) -> Optional[Municipality]:
    c, label = b.c, "municipality"
    if not isinstance(raw, dict):
        c.add(where, label, None, "must be a mapping: name, switchboard (the town hall's number), one_entrance "
                                  "(the channel every answer refers to), citizen_service, email, url, stop_words …")
        return None
    _check_fields(c, where, "municipality", raw, label)
    _check_contact_fields(c, where, label, raw)
    one_entrance = _text(raw.get("one_entrance")) or ONE_ENTRANCE
    b.ref(where, label, "one_entrance", one_entrance, "channel")
    citizen = _opt(raw.get("citizen_service"))
    if citizen:
        b.ref(where, label, "citizen_service", citizen, "department")
    digital = _opt(raw.get("digital_help"))
    if digital:
        b.ref(where, label, "digital_help", digital, "channel")
    verified = _date(c, where, label, "verified", raw.get("verified"))
    return Municipality(
        name=_text(raw.get("name")), switchboard=_text(raw.get("switchboard")), one_entrance=one_entrance,
        citizen_service=citizen, digital_help=digital, email=_opt(raw.get("email")), url=_opt(raw.get("url")),
        address=_line(c, where, label, "address", raw.get("address")),
        stop_words=tuple(w.lower() for w in _str_list(c, where, label, "stop_words", raw.get("stop_words"))),
        source=_opt(raw.get("source")), verified=verified,
    )


def build_catalog(raw: RawCatalog, kle: Mapping[str, KleEntry], c: _Collector) -> Optional[Catalog]:
    """Check every entry of ``raw`` and build the catalogue; problems go to ``c``."""
    meta = raw.meta
    version = _text(meta.get("version"))
    if not version:
        c.add(raw.meta_place, "catalogue", "version", "is required, e.g. version: \"2026.2\"")
    published = _date(c, raw.meta_place, "catalogue", "published", meta.get("published"))
    b = _Build(c, kle, {k.name: _ids(c, k.name, raw.entries.get(k.name, ())) for k in KINDS},
               {_text(e.get("id")) for _w, e in raw.entries.get("task", ()) if e.get("external") is True})
    for kind in KINDS:
        built: Dict[str, Any] = {}
        for i, (where, e) in enumerate(raw.entries.get(kind.name, ()), 1):
            label = f"{kind.name} '{_text(e.get('id')) or '#' + str(i)}'"
            _check_fields(c, where, kind.name, e, label)
            _check_contact_fields(c, where, label, e)
            entity = kind.build(b, where, label, e)
            built.setdefault(entity.id, entity)
        b.built[kind.name] = built
    municipality = _municipality(b, raw.meta_place, meta.get("municipality"))
    tasks = tuple(b.built["task"].values())
    topics = _topics(c, raw.topics_place, raw.topics, kle, tasks)
    if c.problems or municipality is None:
        return None
    return Catalog(
        version=version, published=published, municipality=municipality,
        changes=tuple(_text(x) for x in (meta.get("changes") or [])),
        departments=tuple(b.built["department"].values()), tasks=tasks,
        contacts=tuple(b.built["contact"].values()), channels=tuple(b.built["channel"].values()),
        authorities=tuple(b.built["authority"].values()), topics=topics, kle=dict(kle),
        source_hash=raw.source_hash,
        warnings=_warnings(tasks, kle, {_text(e.get("id")): w.short() for w, e in raw.entries.get("task", ())}),
    )


def _warnings(tasks: Sequence[Task], kle: Mapping[str, KleEntry], files: Mapping[str, str]) -> Tuple[str, ...]:
    """Worth an editor's look, not wrong enough to stop an import: KLE titles that share no word
    with their task, and tasks whose words overlap so much that routing would confuse them."""
    return tuple(kle_word_warnings(tasks, kle, files)) + tuple(keyword_overlap_warnings(tasks, files))


def read_kle_of(root: Path) -> Dict[str, KleEntry]:
    """The KLE classification the catalogue is checked against (catalog_data/kle/OS2KLE.txt)."""
    kle_path = Path(root) / "kle" / "OS2KLE.txt"
    try:
        return read_kle(kle_path)
    except (OSError, ValueError) as exc:
        raise CatalogError([f"{_Collector(Path(root)).rel(kle_path)}: cannot read the KLE classification: {exc}"]) \
            from exc


def load_catalog(root: Path) -> Catalog:
    """Read and validate every source file under ``root``; raise CatalogError on any problem."""
    root = Path(root)
    kle = read_kle_of(root)
    c = _Collector(root)
    catalog = build_catalog(read_yaml_source(root, c), kle, c)
    if c.problems or catalog is None:
        raise CatalogError(c.problems)
    return catalog


# domain record field -> the field an editor writes, where they differ
_SOURCE_NAMES = {"task": {"department_id": "department", "contact_ids": "contacts"},
                 "contact": {"department_id": "department"}}


def source_entry(kind: str, ident: str, fields_: Mapping[str, Any]) -> Dict[str, Any]:
    """A stored record (:func:`bot.catalog.domain.record`) as the entry an editor writes."""
    names = _SOURCE_NAMES.get(kind, {})
    out: Dict[str, Any] = {"id": ident}
    for name, value in fields_.items():
        if value is None or value == [] or value == {}:
            continue
        out[names.get(name, name)] = value
    return out


def raw_from_snapshot(snapshot: Mapping[str, Any]) -> RawCatalog:
    """A stored version (:func:`bot.catalog.domain.snapshot_of`) as raw entries, to check and build again."""
    where = Place(f"catalogue version {snapshot.get('version')}")
    municipality = {k: v for k, v in (snapshot.get("municipality") or {}).items() if v not in (None, [], "")}
    meta = {"version": snapshot.get("version"), "published": snapshot.get("published"),
            "changes": list(snapshot.get("changes") or []), "municipality": municipality}
    entries = {kind.name: [(Place(f"{where.text}, {kind.plural}"), source_entry(kind.name, ident, rec))
                           for ident, rec in (snapshot.get(kind.plural) or {}).items()] for kind in KINDS}
    return RawCatalog(meta, where, entries, snapshot.get("topics") or {}, where, "")


def catalog_from_snapshot(snapshot: Mapping[str, Any], catalog_dir: Path) -> Catalog:
    """The catalogue of a stored version, checked again (KLE from ``catalog_dir``)."""
    kle = read_kle_of(catalog_dir)
    c = _Collector(Path(catalog_dir))
    catalog = build_catalog(raw_from_snapshot(snapshot), kle, c)
    if c.problems or catalog is None:
        raise CatalogError(c.problems)
    return catalog


def _related_tasks(c: _Collector, where: Place, label: str, own_id: str, external: bool, value: Any,
                   task_ids: Iterable[str], external_ids: Iterable[str]) -> Tuple[str, ...]:
    """Task ids a follow-up "what else do we need?" can point at: they must exist, and a public
    task may point only at public tasks (the public chat cannot show an internal one)."""
    related = _str_list(c, where, label, "related_tasks", value)
    task_ids, external_ids = set(task_ids), set(external_ids)
    for tid in related:
        if tid == own_id:
            c.add(where, label, "related_tasks", f"{tid!r} is the task itself")
        elif tid not in task_ids:
            c.add(where, label, "related_tasks", f"unknown task {tid!r}. {_did_you_mean(tid, task_ids)}")
        elif external and tid not in external_ids:
            c.add(where, label, "related_tasks",
                  f"{tid!r} is an internal task; an external task may only point at external tasks")
    return related


def _topics(c: _Collector, where: Place, raw: Optional[Mapping[str, Any]], kle: Mapping[str, KleEntry],
            tasks: Sequence[Task]) -> Dict[str, Tuple[str, ...]]:
    out: Dict[str, Tuple[str, ...]] = {}
    for intent, prefixes in (raw or {}).items():
        label = f"topic '{intent}'"
        if not isinstance(prefixes, list) or not prefixes:
            c.add(where, label, None, "must list KLE prefixes, e.g. [05.14.08]")
            continue
        clean = []
        for pre in prefixes:
            pre = kle_text(pre)
            if not _KLE_PREFIX.match(pre):
                c.add(where, label, None, f"{pre!r} is not a KLE prefix like '05', '05.14' or '05.14.08'")
            elif not any(n.startswith(pre) for n in kle):
                c.add(where, label, None, f"{pre!r} matches no KLE number in OS2KLE")
            clean.append(pre)
        covered = [t for t in tasks if t.external and any(n.startswith(p) for n in t.kle for p in clean)]
        if not covered:
            c.add(where, label, None, "no external task carries these KLE numbers: the assistant would recognise "
                                      "the topic but have nowhere to send the business")
        out[str(intent)] = tuple(clean)
    return out


def kle_text(value: Any) -> str:
    """YAML reads 05.14 as a float; give back the text an editor wrote (two digits per level)."""
    if isinstance(value, float):
        whole, _, frac = f"{value:.2f}".partition(".")
        return f"{int(whole):02d}.{frac}"
    if isinstance(value, int):
        return f"{value:02d}"
    return str(value).strip()


def _hash_sources(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.yml")):
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()
