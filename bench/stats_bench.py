"""Benchmark of the dossier statistics at scale, on PostgreSQL.

    .venv/bin/python bench/stats_bench.py [--dossiers 10000000] [--database-url URL] [--reuse]

1. Generates N demo dossiers (importer.demo.write_demo_csv) and imports them through the
   importer (importer.dossiers.import_dossiers) in a child process: import rows/s and
   the peak resident memory of that process (getrusage ru_maxrss). Skipped with --reuse
   when the database already holds dossiers.
2. Times (median of --runs runs, after one warm-up) for the last complete year:
   - the all-units KPI query behind the map (province + districts + every district's
     communes + departments, from agency_month_stats), beside the same numbers from a
     direct scan of the dossiers table (dossier_stats.raw) and the ratio; the two must
     agree;
   - Biểu số 06 for the whole province (dossier_stats.bieu06);
   - the 766 index for all agencies for the last complete quarter, when the module
     dossier_stats.index766.results exists (a function `index_for_agencies(conn, period)`, or
     the first of INDEX766_FUNCTIONS it has).
Default database: postgresql+psycopg://postgres@127.0.0.1:5432/bando_bench (created if missing).
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing as mp
import os
import resource
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.map_bench import create_pg_database_if_missing  # noqa: E402

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bando_bench"
INDEX766_MODULE = "dossier_stats.index766.results"
INDEX766_FUNCTIONS = ("index766_for_agencies", "index_for_agencies", "agency_index", "compute_index")


def _settings(url: str, today: date):
    from config import Settings

    return Settings(database_url=url, today_override=today)


def _generate(out_dir: str, dossiers: int, seed: int, today: date, queue: Any) -> None:
    from config import Settings
    from importer.demo import write_demo_csv

    shutil.rmtree(out_dir, ignore_errors=True)
    started = time.perf_counter()
    paths = write_demo_csv(
        out_dir=Path(out_dir),
        dossiers=dossiers,
        seed=seed,
        today=today,
        agencies_file=Settings.agencies_file,
        geodata_dir=Settings.geodata_dir,
    )
    queue.put((time.perf_counter() - started, [str(p) for p in paths]))


def _import(
    url: str, paths: list[str], today: date, batch_size: int, options: dict[str, bool | None], queue: Any
) -> None:
    from db.engine import make_engine
    from importer.dossiers import import_dossiers

    engine = make_engine(url)
    server_before = postgres_cpu_seconds()
    started = time.perf_counter()
    summary = import_dossiers(engine, [Path(p) for p in paths], batch_size=batch_size, today=today, **options)
    seconds = time.perf_counter() - started
    server_cpu = postgres_cpu_seconds() - server_before
    own = resource.getrusage(resource.RUSAGE_SELF)
    parse = resource.getrusage(resource.RUSAGE_CHILDREN)  # the parse process, when there was one
    d = summary.deferral
    queue.put(
        {
            "seconds": seconds,
            "inserted": summary.inserted,
            "quarantined": summary.quarantined,
            "peak_kib": own.ru_maxrss,  # KiB on Linux
            "parse_peak_kib": parse.ru_maxrss,
            "own_cpu": own.ru_utime + own.ru_stime,
            "parse_cpu": parse.ru_utime + parse.ru_stime,
            "server_cpu": server_cpu,
            "deferral": None if d is None else (len(d.names), d.rebuild_seconds),
        }
    )


def postgres_cpu_seconds() -> float:
    """User + system CPU time of every process named `postgres` on this machine so far
    (the backends, WAL writer, checkpointer...; Linux /proc). The server is local here."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # the process ended
        name, rest = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
        if name == "postgres":
            total += int(rest[11]) + int(rest[12])  # utime, stime (fields 14 and 15)
    return total / tick


