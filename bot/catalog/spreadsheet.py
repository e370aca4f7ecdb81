"""The catalogue as an Excel workbook: export it to edit, read it back with the same checks as YAML.

Many catalogue editors prefer a spreadsheet to YAML. :func:`write_workbook` writes a whole
catalogue; :func:`read_workbook` turns a workbook into the same plain mappings
:func:`bot.catalog.source.read_yaml_source` gives, so :func:`bot.catalog.source.build_catalog`
checks both with the same rules and messages; every entry carries its sheet, row and columns.

Layout (sheet names are Danish, field names are the YAML source names)::

    Kommunen         one field per row: A field, B value, C an explanation (not read back).
                     version, published, changes (one change per row), then the municipality.
    Afdelinger, Opgaver, Kontaktpersoner, Kanaler, Myndigheder
                     row 1 the field names exactly as in the YAML (task: department, contacts),
                     each with a Danish note; bold = required; one entry per row.
    Emner            intent | kle: the KLE prefixes of each topic the assistant recognises.
    Vejledning       a short guide for editors; not read back.

Cell conventions:

* Lists (kle, keywords, contacts, tasks, …): items separated by semicolons, "a; b; c". A cell
  with a line break holds one item per line instead; ``documents`` are written that way, and so
  is any list with a semicolon inside an item (a single such item ends in a line break).
* Opening hours: one cell, days separated by semicolons, a day's intervals by commas:
  "mon 09:00-12:00; thu 09:00-12:00, 13:00-17:00" (weekdays as in the YAML: mon … sun).
* Flags: "ja"/"nej". Dates (published, verified): date cells.
* Text columns are formatted as text so Excel keeps "02.34.02" and "72 57 77 77" as typed. When
  a number slips in anyway it is read back as text: 72577777 as "72577777", a KLE number Excel
  made a number (5.1 from "05.10") as "05.10"; a KLE number Excel made a date is reported.
* A task's ``contacts`` lists all its contacts, those that name the task in their own ``tasks``
  column too; reading it back gives the same task.
"""
from __future__ import annotations

import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bot.catalog.domain import Catalog, Task
from bot.catalog.source import (_FIELDS, KINDS, CatalogError, Kind, Place, RawCatalog, _Collector, build_catalog,
                                kle_text, read_kle_of)

META_SHEET, TOPIC_SHEET, GUIDE_SHEET = "Kommunen", "Emner", "Vejledning"
SHEETS = {"department": "Afdelinger", "task": "Opgaver", "contact": "Kontaktpersoner", "channel": "Kanaler",
          "authority": "Myndigheder"}  # kind -> sheet, in the workbook's order
META_FIELDS = ("version", "published", "changes")
TOPIC_FIELDS = ("intent", "kle")
LISTS = {"kle", "keywords", "documents", "contacts", "tasks", "related_tasks", "related_authorities", "topics",
         "stop_words"}
FLAGS = {"external", "open_on_holidays"}
DATES = {"published", "verified"}
WIDE = {"description", "description_en", "documents", "keywords", "fee", "processing_time", "facts_note",
        "reply_time", "topics", "opening_hours"}
_YES, _NO = {"ja", "j", "yes", "true", "sand"}, {"nej", "n", "no", "false", "falsk"}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="9BC2E6")
_WRAP = Alignment(wrap_text=True, vertical="top")

