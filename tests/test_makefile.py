"""The Makefile's promises: read-only targets create no files; `make clean` never deletes data;
`make clean-data` deletes it only when told so; secrets are made private by the targets that
need them."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    return tmp_path


def test_help_creates_no_files(checkout):
    assert make(checkout, "help").returncode == 0
    assert [p.name for p in checkout.iterdir()] == ["Makefile"]


def test_clean_keeps_var_and_clean_data_needs_confirmation(checkout):
    (checkout / "models").mkdir()
    (checkout / "models" / "m.tar.gz").write_text("x")
    (checkout / "var").mkdir()
    (checkout / "var" / "staff_users.yml").write_text("users: {}\n")
    (checkout / "var" / "tracker.db").write_text("x")
    out = make(checkout, "clean")
    assert out.returncode == 0 and "make clean-data CONFIRM=yes" in out.stdout
    assert not (checkout / "models").exists() and (checkout / "var" / "staff_users.yml").exists()
    refused = make(checkout, "clean-data")
    assert refused.returncode != 0 and "Nothing was deleted" in refused.stdout
    assert (checkout / "var" / "tracker.db").exists()
    assert make(checkout, "clean-data", "CONFIRM=yes").returncode == 0 and not (checkout / "var").exists()


def test_secrets_are_made_private_by_the_targets_that_need_them(checkout):
    assert make(checkout, "var/rasa-token", "var/action-secret").returncode == 0
    for name in ("rasa-token", "action-secret"):
        secret = checkout / "var" / name
        assert len(secret.read_text()) == 32 and secret.stat().st_mode & 0o077 == 0
    assert (checkout / "var").stat().st_mode & 0o077 == 0
