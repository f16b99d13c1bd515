"""Benchmark of the as-of rule (dossier_stats/asof.py) on PostgreSQL: the map's KPI queries
of a running period counted to today, beside the same queries of a finished period.

    .venv/bin/python bench/asof_bench.py [--database-url URL] [--today 2026-12-05] [--runs 7]

Reads a database built by bench/stats_bench.py (e.g. `--dossiers 10000000 --today
2026-12-05 --skip-queries`), upgrades it to the migration heads (the partial index
ix_dossiers_open_due of migration asof_0001) and prints the median of --runs runs (after
one warm-up) of the corrections query (once per data version and day in the services) and
of each level's query given them, for:
- a finished month (the month before today): agency_month_stats alone, as before;
- the running month asked on --today (live data: nothing happened after today);
- a month asked on its 15th while the database holds the rest of it (a demo with APP_TODAY
  in the past: the corrections read every dossier received or ended after that day);
Each as-of result is checked against Biểu 06 of the
range [first day, today] for the province (a direct count from the dossiers table).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bench.stats_bench import median_ms  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bando_bench_asof"


def bench_day(conn, period, day: date, runs: int, label: str) -> None:
    from dossier_stats import kpis
    from dossier_stats.asof import asof_source, correction_rows
    from dossier_stats.bieu06.query import bieu06_report
    from dossier_stats.bieu06.unit import resolve_unit

    print(f"\n{label}: {period.label} counted to {day:%d/%m/%Y}")
    fixes = ()
    if day < period.end:
        ms, fixes = median_ms(lambda: correction_rows(conn, day), runs)
        print(f"  {'corrections (once per data version and day):':<46} {ms:8.1f} ms ({len(fixes)} agencies)")
    total = 0.0
    for name, fn in (
        ("province", lambda: kpis.province_kpis(conn, period, source=asof_source(conn, day, fixes))),
        (
            "districts (map level 1)",
            lambda: kpis.district_kpis(conn, period, source=asof_source(conn, day, fixes)),
        ),
        (
            "communes of 502",
            lambda: kpis.commune_kpis(conn, period, "502", source=asof_source(conn, day, fixes)),
        ),
        ("departments", lambda: kpis.department_kpis(conn, period, source=asof_source(conn, day, fixes))),
    ):
        ms, _ = median_ms(fn, runs)
        total += ms
        print(f"  {name + ':':<46} {ms:8.1f} ms")
    print(f"  {'sum of the four levels:':<46} {total:8.1f} ms")
    got = kpis.province_kpis(conn, period, source=asof_source(conn, day, fixes))
    expected = bieu06_report(conn, period.start, day, resolve_unit(conn, None)).total
    same = "yes" if got == expected else "NO"
    print(f"  province equals Biểu 06 of {period.start:%d/%m}–{day:%d/%m}: {same}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 5))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    from db.engine import make_engine
    from db.migrate import upgrade
    from dossier_stats.periods import Period

    engine = make_engine(args.database_url)
    upgrade(engine)
    with engine.connect() as conn:
        conn.execute(text("ANALYZE dossiers"))
        n = conn.execute(text("select count(*) from dossiers")).scalar_one()
        open_n = conn.execute(
            text("select count(*) from dossiers where status NOT IN (7, 9, 10) OR finished_on IS NULL")
        ).scalar_one()
        print(
            f"{n:,} dossiers, {open_n:,} without an end; today {args.today:%d/%m/%Y}; median of {args.runs}"
        )
        running = Period.containing("month", args.today)
        finished = running.previous()
        bench_day(conn, finished, finished.end, args.runs, "finished month (monthly table only)")
        bench_day(conn, running, args.today, args.runs, "running month, live data")
        mid = finished.start + timedelta(days=14)
        bench_day(conn, finished, mid, args.runs, "a month asked on its 15th, later data stored (demo)")
        year = Period.containing("year", args.today)
        bench_day(conn, year, args.today, args.runs, "running year, live data")
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
