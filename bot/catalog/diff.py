"""What changed between two catalogue versions, field by field, for the editors' change note.

The input is the JSON-able snapshot stored with each imported version (see
:func:`bot.catalog.domain.snapshot_of`): kinds of entity by id, each a dict of fields. Ids are
the identity, so a changed id is one entry removed and one added. A missing field, None, "",
[] and {} all mean "empty": a field that an old snapshot did not have yet shows as changed only
if it now holds something. Whitespace inside texts is not a change (YAML folding moves it).

:func:`render_text` is for the editor at the terminal (raw field names and ids, as in the
files); :func:`render_markdown` is the Danish e-mail to colleagues (labels and names).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from bot.routing.danish import sort_key

KINDS = ("departments", "tasks", "contacts", "authorities", "channels", "municipality")
MUNICIPALITY = "municipality"  # one entity, not keyed by id: only ever "changed"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# Danish labels; their order is also the order fields are listed in. Unknown fields come after,
# alphabetically, under their own name.
FIELD_LABELS: Dict[str, str] = {
    "name": "Navn", "title": "Titel", "description": "Beskrivelse", "parent": "Overordnet afdeling",
    "department_id": "Afdeling", "phone": "Telefon", "short": "Kortnummer", "switchboard": "Hovednummer",
    "email": "E-mail", "url": "Hjemmeside", "address": "Adresse", "opening_hours": "Åbningstider",
    "open_on_holidays": "Åben på helligdage", "reply_time": "Svartid", "external": "Offentlig",
    "kle": "KLE-numre", "keywords": "Søgeord", "topics": "Emner", "contact_ids": "Kontaktpersoner",
    "tasks": "Opgaver", "self_service_url": "Selvbetjening", "fee": "Gebyr", "processing_time": "Behandlingstid",
    "documents": "Bilag", "legal_basis_url": "Lovgrundlag", "related_tasks": "Relaterede opgaver",
    "related_authorities": "Relaterede myndigheder", "facts_note": "Note om fakta",
    "title_en": "Titel (engelsk)", "description_en": "Beskrivelse (engelsk)", "ask_as": "Spørges som",
    "ask_as_en": "Spørges som (engelsk)", "one_entrance": "Én indgang", "citizen_service": "Borgerservice",
    "digital_help": "Digital hjælp", "stop_words": "Stopord", "source": "Kilde",
    "verified": "Senest kontrolleret",
}
_KIND_LABELS = {("contacts", "title"): "Stilling"}  # a contact's title is a job title
# Fields that hold ids of other entries: the e-mail shows their names.
REFERENCES = {
    "parent": "departments", "department_id": "departments", "citizen_service": "departments",
    "contact_ids": "contacts", "tasks": "tasks", "related_tasks": "tasks",
    "related_authorities": "authorities", "one_entrance": "channels", "digital_help": "channels",
}
_LONG = 60  # texts longer than this are shown before and after on lines of their own

Value = Any  # after normalising: None, str, bool, a number, Tuple[str, ...] or Dict[str, Value]


@dataclass(frozen=True)
class Entry:
    """An added or removed entry."""

    id: str
    name: str


@dataclass(frozen=True)
class FieldChange:
    """One field of one entry; ``old``/``new`` are None when empty, lists are tuples."""

    field: str
    old: Value
    new: Value

    @property
    def is_list(self) -> bool:
        return _both(self, tuple)

    @property
    def added(self) -> Tuple[str, ...]:
        """List items only in the new value, in their new order (() for other values)."""
        return _minus(self.new, self.old) if self.is_list else ()

    @property
    def removed(self) -> Tuple[str, ...]:
        return _minus(self.old, self.new) if self.is_list else ()

    @property
    def reordered(self) -> bool:
        """The same list items in another order (a task's first KLE number is its main topic)."""
        return self.is_list and not self.added and not self.removed

    @property
    def parts(self) -> Tuple["FieldChange", ...]:
        """For a mapping such as opening hours: one change per key (weekday) that differs."""
        if not _both(self, dict):
            return ()
        old, new = self.old or {}, self.new or {}
        keys = sorted(set(old) | set(new), key=lambda k: (WEEKDAYS.index(k) if k in WEEKDAYS else 7, k))
        return tuple(FieldChange(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k))


@dataclass(frozen=True)
class EntryChange:
    id: str
    name: str  # the new name; a new name is also one of the fields
    fields: Tuple[FieldChange, ...]


@dataclass(frozen=True)
class KindDiff:
    kind: str
    added: Tuple[Entry, ...] = ()
    removed: Tuple[Entry, ...] = ()
    changed: Tuple[EntryChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass(frozen=True)
class CatalogDiff:
    """All kinds, always in :data:`KINDS` order; entries within a kind sorted by name."""

    kinds: Tuple[KindDiff, ...]
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def empty(self) -> bool:
        return all(k.empty for k in self.kinds)

    def kind(self, kind: str) -> KindDiff:
        for k in self.kinds:
            if k.kind == kind:
                return k
        raise KeyError(f"No kind {kind!r} in a catalogue diff. Kinds: {', '.join(KINDS)}")

    def name_of(self, kind: str, ident: str) -> str:
        """The display name of an entry in either version; the id when neither has it."""
        return self.names.get(kind, {}).get(ident, ident)


# --- comparing ---------------------------------------------------------------------------

def diff_snapshots(old: Mapping[str, Any], new: Mapping[str, Any]) -> CatalogDiff:
    """Compare two snapshots; a kind missing from one (an old snapshot) counts as empty."""
    kinds, names = [], {}
    for kind in KINDS:
        before, after = _entries(old, kind), _entries(new, kind)
        names[kind] = {i: _name(r, i) for i, r in {**before, **after}.items()}
        kinds.append(_diff_kind(kind, before, after))
    return CatalogDiff(tuple(kinds), names)


def _entries(snapshot: Mapping[str, Any], kind: str) -> Dict[str, Mapping[str, Any]]:
    raw = snapshot.get(kind) or {}
    if kind == MUNICIPALITY:
        return {MUNICIPALITY: raw}
    return {str(i): (r or {}) for i, r in raw.items()}


def _diff_kind(kind: str, before: Mapping[str, Mapping], after: Mapping[str, Mapping]) -> KindDiff:
    def order(ident: str, record: Mapping) -> Tuple[str, str]:
        return (sort_key(_name(record, ident)), ident)

    added = sorted((i for i in after if i not in before), key=lambda i: order(i, after[i]))
    removed = sorted((i for i in before if i not in after), key=lambda i: order(i, before[i]))
    changed = []
    for i in sorted((i for i in after if i in before), key=lambda i: order(i, after[i])):
        fields = _changed_fields(before[i], after[i])
        if fields:
            changed.append(EntryChange(i, _name(after[i], i), fields))
    return KindDiff(kind, tuple(Entry(i, _name(after[i], i)) for i in added),
                    tuple(Entry(i, _name(before[i], i)) for i in removed), tuple(changed))


def _changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> Tuple[FieldChange, ...]:
    order = list(FIELD_LABELS)
    keys = sorted((set(old) | set(new)) - {"id"}, key=lambda k: (order.index(k) if k in order else len(order), k))
    changes = (FieldChange(k, _normal(old.get(k)), _normal(new.get(k))) for k in keys)
    return tuple(c for c in changes if c.old != c.new)


def _normal(value: Any) -> Value:
    """One spelling per value, so that only what a reader would see counts as a change."""
    if isinstance(value, str):
        value = " ".join(value.split())
    elif isinstance(value, (list, tuple)):
        value = tuple(_normal(v) for v in value)
    elif isinstance(value, Mapping):
        value = {str(k): n for k, n in ((k, _normal(v)) for k, v in value.items()) if n is not None}
    return None if value in ("", (), {}) else value


def _name(record: Mapping[str, Any], ident: str) -> str:
    for key in ("name", "title"):
        value = _normal(record.get(key))
        if isinstance(value, str):
            return value
    return ident


def _both(change: FieldChange, kind: type) -> bool:
    return all(v is None or isinstance(v, kind) for v in (change.old, change.new))


def _minus(a: Optional[Tuple[str, ...]], b: Optional[Tuple[str, ...]]) -> Tuple[str, ...]:
    other = set(b or ())
    return tuple(dict.fromkeys(v for v in a or () if v not in other))


# --- rendering ----------------------------------------------------------------------------

_EN = {"departments": ("department", "departments"), "tasks": ("task", "tasks"),
       "contacts": ("contact", "contacts"), "authorities": ("authority", "authorities"),
       "channels": ("channel", "channels")}
_DA = {"departments": ("afdeling", "afdelinger"), "tasks": ("opgave", "opgaver"),
       "contacts": ("kontaktperson", "kontaktpersoner"), "authorities": ("myndighed", "myndigheder"),
       "channels": ("kanal", "kanaler")}
_DA_HEADINGS = {"departments": "Afdelinger", "tasks": "Opgaver", "contacts": "Kontaktpersoner",
                "authorities": "Myndigheder", "channels": "Kanaler", MUNICIPALITY: "Kommunen"}
_DA_DAYS = dict(zip(WEEKDAYS, ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")))


def _counts(diff: CatalogDiff) -> List[Tuple[str, str, int]]:
    """(what, kind, how many) in the order of the sections: new, removed, changed."""
    return [(what, k.kind, len(getattr(k, what))) for what in ("added", "removed", "changed")
            for k in diff.kinds if getattr(k, what)]


def _summary_en(diff: CatalogDiff) -> str:
    parts = []
    for what, kind, n in _counts(diff):
        if kind == MUNICIPALITY:
            parts.append("municipality changed")
        else:
            parts.append(f"{n} {_EN[kind][n != 1]} {what}")
    return ", ".join(parts) + "."


def _summary_da(diff: CatalogDiff) -> str:
    """E.g. "1 ny afdeling, 2 kontaktpersoner fjernet og 3 opgaver ændret." (all nouns are common gender)."""
    parts = []
    for what, kind, n in _counts(diff):
        if kind == MUNICIPALITY:
            parts.append("kommunens oplysninger ændret")
            continue
        noun = _DA[kind][n != 1]
        parts.append({"added": f"{n} {'ny' if n == 1 else 'nye'} {noun}",
                      "removed": f"{n} {noun} fjernet", "changed": f"{n} {noun} ændret"}[what])
    text = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} og {parts[-1]}"
    return text[0].upper() + text[1:] + "."


def render_text(diff: CatalogDiff, old_label: str, new_label: str) -> str:
    """For the terminal: grouped by kind, raw field names and ids as the editor writes them."""
    lines = [f"Catalogue changes {old_label} → {new_label}"]
    if diff.empty:
        return "\n".join(lines + ["No changes."]) + "\n"
    lines.append(_summary_en(diff))
    style = _Style(_text_value, lambda day: day, "old", "new", "closed", "new order")
    for k in diff.kinds:
        if k.empty:
            continue
        lines += ["", "Municipality" if k.kind == MUNICIPALITY else k.kind.capitalize()]
        lines += [f"  + {e.name} [{e.id}]" for e in k.added]
        lines += [f"  − {e.name} [{e.id}]" for e in k.removed]
        for c in k.changed:
            lines.append(f"  ~ {c.name}" + ("" if k.kind == MUNICIPALITY else f" [{c.id}]"))
            for f in c.fields:
                lines += _change_lines(f, f.field, style, "    ")
    return "\n".join(lines) + "\n"


def render_markdown(diff: CatalogDiff, old_label: str, new_label: str) -> str:
    """For an e-mail to colleagues, in Danish: summary, then new, removed and changed entries."""
    lines = [f"# Ændringer i katalog {_md(old_label)} → {_md(new_label)}", ""]
    if diff.empty:
        return "\n".join(lines + ["Ingen ændringer."]) + "\n"
    lines.append(_summary_da(diff))
    style = _Style(_danish_value(diff, markdown=True), lambda day: _DA_DAYS.get(day, _md(day)), "Før", "Nu", "lukket", "ny rækkefølge")
    for title, what in (("Nye", "added"), ("Fjernede", "removed")):
        kinds = [k for k in diff.kinds if getattr(k, what)]
        if kinds:
            lines += ["", f"## {title}"]
        for k in kinds:
            lines += ["", f"### {_DA_HEADINGS[k.kind]}", ""]
            lines += [f"- **{_md(e.name)}**" for e in getattr(k, what)]
    kinds = [k for k in diff.kinds if k.changed]
    if kinds:
        lines += ["", "## Ændrede"]
    for k in kinds:
        lines += ["", f"### {_DA_HEADINGS[k.kind]}", ""]
        for c in k.changed:
            indent = ""
            if k.kind != MUNICIPALITY:  # one entry: its fields are the section
                lines.append(f"- **{_md(c.name)}**")
                indent = "  "
            for f in c.fields:
                label = _KIND_LABELS.get((k.kind, f.field), FIELD_LABELS.get(f.field, f.field))
                lines += _change_lines(f, _md(label), style, indent)
    return "\n".join(lines) + "\n"


Show = Callable[[str, Value], str]  # (field, value) -> how it reads


@dataclass(frozen=True)
class _Style:
    """The words and value formatting of one rendering."""

    show: Show
    day: Callable[[str], str]
    before: str
    after: str
    closed: str
    new_order: str


def _change_lines(f: FieldChange, label: str, style: _Style, indent: str) -> List[str]:
    """One field as list lines: lists as +added −removed, hours per weekday, long texts in full."""
    head, show = f"{indent}- {label}:", style.show
    if f.is_list:
        if f.reordered:
            return [f"{head} {style.new_order}: {show(f.field, f.new)}"]
        items = [f"+{show(f.field, (v,))}" for v in f.added] + [f"−{show(f.field, (v,))}" for v in f.removed]
        return [f"{head} {', '.join(items)}"]
    if f.parts:
        def hours(v: Value) -> str:
            return show(f.field, v) if v else style.closed  # an empty weekday is a closed one
        return [head] + [f"{indent}  - {style.day(p.field)}: {hours(p.old)} → {hours(p.new)}" for p in f.parts]
    old, new = show(f.field, f.old), show(f.field, f.new)
    if any(isinstance(v, str) and len(v) > _LONG for v in (f.old, f.new)):
        return [head, f"{indent}  - {style.before}: {old}", f"{indent}  - {style.after}: {new}"]
    return [f"{head} {old} → {new}"]


def _shower(none: str, yes: str, no: str, key: Callable[[str], str], leaf: Show) -> Show:
    """How values read in one style: the words for empty, true and false, how a dict's keys
    (weekdays) read, and how a single text or number reads (``leaf``); lists and dicts are
    walked the same way in every style."""
    def show(fieldname: str, value: Value) -> str:
        if value is None:
            return none
        if isinstance(value, bool):
            return yes if value else no
        if isinstance(value, tuple):
            return ", ".join(show(fieldname, v) for v in value)
        if isinstance(value, dict):
            return "; ".join(f"{key(k)}: {show(fieldname, v)}" for k, v in value.items())
        return leaf(fieldname, str(value))
    return show


_text_value = _shower("(none)", "true", "false", str, lambda _fieldname, text: text)


def _danish_value(diff: CatalogDiff, markdown: bool) -> Show:
    """Values in Danish: ja/nej, names instead of ids, weekdays by name. For the e-mail
    (``markdown``) links become links and the rest is escaped; for the staff page, which shows
    text and never HTML, values stay as they are."""
    quote = _md if markdown else (lambda text: " ".join(str(text).split()))

    def leaf(fieldname: str, text: str) -> str:
        if fieldname in REFERENCES:
            text = diff.name_of(REFERENCES[fieldname], text)
        return f"<{text}>" if markdown and _URL.match(text) else quote(text)
    return _shower("—", "ja", "nej", lambda day: _DA_DAYS.get(day, quote(day)), leaf)


_URL = re.compile(r"^https?://[^\s<>]+$")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")


def _md(text: str) -> str:
    """Text that reads as itself in Markdown: on one line, with emphasis, links, code, HTML,
    table bars and entities escaped (a value of "*" or "|" cannot change the layout)."""
    text = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
    return _MD_ENTITY.sub(r"\\&", text)


def summary_da(diff: CatalogDiff) -> str:
    """One Danish line, e.g. "1 ny opgave og 2 afdelinger ændret." ("Ingen ændringer." if none)."""
    return "Ingen ændringer." if diff.empty else _summary_da(diff)


def change_lines_da(diff: CatalogDiff, limit: int = 40) -> List[str]:
    """The changes as short Danish lines for the staff page ("Ny opgave: Rotter",
    "Vej & Park – Telefon: 72 57 75 00 → 72 57 75 99"), at most ``limit`` of them."""
    style = _Style(_danish_value(diff, markdown=False), lambda day: _DA_DAYS.get(day, day), "Før", "Nu", "lukket", "ny rækkefølge")
    lines: List[str] = []
    for k in diff.kinds:
        one = _DA.get(k.kind, ("kommunen",))[0]
        lines += [f"Ny {one}: {e.name}" for e in k.added]
        lines += [f"Fjernet {one}: {e.name}" for e in k.removed]
        for c in k.changed:
            who = "Kommunen" if k.kind == MUNICIPALITY else c.name
            for f in c.fields:
                label = _KIND_LABELS.get((k.kind, f.field), FIELD_LABELS.get(f.field, f.field))
                parts = [line.strip().lstrip("- ") for line in _change_lines(f, label, style, "")]
                lines.append(f"{who} – " + " ".join(parts))
    if len(lines) > limit:
        lines = lines[:limit] + [f"… og {len(lines) - limit} ændringer mere (python -m bot catalog diff)"]
    return lines
