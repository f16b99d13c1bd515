"""Timings of the per-edition queries (issue 13) on an existing database, e.g. the demo.

    DATABASE_URL=sqlite:///data/bando.sqlite3 .venv/bin/python bench/editions_bench.py [--runs 5]

Prints, per edition and for a month and a year on each side of the reform: the KPIs of
every unit of the edition's first level, the breakdown by attribution, the coverage, and
for both editions Biểu 06 of June 2026 and the 766 index per unit (median of --runs runs
after one warm-up), with the exactly-once check (units + departments + former district
committees + unmapped = total) printed beside them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bench.stats_bench import median_ms  # noqa: E402
from config import Settings  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.schema import dossiers  # noqa: E402
from dossier_stats import editions as ed  # noqa: E402
from dossier_stats import kpis  # noqa: E402
from dossier_stats.bieu06.query import bieu06_report  # noqa: E402
from dossier_stats.index766.editions import index766_edition_units  # noqa: E402
from dossier_stats.periods import Period  # noqa: E402

JUNE = Period("month", 2026, 6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    engine = make_engine(Settings.from_env().database_url)
    periods = [
        Period("month", 2024, 6),
        Period("year", 2024, 0),
        Period("year", 2025, 0),
        Period("month", 2026, 6),
    ]
    with engine.connect() as conn:
        n = conn.execute(select(func.count()).select_from(dossiers)).scalar()
        print(f"{engine.url.render_as_string(hide_password=True)}: {n:,} dossiers")
        for edition in ed.editions(conn):
            print(f"\n{edition.name} ({edition.id})")
            for period in periods:
                ms, units = median_ms(
                    lambda p=period, e=edition: ed.edition_level_kpis(conn, p, e.id), args.runs
                )
                b_ms, parts = median_ms(
                    lambda p=period, e=edition: ed.edition_breakdown(conn, p, e.id), args.runs
                )
                c_ms, cover = median_ms(
                    lambda p=period, e=edition: ed.edition_coverage(conn, p, e.id), args.runs
                )
                total = kpis.province_kpis(conn, period)
                once = ed.kpi_total(list(parts.values())) == total and ed.kpi_total(units) == parts["unit"]
                print(
                    f"  {period.key:<8} {len(units):3d} units {ms:8.1f} ms · breakdown {b_ms:7.1f} ms · "
                    f"coverage {c_ms:6.1f} ms ({len(cover.with_data)}/{cover.total}) · "
                    f"exactly once: {'yes' if once else 'NO'}"
                )
            i_ms, index = median_ms(lambda e=edition: index766_edition_units(conn, JUNE, e.id), args.runs)
            print(f"  766 index per unit, 2026-06: {len(index)} units with dossiers, {i_ms:.1f} ms")
        r_ms, report = median_ms(lambda: bieu06_report(conn, JUNE.start, JUNE.end), args.runs)
        levels = sorted({r.level for r in report.rows if r.level})
        print(f"\nBiểu 06 2026-06 (edition of its last day): {r_ms:.1f} ms, levels {levels}")


if __name__ == "__main__":
    main()
