"""The demo's 766 indicators: one value per agency identity and quarter, all accepted by the
real importer, so the demo ranks its units on the 766 index."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from db.schema_stats import indicator_values
from dossier_stats.index766.config import IMPORTED_INDICATORS
from importer.demo_indicators import demo_indicator_rows, load_demo_indicators, quarters
from tests.import_fixtures import registry_database


def test_quarters_cover_the_calendar_without_gaps():
    keys = list(quarters(date(2024, 11, 3), date(2025, 7, 1)))
    assert [k for k, _, _ in keys] == ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"]
    assert keys[0][1:] == (date(2024, 10, 1), date(2024, 12, 31))
    assert keys[1][2] == date(2025, 3, 31)
    assert keys[3][1:] == (date(2025, 7, 1), date(2025, 9, 30))


def test_a_reused_code_gets_each_quarter_for_the_agency_valid_then():
    versions = [("20335", date(2020, 1, 1), date(2025, 6, 30)), ("20335", date(2025, 7, 1), None)]
    rows = demo_indicator_rows(versions, date(2025, 8, 15), seed=1)
    periods = sorted({r["period"] for r in rows})
    assert periods[0] == "2023-Q1" and periods[-1] == "2025-Q3"
    assert len(periods) == 11  # 2023-Q1 .. 2025-Q3, each once
    assert len(rows) == 11 * len(IMPORTED_INDICATORS)
    for row in rows:
        assert 0 <= float(row["value"]) <= IMPORTED_INDICATORS[row["indicator"]].max_points


def test_a_quarter_with_two_versions_of_a_code_is_left_out():
    versions = [("X", date(2020, 1, 1), date(2025, 8, 31)), ("X", date(2025, 9, 1), None)]
    rows = demo_indicator_rows(versions, date(2025, 12, 1), seed=1)
    assert "2025-Q3" not in {r["period"] for r in rows}
    assert {"2025-Q2", "2025-Q4"} <= {r["period"] for r in rows}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_importer_accepts_every_demo_value(backend, tmp_path):
    with registry_database(backend, tmp_path) as engine:
        summary = load_demo_indicators(engine, tmp_path / "demo", date(2025, 8, 15), seed=3)
        with engine.connect() as conn:
            stored = conn.execute(select(func.count()).select_from(indicator_values)).scalar_one()
    assert summary.quarantined == 0
    assert stored == summary.inserted > 0
