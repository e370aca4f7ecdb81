"""The published catalogue: the static HTML page and the A4 PDF (bot/catalog/publish.py).

The small test catalogue is imported and published once per module, both editions. What users
depend on: the external edition never shows an internal task or contact person (HTML and the
PDF's text), the staff edition shows them and says so on every page, the PDF has its contents and
page numbers, and the page passes axe and its search field filters (browser tests, in Debian's
Chromium, marked like tests/test_browser.py).
"""
from __future__ import annotations

import copy
import html as htmllib
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Dict, List

import pytest

from bot.catalog.publish import INTERNAL_MARK, PublishError, danish_key, publisher_of, short_url, tel_href
from tests.conftest import HOURS, IMPORTED, MINI, add_facts, write_catalog

GENERATED = date(2031, 2, 3)  # never today: the page prints the date it is given
MARKUP = '<img src=x onerror="window.__xss=1">'


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Dict[str, object]:
    """The small catalogue (with facts and a task whose text carries markup), published both ways."""
    from bot.catalog.importer import import_catalog
    from bot.catalog.publish import publish
    from bot.catalog.queries import load_snapshot

    tmp = tmp_path_factory.mktemp("publish")
    data = copy.deepcopy(MINI)
    add_facts(data, HOURS)
    data["tasks/roads.yml"]["tasks"].append({
        "id": "markup-test", "title": f"Markuptest {MARKUP}", "description": f"Beskrivelse {MARKUP}",
        "kle": ["05.14.08"], "keywords": ["markuptest"], "department": "vej-park", "external": True})
    db = f"sqlite:///{tmp / 'publish.db'}"
    import_catalog(db, write_catalog(tmp / "catalog_data", data), IMPORTED)
    external = publish(db, tmp / "ekstern", generated=GENERATED)
    internal = publish(db, tmp / "intern", internal=True, generated=GENERATED)
    return {"db": db, "external": external, "internal": internal,
            "public": load_snapshot(db, public=True), "staff": load_snapshot(db, public=False)}


def page_texts(pdf: Path) -> List[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(str(pdf)).pages]


def squash(text: str) -> str:
    """Text without spaces, line breaks and hyphens: a name split over two lines or hyphenated
    in the PDF still counts as present."""
    return re.sub(r"[\s\u00ad\u2010-]+", "", text).casefold()


def internal_needles(published) -> List[str]:
    """Every internal contact's name, phone and e-mail, and every internal task's title."""
    public_ids = {t.id for t in published["public"].tasks}
    contacts = {c for t in published["staff"].tasks for c in t.contacts if not c.external}
    needles = [v for c in contacts for v in (c.name, c.phone, c.email) if v]
    needles += [t.title for t in published["staff"].tasks if t.id not in public_ids]
    return needles


def test_publish_writes_the_page_and_the_pdf(published):
    html, pdf = published["external"]
    assert (html.name, pdf.name) == ("katalog.html", "katalog.pdf")
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and '<html lang="da">' in text
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert 'href="katalog.pdf"' in text  # the page offers the printable edition


def test_the_external_edition_has_no_internal_task_or_contact(published):
    needles = internal_needles(published)
    # the small catalogue has an internal contact on a public task and an internal task
    assert "Rita Vejfiktiv" in needles and "Intern sagsfordeling" in needles
    html = htmllib.unescape(published["external"][0].read_text(encoding="utf-8"))
    pdf = squash("\n".join(page_texts(published["external"][1])))
    for needle in needles:
        assert needle not in html, f"{needle!r} is in the external page"
        assert squash(needle) not in pdf, f"{needle!r} is in the external PDF"
    assert INTERNAL_MARK not in html and squash(INTERNAL_MARK) not in pdf
    assert "Ole Offentligsen" in html and squash("Ole Offentligsen") in pdf  # published contact persons are


