"""The web app over real HTTP: public vs staff data, login, escaping, the OpenAPI document."""
from __future__ import annotations
from tests.conftest import IMPORTED

import re
from pathlib import Path

import pytest
import requests
import yaml

from bot.web.auth import add_user, hash_password, verify_password
from tests.servers import base_env, free_port, running, web_cmd

INTERNAL = ["Rita Vejfiktiv", "72 57 75 12", "rita@example.dk", "Ib Hemmeligsen", "72 57 70 01", "ib@example.dk",
            "Intern sagsfordeling", "Kun internt"]


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    from tests.conftest import MINI, write_catalog
    from bot.catalog.importer import import_catalog

    tmp = tmp_path_factory.mktemp("web")
    db = f"sqlite:///{tmp / 'web.db'}"
    import_catalog(db, write_catalog(tmp / "catalog_data", MINI), IMPORTED)
    users = tmp / "users.yml"
    add_user(users, "anna", "korrekt-hest-batteri")
    port = free_port()
    WEB_DB["report"] = str(tmp / "report")
    env = base_env(DATABASE_URL=db, STAFF_USERS_FILE=str(users), WEB_SECRET="test-secret", REPORT_DIR=str(tmp / "report"),
                   RASA_URL=f"http://127.0.0.1:{free_port()}")  # no Rasa: words-only routing
    WEB_DB["url"] = db
    WEB_DB["users"] = str(users)
    with running(web_cmd(port), env, f"http://127.0.0.1:{port}/health", tmp / "web.log"):
        yield f"http://127.0.0.1:{port}"


WEB_DB: dict = {}  # the web fixture's database, for tests that write to it first


