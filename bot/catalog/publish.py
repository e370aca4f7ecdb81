"""Publish the catalogue as one accessible HTML page for the website and a printable A4 PDF.

``publish(..., internal=False)`` is the external catalogue: it reads the public snapshot only, so
internal tasks and contact persons cannot reach it. ``internal=True`` is the staff edition, marked
"Intern – kun til medarbejdere" on the page and on every printed page.

Both files come from the same grouped data and the same task template (templates/), rendered by
Jinja2 with autoescaping; the PDF is the print template rendered by WeasyPrint (A4, title page,
contents with page numbers, "Side X af Y", Danish hyphenation).
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from bot.catalog.domain import ONE_ENTRANCE, tel_href
from bot.catalog.queries import CatalogSnapshot, load_snapshot
from bot.routing.danish import sort_key as danish_key
from bot.hours import weekly_text

TEMPLATES = Path(__file__).resolve().parent / "templates"
INTERNAL_MARK = "Intern – kun til medarbejdere"
MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december")


class PublishError(Exception):
    """The catalogue lacks something the published page needs; the message says what and where."""


@dataclass(frozen=True)
class Publisher:
    """Who publishes the catalogue, and the one number a business can always call."""

    name: str
    phone: Optional[str]
    email: Optional[str]
    url: Optional[str]
    address: Optional[str]
    entrance: Optional[Any]  # the one-entrance channel: its phone and hours head the page
    from_channel: bool = False  # no municipality in the catalogue: name and phone are the channel's


@dataclass(frozen=True)
class Area:
    """One department and its tasks, as the page groups them."""

    department: Any  # the snapshot's department
    tasks: Tuple[Any, ...]

    @property
    def anchor(self) -> str:
        return f"omraade-{self.department.id}"


@dataclass(frozen=True)
class Edition:
    """Everything both templates need, computed once."""

    publisher: Publisher
    areas: Tuple[Area, ...]
    internal: bool
    version: Optional[str]
    published: Optional[date]
    generated: date
    kle: Dict[str, Tuple[str, Tuple[str, ...]]]
    pdf_name: str = "katalog.pdf"
    pdf_size: Optional[int] = None  # bytes; the page links the PDF with its size

    @property
    def task_count(self) -> int:
        return sum(len(a.tasks) for a in self.areas)

    @property
    def tasks_by_title(self) -> List[Any]:
        return sorted((t for a in self.areas for t in a.tasks), key=lambda t: danish_key(t.title))


def publisher_of(snapshot: CatalogSnapshot) -> Publisher:
    """The municipality from the snapshot, or (a database imported before catalogues had a
    municipality) the one-entrance channel's name and phone: catalogue data, never constants here."""
    municipality, entrance = snapshot.municipality, snapshot.entrance_channel
    if municipality is not None:
        return Publisher(municipality.name, municipality.switchboard, municipality.email, municipality.url,
                         municipality.address, entrance)
    if entrance is None:
        raise PublishError(f"The catalogue has no municipality and no {ONE_ENTRANCE!r} channel, so the page "
                           f"would have no name and no number to call. Add it to channels.yml "
                           f"(channels now: {', '.join(sorted(snapshot.channels)) or 'none'}).")
    return Publisher(entrance.name, entrance.phone, entrance.email, entrance.url, None, entrance, from_channel=True)


def group_by_area(tasks: Sequence[Any], internal: bool) -> Tuple[Area, ...]:
    """Tasks grouped by department (departments by name, tasks by title). The external edition
    drops anything not marked external once more, so a wrong ``public`` flag cannot leak it."""
    if not internal:
        tasks = [t for t in tasks if t.external and t.department.external]
    groups: Dict[str, List[Any]] = {}
    departments: Dict[str, Any] = {}
    for task in tasks:
        if not internal and any(not c.external for c in task.contacts):
            task = _with_public_contacts(task)
        groups.setdefault(task.department.id, []).append(task)
        departments[task.department.id] = task.department
    order = sorted(departments.values(), key=lambda d: (danish_key(d.name), d.id))
    return tuple(Area(d, tuple(sorted(groups[d.id], key=lambda t: (danish_key(t.title), t.id)))) for d in order)


