"""The catalogue as a workbook: a lossless round trip, edits that come back, and errors that name
sheet, row and column. The real catalogue is loaded and written once per module."""
from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Callable, Dict, List

import openpyxl
import pytest

from bot.catalog.domain import Catalog, snapshot_of
from bot.catalog.source import CatalogError, load_catalog
from bot.catalog.spreadsheet import load_workbook_catalog, write_workbook
from tests.conftest import ROOT

CATALOG_DIR = ROOT / "catalog_data"


@pytest.fixture(scope="module")
def real() -> Catalog:
    return load_catalog(CATALOG_DIR)


@pytest.fixture(scope="module")
def exported(real: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "katalog.xlsx"
    write_workbook(real, path)
    return path


def _edited(exported: Path, tmp_path: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    """A copy of the exported workbook changed by ``edit``, as an editor would in Excel."""
    path = tmp_path / "rettet.xlsx"
    shutil.copy(exported, path)
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def _row(ws, entry_id: str) -> int:
    return next(cell.row for cell in ws["A"] if cell.value == entry_id)


def _col(ws, field: str) -> str:
    return next(cell.column_letter for cell in ws[1] if cell.value == field)


def _set(wb: openpyxl.Workbook, sheet: str, entry_id: str, field: str, value) -> str:
    """Set one cell of an entry's row; give back its reference ("F12") for the expected message."""
    ws = wb[sheet]
    ref = f"{_col(ws, field)}{_row(ws, entry_id)}"
    ws[ref] = value
    return ref


def _values(path: Path) -> Dict[str, List[tuple]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb}


def _problems(path: Path) -> List[str]:
    with pytest.raises(CatalogError) as err:
        load_workbook_catalog(path, CATALOG_DIR)
    return err.value.problems


# --- round trip ------------------------------------------------------------------------------

def test_round_trip_keeps_every_field(real: Catalog, exported: Path) -> None:
    back = load_workbook_catalog(exported, CATALOG_DIR)
    assert snapshot_of(back) == snapshot_of(real)  # every kind and field, topics, version, published
    assert back.changes == real.changes and back.municipality == real.municipality
    assert back.tasks == real.tasks and back.contacts == real.contacts
    assert back.warnings == real.warnings


def test_second_write_gives_the_same_cells(exported: Path, tmp_path: Path) -> None:
    again = tmp_path / "igen.xlsx"
    write_workbook(load_workbook_catalog(exported, CATALOG_DIR), again)
    assert _values(again) == _values(exported)


def test_sheet_layout_is_editable(exported: Path) -> None:
    wb = openpyxl.load_workbook(exported)
    assert wb.sheetnames[:7] == ["Kommunen", "Afdelinger", "Opgaver", "Kontaktpersoner", "Kanaler", "Myndigheder",
                                 "Emner"]
    tasks = wb["Opgaver"]
    header = [c.value for c in tasks[1]]
    assert header[:7] == ["id", "title", "description", "kle", "keywords", "department", "contacts"]
    assert tasks.freeze_panes == "B2" and tasks["F1"].comment is not None
    row = _row(tasks, "byggetilladelse")
    assert tasks[f"D{row}"].value == "02.34.02; 02.03.17" and tasks[f"D{row}"].data_type == "s"
    assert tasks[f"{_col(tasks, 'external')}{row}"].value == "ja"
    departments = wb["Afdelinger"]
    hours = departments[f"{_col(departments, 'opening_hours')}{_row(departments, 'byg-miljoe')}"].value
    assert "thu 09:00-12:00, 13:00-17:00" in hours


def test_source_hash_is_of_the_file(exported: Path) -> None:
    import hashlib

    assert load_workbook_catalog(exported, CATALOG_DIR).source_hash == hashlib.sha256(exported.read_bytes()).hexdigest()


# --- editing -------------------------------------------------------------------------------

def test_edited_phone_number_comes_back(exported: Path, tmp_path: Path) -> None:
    def edit(wb):
        _set(wb, "Afdelinger", "byg-miljoe", "phone", "72 57 73 99")
        wb["Opgaver"].insert_rows(5, 2)  # empty rows in the middle are skipped

    back = load_workbook_catalog(_edited(exported, tmp_path, edit), CATALOG_DIR)
    task = next(t for t in back.tasks if t.id == "byggetilladelse")
    assert task.department.phone == "72 57 73 99"
    assert len(back.tasks) == 106


def test_lists_one_per_line_and_a_new_task(real: Catalog, exported: Path, tmp_path: Path) -> None:
    def edit(wb):
        _set(wb, "Opgaver", "byggetilladelse", "keywords", "byggetilladelse\nlagerhal\n\n")
        ws = wb["Opgaver"]
        ws.append({1: "ny-opgave", 2: "Ny opgave", 3: "Noget nyt.", 4: "02.34.02", 5: "nyt; andet",
                   6: "byg-miljoe"})

    back = load_workbook_catalog(_edited(exported, tmp_path, edit), CATALOG_DIR)
    tasks = {t.id: t for t in back.tasks}
    assert tasks["byggetilladelse"].keywords == ("byggetilladelse", "lagerhal")
    assert tasks["ny-opgave"].keywords == ("nyt", "andet") and not tasks["ny-opgave"].external


# --- errors: sheet, row and column, all at once --------------------------------------------

def test_problems_name_sheet_row_and_column_all_at_once(exported: Path, tmp_path: Path) -> None:
    refs: Dict[str, str] = {}

    def edit(wb):
        refs["department"] = _set(wb, "Opgaver", "byggetilladelse", "department", "byg-miljo")
        refs["phone"] = _set(wb, "Afdelinger", "byg-miljoe", "phone", "12 34")
        refs["email"] = _set(wb, "Kontaktpersoner", "anne-eksempelsen", "email", "anne.eksempelsen.dk")
        refs["name"] = _set(wb, "Kanaler", "switchboard", "name", None)
        refs["flag"] = _set(wb, "Kontaktpersoner", "bo-proevesen", "external", "jaa")
        ws = wb["Myndigheder"]
        ws.cell(1, ws.max_column + 1, "farve")
        refs["unknown"] = ws.cell(1, ws.max_column).column_letter
        del wb["Emner"]

    problems = _problems(_edited(exported, tmp_path, edit))
    row = {k: ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for k, ref in refs.items() if k != "unknown"}
    col = {k: ref.rstrip("0123456789") for k, ref in refs.items()}
    expected = [
        f"sheet 'Opgaver', row {row['department']}: task 'byggetilladelse', field 'department' "
        f"(column {col['department']}): unknown department 'byg-miljo'. Did you mean: byg-miljoe",
        f"sheet 'Afdelinger', row {row['phone']}: department 'byg-miljoe', field 'phone' (column {col['phone']}): "
        "'12 34' is not a Danish phone number",
        f"sheet 'Kontaktpersoner', row {row['email']}: contact 'anne-eksempelsen', field 'email' "
        f"(column {col['email']}): 'anne.eksempelsen.dk' is not an e-mail address",
        f"sheet 'Kanaler', row {row['name']}: channel 'switchboard', field 'name' (column {col['name']}): is required",
        f"sheet 'Kontaktpersoner', row {row['flag']}: contact 'bo-proevesen', field 'external' (column {col['flag']}): "
        "'jaa' must be 'ja' or 'nej'",
        f"sheet 'Myndigheder', row 1: header, field 'farve' (column {col['unknown']}): unknown column. "
        "Valid fields for an authority: id, name, description, topics",
        "rettet.xlsx: sheet 'Emner': is missing. A catalogue workbook has the sheets Kommunen, Afdelinger",
    ]
    for text in expected:
        assert any(text in p for p in problems), f"{text!r} not in:\n" + "\n".join(problems)
    assert len(problems) == len(expected), "\n".join(problems)


def test_municipality_and_topic_problems_name_their_row(exported: Path, tmp_path: Path) -> None:
    rows: Dict[str, int] = {}

    def edit(wb):
        meta = wb["Kommunen"]
        rows["switchboard"] = _row(meta, "switchboard")
        meta[f"B{rows['switchboard']}"] = "123"
        meta.append(["farve", "blå"])
        rows["farve"] = meta.max_row
        topics = wb["Emner"]
        rows["noise"] = _row(topics, "noise")
        topics[f"B{rows['noise']}"] = "09.11; 98.76"

    problems = _problems(_edited(exported, tmp_path, edit))
    assert any(p.startswith(f"sheet 'Kommunen', row {rows['switchboard']}: municipality, field 'switchboard' "
                            "(column B): '123' is not a Danish phone number") for p in problems), problems
    assert any(p.startswith(f"sheet 'Kommunen', row {rows['farve']}: catalogue, field 'farve' (column A): unknown field. "
                            "Valid fields: version, published, changes, name") for p in problems), problems
    assert any(p.startswith(f"sheet 'Emner', row {rows['noise']}: topic 'noise', field 'kle' (column B): "
                            "'98.76' matches no KLE number") for p in problems), problems
    assert len(problems) == 3, problems


def test_missing_required_column_is_one_clear_problem_first(exported: Path, tmp_path: Path) -> None:
    def edit(wb):
        ws = wb["Kanaler"]
        ws.delete_cols(ws[_col(ws, "phone") + "1"].column)

    problems = _problems(_edited(exported, tmp_path, edit))
    assert problems[0] == ("sheet 'Kanaler', row 1: header, field 'phone': missing column. "
                           "The sheet needs the columns id, name, phone, opening_hours")


@pytest.mark.parametrize("content", [b"id;name\nbyg;Byg\n", b""])
def test_a_file_that_is_not_a_workbook_is_one_problem(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "katalog.xlsx"
    path.write_bytes(content)
    problems = _problems(path)
    assert len(problems) == 1 and "katalog.xlsx: file: cannot be read as an Excel workbook (.xlsx)" in problems[0]


def test_a_missing_file_is_one_problem(tmp_path: Path) -> None:
    problems = _problems(tmp_path / "findes-ikke.xlsx")
    assert len(problems) == 1 and "findes-ikke.xlsx: file: cannot be read" in problems[0]


# --- what Excel does to typed values --------------------------------------------------------

def test_numbers_typed_into_text_cells_come_back_as_text(exported: Path, tmp_path: Path) -> None:
    def edit(wb):
        _set(wb, "Kontaktpersoner", "anne-eksempelsen", "phone", 72577311)    # typed as a number
        _set(wb, "Kanaler", "one-entrance", "short", 8810.0)
        _set(wb, "Opgaver", "byggetilladelse", "external", True)             # Excel's TRUE
        topics = wb["Emner"]
        topics[f"B{_row(topics, 'watercourses')}"] = 6.02                    # "06.02" made a number
        meta = wb["Kommunen"]
        meta[f"B{_row(meta, 'published')}"] = "2026-11-01"                   # a date typed as text

    back = load_workbook_catalog(_edited(exported, tmp_path, edit), CATALOG_DIR)
    assert next(c for c in back.contacts if c.id == "anne-eksempelsen").phone == "72577311"
    assert next(c for c in back.channels if c.id == "one-entrance").short == "8810"
    assert next(t for t in back.tasks if t.id == "byggetilladelse").external is True
    assert back.topics["watercourses"] == ("06.02",)
    assert back.published is not None and back.published.isoformat() == "2026-11-01"


def test_kle_numbers_excel_changed_are_reported_clearly(exported: Path, tmp_path: Path) -> None:
    refs: Dict[str, str] = {}

    def edit(wb):
        refs["float"] = _set(wb, "Opgaver", "byggetilladelse", "kle", 2.3)           # typed "02.30"
        refs["date"] = _set(wb, "Opgaver", "nedrivning", "kle", datetime(2017, 3, 2))  # typed "02.03.17"

    problems = _problems(_edited(exported, tmp_path, edit))
    f, d = refs["float"], refs["date"]
    assert any(p.startswith(f"sheet 'Opgaver', row {f[1:]}: task 'byggetilladelse', field 'kle' (column {f[0]}): "
                            "'02.30' is not a KLE number like '02.34.02'") for p in problems), problems
    assert any(p.startswith(f"sheet 'Opgaver', row {d[1:]}: task 'nedrivning', field 'kle' (column {d[0]}): "
                            "Excel has turned a KLE number into the date 2017-03-02") for p in problems), problems