def _in_child(target: Callable[..., None], *args: Any) -> Any:
    """Run target(*args, queue) in a fresh process (own memory high-water mark); its result."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    if proc.exitcode != 0:
        raise SystemExit(f"child process failed with exit code {proc.exitcode}")
    return result


def recreate_database(url: str) -> None:
    """Drop and create the database of `url` (every table of every part starts empty)."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def prepare(
    url: str,
    n: int,
    seed: int,
    today: date,
    work_dir: Path,
    reuse: bool,
    batch_size: int,
    options: dict[str, bool | None],
) -> None:
    from importer.dossiers import dossier_count
    from importer.setup import ensure_registry

    create_pg_database_if_missing(url)
    engine = ensure_registry(_settings(url, today))
    with engine.connect() as conn:
        stored = dossier_count(conn)
    engine.dispose()
    if reuse and stored > 0:
        print(f"--reuse: {stored:,} dossiers already in the database, no generation or import")
        return
    if stored > 0:
        print(f"dropping and recreating the database ({stored:,} dossiers stored)")
        recreate_database(url)
        ensure_registry(_settings(url, today)).dispose()

    gen_seconds, paths = _in_child(_generate, str(work_dir), n, seed, today)
    print(f"generated {n:,} dossiers in {len(paths)} files: {gen_seconds:.1f} s")
    r = _in_child(_import, url, paths, today, batch_size, options)
    seconds, inserted = r["seconds"], r["inserted"]
    print(
        f"import: {inserted:,} inserted, {r['quarantined']:,} quarantined in {seconds:.1f} s = "
        f"{inserted / seconds:,.0f} dossiers/s"
    )
    mib = 1 / 1024
    print(
        f"  peak RSS: import process {r['peak_kib'] * mib:,.0f} MiB, its parse process "
        + (f"{r['parse_peak_kib'] * mib:,.0f} MiB" if r["parse_peak_kib"] else "none (a thread parsed)")
    )
    if r["deferral"] is None:
        print("  secondary indexes of dossiers maintained row by row")
    else:
        count, rebuild = r["deferral"]
        print(f"  {count} secondary indexes dropped, rebuilt after the load in {rebuild:.1f} s (included)")
    per_row = 1e6 / max(inserted, 1)
    own, parse, server = r["own_cpu"], r["parse_cpu"], r["server_cpu"]
    print(
        f"  CPU: import process {own:.1f} s ({own * per_row:.1f} µs/dossier), parse process {parse:.1f} s "
        f"({parse * per_row:.1f} µs), PostgreSQL {server:.1f} s ({server * per_row:.1f} µs); "
        f"{os.cpu_count()} cores, {(own + parse + server) / seconds / (os.cpu_count() or 1):.0%} of them busy"
    )
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        started = time.perf_counter()
        conn.execute(text("VACUUM ANALYZE"))
    print(f"VACUUM ANALYZE: {time.perf_counter() - started:.1f} s")
    engine.dispose()


def median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """(median wall time in ms over `runs` runs after one warm-up, last result)."""
    result = fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def line(label: str, ms: float, note: str = "") -> None:
    print(f"{label + ':':<44} {ms:10.1f} ms   {note}".rstrip())


def _all_units(conn, period, source) -> dict:
    from dossier_stats import kpis

    districts = kpis.district_kpis(conn, period, source=source)
    return {
        "province": kpis.province_kpis(conn, period, source=source),
        "districts": districts,
        "communes": [kpis.commune_kpis(conn, period, d.code, source=source) for d in districts],
        "departments": kpis.department_kpis(conn, period, source=source),
    }


