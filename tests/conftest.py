"""Shared fixtures: a small catalogue written to a temp folder, and databases built from it."""
from __future__ import annotations

import copy
import datetime
import os
from pathlib import Path
from typing import Any, Callable, Dict

import pytest
import yaml

os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
os.environ.setdefault("ACTION_SECRET", "test-action-secret-0123456789")  # servers started by tests share it
ROOT = Path(__file__).resolve().parent.parent
# when the tests' catalogues are imported (a fixed instant: logic never reads the wall clock)
IMPORTED = datetime.datetime(2026, 11, 1, 8, 0, tzinfo=datetime.timezone.utc)

KLE_LINES = [
    "KLENummer='05.14.08':KLETitel='Benyttelse af gade- og fortovsarealer - genstande på vejareal':Keywords[Weight]=udeservering[5];fortovsareal[5];",
    "KLENummer='05.12.10':KLETitel='Koordinering af gravearbejder og ledningsarbejder':Keywords[Weight]=gravetilladelse[5];ledningsarbejde[5];",
    "KLENummer='02.34.02':KLETitel='Byggetilladelse':Keywords[Weight]=byggeansøgning[5];ok01[1000];",
    "KLENummer='15.18.10':KLETitel='Ansættelse med løntilskud':Keywords[Weight]=løntilskud[5];",
    "KLENummer='23.15.25':KLETitel='Digital identitet (MitID) - registrering, udstedelse mv.':Keywords[Weight]=MitID[5];",
    "KLENummer='00.14.00':KLETitel='Borgerbetjening i almindelighed':Keywords[Weight]=borgerservice[5];",
]

HOURS = {"mon": ["09:00-15:00"], "tue": ["09:00-15:00"], "wed": ["09:00-15:00"],
         "thu": ["09:00-17:00"], "fri": ["09:00-13:00"]}

MINI: Dict[str, Any] = {
    "catalog.yml": {"version": "test.1", "published": datetime.date(2026, 11, 1), "municipality": {
        "name": "Testkommune", "switchboard": "72 57 77 77", "citizen_service": "borgerservice",
        "digital_help": "digital-hotline", "stop_words": ["testkommune"]},
                    "changes": ["Første version"]},
    "departments.yml": {"departments": [
        {"id": "vej-park", "name": "Vej & Park", "phone": "72 57 75 00", "email": "vejogpark@example.dk",
         "url": "https://example.dk/vej", "opening_hours": HOURS, "external": True},
        {"id": "byg-miljoe", "name": "Byg & Miljø", "phone": "72 57 73 00", "email": "byg@example.dk",
         "opening_hours": HOURS, "external": True},
        {"id": "jobcenter", "name": "Jobcenter – Virksomhedsservice", "phone": "72 57 80 00",
         "email": "job@example.dk", "external": True},
        {"id": "borgerservice", "name": "Borgerservice", "phone": "72 57 77 77", "external": True},
        {"id": "sekretariat", "name": "Internt sekretariat", "phone": "72 57 70 00", "external": False},
    ]},
    "tasks/roads.yml": {"tasks": [
        {"id": "udeservering", "title": "Udeservering", "description": "Borde og stole på fortovet.",
         "kle": ["05.14.08"], "keywords": ["udeservering", "borde på fortovet", "café"], "department": "vej-park",
         "contacts": ["rita-vej"], "self_service_url": "https://example.dk/udeservering", "external": True},
        {"id": "gravetilladelse", "title": "Gravetilladelse", "description": "Grav i vejen.",
         "kle": ["05.12.10"], "keywords": ["gravetilladelse", "kabel", "opgravning"], "department": "vej-park",
         "external": True},
    ]},
    "tasks/other.yml": {"tasks": [
        {"id": "byggetilladelse", "title": "Byggetilladelse", "description": "Byg nyt eller til.",
         "kle": ["02.34.02"], "keywords": ["byggetilladelse", "tilbygning", "lagerhal"], "department": "byg-miljoe",
         "self_service_url": "https://byggeogmiljoe.dk", "external": True},
        {"id": "loentilskud", "title": "Løntilskud", "description": "Ansæt med løntilskud.",
         "kle": ["15.18.10"], "keywords": ["løntilskud", "ledig"], "department": "jobcenter", "external": True},
        {"id": "borgerservice-info", "title": "Borgerservice", "description": "Pas og kørekort.",
         "kle": ["00.14.00"], "keywords": ["pas", "kørekort"], "department": "borgerservice", "external": True},
        {"id": "intern-fordeling", "title": "Intern sagsfordeling", "description": "Kun internt.",
         "kle": ["00.14.00"], "keywords": ["sagsfordeling"], "department": "sekretariat", "contacts": ["ib-intern"],
         "external": False},
    ]},
    "contacts.yml": {"contacts": [
        {"id": "rita-vej", "name": "Rita Vejfiktiv", "title": "Vejmedarbejder", "department": "vej-park",
         "phone": "72 57 75 12", "email": "rita@example.dk", "external": False},
        {"id": "ole-offentlig", "name": "Ole Offentligsen", "title": "Virksomhedskonsulent", "department": "jobcenter",
         "phone": "72 57 80 10", "email": "ole@example.dk", "tasks": ["loentilskud"], "external": True},
        {"id": "ib-intern", "name": "Ib Hemmeligsen", "title": "Sekretær", "department": "sekretariat",
         "phone": "72 57 70 01", "email": "ib@example.dk", "external": False},
    ]},
    "channels.yml": {"channels": [
        {"id": "one-entrance", "name": "Én indgang for virksomheder", "phone": "72 57 88 10", "short": "8810",
         "email": "erhverv@example.dk", "opening_hours": HOURS},
        {"id": "switchboard", "name": "Omstillingen", "phone": "72 57 77 77", "short": "7777", "opening_hours": HOURS},
        {"id": "digital-hotline", "name": "Digital hotline", "phone": "70 20 00 00",
         "opening_hours": {"mon": ["09:00-21:00"], "tue": ["09:00-21:00"], "wed": ["09:00-21:00"],
                           "thu": ["09:00-21:00"], "fri": ["09:00-17:00"], "sun": ["17:00-21:00"]}},
    ]},
    "authorities.yml": {"authorities": [
        {"id": "skattestyrelsen", "name": "Skattestyrelsen", "description": "Moms og skat.", "phone": "72 22 18 18",
         "url": "https://skat.dk", "topics": ["moms", "skat"]},
        {"id": "erhvervsstyrelsen", "name": "Erhvervsstyrelsen", "description": "CVR og virk.dk.",
         "phone": "35 29 10 00", "url": "https://virk.dk", "topics": ["cvr"]},
    ]},
    "topics.yml": {"topics": {"outdoor_serving": ["05.14.08"], "road_works": ["05.12"],
                              "building_permit": ["02.34"], "wage_subsidy": ["15.18"]}},
}


