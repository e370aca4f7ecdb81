"""Load and validate the human-edited catalogue files in catalog_data/.

Every problem is reported with the file, the entry and the field, and where it helps,
the valid choices. :func:`load_catalog` returns a :class:`CatalogSource` or raises
:class:`CatalogError` listing *all* problems found.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

import yaml

from bot.catalog.checks import kle_word_warnings
from bot.catalog.kle import KleEntry, read_kle

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


Hours = Dict[str, Tuple[Tuple[str, str], ...]]


@dataclass(frozen=True)
class SrcDepartment:
    id: str
    name: str
    parent: Optional[str]
    description: str
    phone: Optional[str]
    email: Optional[str]
    url: Optional[str]
    address: Optional[str]
    opening_hours: Hours
    external: bool
    reply_time: Optional[str] = None  # typical reply time for e-mail and letters


@dataclass(frozen=True)
class SrcTask:
    id: str
    title: str
    description: str
    kle: Tuple[str, ...]
    keywords: Tuple[str, ...]
    department: str
    contacts: Tuple[str, ...]
    self_service_url: Optional[str]
    external: bool
    # facts the chat answers follow-up questions from (all optional)
    fee: Optional[str] = None
    processing_time: Optional[str] = None
    documents: Tuple[str, ...] = ()
    legal_basis_url: Optional[str] = None
    related_tasks: Tuple[str, ...] = ()
    related_authorities: Tuple[str, ...] = ()
    facts_note: Optional[str] = None  # e.g. "Gebyr og servicemål er eksempler"
    # English wording for English-speaking businesses (optional; Danish is shown otherwise)
    title_en: Optional[str] = None
    description_en: Optional[str] = None
    # how the clarifying question names the task: "Handler det om {ask_as}, … eller …?"
    ask_as: Optional[str] = None
    ask_as_en: Optional[str] = None


@dataclass(frozen=True)
class SrcContact:
    id: str
    name: str
    title: str
    department: str
    phone: Optional[str]
    email: Optional[str]
    tasks: Tuple[str, ...]
    external: bool


@dataclass(frozen=True)
class SrcChannel:
    id: str
    name: str
    phone: str
    short: Optional[str]
    email: Optional[str]
    url: Optional[str]
    description: str
    opening_hours: Hours
    open_on_holidays: bool


@dataclass(frozen=True)
class SrcAuthority:
    id: str
    name: str
    description: str
    phone: Optional[str]
    url: Optional[str]
    topics: Tuple[str, ...]
    email: Optional[str] = None
    address: Optional[str] = None
    opening_hours: Hours = field(default_factory=dict)
    reply_time: Optional[str] = None


@dataclass(frozen=True)
class CatalogSource:
    version: str
    published: Optional[date]
    municipality: str
    changes: Tuple[str, ...]
    departments: Tuple[SrcDepartment, ...]
    tasks: Tuple[SrcTask, ...]
    contacts: Tuple[SrcContact, ...]
    channels: Tuple[SrcChannel, ...]
    authorities: Tuple[SrcAuthority, ...]
    topics: Dict[str, Tuple[str, ...]]
    kle: Dict[str, KleEntry] = field(repr=False)
    source_hash: str = ""
    warnings: Tuple[str, ...] = ()  # worth a look, but not wrong enough to stop an import

    def summary(self) -> str:
        return (
            f"{len(self.departments)} departments, {len(self.tasks)} tasks, "
            f"{len(self.contacts)} contacts, {len(self.authorities)} authorities"
        )


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

    def add(self, path: Path, entry: str, fieldname: Optional[str], message: str) -> None:
        where = f"{self.rel(path)}: {entry}"
        if fieldname:
            where += f", field '{fieldname}'"
        self.problems.append(f"{where}: {message}")


_FIELDS: Dict[str, Tuple[Tuple[str, ...], Tuple[str, ...]]] = {
    # kind: (required, optional)
    "department": (("id", "name"), ("parent", "description", "phone", "email", "url", "address", "opening_hours",
                                     "external", "reply_time")),
    "task": (("id", "title", "description", "kle", "keywords", "department"),
             ("contacts", "self_service_url", "external", "fee", "processing_time", "documents", "legal_basis_url",
              "related_tasks", "related_authorities", "facts_note", "title_en", "description_en", "ask_as",
              "ask_as_en")),
    "contact": (("id", "name", "department"), ("title", "phone", "email", "tasks", "external")),
    "channel": (("id", "name", "phone", "opening_hours"), ("short", "email", "url", "description", "open_on_holidays")),
    "authority": (("id", "name", "description", "topics"),
                  ("phone", "url", "email", "address", "opening_hours", "reply_time")),
}


def _read_yaml(c: _Collector, path: Path, key: str) -> List[Mapping[str, Any]]:
    if not path.exists():
        c.add(path, "file", None, "missing")
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        c.add(path, "file", None, f"is not valid YAML{at}: {getattr(exc, 'problem', exc)}")
        return []
    if not isinstance(data, dict) or key not in data:
        c.add(path, "file", None, f"must be a mapping with a top-level '{key}:' list")
        return []
    items = data[key] or []
    if not isinstance(items, list):
        c.add(path, "file", key, "must be a list of entries")
        return []
    good = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            c.add(path, f"entry #{i}", None, "must be a mapping of field: value")
        else:
            good.append(item)
    return good


def _check_fields(c: _Collector, path: Path, kind: str, entry: Mapping[str, Any], label: str) -> bool:
    required, optional = _FIELDS[kind]
    ok = True
    for name in required:
        if entry.get(name) in (None, "", []):
            c.add(path, label, name, "is required")
            ok = False
    unknown = sorted(set(entry) - set(required) - set(optional))
    for name in unknown:
        c.add(path, label, name, f"unknown field. Valid fields for a {kind}: {', '.join(required + optional)}")
    return ok


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _opt(v: Any) -> Optional[str]:
    s = _text(v)
    return s or None


def _line(c: _Collector, path: Path, label: str, name: str, v: Any) -> Optional[str]:
    """An optional line of plain text (a fee, a service target, a note): not a list or a mapping."""
    if v is None:
        return None
    if isinstance(v, (list, dict)):
        c.add(path, label, name, f"must be one line of text, e.g. {name}: \"Gebyr efter medgået tid\"")
        return None
    return _opt(" ".join(str(v).split()))


def _ask_as(c: _Collector, path: Path, label: str, name: str, v: Any) -> Optional[str]:
    """A short phrase for the clarifying question; its parts are joined with commas and "eller"/"or"."""
    phrase = _line(c, path, label, name, v)
    if phrase and ("," in phrase or {"eller", "or"} & set(phrase.lower().split())):
        c.add(path, label, name, f"{phrase!r}: write it without commas and without 'eller'/'or' – the question "
                                 "joins the choices with them (\"Handler det om borde på fortovet, … eller …?\")")
        return None
    return phrase


def _flag(c: _Collector, path: Path, label: str, name: str, v: Any, default: bool) -> bool:
    if v is None:
        return default
    if not isinstance(v, bool):
        c.add(path, label, name, f"must be true or false, not {v!r}")
        return default
    return v


def _str_list(c: _Collector, path: Path, label: str, name: str, v: Any) -> Tuple[str, ...]:
    if v is None:
        return ()
    if not isinstance(v, list) or not all(isinstance(x, (str, int, float)) for x in v):
        c.add(path, label, name, "must be a list of words, e.g. [a, b]")
        return ()
    return tuple(_text(x) for x in v if _text(x))


def _check_contact_fields(c: _Collector, path: Path, label: str, e: Mapping[str, Any]) -> None:
    phone = _opt(e.get("phone"))
    if phone and not _PHONE.match(phone):
        c.add(path, label, "phone", f"{phone!r} is not a Danish phone number (8 digits like '72 57 77 77', or a 4-digit short number)")
    email = _opt(e.get("email"))
    if email and not _EMAIL.match(email):
        c.add(path, label, "email", f"{email!r} is not an e-mail address like 'name@jammerbugt.dk'")
    for key in ("url", "self_service_url", "legal_basis_url"):
        url = _opt(e.get(key))
        if url and not url.startswith("https://"):
            c.add(path, label, key, f"{url!r} must start with https://")


def _hours(c: _Collector, path: Path, label: str, v: Any) -> Hours:
    if v is None:
        return {}
    if not isinstance(v, dict):
        c.add(path, label, "opening_hours", f"must map weekdays ({', '.join(WEEKDAYS)}) to lists of 'HH:MM-HH:MM'")
        return {}
    out: Hours = {}
    for day, intervals in v.items():
        if day not in WEEKDAYS:
            c.add(path, label, "opening_hours", f"unknown weekday {day!r}. Valid weekdays: {', '.join(WEEKDAYS)}")
            continue
        if isinstance(intervals, str):
            intervals = [intervals]
        if not isinstance(intervals, list):
            c.add(path, label, "opening_hours", f"{day}: must be a list of 'HH:MM-HH:MM'")
            continue
        parsed = []
        for iv in intervals:
            m = _INTERVAL.match(str(iv).strip())
            if not m or (m.group(1), m.group(2)) >= (m.group(3), m.group(4)):
                c.add(path, label, "opening_hours", f"{day}: {iv!r} is not an interval like '09:00-15:00' (start before end)")
                continue
            start, end = str(iv).strip().split("-")
            parsed.append((start, end))
        parsed.sort()
        for (s1, e1), (s2, _e2) in zip(parsed, parsed[1:]):
            if s2 < e1:
                c.add(path, label, "opening_hours", f"{day}: intervals {s1}-{e1} and {s2} overlap")
        out[day] = tuple(parsed)
    return out


def _ids(c: _Collector, path: Path, kind: str, entries: Iterable[Mapping[str, Any]], seen: Dict[str, Path]) -> None:
    for i, e in enumerate(entries, 1):
        ident = _text(e.get("id"))
        if not ident:
            continue
        if not _ID.match(ident):
            c.add(path, f"{kind} '{ident}'", "id", "must be lowercase letters, digits and dashes, e.g. 'byg-miljoe'")
        if ident in seen:
            c.add(path, f"{kind} '{ident}'", "id", f"duplicate id (also in {c.rel(seen[ident])})")
        else:
            seen[ident] = path


def _did_you_mean(value: str, valid: Iterable[str]) -> str:
    import difflib

    valid = sorted(valid)
    close = difflib.get_close_matches(value, valid, n=3)
    if close:
        return f"Did you mean: {', '.join(close)}?"
    return f"Known: {', '.join(valid[:15])}{' …' if len(valid) > 15 else ''}"


def load_catalog(root: Path) -> CatalogSource:
    """Read and validate every source file under ``root``; raise CatalogError on any problem."""
    root = Path(root)
    c = _Collector(root)
    kle_path = root / "kle" / "OS2KLE.txt"
    try:
        kle = read_kle(kle_path)
    except (OSError, ValueError) as exc:
        raise CatalogError([f"{c.rel(kle_path)}: cannot read the KLE classification: {exc}"]) from exc

    meta_path = root / "catalog.yml"
    meta: Mapping[str, Any] = {}
    if meta_path.exists():
        try:
            meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            c.add(meta_path, "file", None, f"is not valid YAML: {exc}")
    else:
        c.add(meta_path, "file", None, "missing")
    version = _text(meta.get("version")) if isinstance(meta, dict) else ""
    if isinstance(meta, dict) and not version:
        c.add(meta_path, "catalogue", "version", "is required, e.g. version: \"2026.2\"")
    published = meta.get("published") if isinstance(meta, dict) else None
    if published is not None and not isinstance(published, date):
        c.add(meta_path, "catalogue", "published", f"{published!r} is not a date like 2026-11-01")
        published = None

    dep_path = root / "departments.yml"
    con_path = root / "contacts.yml"
    cha_path = root / "channels.yml"
    aut_path = root / "authorities.yml"
    raw_deps = _read_yaml(c, dep_path, "departments")
    task_files = sorted((root / "tasks").glob("*.yml")) if (root / "tasks").is_dir() else []
    if not task_files:
        c.add(root / "tasks", "folder", None, "must hold at least one tasks/*.yml file")
    raw_tasks = [(p, e) for p in task_files for e in _read_yaml(c, p, "tasks")]
    raw_contacts = _read_yaml(c, con_path, "contacts")
    raw_channels = _read_yaml(c, cha_path, "channels")
    raw_auth = _read_yaml(c, aut_path, "authorities")

    seen: Dict[str, Path] = {}
    _ids(c, dep_path, "department", raw_deps, seen)
    dep_ids = set(seen)
    seen_t: Dict[str, Path] = {}
    for p, e in raw_tasks:
        _ids(c, p, "task", [e], seen_t)
    task_ids = set(seen_t)
    seen_c: Dict[str, Path] = {}
    _ids(c, con_path, "contact", raw_contacts, seen_c)
    contact_ids = set(seen_c)
    _ids(c, cha_path, "channel", raw_channels, {})
    seen_a: Dict[str, Path] = {}
    _ids(c, aut_path, "authority", raw_auth, seen_a)
    authority_ids = set(seen_a)
    external_task_ids = {_text(e.get("id")) for _p, e in raw_tasks if e.get("external") is True}

    departments = []
    for i, e in enumerate(raw_deps, 1):
        label = f"department '{_text(e.get('id')) or '#' + str(i)}'"
        _check_fields(c, dep_path, "department", e, label)
        _check_contact_fields(c, dep_path, label, e)
        parent = _opt(e.get("parent"))
        if parent and parent not in dep_ids:
            c.add(dep_path, label, "parent", f"unknown department {parent!r}. {_did_you_mean(parent, dep_ids)}")
        departments.append(SrcDepartment(
            id=_text(e.get("id")), name=_text(e.get("name")), parent=parent,
            description=_text(e.get("description")), phone=_opt(e.get("phone")), email=_opt(e.get("email")),
            url=_opt(e.get("url")), address=_opt(e.get("address")),
            opening_hours=_hours(c, dep_path, label, e.get("opening_hours")),
            external=_flag(c, dep_path, label, "external", e.get("external"), True),
            reply_time=_line(c, dep_path, label, "reply_time", e.get("reply_time")),
        ))

    tasks = []
    for p, e in raw_tasks:
        label = f"task '{_text(e.get('id')) or '?'}'"
        _check_fields(c, p, "task", e, label)
        _check_contact_fields(c, p, label, e)
        kle_numbers = _str_list(c, p, label, "kle", e.get("kle"))
        if e.get("kle") is not None and not 1 <= len(kle_numbers) <= 3:
            c.add(p, label, "kle", f"must list 1 to 3 KLE numbers, not {len(kle_numbers)}")
        for number in kle_numbers:
            if not _KLE.match(number):
                c.add(p, label, "kle", f"{number!r} is not a KLE number like '02.34.02' (write it in quotes)")
            elif number not in kle:
                c.add(p, label, "kle", f"{number!r} does not exist in OS2KLE. {_did_you_mean(number, kle)}")
        dep = _text(e.get("department"))
        if dep and dep not in dep_ids:
            c.add(p, label, "department", f"unknown department {dep!r}. {_did_you_mean(dep, dep_ids)}")
        contacts = _str_list(c, p, label, "contacts", e.get("contacts"))
        for cid in contacts:
            if cid not in contact_ids:
                c.add(p, label, "contacts", f"unknown contact {cid!r}. {_did_you_mean(cid, contact_ids)}")
        external = _flag(c, p, label, "external", e.get("external"), False)
        related = _related_tasks(c, p, label, _text(e.get("id")), external, e.get("related_tasks"), task_ids,
                                 external_task_ids)
        related_auth = _str_list(c, p, label, "related_authorities", e.get("related_authorities"))
        for aid in related_auth:
            if aid not in authority_ids:
                c.add(p, label, "related_authorities",
                      f"unknown authority {aid!r}. {_did_you_mean(aid, authority_ids)}")
        tasks.append(SrcTask(
            id=_text(e.get("id")), title=_text(e.get("title")), description=" ".join(_text(e.get("description")).split()),
            kle=kle_numbers, keywords=_str_list(c, p, label, "keywords", e.get("keywords")), department=dep,
            contacts=contacts, self_service_url=_opt(e.get("self_service_url")), external=external,
            fee=_line(c, p, label, "fee", e.get("fee")),
            processing_time=_line(c, p, label, "processing_time", e.get("processing_time")),
            documents=_str_list(c, p, label, "documents", e.get("documents")),
            legal_basis_url=_opt(e.get("legal_basis_url")),
            related_tasks=related, related_authorities=related_auth,
            facts_note=_line(c, p, label, "facts_note", e.get("facts_note")),
            title_en=_line(c, p, label, "title_en", e.get("title_en")),
            description_en=" ".join(_text(e.get("description_en")).split()) or None,
            ask_as=_ask_as(c, p, label, "ask_as", e.get("ask_as")),
            ask_as_en=_ask_as(c, p, label, "ask_as_en", e.get("ask_as_en")),
        ))

    contacts_out = []
    for i, e in enumerate(raw_contacts, 1):
        label = f"contact '{_text(e.get('id')) or '#' + str(i)}'"
        _check_fields(c, con_path, "contact", e, label)
        _check_contact_fields(c, con_path, label, e)
        dep = _text(e.get("department"))
        if dep and dep not in dep_ids:
            c.add(con_path, label, "department", f"unknown department {dep!r}. {_did_you_mean(dep, dep_ids)}")
        ctasks = _str_list(c, con_path, label, "tasks", e.get("tasks"))
        for tid in ctasks:
            if tid not in task_ids:
                c.add(con_path, label, "tasks", f"unknown task {tid!r}. {_did_you_mean(tid, task_ids)}")
        contacts_out.append(SrcContact(
            id=_text(e.get("id")), name=_text(e.get("name")), title=_text(e.get("title")), department=dep,
            phone=_opt(e.get("phone")), email=_opt(e.get("email")), tasks=ctasks,
            external=_flag(c, con_path, label, "external", e.get("external"), False),
        ))

    channels = []
    for i, e in enumerate(raw_channels, 1):
        label = f"channel '{_text(e.get('id')) or '#' + str(i)}'"
        _check_fields(c, cha_path, "channel", e, label)
        _check_contact_fields(c, cha_path, label, e)
        channels.append(SrcChannel(
            id=_text(e.get("id")), name=_text(e.get("name")), phone=_text(e.get("phone")), short=_opt(e.get("short")),
            email=_opt(e.get("email")), url=_opt(e.get("url")), description=_text(e.get("description")),
            opening_hours=_hours(c, cha_path, label, e.get("opening_hours")),
            open_on_holidays=_flag(c, cha_path, label, "open_on_holidays", e.get("open_on_holidays"), False),
        ))
    if raw_channels and "one-entrance" not in {ch.id for ch in channels}:
        c.add(cha_path, "channels", "id", "a channel with id 'one-entrance' (the 8810 phone) is required: every answer refers to it")

    authorities = []
    for i, e in enumerate(raw_auth, 1):
        label = f"authority '{_text(e.get('id')) or '#' + str(i)}'"
        _check_fields(c, aut_path, "authority", e, label)
        _check_contact_fields(c, aut_path, label, e)
        authorities.append(SrcAuthority(
            id=_text(e.get("id")), name=_text(e.get("name")), description=_text(e.get("description")),
            phone=_opt(e.get("phone")), url=_opt(e.get("url")),
            topics=_str_list(c, aut_path, label, "topics", e.get("topics")),
            email=_opt(e.get("email")), address=_line(c, aut_path, label, "address", e.get("address")),
            opening_hours=_hours(c, aut_path, label, e.get("opening_hours")),
            reply_time=_line(c, aut_path, label, "reply_time", e.get("reply_time")),
        ))

    topics = _load_topics(c, root / "topics.yml", kle, tasks)

    if c.problems:
        raise CatalogError(c.problems)
    return CatalogSource(
        version=version, published=published, municipality=_text(meta.get("municipality")),
        changes=tuple(_text(x) for x in (meta.get("changes") or [])),
        departments=tuple(departments), tasks=tuple(tasks), contacts=tuple(contacts_out),
        channels=tuple(channels), authorities=tuple(authorities), topics=topics, kle=kle,
        source_hash=_hash_sources(root),
        warnings=tuple(kle_word_warnings(tasks, kle, {_text(e.get("id")): c.rel(p) for p, e in raw_tasks})),
    )


def _related_tasks(c: _Collector, path: Path, label: str, own_id: str, external: bool, value: Any,
                   task_ids: Iterable[str], external_ids: Iterable[str]) -> Tuple[str, ...]:
    """Task ids a follow-up "what else do we need?" can point at: they must exist, and a public
    task may point only at public tasks (the public chat cannot show an internal one)."""
    related = _str_list(c, path, label, "related_tasks", value)
    task_ids, external_ids = set(task_ids), set(external_ids)
    for tid in related:
        if tid == own_id:
            c.add(path, label, "related_tasks", f"{tid!r} is the task itself")
        elif tid not in task_ids:
            c.add(path, label, "related_tasks", f"unknown task {tid!r}. {_did_you_mean(tid, task_ids)}")
        elif external and tid not in external_ids:
            c.add(path, label, "related_tasks",
                  f"{tid!r} is an internal task; an external task may only point at external tasks")
    return related


def _load_topics(c: _Collector, path: Path, kle: Mapping[str, KleEntry], tasks: Sequence[SrcTask]) -> Dict[str, Tuple[str, ...]]:
    if not path.exists():
        c.add(path, "file", None, "missing")
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        c.add(path, "file", None, f"is not valid YAML: {exc}")
        return {}
    raw = data.get("topics") if isinstance(data, dict) else None
    if not isinstance(raw, dict):
        c.add(path, "file", None, "must have a 'topics:' mapping of intent: [KLE prefixes]")
        return {}
    out: Dict[str, Tuple[str, ...]] = {}
    for intent, prefixes in raw.items():
        label = f"topic '{intent}'"
        if not isinstance(prefixes, list) or not prefixes:
            c.add(path, label, None, "must list KLE prefixes, e.g. [05.14.08]")
            continue
        clean = []
        for pre in prefixes:
            pre = _kle_text(pre)
            if not _KLE_PREFIX.match(pre):
                c.add(path, label, None, f"{pre!r} is not a KLE prefix like '05', '05.14' or '05.14.08'")
            elif not any(n.startswith(pre) for n in kle):
                c.add(path, label, None, f"{pre!r} matches no KLE number in OS2KLE")
            clean.append(pre)
        covered = [t for t in tasks if t.external and any(n.startswith(p) for n in t.kle for p in clean)]
        if not covered:
            c.add(path, label, None, "no external task carries these KLE numbers: the assistant would recognise "
                                     "the topic but have nowhere to send the business")
        out[str(intent)] = tuple(clean)
    return out


def _kle_text(value: Any) -> str:
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