def bench_queries(url: str, year: int, runs: int) -> None:
    from db.engine import make_engine
    from dossier_stats import kpis, raw
    from dossier_stats.bieu06.query import bieu06_report
    from dossier_stats.periods import Period

    engine = make_engine(url)
    period = Period("year", year, 0)
    with engine.connect() as conn:
        n = conn.execute(text("select count(*) from dossiers")).scalar_one()
        print(f"\n{n:,} dossiers; {period.label} ({period.start} – {period.end}); median of {runs} runs")

        for label, fn in (
            ("province", lambda: kpis.province_kpis(conn, period)),
            ("districts (map level 1)", lambda: kpis.district_kpis(conn, period)),
            ("communes of district 502", lambda: kpis.commune_kpis(conn, period, "502")),
            ("departments (ranking)", lambda: kpis.department_kpis(conn, period)),
        ):
            ms, _ = median_ms(fn, runs)
            line(f"  map KPIs, {label}", ms)
        agg_ms, agg = median_ms(lambda: _all_units(conn, period, kpis.monthly_source), runs)
        raw_ms, scanned = median_ms(lambda: _all_units(conn, period, raw.dossier_scan), max(1, runs // 3))
        same = "equal" if agg == scanned else "DIFFERENT"
        every = "province, districts, every commune, departments"
        line("map KPIs, all units (aggregates)", agg_ms, f"({every})")
        ratio = raw_ms / agg_ms
        line("map KPIs, all units (raw table scan)", raw_ms, f"ratio {ratio:,.0f}× ({same})")
        total = agg["province"]
        print(
            f"  province {year}: received {total.received_new:,}, resolved {total.resolved_total:,}, "
            f"pending {total.pending_total:,}"
        )

        b_ms, report = median_ms(lambda: bieu06_report(conn, period.start, period.end), runs)
        g = report.total
        line(
            f"Biểu 06, whole province, {period.label}",
            b_ms,
            f"({len(report.rows)} rows; c3 {g.received_total:,} = c7 {g.resolved_total:,} "
            f"+ c11 {g.pending_total:,})",
        )
        bench_index766(conn, year, runs)
        bench_panels(conn, period, runs)
    engine.dispose()


def bench_panels(conn, period, runs: int) -> None:
    """The other reads of the issue: trends of a district, first page of the overdue list,
    channels of the province (for information; no target)."""
    from dossier_stats.bieu06.query import bieu06_report
    from dossier_stats.bieu06.unit import resolve_unit
    from dossier_stats.channels import channel_report
    from dossier_stats.overdue import overdue_dossiers
    from dossier_stats.periods import Period
    from dossier_stats.trends import unit_trends

    province = resolve_unit(conn, None)
    district = resolve_unit(conn, "502")
    ms, _ = median_ms(lambda: bieu06_report(conn, period.start, period.end, district), runs)
    line(f"Biểu 06, district 502, {period.label}", ms)
    quarter = Period("quarter", period.year, 3)
    ms, _ = median_ms(lambda: bieu06_report(conn, quarter.start, quarter.end), runs)
    line(f"Biểu 06, whole province, {quarter.label}", ms)
    ms, _ = median_ms(lambda: unit_trends(conn, district, period.last_month), runs)
    line("trends of district 502, 24 months", ms)
    ms, page = median_ms(lambda: overdue_dossiers(conn, province, period.end), runs)
    line("overdue list, province, first page", ms, f"({page.total:,} overdue on {period.end})")
    ms, _ = median_ms(lambda: channel_report(conn, province, period), runs)
    line(f"channels by desk, province, {period.label}", ms)


def bench_index766(conn, year: int, runs: int) -> None:
    """Time the 766 index for all agencies for the year's last quarter, if that module exists."""
    from dossier_stats.periods import Period

    try:
        module = importlib.import_module(INDEX766_MODULE)
    except ModuleNotFoundError:
        print(f"766 index: {INDEX766_MODULE} not present, skipped")
        return
    fn = next((getattr(module, name) for name in INDEX766_FUNCTIONS if hasattr(module, name)), None)
    if fn is None:
        print(f"766 index: {INDEX766_MODULE} has none of {INDEX766_FUNCTIONS}, skipped")
        return
    try:  # a database upgraded with dossiers already stored fills the 766 tables once
        from importer.refresh import ensure_bootstrapped
    except ImportError:
        pass
    else:
        started = time.perf_counter()
        if ensure_bootstrapped(conn):
            print(f"766 aggregates filled from the stored dossiers: {time.perf_counter() - started:.1f} s")
        conn.commit()
    quarter = Period("quarter", year, 4)
    ms, _ = median_ms(lambda: fn(conn, quarter), runs)
    line(f"766 index, all agencies, {quarter.label}", ms, f"({INDEX766_MODULE}.{fn.__name__})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dossiers", type=int, default=10_000_000, metavar="N")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reuse", action="store_true", help="keep the stored dossiers when there are some")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--today", type=date.fromisoformat, default=None, help="end of the demo data (default: local today)"
    )
    parser.add_argument("--year", type=int, default=None, help="year to query (default: the last complete)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per query (median)")
    parser.add_argument("--batch-size", type=int, default=5000, help="import batch size")
    parser.add_argument("--work-dir", type=Path, default=ROOT / "data" / "bench", help="where the CSVs go")
    parser.add_argument("--skip-queries", action="store_true", help="only generate and import")
    parser.add_argument(
        "--defer-indexes",
        choices=("auto", "yes", "no"),
        default="auto",
        help="as `cli.py import-dossiers --defer-indexes` (auto: an empty database defers them)",
    )
    parser.add_argument(
        "--parse",
        choices=("auto", "process", "thread"),
        default="auto",
        help="where the records are parsed (auto: a process for 100,000 records or more)",
    )
    args = parser.parse_args(argv)
    if args.today is None:
        from clock import today_local

        args.today = today_local()
    if make_url(args.database_url).get_backend_name() != "postgresql":
        parser.error("the benchmark runs on PostgreSQL (--database-url postgresql+psycopg://…)")
    prepare(
        args.database_url,
        args.dossiers,
        args.seed,
        args.today,
        args.work_dir,
        args.reuse,
        args.batch_size,
        {
            "defer_indexes": {"auto": None, "yes": True, "no": False}[args.defer_indexes],
            "parse_in_process": {"auto": None, "process": True, "thread": False}[args.parse],
        },
    )
    if not args.skip_queries:
        bench_queries(args.database_url, args.year or args.today.year - 1, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
