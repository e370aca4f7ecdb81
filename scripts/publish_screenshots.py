"""Pictures of the published catalogue for docs/publish/, from the real catalogue.

    .venv/bin/python -m bot catalog import          # once, so the database has the catalogue
    .venv/bin/python scripts/publish_screenshots.py

Publishes the external edition (DATABASE_URL, default var/indgang.db) to a temporary folder and
saves in docs/publish/:
  katalog-html.png         the top of the page at 1280 px
  katalog-html-mobil.png   the top of the page at 390 px
  katalog-html-sog.png     the page after searching for "skilt"
  katalog-pdf-1.png …-3    PDF pages 1–3 (pdftoppm -r 60)
  katalog.pdf              the PDF itself, while it stays around 300 KB (limit 320 KB)
Needs Debian's chromium (`make browser`, or set CHROMIUM) and poppler-utils (pdftoppm).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "publish"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PDF_LIMIT = 320 * 1024  # docs keep the PDF while it stays around 300 KB


def screenshots(html: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        for name, width, height in (("katalog-html", 1280, 1900), ("katalog-html-mobil", 390, 2200)):
            page = browser.new_page(viewport={"width": width, "height": 900}, locale="da-DK")
            page.goto(html.as_uri())
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=True,
                            clip={"x": 0, "y": 0, "width": width, "height": height})
            page.close()
        page = browser.new_page(viewport={"width": 1280, "height": 1100}, locale="da-DK")
        page.goto(html.as_uri())
        page.fill("#sog-felt", "skilt")
        page.wait_for_function("() => document.getElementById('sog-antal').textContent.startsWith('Viser ')"
                               " && !document.getElementById('sog-antal').textContent.includes('alle')")
        page.locator("#sog").scroll_into_view_if_needed()
        page.evaluate("() => window.scrollTo(0, document.getElementById('sog').offsetTop - 16)")
        page.screenshot(path=str(OUT / "katalog-html-sog.png"))
        browser.close()


def pdf_pages(pdf: Path, pages: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", str(pages), str(pdf), f"{tmp}/p"], check=True)
        for i, png in enumerate(sorted(Path(tmp).glob("p-*.png")), start=1):
            shutil.copyfile(png, OUT / f"katalog-pdf-{i}.png")


def main() -> int:
    from bot.catalog.publish import publish
    from bot.settings import Settings

    if not Path(CHROMIUM).exists():
        print(f"No Chromium at {CHROMIUM}: install Debian's 'chromium' package (make browser) or set CHROMIUM.",
              file=sys.stderr)
        return 1
    if shutil.which("pdftoppm") is None:
        print("No pdftoppm: install Debian's 'poppler-utils' package.", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="indgang-publish-") as tmp:
        started = time.perf_counter()
        html, pdf = publish(Settings.from_env().database_url, Path(tmp), generated=date.today())
        print(f"published in {time.perf_counter() - started:.1f} s: {html.stat().st_size // 1024} KB HTML, "
              f"{pdf.stat().st_size // 1024} KB PDF")
        screenshots(html)
        pdf_pages(pdf)
        if pdf.stat().st_size < PDF_LIMIT:
            shutil.copyfile(pdf, OUT / "katalog.pdf")
        else:
            print(f"katalog.pdf is {pdf.stat().st_size // 1024} KB: not copied to docs (limit {PDF_LIMIT // 1024} KB)")
    for path in sorted(OUT.iterdir()):
        print(f"  {path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