# What each column means, for the note on its header (kind-specific first, then by field).
HELP: Dict[Any, str] = {
    "id": "Fast id: små bogstaver, tal og bindestreg (fx byg-miljoe). Andre rækker henviser til det.",
    "name": "Navnet, som det vises.",
    "title": "Opgavens titel, som virksomheder kender den.",
    ("contact", "title"): "Stillingsbetegnelse.",
    "description": "Kort beskrivelse på almindeligt dansk.",
    "parent": "Id på den overordnede afdeling (fanen Afdelinger).",
    "phone": "Dansk telefonnummer: 8 cifre som 72 57 77 77, eller et 4-cifret kort nummer.",
    "email": "E-mailadresse, fx navn@kommune.dk.",
    "url": "Webadresse; begynder med https://",
    "address": "Adresse på én linje.",
    "opening_hours": "Telefontid: ugedag og tidsrum, dagene adskilt af semikolon, fx "
                     "mon 09:00-15:00; thu 09:00-12:00, 13:00-17:00. Ugedage: mon tue wed thu fri sat sun. "
                     "En dag, der ikke står, er lukket.",
    "external": "ja = med i det offentlige katalog; nej = kun for kolleger.",
    "reply_time": "Typisk svartid på e-mail og breve, én linje.",
    "kle": "1-3 KLE-numre som 02.34.02, adskilt af semikolon.",
    ("topic", "kle"): "KLE-præfikser som 05, 05.14 eller 05.14.08, adskilt af semikolon. En opgave hører til "
                      "emnet, når et af dens KLE-numre begynder med et af dem.",
    "keywords": "Ord, virksomheder bruger om opgaven, adskilt af semikolon.",
    "department": "Id på afdelingen, der har opgaven (fanen Afdelinger).",
    ("contact", "department"): "Id på personens afdeling (fanen Afdelinger).",
    "contacts": "Id'er på kontaktpersoner (fanen Kontaktpersoner), adskilt af semikolon. Personer, der nævner "
                "opgaven i deres kolonne tasks, hører også til opgaven.",
    "self_service_url": "Link til selvbetjeningen; begynder med https://",
    "fee": "Hvad det koster, én linje.",
    "processing_time": "Servicemål eller typisk behandlingstid, én linje.",
    "documents": "Hvad virksomheden skal sende med: ét punkt pr. linje (Alt+Enter).",
    "legal_basis_url": "Loven på retsinformation.dk; begynder med https://",
    "related_tasks": "Id'er på opgaver, virksomheden ofte også skal bruge, adskilt af semikolon.",
    "related_authorities": "Id'er på myndigheder (fanen Myndigheder), adskilt af semikolon.",
    "facts_note": "Forbehold, der vises med fakta, fx at gebyret er et eksempel.",
    "title_en": "Titlen på engelsk.",
    "description_en": "Beskrivelsen på engelsk.",
    "ask_as": "Opgaven i et opklarende spørgsmål (\"Handler det om …?\"), uden komma og uden 'eller'.",
    "ask_as_en": "Som ask_as, på engelsk (uden komma og uden 'or').",
    "tasks": "Id'er på opgaver, personen tager sig af (fanen Opgaver), adskilt af semikolon.",
    "short": "Internt kort nummer, som kolleger ringer til.",
    "open_on_holidays": "ja = åben på helligdage; nej = lukket.",
    "topics": "Emner, myndigheden tager sig af, adskilt af semikolon.",
    "intent": "Emnet, assistenten genkender (intentens navn i træningsdata). Ret kun sammen med modellen.",
    "version": "Katalogets versionsnummer, fx 2026.2. Ret ved hver udgivelse.",
    "published": "Udgivelsesdato.",
    "changes": "Hvad læseren vil bemærke er ændret: én ændring pr. række; tilføj rækker med changes i kolonne A.",
    ("municipality", "name"): "Kommunens navn.",
    "switchboard": "Rådhusets hovednummer.",
    "one_entrance": "Id på kanalen, alle svar henviser til (fanen Kanaler).",
    "citizen_service": "Id på afdelingen for private henvendelser (fanen Afdelinger).",
    "digital_help": "Id på kanalen for hjælp til selvbetjening (fanen Kanaler).",
    "stop_words": "Kommunens eget navn, som virksomheder skriver det, adskilt af semikolon.",
    "source": "Hvor kommunens offentlige oplysninger er hentet; begynder med https://",
    "verified": "Hvornår de sidst er kontrolleret dér (dato).",
}