def write_catalog(root: Path, data: Dict[str, Any]) -> Path:
    for rel, content in data.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (root / "kle").mkdir(exist_ok=True)
    (root / "kle" / "OS2KLE.txt").write_text("\n".join(KLE_LINES) + "\n", encoding="utf-8")
    return root


@pytest.fixture
def mini_data() -> Dict[str, Any]:
    """A deep copy of the small catalogue, for a test to break."""
    return copy.deepcopy(MINI)


@pytest.fixture
def catalog_dir(tmp_path: Path, mini_data) -> Path:
    return write_catalog(tmp_path / "catalog_data", mini_data)


@pytest.fixture
def make_catalog(tmp_path: Path) -> Callable[[Dict[str, Any]], Path]:
    counter = {"n": 0}

    def make(data: Dict[str, Any]) -> Path:
        counter["n"] += 1
        return write_catalog(tmp_path / f"catalog_{counter['n']}" / "catalog_data", data)

    return make


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def imported(db_url: str, catalog_dir: Path) -> str:
    from bot.catalog.importer import import_catalog

    import_catalog(db_url, catalog_dir, IMPORTED)
    return db_url


@pytest.fixture
def real_catalog_dir() -> Path:
    return ROOT / "catalog_data"


@pytest.fixture
def settings_for(monkeypatch):
    """Settings pointing at a given database, with the router cache cleared."""
    from bot.routing import service
    from bot.settings import Settings

    def make(url: str) -> Settings:
        service.clear_cache()
        monkeypatch.setenv("DATABASE_URL", url)
        return Settings.from_env()

    yield make
    service.clear_cache()



PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")


def pg_available() -> bool:
    try:
        import psycopg2

        psycopg2.connect(PG_ADMIN_URL, connect_timeout=2).close()
        return True
    except Exception:
        return False


def create_pg_database(prefix: str) -> str:
    """A fresh, uniquely named PostgreSQL database; returns its SQLAlchemy URL."""
    import uuid

    import psycopg2

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    conn = psycopg2.connect(PG_ADMIN_URL, connect_timeout=5)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def drop_pg_database(url: str) -> None:
    import psycopg2

    from bot.catalog.db import engine_for

    engine_for(url).dispose()
    name = url.rsplit("/", 1)[1]
    conn = psycopg2.connect(PG_ADMIN_URL, connect_timeout=5)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


def nlu(*ranking):
    """A hand-made NLU result: nlu(("outdoor_serving", 0.9), ("road_use", 0.05))."""
    r = [{"name": n, "confidence": c} for n, c in ranking]
    return {"intent": r[0] if r else {}, "intent_ranking": r}


def mechanics_router(db_url: str, public: bool = True):
    """A router with the identity calibration and no answer threshold: its decisions follow the
    raw scores in the tests, whatever bot/routing/calibration.yml was last fitted to."""
    from bot.catalog.queries import load_snapshot
    from bot.routing.calibration import Calibration
    from bot.routing.router import Router, RouterConfig

    return Router(load_snapshot(db_url, public=public), RouterConfig(answer_min=0.0), calibration=Calibration())


@pytest.fixture
def router(imported):
    return mechanics_router(imported, public=True)


@pytest.fixture
def staff_router(imported):
    return mechanics_router(imported, public=False)


def add_facts(data: Dict[str, Any], authority_hours: Dict[str, Any]) -> None:
    """Give the small catalogue's outdoor-serving task, first department and Skattestyrelsen
    every optional fact field, for the tests that load or import them."""
    data["tasks/roads.yml"]["tasks"][0].update({
        "fee": "Gebyr efter medgået tid: 474 kr. i timen (2026)", "processing_time": "Servicemål: 20 dage",
        "documents": ["Tegning af arealet", "Foto af møblerne"],
        "legal_basis_url": "https://www.retsinformation.dk/eli/lta/2024/435",
        "related_tasks": ["gravetilladelse"], "related_authorities": ["skattestyrelsen"],
        "facts_note": "Gebyr og servicemål er eksempler"})
    data["departments.yml"]["departments"][0]["reply_time"] = "Svar på e-mail inden for 5 hverdage"
    data["authorities.yml"]["authorities"][0].update({
        "email": "erhverv@example.dk", "address": "Eksempelvej 1, 9000 Aalborg",
        "opening_hours": authority_hours, "reply_time": "Svar inden for 10 hverdage"})
