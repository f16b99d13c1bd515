"""Spreadsheet formula injection (issue 12, item 7): text that came from outside — procedure
and field names of a dossier file, an agency name of a registry file, a code, evidence
typed into the self-assessment workbook — comes back in every CSV and XLSX the product
writes as text, never as a formula; numbers stay numbers.

The unit tests pin the rule (spreadsheet_safety); the end-to-end test imports hostile rows
on both backends and reads back every export, through the command line and through the
functions behind the web downloads."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

import cli
from callbacks.scoring.results import export_bytes, year_tables
from dossier_stats.details import DetailsService
from dossier_stats.periods import Period
from importer.agencies import import_agencies
from importer.dossiers import import_dossiers
from scoring.excel_layout import CODE_COL, EVIDENCE_COL, FIRST_ROW, NOTE_COL, POINTS_COL, SHEET
from scoring.loader import shipped_files
from scoring.service import ScoringService
from spreadsheet_safety import csv_writer, is_formula_like, neutralise, save_workbook
from tests.import_fixtures import dossier, write_dossiers

LINK = '=HYPERLINK("http://evil.example/","Sở Nội vụ")'
CALC = "+cmd|' /C calc'!A0"
MINUS = "-2+3+cmd|' /C calc'!A0"
AT = "@SUM(1+1)*cmd|' /C calc'!A0"
TAB = "\t=1+1"
CR = "\r=1+1"
OWASP = (LINK, CALC, MINUS, AT, TAB, CR)


# --- the rule ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [*OWASP, "=1", "-", "@", "+"])
def test_formula_like_text_gets_a_leading_quote(text):
    assert is_formula_like(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [-5, -1.5, 0, 3, None, "-5", "-1,5", "+84", "-1.234,5", "HS-2025-001", "Sở Nội vụ", "", "a=b", " =1"],
)
def test_numbers_and_ordinary_text_are_left_alone(value):
    assert neutralise(value) == value


def test_the_csv_writer_quotes_formulas_and_keeps_numbers():
    out = io.StringIO()
    csv_writer(out).writerows([[LINK, -3, 2.5, "HS-1"], [TAB, "-7"]])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["'" + LINK, "-3", "2.5", "HS-1"], ["'" + TAB, "-7"]]


def test_a_saved_workbook_has_no_formula_and_keeps_the_text(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append([LINK, -4, 1.25, "HS-2025-001", TAB])  # (XML reads a CR back as LF)
    save_workbook(wb, tmp_path / "t.xlsx")
    cells = next(load_workbook(tmp_path / "t.xlsx").active.iter_rows())
    assert [c.value for c in cells] == [LINK, -4, 1.25, "HS-2025-001", TAB]
    assert [c.data_type for c in cells] == ["s", "n", "n", "s", "s"]
    assert [c.quotePrefix for c in cells] == [True, False, False, False, True]


# --- every export, end to end -------------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes) -> list:
    wb = load_workbook(io.BytesIO(data))
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]


def assert_safe(name: str, data: bytes, expected: tuple[str, ...]) -> None:
    """No cell of the file is a formula; each `expected` hostile text is in it, intact
    (a CSV cell behind its quote, an XLSX cell as it was)."""
    if name.endswith(".csv"):
        cells = [cell for row in read_csv(data) for cell in row]
        live = [c for c in cells if is_formula_like(c)]
        assert live == [], f"{name}: cells a spreadsheet would run: {live}"
        for text in expected:
            assert "'" + text in cells, f"{name}: {text!r} missing"
    else:
        cells = read_xlsx(data)
        assert [c.coordinate for c in cells if c.data_type == "f"] == [], f"{name}: formula cells"
        unmarked = [c.value for c in cells if isinstance(c.value, str) and is_formula_like(c.value)]
        assert all(c.quotePrefix for c in cells if isinstance(c.value, str) and is_formula_like(c.value)), (
            f"{name}: formula-like text without the quote prefix: {unmarked}"
        )
        values = [c.value for c in cells]
        for text in expected:
            assert text in values, f"{name}: {text!r} missing"


@pytest.fixture
def hostile(registry_db, tmp_path, monkeypatch):
    """The shipped registry, a hostile department from a registry file, hostile dossiers of
    it (overdue at the end of March 2025) and one quarantined hostile row."""
    registry = tmp_path / "agencies.csv"
    registry.write_text(
        f'code,name,kind,unit_code,valid_from,valid_to\nSXX,"{LINK.replace(chr(34), chr(34) * 2)}",'
        "department,49,2020-01-01,\n",
        encoding="utf-8",
    )
    assert import_agencies(registry_db, registry).inserted == 1

    def pending(code: str, **overrides: str) -> dict[str, str]:
        return dossier(code, status="4", finished_at="", **overrides)

    rows = [
        pending("@HS1", agency_code="SXX", procedure_name=CALC, field_code="=F1", field_name=MINUS),
        pending("HS-2025-002", procedure_name=AT, handler_id="=cmd", field_name=MINUS, field_code="=F1"),
        dossier("HS-2025-003", agency_code="SXX", field_name=MINUS, field_code="=F1"),
        dossier("BAD", channel="=1+1", procedure_name=LINK),
    ]
    summary = import_dossiers(registry_db, [write_dossiers(tmp_path / "d.csv", rows)])
    assert (summary.inserted, summary.quarantined) == (3, 1)
    monkeypatch.setenv("DATABASE_URL", registry_db.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("APP_TODAY", "2025-04-15")
    return registry_db


def run_cli(capsys, *argv: str) -> None:
    code = cli.main(list(argv))
    output = capsys.readouterr()
    assert code == 0, output.err


def test_every_export_brings_hostile_text_back_as_text(hostile, tmp_path, capsys):
    out = tmp_path / "out"
    files: dict[str, tuple[bytes, tuple[str, ...]]] = {}

    # the command line
    run_cli(capsys, "report", "overdue", "--to", "2025-03-31", "--out", str(out / "qua_han.csv"))
    for fmt in ("csv", "xlsx"):
        target = out / f"bieu06.{fmt}"
        run_cli(capsys, "report", "bieu06", "--from", "2025-01-01", "--to", "2025-03-31",
                "--format", fmt, "--out", str(target))  # fmt: skip
    run_cli(capsys, "quarantine", "--out", str(out / "cach_ly.csv"))
    run_cli(capsys, "index766", "--period", "2025-Q1", "--out", str(out / "chi_so_766.csv"))
    files["qua_han.csv"] = ((out / "qua_han.csv").read_bytes(), ("@HS1", CALC, AT, LINK))
    files["bieu06_cli.csv"] = ((out / "bieu06.csv").read_bytes(), ("=F1", MINUS))
    files["bieu06_cli.xlsx"] = ((out / "bieu06.xlsx").read_bytes(), (MINUS,))
    files["cach_ly.csv"] = ((out / "cach_ly.csv").read_bytes(), ())
    files["chi_so_766.csv"] = ((out / "chi_so_766.csv").read_bytes(), (LINK,))

    # the functions behind the web downloads
    details = DetailsService(hostile, "49")
    march = Period.parse("2025-03")
    overdue = details.overdue_export(None, march, "code", False)
    files["web_qua_han.csv"] = (overdue.content, ("@HS1", CALC, LINK))
    files["web_bieu06.csv"] = (details.bieu06_bytes(None, march, "csv"), ("=F1", MINUS))
    files["web_bieu06.xlsx"] = (details.bieu06_bytes(None, march, "xlsx"), (MINUS,))

    for name, (data, expected) in files.items():
        assert_safe(name, data, expected)
    assert any("=1+1" in cell for row in read_csv(files["cach_ly.csv"][0]) for cell in row)


def test_scoring_workbooks_and_results_bring_hostile_text_back_as_text(hostile, tmp_path, capsys):
    departments = next(p for p in shipped_files(2025) if p.stem == "departments")
    run_cli(capsys, "scoring", "load", str(departments))
    book = tmp_path / "sxx.xlsx"
    run_cli(capsys, "scoring", "template", "--unit", "SXX", "--year", "2025", "--out", str(book))
    assert_safe("template.xlsx", book.read_bytes(), (LINK,))  # the unit name, in the hidden sheet

    wb = load_workbook(book)  # the unit types formulas into its evidence and note
    ws = wb[SHEET]
    row = next(r for r in range(FIRST_ROW, ws.max_row + 1) if ws[f"{CODE_COL}{r}"].value == "1.1.1")
    ws[f"{POINTS_COL}{row}"] = 0.5
    ws[f"{EVIDENCE_COL}{row}"] = LINK
    ws[f"{EVIDENCE_COL}{row}"].data_type = "s"  # typed as text ('=…), as Excel keeps it
    ws[f"{NOTE_COL}{row}"] = CALC
    wb.save(book)
    run_cli(capsys, "scoring", "import", str(book))
    again = tmp_path / "sxx_lai.xlsx"
    run_cli(capsys, "scoring", "template", "--unit", "SXX", "--year", "2025", "--out", str(again))
    assert_safe("template_again.xlsx", again.read_bytes(), (LINK, CALC))
    cells = load_workbook(again)[SHEET]
    assert (cells[f"{EVIDENCE_COL}{row}"].value, cells[f"{NOTE_COL}{row}"].value) == (LINK, CALC)

    for fmt in ("csv", "xlsx"):
        target = tmp_path / f"ket_qua.{fmt}"
        run_cli(capsys, "scoring", "export", "--year", "2025", "--format", fmt, "--out", str(target))
        assert_safe(f"ket_qua.{fmt}", target.read_bytes(), (LINK,))
        tables = year_tables(ScoringService(hostile), 2025)
        assert_safe(f"web_ket_qua.{fmt}", export_bytes(tables, fmt), (LINK,))


def test_the_checks_of_this_file_catch_a_writer_that_forgets(tmp_path):
    """assert_safe itself: a plain csv.writer or workbook with the same text fails it."""
    out = io.StringIO()
    csv.writer(out).writerow([LINK, -1])
    with pytest.raises(AssertionError, match="would run"):
        assert_safe("plain.csv", out.getvalue().encode(), (LINK,))
    wb = Workbook()
    wb.active.append([LINK])
    wb.save(tmp_path / "plain.xlsx")
    with pytest.raises(AssertionError, match="formula cells"):
        assert_safe("plain.xlsx", Path(tmp_path / "plain.xlsx").read_bytes(), (LINK,))
