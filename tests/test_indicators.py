"""`import-indicators`: the 766 indicators that dossier data cannot give, validated like
dossiers (quarantine with the rule's name, summary), idempotent."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, select

import cli
from db.schema import import_runs, quarantine
from db.schema_stats import indicator_values
from importer.csv_source import FileRejected
from importer.indicators import import_indicators
from importer.runs import data_version
from tests.import_fixtures import registry_database

NOW = datetime(2026, 5, 1, 9, 0)
TODAY = date(2026, 5, 1)
COLUMNS = ["agency_code", "period", "indicator", "value"]
ROOT = Path(cli.__file__).resolve().parent


def row(agency="SNV", period="2025-Q3", indicator="procedures_announced_on_time", value="5.5"):
    return {"agency_code": agency, "period": period, "indicator": indicator, "value": value}


def write(path: Path, rows, columns=COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def stored(engine) -> dict:
    with engine.connect() as conn:
        return {
            (r.agency_code, r.period_key, r.indicator): r.value
            for r in conn.execute(select(indicator_values))
        }


def rules(engine) -> list[tuple[int, str]]:
    with engine.connect() as conn:
        return sorted((r.line_no, r.rule) for r in conn.execute(select(quarantine)))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def loaded_registry(request, tmp_path_factory):
    """The shipped registry loaded once per backend for the module."""
    with registry_database(request.param, tmp_path_factory.mktemp("indicators")) as engine:
        yield engine


@pytest.fixture
def registry(loaded_registry):
    """The registry without any imported indicator, quarantine entry or run."""
    with loaded_registry.begin() as conn:
        for table in (indicator_values, quarantine, import_runs):
            conn.execute(delete(table))
    return loaded_registry


def test_valid_rows_are_stored_in_points_with_a_normalised_period(registry, tmp_path):
    path = write(
        tmp_path / "i.csv",
        [
            row(),
            row(period="2025-q4", indicator="complaints_on_time", value="6"),
            row(agency="49", period="2025-7", indicator="published_on_time", value="0"),
        ],
    )
    summary = import_indicators(registry, path, now=NOW, today=TODAY)
    assert (summary.rows_read, summary.inserted, summary.quarantined) == (3, 3, 0)
    assert stored(registry) == {
        ("SNV", "2025-Q3", "procedures_announced_on_time"): 5.5,
        ("SNV", "2025-Q4", "complaints_on_time"): 6.0,
        ("49", "2025-07", "published_on_time"): 0.0,  # the province code is accepted
    }
    assert "Kết quả nhập chỉ số 766" in summary.format_vi()


def test_reimport_is_idempotent_and_a_changed_value_replaces_the_stored_one(registry, tmp_path):
    path = write(tmp_path / "i.csv", [row(), row(indicator="synced_realtime", value="4")])
    import_indicators(registry, path, now=NOW, today=TODAY)
    with registry.connect() as conn:
        version = data_version(conn)
    again = import_indicators(registry, path, now=NOW, today=TODAY)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    with registry.connect() as conn:
        assert data_version(conn) == version  # nothing changed: no new data version
    changed = write(tmp_path / "j.csv", [row(value="6")])
    summary = import_indicators(registry, changed, now=NOW, today=TODAY)
    assert (summary.inserted, summary.updated) == (0, 1)
    assert stored(registry)[("SNV", "2025-Q3", "procedures_announced_on_time")] == 6.0
    with registry.connect() as conn:
        assert data_version(conn) == version + 1


BROKEN = [
    (row(agency="KHONGCO"), "unknown_agency"),
    (row(agency="20338", period="2025-Q1"), "agency_not_valid_in_period"),  # ended 2024-12-31
    (row(period="2025-Q5"), "invalid_period"),
    (row(period="Q3-2025"), "invalid_period"),
    (row(period="2025/07"), "invalid_period"),
    (row(period="2026-Q3"), "period_in_future"),  # today is 2026-05-01
    (row(indicator="khong_co"), "unknown_indicator"),
    (row(indicator="on_time"), "unknown_indicator"),  # computed from dossiers, not imported
    (row(value="abc"), "invalid_value"),
    (row(value="2,5"), "invalid_value"),
    (row(value="6.01"), "value_out_of_range"),  # procedures_announced_on_time: 0..6
    (row(indicator="published_complete", value="3"), "value_out_of_range"),  # 0..2
    (row(value="-1"), "value_out_of_range"),
    (row(value=""), "missing_value"),
    (row(agency=""), "missing_agency_code"),
]


def test_each_broken_rule_is_quarantined_by_name_on_its_line(registry, tmp_path):
    path = write(tmp_path / "i.csv", [row(indicator="synced_realtime"), *(bad for bad, _ in BROKEN)])
    summary = import_indicators(registry, path, now=NOW, today=TODAY)
    assert (summary.inserted, summary.quarantined) == (1, len(BROKEN))
    # line 1 is the header, line 2 the good row
    assert rules(registry) == [(line, rule) for line, (_, rule) in enumerate(BROKEN, start=3)]
    assert sum(summary.rule_counts.values()) == len(BROKEN)
    assert stored(registry) == {("SNV", "2025-Q3", "synced_realtime"): 5.5}


def test_unknown_indicator_message_lists_the_importable_names(registry, tmp_path):
    import_indicators(registry, write(tmp_path / "i.csv", [row(indicator="on_time")]), now=NOW, today=TODAY)
    with registry.connect() as conn:
        message = conn.execute(select(quarantine.c.message)).scalar_one()
    assert "tính từ dữ liệu hồ sơ" in message and "procedures_announced_on_time" in message


def test_every_problem_of_a_row_is_reported(registry, tmp_path):
    path = write(tmp_path / "i.csv", [row(agency="KHONGCO", period="2025-13", indicator="x", value="abc")])
    import_indicators(registry, path, now=NOW, today=TODAY)
    assert [r for _, r in rules(registry)] == sorted(
        ["unknown_agency", "invalid_period", "unknown_indicator", "invalid_value"]
    )


def test_a_repeated_key_with_another_value_is_quarantined_the_same_value_is_not(registry, tmp_path):
    path = write(tmp_path / "i.csv", [row(value="5"), row(value="5"), row(value="4")])
    summary = import_indicators(registry, path, now=NOW, today=TODAY)
    assert (summary.inserted, summary.unchanged, summary.quarantined) == (1, 1, 1)
    assert rules(registry) == [(4, "duplicate_indicator")]
    assert stored(registry)[("SNV", "2025-Q3", "procedures_announced_on_time")] == 5.0


def test_a_file_without_a_required_column_is_rejected_whole(registry, tmp_path):
    path = write(tmp_path / "i.csv", [row()], columns=["agency_code", "period", "indicator"])
    with pytest.raises(FileRejected, match="value"):
        import_indicators(registry, path, now=NOW, today=TODAY)
    assert stored(registry) == {}


def test_cli_import_indicators_prints_the_summary(tmp_path):
    path = write(tmp_path / "chi_so.csv", [row(), row(value="9")])
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "DATA_DIR": str(tmp_path / "data"),
        "APP_TODAY": "2026-01-15",
    }
    setup = [sys.executable, str(ROOT / "cli.py"), "setup", "-q"]
    assert subprocess.run(setup, cwd=tmp_path, env=env, capture_output=True, timeout=300).returncode == 0
    command = [sys.executable, str(ROOT / "cli.py"), "import-indicators", str(path)]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "chi_so.csv" in result.stdout
    assert next(x for x in result.stdout.splitlines() if "Thêm mới" in x).split()[-1] == "1"
    assert "value_out_of_range" in result.stdout
