"""The command line as a user runs it: `python -m bot catalog …` and `python -m bot route …`."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.servers import ROOT, base_env

MODEL = ROOT / "models" / "indgang.tar.gz"


def bot(*args: str, env=None, stdin: str = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=base_env(**(env or {})),
                          input=stdin, capture_output=True, text=True, timeout=300)


def test_validate_prints_the_summary_line():
    run = bot("catalog", "validate")
    assert run.returncode == 0
    lines = run.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith("authorities") and " departments, " in lines[0]


def test_validate_reports_a_broken_file_and_exits_non_zero(mini_data, make_catalog):
    mini_data["tasks/roads.yml"]["tasks"][0]["kle"] = ["99.99.99"]
    root = make_catalog(mini_data)
    run = bot("catalog", "validate", env={"CATALOG_DIR": str(root)})
    assert run.returncode == 1
    assert "catalog_data/tasks/roads.yml: task 'udeservering', field 'kle': '99.99.99' does not exist" in run.stderr


def test_import_then_show(tmp_path, catalog_dir):
    env = {"CATALOG_DIR": str(catalog_dir), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    assert bot("catalog", "import", env=env).returncode == 0
    shown = bot("catalog", "show", "udeservering", env=env)
    assert shown.returncode == 0 and "Vej & Park" in shown.stdout and "Rita Vejfiktiv" in shown.stdout
    public = bot("catalog", "show", "udeservering", "--public", env=env)
    assert "Rita Vejfiktiv" not in public.stdout
    missing = bot("catalog", "show", "finnes-ikke", env=env)
    assert missing.returncode == 1 and "No task or department" in missing.stderr
    assert "test.1" in bot("catalog", "history", env=env).stdout


@pytest.mark.model
def test_route_jsonl_answers_every_line_in_order():
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train`")
    lines = ["vi vil stille borde ud foran caféen", "", "hvordan bliver vi momsregistreret", "hej"]
    run = bot("route", "--jsonl", "-", stdin="\n".join(lines) + "\n")
    assert run.returncode == 0, run.stderr[-2000:]
    out = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(out) == len(lines)
    assert out[0]["kind"] == "route" and out[0]["route"]["task_id"] == "udeservering"
    assert out[1]["kind"] == "smalltalk"
    assert out[2]["kind"] == "external" and out[2]["authority"]["id"] == "skattestyrelsen"
    assert out[3]["kind"] == "greeting"
    assert all(o["one_entrance"]["phone"] == "72 57 88 10" for o in out)


def test_an_editors_round_edit_export_import_diff_publish(tmp_path, catalog_dir):
    """What a catalogue editor does twice a year, as commands: import with a note, export to a
    spreadsheet, change a number in it, import the spreadsheet, mail colleagues the diff, publish."""
    from openpyxl import load_workbook

    env = {"CATALOG_DIR": str(catalog_dir), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    first = bot("catalog", "import", "--comment", "Forårsversionen", env=env)
    assert first.returncode == 0 and "as #1" in first.stdout
    xlsx = tmp_path / "katalog.xlsx"
    assert bot("catalog", "export", "--xlsx", str(xlsx), env=env).returncode == 0
    book = load_workbook(xlsx)
    sheet = book["Afdelinger"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("id")].value == "vej-park")
    row[header.index("phone")].value = "72 57 75 99"
    book.save(xlsx)
    second = bot("catalog", "import", "--xlsx", str(xlsx), "--comment", "Nyt nummer til Vej & Park", env=env)
    assert second.returncode == 0 and "as #2" in second.stdout, second.stderr
    mail = bot("catalog", "diff", "--markdown", env=env)
    assert mail.returncode == 0
    assert "# Ændringer i katalog" in mail.stdout and "**Vej & Park**" in mail.stdout
    assert "Telefon: 72 57 75 00 → 72 57 75 99" in mail.stdout
    assert "Nyt nummer til Vej & Park" in bot("catalog", "history", env=env).stdout
    assert bot("catalog", "diff", "#7", env=env).returncode == 1

    kle = bot("catalog", "suggest-kle", "gravetilladelse til kabel i vejen", env=env)
    assert kle.returncode == 0 and kle.stdout.splitlines()[0].startswith("05.")

    out = tmp_path / "udgivet"
    published = bot("catalog", "publish", "--out", str(out), env=env)
    assert published.returncode == 0, published.stderr
    html = (out / "katalog.html").read_text(encoding="utf-8")
    assert "72 57 75 99" in html and "Rita Vejfiktiv" not in html  # the new number; no internal contact
    assert (out / "katalog.pdf").read_bytes().startswith(b"%PDF")


def test_a_broken_spreadsheet_names_sheet_row_and_column(tmp_path, catalog_dir):
    from openpyxl import load_workbook

    env = {"CATALOG_DIR": str(catalog_dir), "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    assert bot("catalog", "import", env=env).returncode == 0
    xlsx = tmp_path / "katalog.xlsx"
    assert bot("catalog", "export", "--xlsx", str(xlsx), env=env).returncode == 0
    book = load_workbook(xlsx)
    sheet = book["Opgaver"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("department") + 1).value = "vej-parken"
    book.save(xlsx)
    run = bot("catalog", "import", "--xlsx", str(xlsx), env=env)
    assert run.returncode == 1 and "Nothing was imported" in run.stderr
    assert "sheet 'Opgaver', row 2" in run.stderr and "unknown department 'vej-parken'" in run.stderr
    assert "column " in run.stderr
