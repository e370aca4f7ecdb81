"""Import, models and queries on real databases: SQLite (the default) and PostgreSQL (production)."""
from __future__ import annotations
from tests.conftest import IMPORTED

import pytest
from sqlalchemy import select

from bot.catalog import importer
from bot.catalog.db import DatabaseUnavailable, ensure_schema, session_factory
from bot.catalog.importer import import_catalog
from bot.catalog.models import Task
from bot.catalog.queries import (
    counts,
    current_version,
    find_entries,
    get_authority,
    get_channels,
    get_department,
    get_task,
    load_snapshot,
    version_history,
)
from tests.conftest import add_facts


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """Every test in this module runs on both backends; PostgreSQL is skipped only when absent."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    from tests.conftest import create_pg_database, drop_pg_database, pg_available

    if not pg_available():
        pytest.skip("PostgreSQL is not running at 127.0.0.1:5432 (set TEST_PG_ADMIN_URL)")
    url = create_pg_database("indgang_test")
    yield url
    drop_pg_database(url)


def test_import_builds_every_table(imported):
    assert counts(imported) == {"departments": 5, "tasks": 6, "contacts": 3, "authorities": 2, "kle": 6}
    v = current_version(imported)
    assert v.version == "test.1" and v.published == "2026-11-01"
    assert v.diff["tasks"]["added"] == sorted(["udeservering", "gravetilladelse", "byggetilladelse", "loentilskud",
                                               "borgerservice-info", "intern-fordeling"])


def test_models_keep_relations(imported):
    with session_factory(imported)() as s:
        task = s.execute(select(Task).where(Task.id == "udeservering")).scalar_one()
        assert task.department.name == "Vej & Park"
        assert [k.kle_number for k in task.kle] == ["05.14.08"]
        assert [c.id for c in task.contacts] == ["rita-vej"]
    # a contact that lists a task is linked to it too
    assert [c.id for c in get_task(imported, "loentilskud", public=False).contacts] == ["ole-offentlig"]


def test_public_view_hides_internal_tasks_departments_and_contacts(imported):
    assert get_task(imported, "intern-fordeling", public=True) is None
    assert get_task(imported, "intern-fordeling", public=False).contacts[0].name == "Ib Hemmeligsen"
    assert get_task(imported, "udeservering", public=True).contacts == ()
    assert get_task(imported, "udeservering", public=False).contacts[0].phone == "72 57 75 12"
    assert get_department(imported, "sekretariat", public=True) is None
    snap = load_snapshot(imported, public=True)
    names = {c.name for t in snap.tasks for c in t.contacts}
    assert names == {"Ole Offentligsen"}


def test_queries_return_frozen_dataclasses(imported):
    task = get_task(imported, "gravetilladelse", public=True)
    with pytest.raises(Exception):
        task.title = "x"  # type: ignore[misc]
    assert get_channels(imported)["one-entrance"].short == "8810"
    assert get_authority(imported, "skattestyrelsen").topics == ("moms", "skat")


def test_find_entries_is_parameterised(imported):
    tasks, deps = find_entries(imported, "grave", public=True)
    assert [t.id for t in tasks] == ["gravetilladelse"]
    tasks, deps = find_entries(imported, "'; DROP TABLE task; --", public=True)
    assert tasks == [] and deps == []
    assert counts(imported)["tasks"] == 6


def test_reimport_reports_changes(imported, mini_data, make_catalog):
    mini_data["tasks/roads.yml"]["tasks"][1]["description"] = "Ny tekst."
    mini_data["tasks/roads.yml"]["tasks"].pop(0)
    mini_data["topics.yml"]["topics"].pop("outdoor_serving")
    mini_data["catalog.yml"]["version"] = "test.2"
    import_catalog(imported, make_catalog(mini_data), IMPORTED)
    latest = version_history(imported)[0]
    assert latest.version == "test.2"
    assert latest.diff["tasks"] == {"added": [], "removed": ["udeservering"], "changed": ["gravetilladelse"]}


def test_failed_write_rolls_back(imported, catalog_dir, monkeypatch):
    before = counts(imported)

    def boom(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "id_changes", boom)  # fails after the content is replaced
    with pytest.raises(RuntimeError):
        import_catalog(imported, catalog_dir, IMPORTED)
    assert counts(imported) == before
    assert len(version_history(imported)) == 1


def test_facts_round_trip_into_task_department_and_authority_info(db_url, mini_data, make_catalog):
    add_facts(mini_data, authority_hours={"mon": ["09:00-15:00"], "fri": ["09:00-12:00"]})
    import_catalog(db_url, make_catalog(mini_data), IMPORTED)
    task = get_task(db_url, "udeservering", public=True)
    assert task.fee == "Gebyr efter medgået tid: 474 kr. i timen (2026)"
    assert task.processing_time == "Servicemål: 20 dage"
    assert task.documents == ("Tegning af arealet", "Foto af møblerne")
    assert task.legal_basis_url == "https://www.retsinformation.dk/eli/lta/2024/435"
    assert task.related_tasks == ("gravetilladelse",) and task.related_authorities == ("skattestyrelsen",)
    assert task.facts_note == "Gebyr og servicemål er eksempler"
    assert task.department.reply_time == "Svar på e-mail inden for 5 hverdage"
    snap_task = next(t for t in load_snapshot(db_url, public=True).tasks if t.id == "udeservering")
    assert snap_task == task
    skat = get_authority(db_url, "skattestyrelsen")
    assert skat.email == "erhverv@example.dk" and skat.address == "Eksempelvej 1, 9000 Aalborg"
    assert skat.opening_hours == {"mon": ("09:00-15:00",), "fri": ("09:00-12:00",)}
    assert skat.reply_time == "Svar inden for 10 hverdage"
    assert load_snapshot(db_url, public=True).authorities["skattestyrelsen"] == skat
    # unknown facts stay empty, never missing
    other = get_authority(db_url, "erhvervsstyrelsen")
    assert other.opening_hours == {} and other.email is None and other.reply_time is None
    grav = get_task(db_url, "gravetilladelse", public=True)
    assert grav.documents == () and grav.related_tasks == () and grav.fee is None
    # a changed fact is a changed task in the history
    mini_data["tasks/roads.yml"]["tasks"][0]["fee"] = "Gratis"
    mini_data["authorities.yml"]["authorities"][0]["reply_time"] = "Svar inden for 5 hverdage"
    import_catalog(db_url, make_catalog(mini_data), IMPORTED)
    diff = version_history(db_url)[0].diff
    assert diff["tasks"]["changed"] == ["udeservering"]
    assert diff["authorities"]["changed"] == ["skattestyrelsen"]


def test_an_older_database_gets_the_new_columns(tmp_path, catalog_dir):
    """A database built before the facts existed is upgraded in place, then imports fine."""
    from sqlalchemy import create_engine, inspect, text

    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = create_engine(url, future=True)
    with old.begin() as conn:
        conn.execute(text("CREATE TABLE authority (id VARCHAR(80) PRIMARY KEY, name TEXT NOT NULL, "
                          "description TEXT NOT NULL, phone VARCHAR(20), url TEXT, topics JSON NOT NULL)"))
        conn.execute(text("INSERT INTO authority VALUES ('x', 'X', '', NULL, NULL, '[]')"))
    old.dispose()
    ensure_schema(url)
    columns = {c["name"] for c in inspect(create_engine(url, future=True)).get_columns("authority")}
    assert {"email", "address", "opening_hours", "reply_time"} <= columns
    import_catalog(url, catalog_dir, IMPORTED)
    assert get_authority(url, "skattestyrelsen").opening_hours == {}


def test_unreachable_database_gives_clear_error():
    with pytest.raises(DatabaseUnavailable, match="Cannot reach the catalogue database postgresql://nobody:\\*\\*\\*@127.0.0.1:1/x"):
        ensure_schema("postgresql://nobody:secret@127.0.0.1:1/x")


def test_the_database_read_back_is_the_imported_snapshot(imported, catalog_dir):
    """A database imported before versions kept the whole catalogue is compared field by field
    from what it holds: read back, it equals the snapshot the import would have kept."""
    from bot.catalog.db import session_factory
    from bot.catalog.domain import snapshot_of
    from bot.catalog.queries import stored_snapshot
    from bot.catalog.source import load_catalog

    kept = snapshot_of(load_catalog(catalog_dir))
    with session_factory(imported)() as s:
        read = stored_snapshot(s)
    for kind in ("departments", "tasks", "contacts", "channels", "authorities"):
        assert read[kind] == kept[kind], kind


def test_an_old_database_without_snapshots_gets_a_true_first_diff(imported, catalog_dir, mini_data, make_catalog):
    from sqlalchemy import update

    from bot.catalog.db import session_factory
    from bot.catalog.models import CatalogVersion

    with session_factory(imported).begin() as s:  # as a database imported before this version
        s.execute(update(CatalogVersion).values(snapshot=None))
    mini_data["departments.yml"]["departments"][0]["phone"] = "72 57 75 99"
    import_catalog(imported, make_catalog(mini_data), IMPORTED)
    from bot.catalog.queries import version_history, version_snapshot

    changes = version_history(imported, limit=1)[0].diff
    assert changes["departments"] == {"added": [], "removed": [], "changed": ["vej-park"]}
    assert all(not changes[kind]["added"] and not changes[kind]["removed"] and not changes[kind]["changed"]
               for kind in ("tasks", "contacts", "authorities"))
    assert version_snapshot(imported, "-2")[1]["departments"]["vej-park"]["phone"] == "72 57 75 00"  # diffable
