"""`python cli.py scoring …` end to end: load (this year's and next year's file, a broken
one), template → import, export, demo. Exit codes: 0 ok, 1 refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

import cli
from accounts.permissions import COMMAND_LINE
from accounts.store import add_account
from scoring.excel_layout import POINTS_COL, SHEET
from scoring.loader import shipped_files
from tests.test_scoring_workflow import load_small_registry, no_successions


@pytest.fixture
def run(db_engine, tmp_path, monkeypatch, capsys):
    load_small_registry(db_engine)
    with db_engine.begin() as conn:  # --by names an account, whose roles then apply
        add_account(conn, "qtv", "mat-khau-1", ["admin"], COMMAND_LINE)
        add_account(conn, "cb.snv", "mat-khau-2", ["unit_staff"], COMMAND_LINE, unit_code="SNV")
        add_account(conn, "lanh.dao", "mat-khau-3", ["leader"], COMMAND_LINE)
    monkeypatch.setenv("DATABASE_URL", db_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SUCCESSIONS_FILE", str(no_successions(tmp_path / "registry")))

    def run(*argv: str) -> tuple[int, str, str]:
        code = cli.main(["scoring", *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def departments_file() -> Path:
    return next(p for p in shipped_files(2025) if p.stem == "departments")


def test_load_next_years_file_without_code_change(run, tmp_path):
    code, out, _ = run("load", str(departments_file()))
    assert code == 0
    assert "Đã nạp bộ chỉ số năm 2025, nhóm Sở, ban, ngành" in out
    raw = yaml.safe_load(departments_file().read_text(encoding="utf-8"))
    raw["year"] = 2026
    raw["name"] = "Bộ chỉ số năm 2026"
    next_year = tmp_path / "so_2026.yaml"
    next_year.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    code, _, err = run("load", str(next_year), "--by", "lanh.dao")
    assert code == 1
    assert "Tài khoản lanh.dao (Lãnh đạo) không có quyền nạp bộ chỉ số: cần vai trò Quản trị." in err
    code, _, err = run("load", str(next_year), "--by", "Quản trị viên")
    assert code == 1
    assert "Không có tài khoản 'Quản trị viên'" in err
    code, out, _ = run("load", str(next_year), "--by", "qtv")
    assert code == 0
    assert "năm 2026" in out
    assert run("load", str(next_year))[1].startswith("Không đổi")


def test_broken_file_is_refused_with_the_path_to_the_node(run, tmp_path):
    raw = yaml.safe_load(departments_file().read_text(encoding="utf-8"))
    raw["areas"][3]["criteria"][2]["sub_criteria"][0]["max"] += 0.5
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    code, out, err = run("load", str(broken))
    assert code == 1
    assert out == ""
    assert "areas[3].criteria[2].max: tổng điểm các tiêu chí thành phần là 2,5, tiêu chí ghi 2" in err


def test_template_import_and_export(run, tmp_path):
    assert run("load", str(departments_file()))[0] == 0
    book = tmp_path / "snv.xlsx"
    code, out, _ = run("template", "--unit", "SNV", "--year", "2025", "--out", str(book))
    assert code == 0 and book.exists()
    wb = load_workbook(book)
    ws = wb[SHEET]
    row = next(r for r in range(7, ws.max_row + 1) if ws[f"A{r}"].value == "1.1.1")
    ws[f"{POINTS_COL}{row}"] = 9  # maximum 0.5
    wb.save(book)
    code, _, err = run("import", str(book))
    assert code == 1
    assert f"Sheet 'Tự đánh giá', ô E{row}: 9 vượt điểm tối đa 0,5" in err
    ws[f"{POINTS_COL}{row}"] = 0.5
    wb.save(book)
    code, out, _ = run("import", str(book), "--by", "cb.snv")
    assert code == 0
    assert "1 thay đổi" in out
    out_csv = tmp_path / "kq.csv"
    code, out, _ = run("export", "--year", "2025", "--format", "csv", "--out", str(out_csv))
    assert code == 0
    assert "3 đơn vị, 1 nhóm" in out  # SNV, STP, SKHDT
    assert run("export", "--year", "2031", "--format", "xlsx", "--out", str(tmp_path / "x.xlsx"))[0] == 1
    code, _, err = run("template", "--unit", "XYZ", "--year", "2025", "--out", str(tmp_path / "x.xlsx"))
    assert code == 1
    assert "'XYZ' không thuộc nhóm nào" in err


def test_demo_fills_every_group_and_leaves_filled_groups_alone(run):
    code, out, _ = run("demo", "--year", "2025", "--seed", "5")
    assert code == 0
    assert "Đơn vị tự đánh giá        7" in out  # 3 departments, 2 districts, 2 communes
    code, out, _ = run("results", "--year", "2025")
    assert code == 0
    assert "UBND cấp xã — năm 2025 (2 đơn vị)" in out
    code, out, _ = run("demo", "--year", "2025", "--seed", "5")
    assert "Bỏ qua (đã có dữ liệu)" in out
    assert "Đơn vị tự đánh giá        0" in out


def test_survey_csv_is_applied_all_or_nothing(run, tmp_path):
    run("load", str(departments_file()))
    bad = tmp_path / "dtxh.csv"
    bad.write_text(
        'unit_code,code,points\nSNV,8.1.1,"1,5"\nSNV,8.1.2,3\nXYZ,8.1.1,1\nSTP,1.1.1,1\nSTP,8.1.1,abc\n',
        encoding="utf-8",
    )
    code, _, err = run("survey", str(bad), "--year", "2025")
    assert code == 1
    assert "dòng 3: Tiêu chí 8.1.2: điểm 3 vượt điểm tối đa 2,5." in err
    assert "dòng 4: đơn vị 'XYZ' không được chấm điểm năm 2025" in err
    assert "dòng 5: '1.1.1' không phải tiêu chí điều tra xã hội học" in err
    assert "dòng 6: điểm 'abc' không phải là số" in err
    good = tmp_path / "dtxh_ok.csv"
    good.write_text('unit_code,code,points\nSNV,8.1.1,"1,5"\nSNV,8.1.2,2.25\nSTP,8.1.1,2\n', encoding="utf-8")
    code, out, _ = run("survey", str(good), "--year", "2025")
    assert code == 0
    assert "3 dòng, 2 đơn vị, 3 thay đổi" in out
    code, out, _ = run("results", "--year", "2025")
    assert code == 0 and "SNV" in out