GUIDE = (
    "Sådan redigerer du kataloget i regnearket",
    "Hver fane er én slags: Kommunen, Afdelinger, Opgaver, Kontaktpersoner, Kanaler, Myndigheder og Emner. "
    "Én række er én post.",
    "Række 1 har feltnavnene. Ret dem ikke: de læses tilbage. Hold musen over et feltnavn for en forklaring. "
    "Fed skrift = skal udfyldes.",
    "Lister (kle, keywords, contacts, tasks …): adskil med semikolon, fx 02.34.02; 02.03.17 – "
    "eller skriv ét punkt pr. linje (Alt+Enter).",
    "Telefontid: mon 09:00-15:00; thu 09:00-12:00, 13:00-17:00. En dag, der ikke står, er lukket.",
    "ja/nej-felter: skriv ja eller nej. Datoer: skriv en dato.",
    "Id'er henviser til andre faner: department til Afdelinger, contacts til Kontaktpersoner osv.",
    "Tomme rækker springes over. Denne fane læses ikke ind.",
    "Læs ind med: python -m bot catalog import --xlsx FIL. Fejl nævner fane, række og kolonne.",
)


@dataclass(frozen=True)
class _RowsPlace(Place):
    """One place for entries the checker sees as one (the municipality, the topics) though they
    sit on many rows: finds the row from the field or the entry's label, e.g. "topic 'noise'"."""

    rows: Mapping[str, int] = field(default_factory=dict)  # field name or entry label -> row
    default_field: Optional[str] = None                    # the field a message without one is about

    def describe(self, label: str, fieldname: Optional[str]) -> str:
        row = (self.rows.get(fieldname) if fieldname else None) or self.rows.get(label) or self.row
        return Place(self.text, row, self.columns).describe(label, fieldname or self.default_field)


# --- writing -------------------------------------------------------------------------------

def write_workbook(catalog: Catalog, path: Path) -> None:
    """Write ``catalog`` as an .xlsx workbook an editor can change and :func:`read_workbook` reads back."""
    wb = Workbook()
    wb.remove(wb.active)
    _write_meta(wb.create_sheet(META_SHEET), catalog)
    by_name = {k.name: k for k in KINDS}
    for name, sheet in SHEETS.items():
        kind = by_name[name]
        rows = [[_to_cell(f, _source_value(e, f), f"{name} '{e.id}'") for f in kind.fields]
                for e in getattr(catalog, kind.plural)]
        _write_table(wb.create_sheet(sheet), name, kind.fields, _FIELDS[name][0], rows)
    topics = [[intent, _to_cell("kle", prefixes, f"topic '{intent}'")] for intent, prefixes in catalog.topics.items()]
    _write_table(wb.create_sheet(TOPIC_SHEET), "topic", TOPIC_FIELDS, TOPIC_FIELDS, topics)
    guide = wb.create_sheet(GUIDE_SHEET)
    for line in GUIDE:
        guide.append([line])
    guide.column_dimensions["A"].width = 110
    guide["A1"].font = Font(bold=True, size=13)
    wb.save(Path(path))


def _source_value(entity: Any, name: str) -> Any:
    """The value of source field ``name`` (a task names its department and contacts by id)."""
    if name == "department":
        return entity.department.id if isinstance(entity, Task) else entity.department_id
    if name == "contacts":
        return tuple(c.id for c in entity.contacts)
    return getattr(entity, name)


def _to_cell(name: str, value: Any, label: str) -> Any:
    if value is None or value == "" or value == () or value == {}:
        return None
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dict):
        return "; ".join(f"{day} {', '.join(ivs)}".strip() for day, ivs in value.items())
    if isinstance(value, (tuple, list)):
        items = [str(x) for x in value]
        if any("\n" in x for x in items):
            raise ValueError(f"{label}, field '{name}': an item has a line break, which a spreadsheet cell uses "
                             f"to separate items: {items!r}")
        if name == "documents" or any(";" in x for x in items):
            return "\n".join(items) + ("\n" if len(items) == 1 and ";" in items[0] else "")
        return "; ".join(items)
    return value


def _write_meta(ws: Worksheet, catalog: Catalog) -> None:
    m = catalog.municipality
    rows: List[Tuple[str, Any]] = [("version", catalog.version), ("published", catalog.published)]
    rows += [("changes", change) for change in catalog.changes] or [("changes", None)]
    rows += [(f, _to_cell(f, getattr(m, f), "municipality")) for f in _municipality_fields()]
    required = {"version"} | set(_FIELDS["municipality"][0])
    ws.append(["Felt", "Værdi", "Forklaring (læses ikke ind)"])
    for r, (name, value) in enumerate(rows, 2):
        ws.cell(r, 1, name).font = Font(bold=name in required)
        _set(ws.cell(r, 2), value)
        note = ws.cell(r, 3, HELP.get(("municipality", name)) or HELP.get(name, ""))
        note.font = Font(italic=True, color="595959")
        for col in (1, 2, 3):
            ws.cell(r, col).alignment = _WRAP
    for col, width in (("A", 18), ("B", 70), ("C", 70)):
        ws.column_dimensions[col].width = width
    ws.column_dimensions["B"].number_format = "@"
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), _REQUIRED_FILL
    ws.freeze_panes = "A2"


