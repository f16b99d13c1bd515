import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cli
from importer.dossier_rows import ALL_COLUMNS
from tests.import_fixtures import dossier, write_dossiers

ROOT = Path(cli.__file__).resolve().parent


def run_cli(tmp_path, *args):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "DATA_DIR": str(tmp_path / "data"),
        "APP_TODAY": "2026-01-15",
    }
    command = [sys.executable, str(ROOT / "cli.py"), *args]
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


def test_import_dossiers_prints_the_summary_and_exits_0(tmp_path):
    path = write_dossiers(tmp_path / "ho_so.csv", [dossier("H1"), dossier("H2"), dossier("BAD", channel="7")])

    result = run_cli(tmp_path, "import-dossiers", "-q", str(path))

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "ho_so.csv" in out
    for label, n in [("Số dòng đọc", 3), ("Thêm mới", 2), ("Cập nhật", 0), ("Không đổi", 0), ("Cách ly", 1)]:
        line = next(x for x in out.splitlines() if label in x)
        assert line.split()[-1] == str(n), line
    assert "quarantine --run" in out

    again = run_cli(tmp_path, "import-dossiers", "-q", str(path))
    assert again.returncode == 0
    assert next(x for x in again.stdout.splitlines() if "Không đổi" in x).split()[-1] == "2"


def test_file_missing_a_column_exits_1_naming_the_column(tmp_path):
    columns = [c for c in ALL_COLUMNS if c != "agency_code"]
    path = write_dossiers(tmp_path / "thieu_cot.csv", [dossier("H1")], columns=columns)

    result = run_cli(tmp_path, "import-dossiers", "-q", str(path))

    assert result.returncode == 1
    assert "agency_code" in result.stderr
    assert "thieu_cot.csv" in result.stderr


def test_wrong_usage_exits_2(tmp_path):
    result = run_cli(tmp_path, "import-dossiers")
    assert result.returncode == 2
    assert "TỆP" in result.stderr


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("APP_TODAY", "2026-01-15")
    return tmp_path


def test_quarantine_lists_and_exports_the_quarantined_rows(cli_env, capsys):
    path = write_dossiers(cli_env / "d.csv", [dossier("H1"), dossier("BAD", agency_code="NOPE")])
    assert cli.main(["import-dossiers", "-q", str(path)]) == 0
    summary = capsys.readouterr().out
    run_id = summary.split("quarantine --run ")[1].split()[0]

    assert cli.main(["quarantine"]) == 0
    listed = capsys.readouterr().out
    assert "unknown_agency" in listed and "d.csv:3" in listed

    out = cli_env / "cach_ly.csv"
    assert cli.main(["quarantine", "--run", run_id, "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["rule"], r["line_no"]) for r in rows] == [("unknown_agency", "3")]
    assert '"NOPE"' in rows[0]["raw_row"]


def test_rebuild_aggregates_exits_0(cli_env, capsys):
    path = write_dossiers(cli_env / "d.csv", [dossier("H1")])
    assert cli.main(["import-dossiers", "-q", str(path)]) == 0
    assert cli.main(["rebuild-aggregates"]) == 0
    assert "agency_month_stats" in capsys.readouterr().out


def test_help_is_in_vietnamese(tmp_path):
    result = run_cli(tmp_path, "--help")
    assert result.returncode == 0
    assert "nhập hồ sơ TTHC" in result.stdout
