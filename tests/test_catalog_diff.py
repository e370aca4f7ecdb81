"""The change note between two catalogue versions: what an editor reads in the terminal and
what colleagues read in the e-mail. Pure: snapshots are plain dicts, no database."""
from __future__ import annotations

import copy
import re
from typing import Any, Dict

import pytest

from bot.catalog.diff import Entry, diff_snapshots, render_markdown, render_text


def snapshot(version: str = "2026.2", **kinds: Any) -> Dict[str, Any]:
    return {"version": version, "published": None, "comment": "", "municipality": {}, **kinds}


BASE = snapshot(
    "2026.1",
    municipality={"name": "Jammerbugt Kommune", "switchboard": "72 57 77 77", "one_entrance": "one-entrance"},
    departments={
        "byg-miljoe": {"name": "Byg & Miljø", "parent": None, "phone": "72 57 73 00", "external": True,
                       "opening_hours": {"mon": ["09:00-15:00"], "thu": ["09:00-15:00"]}},
        "erhverv": {"name": "Erhvervsservice", "phone": "72 57 74 00", "external": True, "opening_hours": {}},
    },
    tasks={
        "udeservering": {"title": "Udeservering", "description": "Borde og stole på fortovet.",
                         "kle": ["05.14.08"], "keywords": ["fortov", "stole"], "department_id": "byg-miljoe",
                         "contact_ids": ["anne"], "self_service_url": None, "external": False},
    },
    contacts={"anne": {"name": "Anne Eksempelsen", "title": "Byggesagsbehandler", "department_id": "byg-miljoe",
                       "phone": "72 57 73 11", "external": False, "tasks": ["udeservering"]}},
    authorities={"skat": {"name": "Skattestyrelsen", "phone": "72 22 18 18", "topics": ["moms"]}},
    channels={"one-entrance": {"name": "Én indgang for virksomheder", "phone": "72 57 88 10",
                               "opening_hours": {"mon": ["09:00-15:00"]}, "open_on_holidays": False}},
)


def edited(**changes: Dict[str, Dict[str, Any]]) -> Dict[str, Any]:
    """BASE as version 2026.2 with some fields of some entries replaced: edited(tasks={"id": {...}})."""
    new = copy.deepcopy(BASE)
    new["version"] = "2026.2"
    for kind, entries in changes.items():
        for ident, fields in entries.items():
            new[kind][ident].update(fields)
    return new


def markdown(old: Dict[str, Any], new: Dict[str, Any]) -> str:
    return render_markdown(diff_snapshots(old, new), "2026.1", "2026.2")


def text(old: Dict[str, Any], new: Dict[str, Any]) -> str:
    return render_text(diff_snapshots(old, new), "2026.1", "2026.2")


def section(md: str, title: str) -> str:
    """The lines under '## title' up to the next '## ' heading ('' if there is none)."""
    m = re.search(rf"^## {title}\n(.*?)(?=^## |\Z)", md, re.S | re.M)
    return m.group(1) if m else ""


def summary(md: str) -> str:
    return md.splitlines()[2]


# --- nothing changed ------------------------------------------------------------------------

def test_identical_snapshots_say_ingen_aendringer():
    diff = diff_snapshots(BASE, copy.deepcopy(BASE))
    assert diff.empty
    assert render_markdown(diff, "2026.1", "2026.2") == "# Ændringer i katalog 2026.1 → 2026.2\n\nIngen ændringer.\n"
    assert render_text(diff, "2026.1", "2026.2").splitlines()[-1] == "No changes."


def test_only_the_version_and_comment_differ_is_no_change():
    new = edited()
    new["comment"], new["published"] = "Forårsimport", "2026-11-01"
    assert diff_snapshots(BASE, new).empty


def test_whitespace_and_empty_spellings_are_not_changes():
    """Re-folded YAML text and a field an old snapshot did not have yet read the same to anyone."""
    old = copy.deepcopy(BASE)
    del old["departments"]["erhverv"]["opening_hours"]
    new = edited(tasks={"udeservering": {"description": "Borde og  stole\npå fortovet. ", "facts_note": None,
                                         "documents": [], "title_en": ""}})
    assert diff_snapshots(old, new).empty