def _write_table(ws: Worksheet, kind: str, fields: Sequence[str], required: Sequence[str],
                 rows: Sequence[Sequence[Any]]) -> None:
    for col, name in enumerate(fields, 1):
        head = ws.cell(1, col, name)
        head.font = Font(bold=name in required)
        head.fill = _REQUIRED_FILL if name in required else _HEADER_FILL
        help_text = HELP.get((kind, name)) or HELP.get(name)
        if help_text:
            head.comment = Comment(f"{help_text}{' Skal udfyldes.' if name in required else ''}", "Katalog",
                                   width=320, height=130)
    for r, row in enumerate(rows, 2):
        for col, value in enumerate(row, 1):
            cell = ws.cell(r, col)
            _set(cell, value)
            cell.alignment = _WRAP
    for col, name in enumerate(fields, 1):
        letter = get_column_letter(col)
        longest = max([len(name) + 2] + [len(line) for row in rows for line in str(row[col - 1] or "").split("\n")])
        dim = ws.column_dimensions[letter]
        dim.width = max(10, min(longest + 2, 60 if name in WIDE else 36))
        dim.number_format = "@"
        if name in FLAGS:
            flag = DataValidation(type="list", formula1='"ja,nej"', allow_blank=True,
                                  error="Skriv ja eller nej", errorTitle=name, showErrorMessage=True)
            flag.add(f"{letter}2:{letter}1048576")
            ws.add_data_validation(flag)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(fields))}{max(2, len(rows) + 1)}"


