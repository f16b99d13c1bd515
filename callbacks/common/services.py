"""What the callbacks and the page layouts may call: the services over the database, built
once by app.create_app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import flask
from sqlalchemy import Engine

from config import Settings
from dossier_stats.analysis import AnalysisService
from dossier_stats.cache import StoreFactory, local_store
from dossier_stats.details import DetailsService
from dossier_stats.lists_service import DossierListService
from dossier_stats.metrics import DEFAULT_METRIC
from dossier_stats.redis_store import SharedCache, shared_cache
from dossier_stats.service import StatsService
from geodata.editions import Edition, load_editions
from layouts.home.view import ViewContext
from scoring.service import ScoringService

T = TypeVar("T")


@dataclass(frozen=True)
class Services:
    settings: Settings
    stats: StatsService  # the map's KPIs, units, data version
    geodata_dir: Path
    scoring: ScoringService  # the PAR index (same engine as `stats`)
    details: DetailsService  # the detail tabs under the map (same engine)
    lists: DossierListService  # dossier lists: drill-through, early warning, lookup (restricted)
    analysis: AnalysisService  # benchmarks, comparisons, worsening units (over `stats`)
    stores: StoreFactory = local_store  # where the per-data-version caches live (Redis or in-process)
    shared: SharedCache | None = None  # the Redis the caches share (REDIS_URL), None: in-process

    @classmethod
    def over(cls, engine: Engine, settings: Settings) -> Services:
        """Every service over one engine (what app.create_app builds); with REDIS_URL their
        per-data-version caches are shared through Redis by every process."""
        code = settings.province_code
        shared = (
            shared_cache(settings.redis_url, engine, code, settings.cache_ttl_seconds)
            if settings.redis_url
            else None
        )
        stores = shared.store if shared else local_store
        stats = StatsService(engine, code, stores=stores, today=settings.today)
        return cls(
            settings=settings,
            stats=stats,
            geodata_dir=settings.geodata_dir,
            scoring=ScoringService(engine, stores=stores),
            details=DetailsService(engine, code, stores=stores, today=settings.today),
            lists=DossierListService(engine, code, stores=stores, today=settings.today),
            analysis=AnalysisService(stats),
            stores=stores,
            shared=shared,
        )

    def per_request(self, name: str, compute: Callable[[], T]) -> T:
        """compute(), once per request (for values several steps of one answer read: each read
        of a cached value opens a connection and reads the data version); outside a request,
        every call computes."""
        if not flask.has_request_context():
            return compute()
        memo = flask.g.setdefault("bando_per_request", {})
        key = (id(self), name)
        if key not in memo:
            memo[key] = compute()
        return memo[key]  # type: ignore[no-any-return]

    def view_context(self) -> ViewContext:
        """Province, today and the first data date, for resolving and changing views (once per
        request)."""
        return self.per_request(
            "view_context",
            lambda: ViewContext(
                province_code=self.settings.province_code,
                today=self.settings.today(),
                first_data_date=self.stats.first_data_date(),
                default_metric=DEFAULT_METRIC,
                editions=tuple(self.stats.editions()),
            ),
        )

    def boundary_edition(self, edition_id: str) -> Edition | None:
        """The edition's boundary files (geodata/data/editions.toml, EDITIONS_FILE)."""
        return load_editions(self.settings.editions_file).get(edition_id)

    def city_edition(self) -> Edition | None:
        """The stored edition without districts whose layer the home map carries (None: the
        map has the district and commune layers only)."""
        stored = {e.id for e in self.view_context().editions if not e.has_districts}
        return next((e for e in load_editions(self.settings.editions_file) if e.id in stored), None)