def test_the_staff_edition_shows_them_and_is_marked_on_every_page(published):
    html = htmllib.unescape(published["internal"][0].read_text(encoding="utf-8"))
    pages = page_texts(published["internal"][1])
    pdf = squash("\n".join(pages))
    for needle in internal_needles(published):
        assert needle in html and squash(needle) in pdf, needle
    assert INTERNAL_MARK in html and 'name="robots" content="noindex' in html
    unmarked = [i for i, text in enumerate(pages, start=1) if squash(INTERNAL_MARK) not in squash(text)]
    assert not unmarked, f"pages without {INTERNAL_MARK!r}: {unmarked}"


def test_the_pdf_has_contents_page_numbers_and_the_tasks(published):
    pages = page_texts(published["external"][1])
    n = len(pages)
    assert n > 1
    assert "Indhold" in pages[1]
    for i in range(2, n + 1):  # the title page has no footer
        assert f"Side {i} af {n}" in pages[i - 1], f"page {i} has no 'Side {i} af {n}'"
    everything = squash("\n".join(pages))
    for title in ("Udeservering", "Gravetilladelse", "Byggetilladelse", "Løntilskud"):
        assert squash(title) in everything
    # the contents' page numbers point at the pages the areas start on
    found = re.search(r"Vej & Park\s*(\d+)", pages[1])
    assert found, pages[1]
    assert "Vej & Park" in pages[int(found.group(1)) - 1]
    assert f"Dannet {GENERATED.day}. februar {GENERATED.year}" in pages[0]


def test_the_page_groups_by_area_in_danish_order(published):
    text = published["external"][0].read_text(encoding="utf-8")
    areas = [htmllib.unescape(a) for a in re.findall(r'<h2 id="omraade-[^"]+-titel">([^<]+)</h2>', text)]
    names = {t.department.name for t in published["public"].tasks}
    assert areas == sorted(names, key=danish_key) and len(areas) == len(names)
    road = text[text.index('id="omraade-vej-park"'):]
    titles = [htmllib.unescape(t) for t in re.findall(r'<h3 class="task-title">([^<]+)', road.split("</section>")[0])]
    assert titles == sorted(titles, key=danish_key) and "Udeservering" in titles
    words = " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", text)).split())
    assert f"Siden er dannet {GENERATED.day}. februar {GENERATED.year}" in words


def test_catalogue_text_is_escaped(published):
    text = published["external"][0].read_text(encoding="utf-8")
    assert "<img" not in text
    assert "Markuptest &lt;img src=x" in text


def test_danish_alphabetical_order():
    names = ["Økonomi", "Åben", "Ærø", "Zebra", "Én indgang", "Byg"]
    assert sorted(names, key=danish_key) == ["Byg", "Én indgang", "Zebra", "Ærø", "Økonomi", "Åben"]


@pytest.mark.parametrize("phone, href", [("72 57 73 00", "tel:+4572577300"), ("+45 70 20 00 00", "tel:+4570200000")])
def test_phone_links(phone, href):
    assert tel_href(phone) == href


def test_links_are_printed_as_people_type_them():
    assert short_url("https://www.jammerbugt.dk/erhverv/byggeri/") == "jammerbugt.dk/erhverv/byggeri"
    assert short_url("https://byggeogmiljoe.dk") == "byggeogmiljoe.dk"


def test_the_publisher_is_the_municipality_or_else_the_one_entrance_channel():
    from bot.catalog.queries import CatalogSnapshot

    def snapshot(municipality, channels):
        return CatalogSnapshot(None, True, (), channels, {}, {}, {}, municipality)

    channel = SimpleNamespace(name="Én indgang for virksomheder", phone="11 22 33 44", email="e@x.dk", url=None)
    municipality = SimpleNamespace(name="Testkommune", switchboard="99 99 99 99", one_entrance="one-entrance",
                                   email=None, url=None, address="Torvet 1")
    with_municipality = publisher_of(snapshot(municipality, {"one-entrance": channel}))
    assert (with_municipality.name, with_municipality.phone, with_municipality.entrance) == (
        "Testkommune", "99 99 99 99", channel)
    # a database imported before catalogues had a municipality
    before_refactor = publisher_of(snapshot(None, {"one-entrance": channel}))
    assert (before_refactor.name, before_refactor.phone) == ("Én indgang for virksomheder", "11 22 33 44")
    assert before_refactor.from_channel and not with_municipality.from_channel
    with pytest.raises(PublishError, match=r"channels\.yml.*switchboard"):
        publisher_of(snapshot(None, {"switchboard": channel}))