def _set(cell: Any, value: Any) -> None:
    """Text stays text (even "=…"); dates get a date format."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        cell.number_format = "@"
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"


# --- reading -------------------------------------------------------------------------------

def read_workbook(path: Path, c: _Collector) -> RawCatalog:
    """The entries of the workbook at ``path`` as plain mappings with their sheet, row and columns;
    problems of form (an unreadable file, a missing sheet, an unknown column, "jaa") go to ``c``."""
    raw = _read(Path(path), c)
    if raw is None:
        return RawCatalog({}, Place(c.rel(Path(path))), {k.name: [] for k in KINDS}, None, Place(c.rel(Path(path))))
    return raw


def load_workbook_catalog(path: Path, catalog_dir: Path) -> Catalog:
    """Read and check the workbook at ``path`` against the KLE of ``catalog_dir``; raise CatalogError
    listing every problem."""
    path = Path(path)
    kle = read_kle_of(catalog_dir)
    c = _Collector(Path(catalog_dir))  # names the file as the YAML loader names its files
    raw = _read(path, c)
    catalog = build_catalog(raw, kle, c) if raw is not None else None
    if c.problems or catalog is None:
        raise CatalogError(c.problems)
    return catalog


def _read(path: Path, c: _Collector) -> Optional[RawCatalog]:
    where = Place(c.rel(path))
    try:
        data = path.read_bytes()
        wb = load_workbook(path, data_only=True)
    except (OSError, InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        c.add(where, "file", None, f"cannot be read as an Excel workbook (.xlsx): {exc or type(exc).__name__}")
        return None
    entries: Dict[str, List[Tuple[Place, Mapping[str, Any]]]] = {}
    for kind in KINDS:
        entries[kind.name] = []
        sheet = SHEETS[kind.name]
        if _has_sheet(c, where, wb, sheet):
            entries[kind.name] = _read_entries(c, wb[sheet], sheet, kind)
    meta, meta_place = {}, Place(f"sheet '{META_SHEET}'")
    if _has_sheet(c, where, wb, META_SHEET):
        meta, meta_place = _read_meta(c, wb[META_SHEET])
    topics, topics_place = None, Place(f"sheet '{TOPIC_SHEET}'")
    if _has_sheet(c, where, wb, TOPIC_SHEET):
        topics, topics_place = _read_topics(c, wb[TOPIC_SHEET])
    return RawCatalog(meta, meta_place, entries, topics, topics_place, hashlib.sha256(data).hexdigest())


def _has_sheet(c: _Collector, where: Place, wb: Workbook, sheet: str) -> bool:
    if sheet in wb.sheetnames:
        return True
    needed = [META_SHEET, *SHEETS.values(), TOPIC_SHEET]
    c.add(where, f"sheet '{sheet}'", None, f"is missing. A catalogue workbook has the sheets {', '.join(needed)}; "
                                           f"this one has {', '.join(wb.sheetnames)}")
    return False


def _read_table(c: _Collector, ws: Worksheet, sheet: str, fields: Sequence[str], required: Sequence[str],
                what: str) -> Tuple[Dict[str, str], List[Tuple[int, Dict[str, Any]]]]:
    """The header's columns (field -> letter) and the non-empty rows as (row number, field -> cell value)."""
    text = f"sheet '{sheet}'"
    rows = ws.iter_rows(values_only=True)
    header = next(rows, ())
    columns: Dict[str, str] = {}
    index: Dict[str, int] = {}
    unnamed: List[int] = []
    for i, value in enumerate(header):
        name, letter = _plain(value), get_column_letter(i + 1)
        if not name:
            unnamed.append(i)
        elif name not in fields:
            c.add(Place(text, 1, {name: letter}), "header", name,
                  f"unknown column. Valid fields for {what}: {', '.join(fields)}")
        elif name in columns:
            c.add(Place(text, 1, {name: letter}), "header", name, f"appears twice (also column {columns[name]})")
        else:
            columns[name], index[name] = letter, i
    for name in required:
        if name not in columns:
            c.add(Place(text, 1), "header", name, f"missing column. The sheet needs the columns {', '.join(required)}")
    out: List[Tuple[int, Dict[str, Any]]] = []
    for r, values in enumerate(rows, 2):
        if all(_blank(v) for v in values):
            continue
        for i in [i for i in unnamed if i < len(values) and not _blank(values[i])]:
            c.add(Place(text, r), f"column {get_column_letter(i + 1)}", None,
                  f"holds {values[i]!r} but has no field name in row 1. Valid fields for {what}: {', '.join(fields)}")
            unnamed.remove(i)
        out.append((r, {n: values[i] for n, i in index.items() if i < len(values) and not _blank(values[i])}))
    return columns, out


def _read_entries(c: _Collector, ws: Worksheet, sheet: str, kind: Kind) -> List[Tuple[Place, Mapping[str, Any]]]:
    columns, rows = _read_table(c, ws, sheet, kind.fields, _FIELDS[kind.name][0],
                                 f"{'an' if kind.name[0] in 'aeiou' else 'a'} {kind.name}")
    out = []
    for r, cells in rows:
        where = Place(f"sheet '{sheet}'", r, columns)
        label = f"{kind.name} '{_plain(cells.get('id'))}'" if cells.get("id") is not None else kind.name
        entry = {n: v for n, value in cells.items() if (v := _from_cell(c, where, label, n, value)) is not None}
        out.append((where, entry))
    return out


def _read_meta(c: _Collector, ws: Worksheet) -> Tuple[Dict[str, Any], Place]:
    text = f"sheet '{META_SHEET}'"
    known = META_FIELDS + _municipality_fields()
    meta: Dict[str, Any] = {"changes": []}
    municipality: Dict[str, Any] = {}
    rows: Dict[str, int] = {}
    for r, values in enumerate(ws.iter_rows(min_row=2, max_col=2, values_only=True), 2):
        name, value = (list(values) + [None, None])[:2]
        name = _plain(name)
        if not name:
            if not _blank(value):
                c.add(Place(text, r), "catalogue", None, f"has a value in column B but no field name in column A. "
                                                   f"Valid fields: {', '.join(known)}")
            continue
        where = Place(text, r, {name: "A"})
        if name not in known:
            c.add(where, "catalogue", name, f"unknown field. Valid fields: {', '.join(known)}")
            continue
        if name in rows and name != "changes":
            c.add(where, "catalogue", name, f"appears twice (also row {rows[name]})")
            continue
        rows.setdefault(name, r)
        if _blank(value):
            continue
        label = "catalogue" if name in META_FIELDS else "municipality"
        if name == "changes":
            meta["changes"].append(_plain(value))
            continue
        parsed = _from_cell(c, Place(text, r, {name: "B"}), label, name, value)
        if parsed is not None:
            (meta if name in META_FIELDS else municipality)[name] = parsed
    meta["municipality"] = municipality
    return meta, _RowsPlace(text, None, {n: "B" for n in rows}, rows)


