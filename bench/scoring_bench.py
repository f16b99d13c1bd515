"""Benchmark: recompute every PAR-index score of a year for every unit.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/DB .venv/bin/python bench/scoring_bench.py

The database must hold the registry and the dossiers (e.g. `python cli.py setup
--demo-dossiers N`). When the year has no index version yet, the bench loads the shipped
sample definitions — widened to about 100 sub-criteria per group by splitting
assessment sub-criteria in two (`--subs`, 0 keeps the samples as shipped) — and fills
demo scoring data (scoring.demo). Then it times, over `--repeat` runs (min / median):

- full recompute: every group of the year from the database (units, entries, survey,
  bonus/penalty, the dossier KPIs of the year per agency, auto rules, totals, ranks);
- of which the dossier KPI query (agency_month_stats) and the pure scoring;
- the service: a cold call, a call with nothing changed (cache hit), and the call after
  a change (scoring counter bumped).
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from db.engine import make_engine
from db.migrate import upgrade
from db.schema import agency_month_stats, dossiers
from dossier_stats.periods import Period
from scoring import state
from scoring.demo import fill_demo
from scoring.engine import score_group
from scoring.inputs import gather_inputs, year_kpis
from scoring.loader import parse_definition, read_mapping, shipped_files
from scoring.results import compute_group
from scoring.service import ScoringService
from scoring.versions import list_versions, store_definition


def widen(raw: dict, target: int) -> dict:
    """Split assessment sub-criteria (largest first) into two halves until `target` is reached."""
    raw = copy.deepcopy(raw)
    subs = [s for a in raw["areas"] for c in a["criteria"] for s in c["sub_criteria"]]
    count = len(subs)
    candidates = sorted(
        (s for s in subs if s["source"] == "assessment" and s["max"] * 100 % 2 == 0),
        key=lambda s: -s["max"],
    )
    chosen = {id(s) for s in candidates[: max(0, target - count)]}
    for area in raw["areas"]:
        for criterion in area["criteria"]:
            out = []
            for s in criterion["sub_criteria"]:
                if id(s) not in chosen:
                    out.append(s)
                    continue
                half = s["max"] / 2
                out += [{**s, "code": f"{s['code']}.{k}", "max": half} for k in ("a", "b")]
            criterion["sub_criteria"] = out
    return raw


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return min(runs), statistics.median(runs)


def ms(pair: tuple[float, float]) -> str:
    return f"min {pair[0] * 1000:8.1f} ms   median {pair[1] * 1000:8.1f} ms"


def prepare(engine: object, year: int, subs: int, seed: int) -> None:
    with engine.begin() as conn:  # type: ignore[attr-defined]
        present = {v.group for v in list_versions(conn) if v.year == year}
        for path in shipped_files(year):
            raw = read_mapping(path)
            if raw["group"] in present:
                continue
            if subs:
                raw = widen(raw, subs)
            store_definition(conn, parse_definition(raw), raw, f"{path} (bench, {subs} tiêu chí)", "bench")
    start = time.perf_counter()
    summary = fill_demo(engine, year, seed)  # type: ignore[arg-type]
    if summary.units:
        print(f"demo scoring data: {summary.units} units in {time.perf_counter() - start:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument(
        "--subs", type=int, default=100, help="sub-criteria per group (0: samples as shipped)"
    )
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if not args.url:
        parser.error("DATABASE_URL or --url is required")
    engine = make_engine(args.url)
    upgrade(engine)
    prepare(engine, args.year, args.subs, args.seed)
    period = Period("year", args.year, 0)

    with engine.connect() as conn:
        versions = [v for v in list_versions(conn) if v.year == args.year]
        total = conn.execute(select(func.count()).select_from(dossiers)).scalar()
        in_year = conn.execute(
            select(func.count()).where(dossiers.c.received_on.between(period.start, period.end))
        ).scalar()
        month_rows = conn.execute(select(func.count()).select_from(agency_month_stats)).scalar()
        inputs = {v.group: gather_inputs(conn, v) for v in versions}
    units = sum(len(i) for i in inputs.values())
    evaluated = sum(len(inputs[v.group]) * len(list(v.definition.sub_criteria())) for v in versions)
    auto = sum(
        len(inputs[v.group]) * sum(1 for s in v.definition.sub_criteria() if s.source == "auto")
        for v in versions
    )
    print(
        f"database: {engine.dialect.name}, {total:,} dossiers ({in_year:,} received in {args.year}), "
        f"{month_rows:,} agency_month_stats rows"
    )
    for v in versions:
        print(
            f"  {v.group:<12} {len(inputs[v.group]):>4} units × {len(list(v.definition.sub_criteria())):>3} "
            "sub-criteria"
        )
    print(f"  total: {units} units, {evaluated:,} sub-criterion scores ({auto} auto-rule evaluations)")

    def recompute_all() -> None:
        with engine.connect() as conn:
            for v in versions:
                compute_group(conn, v)

    def kpi_queries() -> None:
        with engine.connect() as conn:
            for v in versions:
                year_kpis(conn, v)

    def pure_scoring() -> None:
        for v in versions:
            score_group(v.definition, inputs[v.group])

    print(f"full recompute, every group   {ms(timed(recompute_all, args.repeat))}")
    print(f"  dossier KPI queries         {ms(timed(kpi_queries, args.repeat))}")
    print(f"  pure scoring (no database)  {ms(timed(pure_scoring, args.repeat))}")

    groups = [v.group for v in versions]
    cold, warm, after = [], [], []
    for _ in range(args.repeat):
        service = ScoringService(engine)
        start = time.perf_counter()
        for g in groups:
            service.results(args.year, g)
        cold.append(time.perf_counter() - start)
        start = time.perf_counter()
        for g in groups:
            service.results(args.year, g)
        warm.append(time.perf_counter() - start)
        with engine.begin() as conn:
            state.bump(conn)
        start = time.perf_counter()
        for g in groups:
            service.results(args.year, g)
        after.append(time.perf_counter() - start)
    print(f"service, cold (all groups)    {ms((min(cold), statistics.median(cold)))}")
    print(f"service, nothing changed      {ms((min(warm), statistics.median(warm)))}")
    print(f"service, after a change       {ms((min(after), statistics.median(after)))}")
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
