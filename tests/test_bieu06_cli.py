"""`python cli.py report bieu06 | overdue` on the hand-built data set of test_bieu06 (SQLite file)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

import cli
from db.engine import make_engine
from db.migrate import upgrade
from tests.test_bieu06 import load_sample

ROOT = Path(cli.__file__).resolve().parent


@pytest.fixture
def database(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'reports.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    load_sample(engine)
    engine.dispose()
    return url


def run_cli(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(tmp_path / "data"), "PROVINCE_CODE": "49"}
    command = [sys.executable, str(ROOT / "cli.py"), *args]
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)


def run_bieu06(tmp_path: Path, url: str, out: Path, *args: str) -> subprocess.CompletedProcess:
    """`report bieu06 ARGS --out OUT`."""
    return run_cli(tmp_path, url, "report", "bieu06", *args, "--out", str(out))


def test_the_report_module_is_registered_with_the_cli():
    assert "dossier_stats.commands" in cli.COMMAND_MODULES


def test_bieu06_csv_and_xlsx_for_a_unit_are_written(tmp_path, database):
    out = tmp_path / "out" / "bieu06.csv"
    result = run_bieu06(
        tmp_path, database, out, "--from", "2025-03-10", "--to", "2025-04-20", "--format", "csv"
    )
    assert result.returncode == 0, result.stderr
    assert "Hồ sơ nhận giải quyết: 18; đã giải quyết: 9; đang giải quyết: 9" in result.stdout
    lines = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert lines[-1][:5] == ["total", "", "", "Tổng cộng", "18"]

    xlsx = tmp_path / "bieu06_502.xlsx"
    result = run_bieu06(
        tmp_path, database, xlsx, "--from", "2025-03-10", "--to", "2025-04-20", "--unit", "502"
    )
    assert result.returncode == 0, result.stderr
    sheet = load_workbook(xlsx).active
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Đơn vị báo cáo: Thành phố Tam Kỳ" in values
    assert "Kỳ báo cáo: từ ngày 10/03/2025 đến ngày 20/04/2025" in values


def test_bad_date_reversed_range_and_unknown_unit_exit_2_with_a_message(tmp_path, database):
    out = tmp_path / "x.xlsx"
    bad_date = run_bieu06(tmp_path, database, out, "--from", "2025-02-30", "--to", "2025-04-20")
    assert bad_date.returncode == 2
    assert "ngày không hợp lệ: '2025-02-30'" in bad_date.stderr
    reversed_range = run_bieu06(tmp_path, database, out, "--from", "2025-05-01", "--to", "2025-04-20")
    assert reversed_range.returncode == 2
    assert "ngày bắt đầu 01/05/2025 sau ngày kết thúc 20/04/2025" in reversed_range.stderr
    unknown = run_bieu06(
        tmp_path, database, out, "--from", "2025-03-10", "--to", "2025-04-20", "--unit", "KHONGCO"
    )
    assert unknown.returncode == 2
    assert "Không tìm thấy đơn vị có mã 'KHONGCO'" in unknown.stderr
    assert not out.exists()


def test_overdue_list_is_written_as_csv(tmp_path, database):
    out = tmp_path / "qua_han.csv"
    result = run_cli(tmp_path, database, "report", "overdue", "--to", "2025-04-20", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Đã ghi 4 hồ sơ quá hạn ngày 20/04/2025" in result.stdout
    lines = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == ["b20", "b16", "b13", "b04"]
