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