def login(web) -> requests.Session:
    s = requests.Session()
    r = s.post(f"{web}/staff/login", data={"username": "anna", "password": "korrekt-hest-batteri", "next": "/staff"},
               allow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == "/staff"
    return s


def test_password_hashing():
    h = hash_password("hemmelig")
    assert h.startswith("scrypt$") and "hemmelig" not in h
    assert verify_password("hemmelig", h) and not verify_password("forkert", h)


def test_public_lookup_routes_with_public_catalogue(web):
    r = requests.get(f"{web}/api/lookup", params={"q": "udeservering borde på fortovet café"})
    body = r.json()
    assert r.status_code == 200
    assert body["one_entrance"]["phone"] == "72 57 88 10"
    ids = [a["task_id"] for a in body["alternatives"]] + ([body["route"]["task_id"]] if body["route"] else [])
    assert "udeservering" in ids


def test_staff_page_and_api_refuse_without_login(web):
    r = requests.get(f"{web}/staff", allow_redirects=False)
    assert r.status_code == 302 and r.headers["location"].startswith("/staff/login")
    assert requests.get(f"{web}/api/staff/lookup", params={"q": "udeservering"}).status_code == 401
    assert requests.get(f"{web}/api/staff/tasks/intern-fordeling").status_code == 401


def test_wrong_password_is_refused(web):
    r = requests.post(f"{web}/staff/login", data={"username": "anna", "password": "nej"}, allow_redirects=False)
    assert r.status_code == 302 and r.headers["location"] == "/staff/login?error=1"
    assert "indgang_staff" not in r.cookies


def test_forged_cookie_and_untrusted_proxy_header_are_refused(web):
    assert requests.get(f"{web}/api/staff/lookup", params={"q": "x"},
                        cookies={"indgang_staff": "YW5uYXw5OTk5OTk5OTk5fGZvcmdlZA=="}).status_code == 401
    # proxy mode is off: the header alone grants nothing
    assert requests.get(f"{web}/api/staff/lookup", params={"q": "x"},
                        headers={"X-Remote-User": "anna"}).status_code == 401


def test_staff_lookup_shows_internal_contacts_after_login(web):
    s = login(web)
    body = s.get(f"{web}/api/staff/lookup", params={"q": "udeservering"}).json()
    first = body["results"][0]
    assert first["task_id"] == "udeservering"
    assert first["contacts"][0]["name"] == "Rita Vejfiktiv" and first["contacts"][0]["phone"] == "72 57 75 12"
    assert body["took_ms"] < 1000
    assert {c["id"] for c in body["channels"]} == {"one-entrance", "switchboard", "digital-hotline"}
    detail = s.get(f"{web}/api/staff/tasks/intern-fordeling").json()
    assert detail["contacts"][0]["name"] == "Ib Hemmeligsen" and detail["external"] is False
    assert s.get(f"{web}/staff").status_code == 200


def test_staff_inbox_lists_praise_for_staff_only(web):
    from datetime import datetime, timezone

    from bot.inbox import record_praise

    record_praise(WEB_DB["url"], datetime.now(timezone.utc), "Tak til Rita for hurtig hjælp", "vej-park", "Vej & Park",
                  "udeservering")
    assert requests.get(f"{web}/api/staff/inbox").status_code == 401
    messages = login(web).get(f"{web}/api/staff/inbox").json()["messages"]
    assert messages[0]["text"] == "Tak til Rita for hurtig hjælp" and messages[0]["department_name"] == "Vej & Park"


def test_a_copied_cookie_stops_working_at_logout(web):
    s = login(web)
    copied = s.cookies.get("indgang_staff")
    assert s.get(f"{web}/api/staff/inbox").status_code == 200
    s.get(f"{web}/staff/logout")
    assert requests.get(f"{web}/api/staff/inbox", cookies={"indgang_staff": copied}).status_code == 401


def test_a_removed_account_loses_access_at_once(web):
    users = Path(WEB_DB["users"])
    add_user(users, "carl", "en-anden-hest-123")
    s = requests.Session()
    s.post(f"{web}/staff/login", data={"username": "carl", "password": "en-anden-hest-123"}, allow_redirects=False)
    assert s.get(f"{web}/api/staff/inbox").status_code == 200
    data = yaml.safe_load(users.read_text())
    del data["users"]["carl"]
    users.write_text(yaml.safe_dump(data))
    assert s.get(f"{web}/api/staff/inbox").status_code == 401


def test_password_guessing_is_paused_per_account(web):
    add_user(Path(WEB_DB["users"]), "bob", "bobs-rigtige-kode")
    for _ in range(5):
        r = requests.post(f"{web}/staff/login", data={"username": "bob", "password": "gæt"}, allow_redirects=False)
        assert r.headers["location"] == "/staff/login?error=1"
    r = requests.post(f"{web}/staff/login", data={"username": "bob", "password": "bobs-rigtige-kode"},
                      allow_redirects=False)
    assert r.headers["location"] == "/staff/login?error=locked" and "indgang_staff" not in r.cookies
    login(web)  # another colleague at the same address is not locked out


def test_login_from_another_site_and_crafted_cookies_are_refused_cleanly(web):
    r = requests.post(f"{web}/staff/login", data={"username": "anna", "password": "korrekt-hest-batteri"},
                      headers={"Origin": "https://evil.example"}, allow_redirects=False)
    assert r.headers["location"] == "/staff/login?error=origin" and "indgang_staff" not in r.cookies
    for crafted in ("YW5uYXxpa2tlLWV0LXRhbHx4fHk=", "%%%", "a" * 5000, "YW5uYQ=="):
        assert requests.get(f"{web}/api/staff/lookup", params={"q": "x"},
                            cookies={"indgang_staff": crafted}).status_code == 401


def test_staff_see_call_back_requests_and_mark_them_handled_from_their_page_only(web):
    from datetime import datetime, timezone

    from bot.callbacks import record_callback

    rid = record_callback(WEB_DB["url"], datetime.now(timezone.utc), company="Hansens VVS", contact="Jens",
                          phone="20 30 40 50", cvr="24256790", preferred_time="i morgen", topic="Udeservering",
                          task_id="udeservering", department_id="vej-park", department_name="Vej & Park")
    assert requests.get(f"{web}/api/staff/callbacks").status_code == 401
    s = login(web)
    open_ = s.get(f"{web}/api/staff/callbacks").json()["requests"]
    mine = next(r for r in open_ if r["id"] == rid)
    assert mine["company"] == "Hansens VVS" and mine["department_name"] == "Vej & Park" and mine["handled_at"] is None
    handled = f"{web}/api/staff/callbacks/{rid}/handled"
    assert s.post(handled).status_code == 403  # no Origin: not from the staff page
    assert s.post(handled, headers={"Origin": "https://evil.example"}).status_code == 403
    assert s.post(handled, headers={"Origin": web}).json() == {"handled": True}
    assert s.post(handled, headers={"Origin": web}).status_code == 404  # already handled
    again = next(r for r in s.get(f"{web}/api/staff/callbacks").json()["requests"] if r["id"] == rid)
    assert again["handled_by"] == "anna"


def test_staff_see_the_latest_report_and_nobody_else_does(web):
    from datetime import datetime, timedelta, timezone

    from bot.report import Traffic, figures, write_report

    assert requests.get(f"{web}/staff/report", allow_redirects=False).status_code == 302
    s = login(web)
    assert s.get(f"{web}/staff/report").status_code == 404  # none written yet: says how to make one
    now = datetime.now(timezone.utc)
    write_report(figures(Traffic(), []), Path(WEB_DB["report"]), now - timedelta(days=7), now, [(9.0, 15.0)])
    page = s.get(f"{web}/staff/report")
    assert page.status_code == 200 and 'src="/staff/report/areas.png"' in page.text
    assert s.get(f"{web}/staff/report/areas.png").headers["content-type"] == "image/png"
    assert requests.get(f"{web}/staff/report/areas.png").status_code == 401
    assert s.get(f"{web}/staff/report/..%2Fusers.yml").status_code == 404


def test_logout_ends_the_session(web):
    s = login(web)
    s.get(f"{web}/staff/logout")
    assert s.get(f"{web}/api/staff/lookup", params={"q": "x"}).status_code == 401


PUBLIC_GETS = ["/", "/health", "/staff", "/staff/login", "/api/lookup?q=udeservering", "/api/lookup?q=sagsfordeling",
               "/api/lookup?q=Rita", "/api/tasks/udeservering", "/api/tasks/intern-fordeling", "/api/channels",
               "/api/municipality", "/api/staff/catalog-history", "/api/openapi.json", "/api/docs", "/api/staff/lookup?q=udeservering", "/api/staff/tasks/udeservering",
               "/api/staff/inbox", "/api/staff/callbacks", "/api/staff/callbacks/1/handled",
               "/staff/report", "/staff/report/areas.png",
               "/static/index.html", "/static/staff.html", "/static/staff.js", "/static/indgang-widget.js",
               "/nope", "/api/tasks/../staff/tasks/intern-fordeling", "/static/../../catalog_data/contacts.yml"]


@pytest.mark.parametrize("path", PUBLIC_GETS)
def test_no_internal_data_without_login_on_any_route(web, path):
    r = requests.get(web + path, allow_redirects=True)
    for secret in INTERNAL:
        assert secret not in r.text, f"{secret!r} leaked through {path}"


def test_every_registered_route_is_covered_by_the_leak_test():
    from bot.web.app import create_app

    app = create_app()
    paths = {"/" + r.path.lstrip("/") for r in app.router.routes}
    covered = {re.sub(r"\?.*", "", p) for p in PUBLIC_GETS}
    for path in paths:
        concrete = re.sub(r"<task_id(:str)?>", "udeservering", path)
        concrete = re.sub(r"<__file_uri__(:path)?>", "staff.js", concrete)
        concrete = re.sub(r"<request_id(:int)?>", "1", concrete)
        concrete = re.sub(r"<name(:str)?>", "areas.png", concrete)
        if "/staff/login" in concrete or "/staff/logout" in concrete:
            continue
        assert any(c == concrete or c.startswith(concrete.rstrip("/")) for c in covered), path


def test_html_and_script_in_a_query_come_back_as_data(web):
    s = login(web)
    q = "<script>alert(1)</script>"
    body = s.get(f"{web}/api/staff/lookup", params={"q": q})
    assert body.headers["content-type"].startswith("application/json")
    assert body.json()["query"] == q  # data, never markup; the page renders it with textContent


def test_very_long_query_is_cut_not_crashing(web):
    r = requests.get(f"{web}/api/lookup", params={"q": "grave " * 800})  # 4,800 characters
    assert r.status_code == 200 and r.json()["kind"]
    # beyond what a URL may carry the server says so, it does not fall over
    assert requests.get(f"{web}/api/lookup", params={"q": "grave " * 3000}).status_code in (413, 414)
    assert requests.get(f"{web}/health").status_code == 200


def test_pages_send_security_headers(web):
    r = requests.get(web + "/")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"


def test_openapi_documents_every_api_route(web):
    spec = requests.get(f"{web}/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/lookup", "/api/tasks/{task_id}", "/api/channels", "/api/staff/lookup",
            "/api/staff/tasks/{task_id}"} <= set(spec["paths"])


def test_the_page_and_widget_take_the_municipality_from_the_catalogue(web):
    page = requests.get(f"{web}/").text
    assert "Testkommune" in page and "{{" not in page
    assert 'data-phone="72 57 88 10"' in page and 'href="tel:+4572578810"' in page
    info = requests.get(f"{web}/api/municipality")
    assert info.headers["Access-Control-Allow-Origin"] == "*"  # a widget on the municipality's own site reads it
    body = info.json()
    assert body["name"] == "Testkommune" and body["one_entrance"]["phone"] == "72 57 88 10"
    assert set(body) == {"name", "switchboard", "email", "url", "address", "one_entrance"}  # public facts only


def test_staff_read_what_changed_in_the_catalogue(web):
    assert requests.get(f"{web}/api/staff/catalog-history").status_code == 401
    versions = login(web).get(f"{web}/api/staff/catalog-history").json()["versions"]
    assert versions[0]["version"] == "test.1" and versions[-1]["summary"] == "Første version."
