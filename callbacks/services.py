"""What the callbacks and the page layout need from the rest of the system."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from config import Settings
from dossier_stats.cache import StoreFactory, local_store
from dossier_stats.metrics import DEFAULT_METRIC
from dossier_stats.service import StatsService
from layouts.view import ViewContext
from scoring.service import ScoringService


@dataclass(frozen=True)
class Services:
    settings: Settings
    stats: StatsService
    geodata_dir: Path
    scoring: ScoringService  # the PAR index (same engine as `stats`)
    stores: StoreFactory = local_store  # where the per-data-version caches live (Redis or in-process)

    def view_context(self) -> ViewContext:
        """Province, today and the first data date, for resolving and changing views."""
        return ViewContext(
            province_code=self.settings.province_code,
            today=self.settings.today(),
            first_data_date=self.stats.first_data_date(),
            default_metric=DEFAULT_METRIC,
        )
