"""Browser tests in a real headless Chromium (Debian's package, driven by Playwright).

Runs the whole stack on loopback: action server, Rasa server with the trained model, and
the web app. Screenshots of both pages (desktop and 360 px) are saved in artifacts/.
"""
from __future__ import annotations
from tests.conftest import IMPORTED

import os
import shutil
from pathlib import Path

import pytest
import requests
import yaml

from tests.servers import ROOT, actions_cmd, base_env, free_port, rasa_cmd, running, web_cmd, write_endpoints

pytestmark = pytest.mark.model
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
MODEL = ROOT / "models" / "indgang.tar.gz"
ARTIFACTS = ROOT / "artifacts"
XSS = '<img src=x onerror="window.__xss=1">'


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train` (make test does)")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: `make browser` installs Debian's package")
    from bot.catalog.importer import import_catalog
    from bot.web.auth import add_user

    tmp = tmp_path_factory.mktemp("stack")
    catalog = tmp / "catalog_data"
    shutil.copytree(ROOT / "catalog_data", catalog)
    # a task whose catalogue text carries markup: it must be shown as text, never run
    (catalog / "tasks" / "zz_markup.yml").write_text(yaml.safe_dump({"tasks": [{
        "id": "markup-test", "title": f"Markuptest {XSS}", "description": f"Beskrivelse {XSS}",
        "kle": ["24.10.07"], "keywords": ["markuptest"], "department": "erhvervsservice", "external": True}]},
        allow_unicode=True), encoding="utf-8")
    db = f"sqlite:///{tmp / 'stack.db'}"
    import_catalog(db, catalog, IMPORTED)
    users = tmp / "users.yml"
    add_user(users, "anna", "korrekt-hest-batteri")
    a_port, r_port, w_port = free_port(), free_port(), free_port()
    endpoints = write_endpoints(tmp / "endpoints.yml", a_port)
    token = "test-token"
    env = base_env(DATABASE_URL=db, ACTIONS_PORT=str(a_port), RASA_PORT=str(r_port), WEB_PORT=str(w_port),
                   RASA_URL=f"http://127.0.0.1:{r_port}", PUBLIC_RASA_URL=f"http://127.0.0.1:{r_port}",
                   RASA_TOKEN=token, STAFF_USERS_FILE=str(users), WEB_SECRET="s")
    with running(actions_cmd(a_port), env, f"http://127.0.0.1:{a_port}/health", tmp / "actions.log"), \
            running(rasa_cmd(r_port, MODEL, endpoints), env, f"http://127.0.0.1:{r_port}/status?token={token}",
                    tmp / "rasa.log", timeout=180), \
            running(web_cmd(w_port), env, f"http://127.0.0.1:{w_port}/health", tmp / "web.log"):
        yield {"web": f"http://127.0.0.1:{w_port}", "rasa": f"http://127.0.0.1:{r_port}", "db": db,
               "catalog": catalog}


def launch_chromium(playwright, executable: str = CHROMIUM):
    """Debian's headless chromium, quiet (no network of its own, no first-run work)."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=[
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"])


@pytest.fixture(scope="module")
def browser(stack):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="da-DK")
    pg = context.new_page()
    yield pg
    context.close()


def shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def ask(pg, text: str) -> None:
    before = pg.locator(".indgang-msg.indgang-bot").count()
    pg.fill("#indgang-input", text)
    pg.press("#indgang-input", "Enter")
    pg.locator(".indgang-msg.indgang-bot").nth(before).wait_for(timeout=20000)
    pg.wait_for_selector(".indgang-typing", state="detached", timeout=20000)


WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}


def audit(pg, state: str, context: str = "#indgang-root") -> None:
    """axe-core (bundled by axe-playwright-python) on the widget (or ``context``): no WCAG 2.1 A/AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    # colour contrast is only defined once the panel's opening transition has finished
    for _ in range(50):  # polled from here: the page's CSP forbids wait_for_function's string eval
        if pg.evaluate("() => document.getAnimations().every(a => a.playState !== 'running'"
                       " || a.effect.getTiming().iterations === Infinity)"):
            break
        pg.wait_for_timeout(100)
    results = Axe().run(pg, context=context, options=WCAG_21_AA)
    violations = results.response["violations"]
    assert not violations, f"{state}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in violations)


def open_widget(pg, stack) -> None:
    pg.goto(stack["web"] + "/")
    pg.click("#indgang-launcher")
    pg.wait_for_selector("#indgang-input")


def test_outdoor_serving_gets_the_right_contact_card(page, stack):
    open_widget(page, stack)
    ask(page, "vi vil gerne have lov til at stille borde og stole ud på fortovet foran vores café")
    card = page.locator(".indgang-card").last
    card.wait_for(timeout=20000)
    assert card.get_attribute("data-task-id") == "udeservering"
    assert "Vej & Park" in card.inner_text()
    assert "Pris" in card.inner_text() and "Behandlingstid" in card.inner_text()  # the task's facts
    assert page.locator(".indgang-card a[href^='tel:']").count() >= 1
    assert page.locator(".indgang-card a[href^='mailto:']").count() >= 1
    audit(page, "a routed answer with its card")
    shot(page, "widget-desktop")
    page.set_viewport_size({"width": 360, "height": 740})
    shot(page, "widget-360")


def _ambiguous_query(stack) -> str:
    for q in ["vi har et spørgsmål om en tilladelse", "tilladelse", "skilt", "hvem skal vi spørge om vores sag",
              "vi skal bruge hjælp fra kommunen", "ansøgning"]:
        body = requests.get(stack["web"] + "/api/lookup", params={"q": q}).json()
        if body["kind"] == "one_entrance" and body["alternatives"]:
            return q
    pytest.fail("found no enquiry that gives 'Mente du …?' alternatives")


def test_a_button_answers_mente_du(page, stack):
    q = _ambiguous_query(stack)
    open_widget(page, stack)
    ask(page, q)
    buttons = page.locator(".indgang-buttons button")
    assert buttons.last.inner_text().strip() == "Ingen af dem"
    audit(page, "an unsure answer with choices")
    title = buttons.first.inner_text().strip()
    before = page.locator(".indgang-card").count()
    buttons.first.click()
    page.locator(".indgang-card").nth(before).wait_for(timeout=20000)
    assert title in page.locator(".indgang-card").last.inner_text()
    assert title in page.locator(".indgang-msg.indgang-user").last.inner_text()


def test_closed_and_empty_widget_pass_the_audit(page, stack):
    page.goto(stack["web"] + "/")
    page.wait_for_selector("#indgang-launcher")
    audit(page, "closed (launcher only)")
    page.click("#indgang-launcher")
    page.wait_for_selector("#indgang-input")
    audit(page, "open, empty")


def test_follow_up_answers_about_the_task_at_hand(page, stack):
    open_widget(page, stack)
    ask(page, "vi vil gerne stille borde og stole ud på fortovet foran vores café")
    page.locator(".indgang-card[data-task-id='udeservering']").wait_for(timeout=20000)
    ask(page, "hvad koster det")
    answer = page.locator(".indgang-msg.indgang-bot").last.inner_text()
    assert "kr" in answer or "gebyr" in answer.lower() or "pris" in answer.lower()
    ask(page, "hvornår har de telefontid")
    answer = page.locator(".indgang-msg.indgang-bot").last.inner_text()
    assert "Vej & Park" in answer
    audit(page, "follow-up answers")
    shot(page, "widget-follow-up")


def test_several_needs_get_an_answer_each(page, stack):
    open_widget(page, stack)
    # two clear needs (a need the router is unsure of makes the whole message one clarifying
    # question instead: bot/routing/needs.py)
    ask(page, "1) vi vil have et stort lysskilt op på facaden af butikken "
              "2) vi mangler en lærling til værkstedet")
    page.wait_for_timeout(500)
    cards = page.locator(".indgang-card")
    assert cards.count() >= 2
    texts = page.locator(".indgang-msg.indgang-bot .indgang-text").all_inner_texts()
    assert any(t.startswith("1)") for t in texts) and any(t.startswith("2)") for t in texts)
    audit(page, "several needs")
    shot(page, "widget-several-needs")


def test_english_is_answered_in_english(page, stack):
    open_widget(page, stack)
    ask(page, "Hi, I'm a Dutch entrepreneur and we want to put tables outside our cafe on the pavement in Blokhus")
    msg = page.locator(".indgang-msg.indgang-bot[lang='en']").first
    msg.wait_for(timeout=20000)
    assert "handled by" in msg.inner_text()
    assert page.locator(".indgang-msg.indgang-bot[lang='en'] .indgang-card-label").first.inner_text().strip() \
        in ("Phone:", "E-mail:", "Contact person:")
    audit(page, "an English answer")
    shot(page, "widget-english")


def test_a_clarifying_reply_in_free_text_is_read_with_the_question(page, stack):
    q = _ambiguous_query(stack)
    open_widget(page, stack)
    ask(page, q)
    assert page.locator(".indgang-buttons button").count() >= 2  # "Er det en af disse?"
    before = page.locator(".indgang-card").count()
    ask(page, "det handler om borde og stole på fortovet foran vores café")
    page.locator(".indgang-card").nth(before).wait_for(timeout=20000)
    assert page.locator(".indgang-card").last.get_attribute("data-task-id") == "udeservering"
    audit(page, "a clarifying reply answered")
    shot(page, "widget-clarifying")


def test_reload_keeps_the_conversation_and_start_forfra_clears_it(page, stack):
    open_widget(page, stack)
    ask(page, "gravetilladelse")
    count = page.locator(".indgang-msg").count()
    sender = page.evaluate("localStorage.getItem('indgang.sender')")
    page.reload()
    if not page.locator("#indgang-input").is_visible():
        page.click("#indgang-launcher")
    assert page.locator(".indgang-msg").count() == count
    assert page.evaluate("localStorage.getItem('indgang.sender')") == sender
    page.click("#indgang-restart")
    assert page.evaluate("localStorage.getItem('indgang.sender')") != sender
    assert page.locator(".indgang-msg.indgang-user").count() == 0


def test_keyboard_only(page, stack):
    page.goto(stack["web"] + "/")
    page.focus("#indgang-launcher")
    page.keyboard.press("Enter")
    page.wait_for_selector("#indgang-input")
    assert page.evaluate("document.activeElement.id") == "indgang-input"
    page.keyboard.type("hvornår har I åbent")
    page.keyboard.press("Enter")
    page.locator(".indgang-msg.indgang-bot").nth(1).wait_for(timeout=20000)
    assert page.locator("#indgang-log").get_attribute("aria-live") == "polite"
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "indgang-launcher"


def test_script_in_a_chat_message_is_shown_as_text(page, stack):
    open_widget(page, stack)
    ask(page, '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">')
    assert page.evaluate("window.__xss") is None
    assert "<script>" in page.locator(".indgang-msg.indgang-user").last.inner_text()


def test_server_down_gives_a_phone_number(browser, stack):
    context = browser.new_context()
    pg = context.new_page()
    pg.route("**/webhooks/**", lambda route: route.abort())
    open_widget(pg, stack)
    pg.fill("#indgang-input", "gravetilladelse")
    pg.press("#indgang-input", "Enter")
    err = pg.locator(".indgang-error").last
    err.wait_for(timeout=20000)
    assert "72 57 88 10" in err.inner_text()
    context.close()


def test_staff_page_refuses_without_login(page, stack):
    page.goto(stack["web"] + "/staff")
    assert "/staff/login" in page.url
    assert page.evaluate("fetch('/api/staff/lookup?q=udeservering').then(r => r.status)") == 401


def staff_login(pg, stack) -> None:
    pg.goto(stack["web"] + "/staff")
    pg.fill("input[name=username]", "anna")
    pg.fill("input[name=password]", "korrekt-hest-batteri")
    pg.keyboard.press("Enter")
    pg.wait_for_url("**/staff")
    # typing before staff.js has attached its listeners would be lost: wait until it has filled
    # the phone-line bar (its first request), as a person would see the page ready
    pg.wait_for_load_state("load")
    pg.wait_for_selector("#staff-channels li", timeout=20000)


def test_staff_finds_a_task_by_free_text_and_keyboard(page, stack):
    staff_login(page, stack)
    page.fill("#staff-q", "kunden vil sætte borde ud foran caféen")
    page.wait_for_selector("#staff-results :text('Udeservering')", timeout=10000)
    assert "Udeservering" in page.locator("#staff-results").inner_text().split("\n")[0] + \
        page.locator("#staff-results").inner_text()[:200]
    assert page.locator("#staff-results a[href^='tel:']").count() >= 1  # direct numbers for staff
    shot(page, "staff-desktop")
    page.focus("#staff-q")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("#staff-detail :text('Udeservering')", timeout=10000)
    page.set_viewport_size({"width": 360, "height": 740})
    shot(page, "staff-360")


def test_catalogue_markup_is_escaped_on_the_staff_page(page, stack):
    staff_login(page, stack)
    page.fill("#staff-q", "markuptest")
    page.wait_for_selector("#staff-results :text('Markuptest')", timeout=10000)
    assert page.evaluate("window.__xss") is None
    assert "<img" in page.locator("#staff-results").inner_text()


def test_praise_reaches_the_department_on_the_staff_page(page, stack):
    """A business praises a case officer after a building question: thanked, and staff find the
    praise under Byg og Miljø on the staff page (audited like the widget)."""
    open_widget(page, stack)
    ask(page, "vi skal have byggetilladelse til en ny lagerhal ved vores værksted i Brovst")
    ask(page, "vi vil gerne rose jeres sagsbehandler for en rigtig god og hurtig behandling af vores sag")
    assert "givet rosen videre" in page.locator(".indgang-msg.indgang-bot").last.inner_text()
    staff_login(page, stack)
    page.click("#staff-inbox summary")
    item = page.locator("#staff-inbox-list .inbox-item", has_text="rigtig god og hurtig behandling")
    item.first.wait_for(timeout=10000)
    assert "Byg" in item.first.inner_text()
    shot(page, "staff-inbox")
    audit(page, "staff page with praise", context="body")


def test_staff_see_what_changed_in_the_catalogue(page, stack):
    """An editor imports a new version with a note; colleagues read on the staff page what changed."""
    from datetime import datetime, timezone

    from bot.catalog.importer import import_catalog

    departments = stack["catalog"] / "departments.yml"
    departments.write_text(departments.read_text(encoding="utf-8").replace(
        "Svar på e-mail inden for 5 hverdage", "Svar på e-mail inden for 4 hverdage", 1), encoding="utf-8")
    import_catalog(stack["db"], stack["catalog"], datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc),
                   comment="Kortere svartid i Teknik og Miljø")
    staff_login(page, stack)
    page.click("#staff-history summary")
    latest = page.locator("#staff-history-list .inbox-item").first
    latest.wait_for(timeout=10000)
    text = latest.inner_text()
    assert "Kortere svartid i Teknik og Miljø" in text and "1 afdeling ændret" in text
    assert "Teknik og Miljø – Svartid: Svar på e-mail inden for 5 hverdage → Svar på e-mail inden for 4 hverdage" in text
    shot(page, "staff-catalog-history")
    audit(page, "staff page with the catalogue's history", context="body")


def test_the_widget_never_sends_a_cpr_number_in_any_spelling(page, stack):
    """The widget masks CPR numbers before sending (the same rule as the server): the request
    body carries none, the business is told, ordinary numbers stay."""
    sent = []
    page.on("request", lambda r: sent.append(r.post_data or "") if "/webhooks/chat/" in r.url else None)
    open_widget(page, stack)
    for spelled in ("12.03.85 - 7104", "１２０３８５–７１０６", "120385\u200b7106"):
        ask(page, f"mit cpr er {spelled}, og vi skal have gravetilladelse, tlf 72 57 88 10")
    bodies = "".join(sent)
    assert "7104" not in bodies and "7106" not in bodies and "７１０６" not in bodies
    assert "72 57 88 10" in bodies and "cpr-nummer fjernet" in bodies
    assert "cpr-nummer" in page.locator("#indgang-root").inner_text().lower()


def test_a_call_back_request_reaches_the_staff_queue(page, stack):
    """"Kan nogen ringe mig op?" offers "Ja, ring mig op"; the form asks for the details (a wrong
    phone number asked again), confirms, and staff see the request and mark it handled."""
    open_widget(page, stack)
    ask(page, "vi skal have en gravetilladelse til et fiberkabel i Aabybro")
    ask(page, "kan nogen ringe mig op i morgen")
    before = page.locator(".indgang-msg.indgang-bot").count()
    page.locator(".indgang-buttons button", has_text="Ja, ring mig op").last.click()
    page.locator(".indgang-msg.indgang-bot").nth(before).wait_for(timeout=20000)
    audit(page, "the call-back form asks")
    for answer in ("Fiberfolket ApS", "ved ikke", "Mette Madsen", "1234", "20 30 40 50", "i morgen formiddag"):
        ask(page, answer)
    bot = page.locator(".indgang-msg.indgang-bot")
    assert "Vej & Park ringer til Mette Madsen på 20 30 40 50" in bot.last.inner_text()
    assert "telefonnummer" in page.locator("#indgang-root").inner_text()  # the wrong number was asked again
    staff_login(page, stack)
    item = page.locator("#staff-callbacks-list .inbox-item", has_text="Fiberfolket ApS")
    item.first.wait_for(timeout=10000)
    assert "Vej & Park" in item.first.inner_text() and "20 30 40 50" in item.first.inner_text()
    shot(page, "staff-callbacks")
    audit(page, "staff page with a call-back request", context="body")
    item.first.locator("button", has_text="Markér som håndteret").click()
    page.locator("#staff-callbacks-list .inbox-item.is-handled", has_text="Fiberfolket ApS").wait_for(timeout=10000)
    assert "Håndteret af anna" in page.locator("#staff-callbacks-list").inner_text()