def _with_public_contacts(task: Any) -> Any:
    return replace(task, contacts=tuple(c for c in task.contacts if c.external))


def edition(snapshot: Any, internal: bool, generated: date) -> Edition:
    version = snapshot.version
    published = date.fromisoformat(version.published) if version and version.published else None
    return Edition(publisher_of(snapshot), group_by_area(snapshot.tasks, internal), internal,
                   version.version if version else None, published, generated, dict(snapshot.kle))


# ---------- small formatting helpers (template filters) ----------

def danish_date(day: Optional[date]) -> str:
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}" if day else ""


def short_url(url: Optional[str]) -> str:
    """A link as people read it aloud and type it: no scheme, no 'www.', no trailing slash."""
    if not url:
        return ""
    parts = urlsplit(url)
    host = parts.netloc[4:] if parts.netloc.startswith("www.") else parts.netloc
    rest = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    return (host + rest) if host else url


def hours_text(schedule: Optional[Dict[str, Tuple[str, ...]]]) -> Markup:
    """'man–ons 09.00–15.00; tors …' with each day group kept on one line (escaped markup)."""
    if not schedule:
        return Markup("")
    return Markup("; ").join(Markup('<span class="nowrap">%s</span>') % escape(part)
                             for part in weekly_text(schedule).split("; "))


def file_size(size: Optional[int]) -> str:
    if size is None:
        return ""
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB".replace(".", ",")


def search_words(task: Any) -> str:
    """The task's keywords, which the page does not show: the search field matches a task's
    visible text and these ("borde på fortovet" finds Udeservering)."""
    return " ".join(w for w in task.keywords if w).casefold()


def asset(name: str) -> Markup:
    """A stylesheet or script from templates/, inlined as is (not parsed as a template)."""
    return Markup((TEMPLATES / name).read_text(encoding="utf-8"))


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(danish_date=danish_date, tel=tel_href, short_url=short_url, hours=hours_text,
                       file_size=file_size)
    env.globals.update(search_words=search_words, asset=asset, INTERNAL_MARK=INTERNAL_MARK)
    return env


def render_html(ed: Edition) -> str:
    return _environment().get_template("katalog.html").render(ed=ed)


def render_print_html(ed: Edition) -> str:
    return _environment().get_template("katalog-print.html").render(ed=ed)


def write_pdf(ed: Edition, target: Path) -> None:
    """Render the print template with WeasyPrint: a tagged PDF (PDF/UA-1) for screen readers."""
    from weasyprint import HTML

    with _replacing(target) as tmp:
        HTML(string=render_print_html(ed), base_url=str(TEMPLATES)).write_pdf(str(tmp), pdf_variant="pdf/ua-1")


@contextmanager
def _replacing(target: Path) -> Iterator[Path]:
    """Write next to ``target`` and move it into place only when done: a web server publishing the
    folder never serves half a file, and a failed run leaves the previous edition."""
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def publish(database_url: str, out_dir: Path, internal: bool = False, *, generated: date) -> List[Path]:
    """Write ``katalog.html`` and ``katalog.pdf`` into ``out_dir`` and return their paths.

    ``internal=False`` reads the public snapshot only (no internal tasks or contacts);
    ``generated`` is the date printed as the edition's date (the caller reads the clock).
    """
    snapshot = load_snapshot(database_url, public=not internal)
    ed = edition(snapshot, internal, generated)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf = out_dir / ed.pdf_name
    write_pdf(ed, pdf)
    html = out_dir / "katalog.html"
    with _replacing(html) as tmp:
        tmp.write_text(render_html(replace(ed, pdf_size=pdf.stat().st_size)), encoding="utf-8")
    return [html, pdf]