# ---------- in a browser: axe and the search field ----------

def _chromium() -> str:
    from tests.test_browser import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: `make browser` installs Debian's package")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    from tests.test_browser import launch_chromium

    chromium = _chromium()
    with sync_playwright() as p:
        b = launch_chromium(p, chromium)
        yield b
        b.close()


def open_page(browser, path: Path, width: int = 1280, javascript: bool = True):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="da-DK",
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.goto(path.as_uri())
    return page


def visible_tasks(page) -> int:
    return page.locator(".task:visible").count()


@pytest.mark.model
@pytest.mark.parametrize("edition", ["external", "internal"])
@pytest.mark.parametrize("width", [1280, 320])
def test_the_page_passes_axe(browser, published, edition, width):
    from tests.test_browser import audit

    page = open_page(browser, published[edition][0], width)
    try:
        audit(page, f"{edition} page at {width} px", context="html")
        # nothing wider than the screen at 320 px (WCAG 1.4.10 reflow)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    finally:
        page.context.close()


@pytest.mark.model
def test_the_search_field_filters_the_tasks_and_says_how_many(browser, published):
    from tests.test_browser import audit

    page = open_page(browser, published["external"][0])
    try:
        count = page.locator("#sog-antal")
        assert count.get_attribute("aria-live") == "polite"
        assert page.locator("label[for=sog-felt]").inner_text() == "Søg i opgaverne"
        total = visible_tasks(page)
        assert total == len(published["public"].tasks)
        assert count.inner_text() == f"Viser alle {total} opgaver."

        page.fill("#sog-felt", "grave")
        page.wait_for_function("() => document.getElementById('sog-antal').textContent.indexOf('alle') < 0")
        assert 0 < visible_tasks(page) < total
        assert count.inner_text() == f"Viser {visible_tasks(page)} af {total} opgaver."
        assert page.locator("#opgave-gravetilladelse").is_visible()
        assert not page.locator("#opgave-udeservering").is_visible()
        audit(page, "after a search", context="html")

        page.fill("#sog-felt", "cafe")  # a keyword the page does not show, typed without the accent
        page.locator("#opgave-udeservering").wait_for(state="visible")
        assert count.inner_text() == f"Viser 1 af {total} opgaver."

        page.fill("#sog-felt", "loentilskud")  # written without æøå, as many type
        page.locator("#opgave-loentilskud").wait_for(state="visible")
        assert count.inner_text() == f"Viser 1 af {total} opgaver."

        page.fill("#sog-felt", "zzzingenting")
        page.wait_for_function("() => document.getElementById('sog-antal').textContent.indexOf('Ingen') === 0")
        assert visible_tasks(page) == 0 and page.locator("#ingen-fund").is_visible()

        page.fill("#sog-felt", "")
        page.wait_for_function("() => document.getElementById('sog-antal').textContent.indexOf('alle') > 0")
        assert visible_tasks(page) == total
    finally:
        page.context.close()


@pytest.mark.model
def test_without_javascript_every_task_is_shown(browser, published):
    page = open_page(browser, published["external"][0], javascript=False)
    try:
        assert visible_tasks(page) == len(published["public"].tasks)
        assert not page.locator("#sog").is_visible()  # no search field that would do nothing
    finally:
        page.context.close()
