"""First-run setup: schema, boundaries, registry and (optionally) demo dossiers.

Each step runs only when its table is empty, so `ensure_database` is safe to call
at every start. Demo data goes through the same path as real data: CSV files under
DATA_DIR/demo, then `import_dossiers`.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine

from clock import now_local
from config import Settings
from db.editions import editions_loaded, replace_editions, resolve_edition_units
from db.engine import make_engine
from db.migrate import upgrade
from db.registry import resolve_map_units
from db.units import replace_crosswalk, replace_units, units_loaded
from geodata.editions import load_editions
from geodata.records import crosswalk_records, unit_records
from importer.agencies import import_agencies
from importer.demo_indicators import load_demo_indicators
from importer.dossiers import agency_count, dossier_count, import_dossiers
from importer.runs import bump_data_state
from importer.successions import SuccessionFileError, import_successions, successions_loaded
from importer.summary import ImportSummary

log = logging.getLogger(__name__)


@contextmanager
def progress_bar(
    enabled: bool, description: str, total: int | None = None
) -> Iterator[Callable[[int], None]]:
    """A tqdm bar on stderr whose `update(n)` is the progress callback (no-op when disabled)."""
    if not enabled:
        yield lambda _n: None
        return
    from tqdm import tqdm

    with tqdm(total=total, desc=description, unit=" dòng", file=sys.stderr, unit_scale=True) as bar:
        yield bar.update


def load_units(engine: Engine, geodata_dir: Path, editions_file: Path | None = None) -> int:
    """Replace units and crosswalk from a boundary folder (and, with `editions_file`, every
    edition's units and crosswalk); remaps agencies. Returns units loaded."""
    units = unit_records(geodata_dir)
    links = crosswalk_records(geodata_dir)
    with engine.begin() as conn:
        replace_units(conn, units)
        replace_crosswalk(conn, links)
        resolve_map_units(conn)
        if editions_file is not None:
            replace_editions(conn, load_editions(editions_file))
            resolve_edition_units(conn)
        bump_data_state(conn, now_local())
    return len(units)


def load_editions_into(engine: Engine, editions_file: Path) -> int:
    """Replace every edition's units and crosswalk from the editions file; re-attributes agencies."""
    with engine.begin() as conn:
        written = replace_editions(conn, load_editions(editions_file))
        resolve_edition_units(conn)
        bump_data_state(conn, now_local())
    return written


def ensure_schema_and_units(settings: Settings) -> Engine:
    """Migrate, and load the boundary units when admin_units is empty and the editions when
    edition_units is (a database made before editions gets them here). Returns the engine."""
    engine = make_engine(settings.database_url)
    upgrade(engine)
    with engine.connect() as conn:
        loaded, editions = units_loaded(conn), editions_loaded(conn)
    if not loaded:
        load_units(engine, settings.geodata_dir, settings.editions_file)
    elif not editions:
        load_editions_into(engine, settings.editions_file)
    return engine


def ensure_registry(settings: Settings) -> Engine:
    """Schema and units (see ensure_schema_and_units), and the agency registry when agencies is empty."""
    engine = ensure_schema_and_units(settings)
    with engine.connect() as conn:
        has_agencies = agency_count(conn) > 0
    if not has_agencies:
        import_agencies(engine, settings.agencies_file)
    if not successions_loaded(engine) and settings.successions_file.is_file():
        try:
            import_successions(engine, settings.successions_file)
        except SuccessionFileError as exc:
            # Successions only mark breaks in trends: a file that does not fit the registry
            # (an upgrade whose registry predates it, a registry of another province) never
            # stops the server; the operator finds why and what to run in the log.
            log.error(
                "Chưa nạp quan hệ kế thừa cơ quan (%s): %s — nạp danh mục cơ quan phù hợp rồi chạy "
                "`python cli.py import-successions %s`.",
                settings.successions_file.name,
                exc,
                settings.successions_file,
            )
    return engine


def ensure_database(
    settings: Settings, demo_dossiers: int = 0, seed: int = 42, progress: bool = True
) -> None:
    """Migrate; load units, crosswalk and the agency registry if missing; optionally demo dossiers."""
    engine = ensure_registry(settings)
    try:
        if demo_dossiers > 0:
            with engine.connect() as conn:
                empty = dossier_count(conn) == 0
            if empty:
                load_demo(engine, settings, demo_dossiers, seed, progress)
    finally:
        engine.dispose()


def demo_files(
    settings: Settings, dossiers: int, seed: int, out_dir: Path, step: Callable[[int], None] | None = None
) -> list[Path]:
    """The demo dossiers.csv files for the settings' registry and boundaries, up to its today."""
    from importer.demo import write_demo_csv

    return write_demo_csv(
        out_dir=out_dir,
        dossiers=dossiers,
        seed=seed,
        today=settings.today(),
        agencies_file=settings.agencies_file,
        geodata_dir=settings.geodata_dir,
        progress=step,
    )


def write_demo(settings: Settings, dossiers: int, seed: int, out_dir: Path, progress: bool) -> list[Path]:
    with progress_bar(progress, "Tạo dữ liệu mẫu", total=dossiers) as step:
        return demo_files(settings, dossiers, seed, out_dir, step)


def import_with_progress(
    engine: Engine, paths: list[Path], settings: Settings, progress: bool
) -> ImportSummary:
    with progress_bar(progress, "Nhập hồ sơ") as step:
        return import_dossiers(engine, paths, progress=step, today=settings.today())


def load_demo(engine: Engine, settings: Settings, dossiers: int, seed: int, progress: bool) -> ImportSummary:
    paths = write_demo(settings, dossiers, seed, settings.data_dir / "demo", progress)
    summary = import_with_progress(engine, paths, settings, progress)
    # the 766 indicators dossiers cannot give, so that the demo ranks units on the 766 index
    load_demo_indicators(engine, settings.data_dir / "demo", settings.today(), seed)
    if progress:
        print(summary.format_vi(), file=sys.stderr)
    return summary