# --- added, removed, changed per kind --------------------------------------------------------

KINDS = [
    # kind, Danish heading, the field holding the display name
    ("departments", "Afdelinger", "name"),
    ("tasks", "Opgaver", "title"),
    ("contacts", "Kontaktpersoner", "name"),
    ("authorities", "Myndigheder", "name"),
    ("channels", "Kanaler", "name"),
]


@pytest.mark.parametrize("kind,heading,name_field", KINDS)
def test_added_removed_and_changed_entries_per_kind(kind, heading, name_field):
    old = snapshot("2026.1", **{kind: {"gammel": {name_field: "Gammel post", "phone": "11 11 11 11"},
                                       "fast": {name_field: "Fast post", "phone": "22 22 22 22"}}})
    new = snapshot("2026.2", **{kind: {"fast": {name_field: "Fast post", "phone": "22 22 22 23"},
                                       "ny": {name_field: "Ny post", "phone": "33 33 33 33"}}})
    diff = diff_snapshots(old, new)
    assert diff.kind(kind).added == (Entry("ny", "Ny post"),)
    assert diff.kind(kind).removed == (Entry("gammel", "Gammel post"),)

    md = markdown(old, new)
    assert f"### {heading}\n\n- **Ny post**\n" in section(md, "Nye")
    assert f"### {heading}\n\n- **Gammel post**\n" in section(md, "Fjernede")
    assert f"### {heading}\n\n- **Fast post**\n  - Telefon: 22 22 22 22 → 22 22 22 23\n" in section(md, "Ændrede")

    lines = text(old, new).splitlines()
    assert "  + Ny post [ny]" in lines and "  − Gammel post [gammel]" in lines and "  ~ Fast post [fast]" in lines


def test_a_new_id_is_one_entry_added_and_one_removed():
    new = copy.deepcopy(BASE)
    new["authorities"]["skattestyrelsen"] = new["authorities"].pop("skat")
    md = markdown(BASE, new)
    assert "- **Skattestyrelsen**" in section(md, "Nye")
    assert "- **Skattestyrelsen**" in section(md, "Fjernede")
    assert section(md, "Ændrede") == ""


def test_a_renamed_entry_is_listed_under_its_new_name_with_the_old_one():
    md = markdown(BASE, edited(departments={"erhverv": {"name": "Erhverv & Turisme"}}))
    assert "- **Erhverv & Turisme**\n  - Navn: Erhvervsservice → Erhverv & Turisme\n" in section(md, "Ændrede")


def test_kinds_come_in_a_fixed_order_and_entries_in_danish_alphabetical_order():
    names = ["Åstrup Havn", "Ørsted", "Æblegården", "Byg", "anlæg"]
    new = edited(departments={"byg-miljoe": {"phone": "1"}}, tasks={"udeservering": {"fee": "500 kr."}},
                 contacts={"anne": {"phone": "2"}}, authorities={"skat": {"phone": "3"}},
                 channels={"one-entrance": {"phone": "4"}})
    new["municipality"]["switchboard"] = "5"
    for i, name in enumerate(names):
        new["departments"][f"d{i}"] = {"name": name}
    md = markdown(BASE, new)
    assert re.findall(r"^- \*\*(.*)\*\*$", section(md, "Nye"), re.M) == ["anlæg", "Byg", "Æblegården", "Ørsted",
                                                                        "Åstrup Havn"]
    assert re.findall(r"^### (.*)$", section(md, "Ændrede"), re.M) == [
        "Afdelinger", "Opgaver", "Kontaktpersoner", "Myndigheder", "Kanaler", "Kommunen"]


# --- how a field change reads -------------------------------------------------------------------