def _read_topics(c: _Collector, ws: Worksheet) -> Tuple[Dict[str, Any], Place]:
    text = f"sheet '{TOPIC_SHEET}'"
    columns, rows = _read_table(c, ws, TOPIC_SHEET, TOPIC_FIELDS, TOPIC_FIELDS, "a topic")
    topics: Dict[str, Any] = {}
    labels: Dict[str, int] = {}
    for r, cells in rows:
        where = Place(text, r, columns)
        intent = _plain(cells.get("intent"))
        if not intent:
            c.add(where, "topic", "intent", "is required")
            continue
        label = f"topic '{intent}'"
        if label in labels:
            c.add(where, label, "intent", f"appears twice (also row {labels[label]})")
            continue
        labels[label] = r
        topics[intent] = _from_cell(c, where, label, "kle", cells.get("kle")) or []
    return topics, _RowsPlace(text, None, {"kle": columns.get("kle", "B")}, labels, "kle")


def _from_cell(c: _Collector, where: Place, label: str, name: str, value: Any) -> Any:
    """A cell as the YAML reader would have given the field: a list, a mapping of hours, a bool,
    a date or text. Values that cannot be meant are reported here and left out."""
    if _blank(value):
        return None
    if name in LISTS:
        if isinstance(value, (datetime, date)) and name == "kle":
            c.add(where, label, name, f"Excel has turned a KLE number into the date {value:%Y-%m-%d}. Format the "
                                      "cell as text and type the number again, e.g. 02.03.17")
            return None
        if name == "kle" and isinstance(value, (int, float)):
            return [_kle_number(value)]
        return _split(value if isinstance(value, str) else _plain(value))
    if name in FLAGS:
        word = _plain(value).lower()
        if isinstance(value, bool) or word in _YES | _NO:
            return value if isinstance(value, bool) else word in _YES
        c.add(where, label, name, f"{_plain(value)!r} must be 'ja' or 'nej'")
        return None
    if name in DATES:  # a date cell, or text the checker reads as a date or reports
        return value.date() if isinstance(value, datetime) else _plain(value) if isinstance(value, str) else value
    if name == "opening_hours":
        return _hours(_plain(value))
    return _plain(value)


def _hours(text: str) -> Dict[str, List[str]]:
    """ "mon 09:00-12:00, 13:00-17:00; thu 09:00-17:00" -> {"mon": [...], "thu": [...]}; the checker judges it."""
    out: Dict[str, List[str]] = {}
    for part in re.split(r"[;\n]", text):
        part = re.sub(r"\s*[-–]\s*", "-", part.strip())
        if part:
            day, _, rest = part.partition(" ")
            out.setdefault(day.rstrip(":").lower(), []).extend(x for x in re.split(r"[,\s]+", rest) if x)
    return out


def _split(text: str) -> List[str]:
    items = text.split("\n") if "\n" in text else text.split(";")
    return [item.strip() for item in items if item.strip()]


def _kle_number(value: float) -> str:
    """Excel reads "05.10" as 5.1 and "05" as 5: give back two digits per level."""
    return kle_text(int(value) if float(value).is_integer() else value)


def _plain(value: Any) -> str:
    """A cell as text: 72577777 (a phone typed as a number) as "72577777", never "72577777.0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, str):
        return value.strip()
    return str(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _municipality_fields() -> Tuple[str, ...]:
    required, optional = _FIELDS["municipality"]
    return required + optional
