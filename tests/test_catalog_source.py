"""The loader and its error messages: one broken file per kind of error, and an untouched database."""
from __future__ import annotations
from tests.conftest import IMPORTED

import pytest

from bot.catalog.importer import import_catalog
from bot.catalog.queries import counts, current_version
from bot.catalog.source import CatalogError, load_catalog
from tests.conftest import add_facts


def test_valid_catalogue_loads_with_summary(catalog_dir):
    source = load_catalog(catalog_dir)
    assert source.summary() == "5 departments, 6 tasks, 3 contacts, 2 authorities"
    assert source.topics["road_works"] == ("05.12",)
    udeservering = next(t for t in source.tasks if t.id == "udeservering")
    assert udeservering.kle == ("05.14.08",) and udeservering.external


def test_real_catalogue_is_valid_and_big_enough(real_catalog_dir):
    source = load_catalog(real_catalog_dir)
    assert len(source.departments) >= 12
    assert len(source.tasks) >= 45
    assert len(source.authorities) >= 8
    assert {"one-entrance", "switchboard", "digital-hotline"} <= {c.id for c in source.channels}
    assert {"skattestyrelsen", "erhvervsstyrelsen", "foedevarestyrelsen", "arbejdstilsynet", "erhvervshus",
            "miljoestyrelsen", "politiet", "kystdirektoratet"} <= {a.id for a in source.authorities}
    assert any(not c.external for c in source.contacts) and any(c.external for c in source.contacts)


def _tasks(data, file="tasks/roads.yml"):
    return data[file]["tasks"]


