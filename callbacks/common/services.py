"""What the callbacks and the page layouts may call: the services over the database, built
once by app.create_app."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from config import Settings
from dossier_stats.details import DetailsService
from dossier_stats.metrics import DEFAULT_METRIC
from dossier_stats.service import StatsService
from layouts.home.view import ViewContext
from scoring.service import ScoringService


@dataclass(frozen=True)
class Services:
    settings: Settings
    stats: StatsService  # the map's KPIs, units, data version
    geodata_dir: Path
    scoring: ScoringService  # the PAR index (same engine as `stats`)
    details: DetailsService  # the detail tabs under the map (same engine)

    @classmethod
    def over(cls, engine: Engine, settings: Settings) -> Services:
        """Every service over one engine (what app.create_app builds)."""
        return cls(
            settings=settings,
            stats=StatsService(engine, settings.province_code),
            geodata_dir=settings.geodata_dir,
            scoring=ScoringService(engine),
            details=DetailsService(engine, settings.province_code),
        )

    def view_context(self) -> ViewContext:
        """Province, today and the first data date, for resolving and changing views."""
        return ViewContext(
            province_code=self.settings.province_code,
            today=self.settings.today(),
            first_data_date=self.stats.first_data_date(),
            default_metric=DEFAULT_METRIC,
        )