def test_a_phone_change_shows_old_and_new_number():
    new = edited(departments={"byg-miljoe": {"phone": "72 57 73 99"}})
    assert "  - Telefon: 72 57 73 00 → 72 57 73 99" in markdown(BASE, new).splitlines()
    assert "    - phone: 72 57 73 00 → 72 57 73 99" in text(BASE, new).splitlines()


def test_keyword_changes_show_what_was_added_and_removed_not_the_whole_list():
    new = edited(tasks={"udeservering": {"keywords": ["stole", "pølsevogn", "borde på fortovet"]}})
    assert "  - Søgeord: +pølsevogn, +borde på fortovet, −fortov" in markdown(BASE, new).splitlines()
    assert "    - keywords: +pølsevogn, +borde på fortovet, −fortov" in text(BASE, new).splitlines()


def test_a_new_main_kle_number_is_reported_as_a_new_order():
    base = edited(tasks={"udeservering": {"kle": ["05.14.08", "05.14.00"]}})
    new = edited(tasks={"udeservering": {"kle": ["05.14.00", "05.14.08"]}})
    assert "  - KLE-numre: ny rækkefølge: 05.14.00, 05.14.08" in markdown(base, new).splitlines()


def test_opening_hours_change_per_weekday():
    new = edited(departments={"byg-miljoe": {"opening_hours": {"mon": ["09:00-15:00"], "thu": ["09:00-17:00"],
                                                               "sat": ["10:00-12:00"]}},
                              "erhverv": {"opening_hours": {"fri": ["09:00-12:00", "13:00-14:00"]}}})
    md = markdown(BASE, new)
    assert ("- **Byg & Miljø**\n  - Åbningstider:\n"
            "    - torsdag: 09:00-15:00 → 09:00-17:00\n"
            "    - lørdag: lukket → 10:00-12:00\n") in md
    assert "    - fredag: lukket → 09:00-12:00, 13:00-14:00\n" in md
    assert "mandag" not in md  # unchanged days are not repeated
    assert "      - thu: 09:00-15:00 → 09:00-17:00" in text(BASE, new).splitlines()


def test_references_show_names_in_the_email_and_ids_in_the_terminal():
    new = edited(tasks={"udeservering": {"department_id": "erhverv", "contact_ids": []}})
    md = markdown(BASE, new).splitlines()
    assert "  - Afdeling: Byg & Miljø → Erhvervsservice" in md
    assert "  - Kontaktpersoner: −Anne Eksempelsen" in md
    assert "    - department_id: byg-miljoe → erhverv" in text(BASE, new).splitlines()


def test_yes_no_empty_links_and_labels_read_as_danish():
    new = edited(tasks={"udeservering": {"external": True, "self_service_url": "https://www.jammerbugt.dk/a_b"}},
                 contacts={"anne": {"title": "Teamleder", "fax": "98 12 34 56"}})
    md = markdown(BASE, new).splitlines()
    assert "  - Offentlig: nej → ja" in md
    assert "  - Selvbetjening: — → <https://www.jammerbugt.dk/a_b>" in md
    assert "  - Stilling: Byggesagsbehandler → Teamleder" in md  # a contact's title is a job title
    assert "  - fax: — → 98 12 34 56" in md  # a field without a label keeps its name


def test_long_texts_show_old_and_new_in_full():
    old_text = "Tilladelse til at stille borde og stole på fortovet foran restauranter og caféer i hele kommunen."
    new_text = "Tilladelse til at stille borde, stole og parasoller på fortovet foran restauranter og caféer."
    base = edited(tasks={"udeservering": {"description": old_text}})
    md = markdown(base, edited(tasks={"udeservering": {"description": new_text}}))
    assert f"  - Beskrivelse:\n    - Før: {old_text}\n    - Nu: {new_text}\n" in md


# --- old snapshots ------------------------------------------------------------------------------