BROKEN = {
    "invalid yaml": (lambda d: d.__setitem__("tasks/roads.yml", None), "tasks/roads.yml", "file", "top-level 'tasks:'"),
    "missing field": (lambda d: _tasks(d)[0].pop("title"), "tasks/roads.yml", "task 'udeservering', field 'title'", "is required"),
    "unknown field": (lambda d: _tasks(d)[0].__setitem__("colour", "red"), "tasks/roads.yml", "field 'colour'",
                      "Valid fields for a task: id, title"),
    "unknown department": (lambda d: _tasks(d)[0].__setitem__("department", "vej-parc"), "tasks/roads.yml",
                           "task 'udeservering', field 'department'", "Did you mean: vej-park"),
    "unknown contact": (lambda d: _tasks(d)[0].__setitem__("contacts", ["nobody"]), "tasks/roads.yml",
                        "field 'contacts'", "unknown contact 'nobody'"),
    "duplicate id": (lambda d: _tasks(d, "tasks/other.yml")[0].__setitem__("id", "udeservering"), "tasks/other.yml",
                     "task 'udeservering', field 'id'", "duplicate id (also in catalog_data/tasks/other.yml"),
    "bad id": (lambda d: d["departments.yml"]["departments"][0].__setitem__("id", "Vej Park"), "departments.yml",
               "field 'id'", "lowercase letters"),
    "bad phone": (lambda d: d["contacts.yml"]["contacts"][0].__setitem__("phone", "12 34"), "contacts.yml",
                  "contact 'rita-vej', field 'phone'", "not a Danish phone number"),
    "bad email": (lambda d: d["contacts.yml"]["contacts"][0].__setitem__("email", "rita.example.dk"), "contacts.yml",
                  "contact 'rita-vej', field 'email'", "not an e-mail address"),
    "bad url": (lambda d: _tasks(d)[0].__setitem__("self_service_url", "http://x.dk"), "tasks/roads.yml",
                "field 'self_service_url'", "must start with https://"),
    "kle format": (lambda d: _tasks(d)[0].__setitem__("kle", ["5.14.8"]), "tasks/roads.yml", "field 'kle'",
                   "is not a KLE number"),
    "kle unknown": (lambda d: _tasks(d)[0].__setitem__("kle", ["05.14.09"]), "tasks/roads.yml", "field 'kle'",
                    "does not exist in OS2KLE"),
    "too many kle": (lambda d: _tasks(d)[0].__setitem__("kle", ["05.14.08", "05.12.10", "02.34.02", "15.18.10"]),
                     "tasks/roads.yml", "field 'kle'", "1 to 3"),
    "bad hours": (lambda d: d["channels.yml"]["channels"][0]["opening_hours"].__setitem__("mon", ["17:00-09:00"]),
                  "channels.yml", "channel 'one-entrance', field 'opening_hours'", "start before end"),
    "bad weekday": (lambda d: d["channels.yml"]["channels"][0]["opening_hours"].__setitem__("monday", ["09:00-10:00"]),
                    "channels.yml", "field 'opening_hours'", "Valid weekdays: mon, tue"),
    # the municipality names the channel every answer refers to; without it nothing would
    "no one-entrance": (lambda d: d["channels.yml"]["channels"].pop(0), "catalog.yml",
                        "municipality, field 'one_entrance'", "unknown channel 'one-entrance'"),
    "municipality without switchboard": (lambda d: d["catalog.yml"]["municipality"].pop("switchboard"), "catalog.yml",
                                         "municipality, field 'switchboard'", "is required"),
    "unknown citizen service": (lambda d: d["catalog.yml"]["municipality"].__setitem__("citizen_service", "borger"),
                                "catalog.yml", "municipality, field 'citizen_service'",
                                "unknown department 'borger'. Did you mean: borgerservice?"),
    "municipality as one line": (lambda d: d["catalog.yml"].__setitem__("municipality", "Testkommune"), "catalog.yml",
                                 "municipality", "must be a mapping: name, switchboard"),
    "uncovered topic": (lambda d: d["topics.yml"]["topics"].__setitem__("digital_self_service", ["23.15"]), "topics.yml",
                        "topic 'digital_self_service'", "no external task"),
    "bad flag": (lambda d: _tasks(d)[0].__setitem__("external", "ja"), "tasks/roads.yml", "field 'external'",
                 "true or false"),
    "unknown related task": (lambda d: _tasks(d)[0].__setitem__("related_tasks", ["gravetilladelsen"]),
                             "tasks/roads.yml", "task 'udeservering', field 'related_tasks'",
                             "unknown task 'gravetilladelsen'. Did you mean: gravetilladelse"),
    "related to itself": (lambda d: _tasks(d)[0].__setitem__("related_tasks", ["udeservering"]), "tasks/roads.yml",
                          "task 'udeservering', field 'related_tasks'", "is the task itself"),
    "public task related to internal task": (
        lambda d: _tasks(d)[0].__setitem__("related_tasks", ["intern-fordeling"]), "tasks/roads.yml",
        "task 'udeservering', field 'related_tasks'", "'intern-fordeling' is an internal task"),
    "unknown related authority": (lambda d: _tasks(d)[0].__setitem__("related_authorities", ["skattestyrelse"]),
                                  "tasks/roads.yml", "task 'udeservering', field 'related_authorities'",
                                  "unknown authority 'skattestyrelse'. Did you mean: skattestyrelsen"),
    "http legal basis": (lambda d: _tasks(d)[0].__setitem__("legal_basis_url", "http://www.retsinformation.dk/eli/lta/2024/435"),
                         "tasks/roads.yml", "task 'udeservering', field 'legal_basis_url'", "must start with https://"),
    "fee as a list": (lambda d: _tasks(d)[0].__setitem__("fee", ["100 kr.", "200 kr."]), "tasks/roads.yml",
                      "task 'udeservering', field 'fee'", "must be one line of text"),
    "ask_as with eller": (lambda d: _tasks(d)[0].__setitem__("ask_as", "borde eller stole"), "tasks/roads.yml",
                          "task 'udeservering', field 'ask_as'", "without commas and without 'eller'/'or'"),
    "unknown authority field": (lambda d: d["authorities.yml"]["authorities"][0].__setitem__("fax", "12345678"),
                                "authorities.yml", "authority 'skattestyrelsen', field 'fax'",
                                "Valid fields for a authority: id, name, description, topics, phone, url, email"),
    "authority bad hours": (lambda d: d["authorities.yml"]["authorities"][0].__setitem__("opening_hours", {"mon": ["9-15"]}),
                            "authorities.yml", "authority 'skattestyrelsen', field 'opening_hours'",
                            "not an interval like '09:00-15:00'"),
    "authority bad email": (lambda d: d["authorities.yml"]["authorities"][0].__setitem__("email", "skat.dk"),
                            "authorities.yml", "authority 'skattestyrelsen', field 'email'", "not an e-mail address"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_file_names_file_entry_field_and_leaves_database_untouched(case, mini_data, make_catalog, imported):
    good_counts = counts(imported)
    good_version = current_version(imported)
    breaker, file, where, message = BROKEN[case]
    breaker(mini_data)
    root = make_catalog(mini_data)
    with pytest.raises(CatalogError) as err:
        import_catalog(imported, root, IMPORTED)
    text = str(err.value)
    assert f"catalog_data/{file}" in text
    assert where in text
    assert message in text
    assert counts(imported) == good_counts
    assert current_version(imported) == good_version


def test_yaml_syntax_error_gives_line(mini_data, make_catalog):
    root = make_catalog(mini_data)
    (root / "contacts.yml").write_text("contacts:\n  - id: a\n    name: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"catalog_data/contacts.yml: file: is not valid YAML at line \d+"):
        load_catalog(root)


def test_all_problems_are_reported_at_once(mini_data, make_catalog):
    mini_data["contacts.yml"]["contacts"][0]["phone"] = "1"
    mini_data["tasks/roads.yml"]["tasks"][1]["department"] = "nowhere"
    with pytest.raises(CatalogError) as err:
        load_catalog(make_catalog(mini_data))
    assert len(err.value.problems) == 2


def test_facts_load_into_the_source(mini_data, make_catalog):
    add_facts(mini_data, authority_hours={"mon": ["09:00-15:00"]})
    source = load_catalog(make_catalog(mini_data))
    ude = next(t for t in source.tasks if t.id == "udeservering")
    assert ude.documents == ("Tegning af arealet", "Foto af møblerne")
    assert ude.related_tasks == ("gravetilladelse",) and ude.related_authorities == ("skattestyrelsen",)
    assert ude.fee.startswith("Gebyr efter medgået tid") and ude.facts_note == "Gebyr og servicemål er eksempler"
    skat = next(a for a in source.authorities if a.id == "skattestyrelsen")
    assert skat.opening_hours == {"mon": ("09:00-15:00",)} and skat.reply_time == "Svar inden for 10 hverdage"
    assert source.departments[0].reply_time == "Svar på e-mail inden for 5 hverdage"


def test_a_kle_title_sharing_no_word_with_the_task_is_a_warning_not_an_error(mini_data, make_catalog):
    # 00.14.00 'Borgerbetjening i almindelighed' says nothing the task 'Borgerservice' (pas, kørekort) says
    source = load_catalog(make_catalog(mini_data))
    warning = next(w for w in source.warnings if "task 'borgerservice-info'" in w)
    assert warning.startswith("catalog_data/tasks/other.yml: task 'borgerservice-info', field 'kle': 00.14.00")
    assert "shares no word" in warning
    assert not any("task 'loentilskud'" in w for w in source.warnings)  # 'Ansættelse med løntilskud'
    # one of the words in the keywords is enough (endings and stop words do not matter)
    mini_data["tasks/other.yml"]["tasks"][2]["keywords"].append("borgerbetjeningen")
    assert not any("borgerservice-info" in w for w in load_catalog(make_catalog(mini_data)).warnings)


def test_real_catalogue_has_no_kle_word_warnings(real_catalog_dir):
    assert load_catalog(real_catalog_dir).warnings == ()
