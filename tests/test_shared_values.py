"""Every value the services cache goes through the shared store and comes back equal: the
map's KPIs, the detail tabs, the PAR index and the wall, computed by one "process" (services
over one SharedCache) and read by another (services over a second SharedCache, same
deployment), which computes nothing (the shared counters move by hits only)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from callbacks.wall.refresh import WallCache
from config import Settings
from db.engine import make_engine
from dossier_stats.analysis import AnalysisService
from dossier_stats.details import DetailsService
from dossier_stats.lists_service import DossierListService
from dossier_stats.periods import Period
from dossier_stats.redis_store import SharedCache, shared_cache
from dossier_stats.service import StatsService
from scoring.demo import fill_demo
from scoring.service import ScoringService
from tests.conftest import require_redis

OCTOBER = Period.parse("2026-10")


class Process:
    """The cached services of one server process."""

    def __init__(self, shared: SharedCache, engine) -> None:
        self.stats = StatsService(engine, "49", stores=shared.store)
        self.details = DetailsService(engine, "49", stores=shared.store)
        self.scoring = ScoringService(engine, stores=shared.store)
        self.wall = WallCache(stores=shared.store)
        # what the wall's early-warning scene reads beside the statistics
        self.settings = Settings.from_env({"APP_TODAY": "2026-11-27"})
        self.lists = DossierListService(engine, "49", stores=shared.store, today=self.settings.today)
        self.analysis = AnalysisService(self.stats)

    def boundary_edition(self, edition_id: str) -> object:
        """The city's boundary files, which the wall reads for its map (as Services does)."""
        from geodata.editions import load_editions

        return load_editions(self.settings.editions_file).get(edition_id)


def every_view(p: Process) -> list[object]:
    version = p.stats.data_version()
    return [
        p.stats.district_kpis(OCTOBER),
        p.stats.commune_kpis(OCTOBER, "502"),
        p.stats.department_kpis(OCTOBER),
        p.stats.province_kpis(Period.parse("2026-Q3")),
        p.stats.unmapped_kpis(Period.parse("2026")),
        p.stats.first_data_date(),
        p.details.trends("502", 202610),
        p.details.overdue_page(None, OCTOBER, "days_overdue", True, 0, 50),
        p.details.channels("502", OCTOBER),
        p.details.bieu06("502", OCTOBER),
        p.scoring.results_table(2025, "districts"),
        p.scoring.scorecard("SNV", 2025),
        p.scoring.history("SNV", 2025, "departments"),
        p.wall.get(p, version, OCTOBER),  # type: ignore[arg-type]  (needs .stats only)
    ]


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SharedCache, SharedCache, object]]:
    url = require_redis()
    from importer.setup import ensure_database

    folder = tmp_path_factory.mktemp("shared-values")
    settings = Settings.from_env({"DATA_DIR": str(folder), "APP_TODAY": "2026-11-27"})
    ensure_database(settings, demo_dossiers=1500, seed=5, progress=False)
    engine = make_engine(settings.database_url)
    fill_demo(engine, 2025, seed=5)
    first, second = shared_cache(url, engine, "49", 300), shared_cache(url, engine, "49", 300)
    try:
        yield first, second, engine
    finally:
        client = first.client
        for key in client.scan_iter(match=f"{first.namespace().prefix}*"):
            client.unlink(key)
        engine.dispose()


def misses(shared: SharedCache) -> int:
    return sum(v for k, v in shared.counters().items() if k.endswith(":miss"))


def test_every_cached_value_read_back_by_another_process_is_equal(deployment, caplog):
    first, second, engine = deployment
    computed = every_view(Process(first, engine))
    assert computed[0] and computed[10] is not None and computed[11] is not None  # real data, not empties
    before = misses(first)
    read = every_view(Process(second, engine))
    assert misses(second) == before  # the second process computed nothing
    assert read == computed
    assert "not picklable" not in caplog.text