def test_kinds_missing_from_an_old_snapshot_count_as_empty():
    old = {"version": "2019.1", "tasks": copy.deepcopy(BASE["tasks"])}
    md = markdown(old, edited())
    nye = section(md, "Nye")
    assert "### Afdelinger\n\n- **Byg & Miljø**\n- **Erhvervsservice**\n" in nye
    assert "- **Skattestyrelsen**" in nye and "- **Én indgang for virksomheder**" in nye
    assert section(md, "Fjernede") == ""
    kommunen = section(md, "Ændrede").split("### Kommunen\n\n")[1].splitlines()
    assert kommunen[:3] == ["- Navn: — → Jammerbugt Kommune", "- Hovednummer: — → 72 57 77 77",
                            "- Én indgang: — → Én indgang for virksomheder"]


# --- the summary line ---------------------------------------------------------------------------

def _with(kind: str, added: int = 0, removed: int = 0, changed: int = 0):
    old = snapshot("2026.1", **{kind: {f"r{i}": {"name": f"R{i}"} for i in range(removed)}})
    new = snapshot("2026.2", **{kind: {f"a{i}": {"name": f"A{i}"} for i in range(added)}})
    for i in range(changed):
        old[kind][f"c{i}"], new[kind][f"c{i}"] = {"name": f"C{i}", "phone": "1"}, {"name": f"C{i}", "phone": "2"}
    return old, new


@pytest.mark.parametrize("kind,counts,expected", [
    ("departments", dict(added=1), "1 ny afdeling."),
    ("departments", dict(added=2), "2 nye afdelinger."),
    ("tasks", dict(changed=3), "3 opgaver ændret."),
    ("tasks", dict(changed=1), "1 opgave ændret."),
    ("contacts", dict(removed=1), "1 kontaktperson fjernet."),
    ("authorities", dict(removed=2, added=1), "1 ny myndighed og 2 myndigheder fjernet."),
    ("channels", dict(added=2, removed=1, changed=1), "2 nye kanaler, 1 kanal fjernet og 1 kanal ændret."),
])
def test_summary_line_counts_in_danish_singular_and_plural(kind, counts, expected):
    assert summary(markdown(*_with(kind, **counts))) == expected


def test_summary_line_across_kinds_and_the_municipality():
    new = edited(tasks={"udeservering": {"fee": "500 kr."}})
    new["departments"]["genbrug"] = {"name": "Jammerbugt Genbrug"}
    new["municipality"]["switchboard"] = "72 57 77 00"
    del new["contacts"]["anne"]
    assert summary(markdown(BASE, new)) == (
        "1 ny afdeling, 1 kontaktperson fjernet, 1 opgave ændret og kommunens oplysninger ændret.")
    assert text(BASE, new).splitlines()[1] == (
        "1 department added, 1 contact removed, 1 task changed, municipality changed.")


# --- Markdown that cannot be broken by a value --------------------------------------------------

def test_markdown_special_characters_in_values_are_escaped():
    new = edited(tasks={"udeservering": {"title": "Skilte * og _vigtigt_",
                                         "keywords": ["fortov", "stole", "a|b", "[link](x)", "`kode`"],
                                         "fee": "<b>500</b> &amp; moms\n# ikke en overskrift"}})
    md = markdown(BASE, new)
    lines = md.splitlines()
    assert "- **Skilte \\* og \\_vigtigt\\_**" in lines
    assert "  - Søgeord: +a\\|b, +\\[link\\](x), +\\`kode\\`" in lines
    assert "  - Gebyr: — → \\<b\\>500\\</b\\> \\&amp; moms # ikke en overskrift" in lines
    # the layout holds: headings, the summary and list items only; no value starts a line of its own
    layout = re.compile(r"^(#{1,3} |( {2})*- |$)")
    assert [line for line in lines if not layout.match(line)] == [summary(md)]
    assert [line for line in lines if line.startswith("#")] == [
        "# Ændringer i katalog 2026.1 → 2026.2", "## Ændrede", "### Opgaver"]


def test_the_version_labels_are_escaped_too():
    md = render_markdown(diff_snapshots(BASE, BASE), "2026_1", "*ny*\n# x")
    assert md.splitlines()[0] == "# Ændringer i katalog 2026\\_1 → \\*ny\\* # x"
