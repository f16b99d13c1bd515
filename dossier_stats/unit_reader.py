"""The common part of the services that read the dossier data (StatsService, DetailsService,
the dossier lists): the engine, the province, "today", a per-data-version cache, a unit code
resolved to what it covers, and the as-of day of a period."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import Connection, Engine

from clock import today_local
from dossier_stats.asof import AsOf, as_of
from dossier_stats.bieu06.unit import ReportUnit, resolve_unit
from dossier_stats.cache import EngineCache, StoreFactory, local_store
from dossier_stats.kpis import data_time, data_version
from dossier_stats.periods import Period

T = TypeVar("T")


class UnitReader:
    CACHE_NAME = "details"  # the name of the service's cache in a shared store
    CACHE_SIZE = 128  # entries, when the caller does not say

    def __init__(
        self,
        engine: Engine,
        province_code: str,
        cache_size: int | None = None,
        stores: StoreFactory = local_store,
        *,
        today: Callable[[], date] = today_local,
    ) -> None:
        size = self.CACHE_SIZE if cache_size is None else cache_size
        self.engine = engine
        self.province_code = province_code
        self.today = today  # the province's date (config.Settings.today in the app)
        self._cache = EngineCache(engine, data_version, size, stores(self.CACHE_NAME, size))

    def as_of(self, period: Period) -> AsOf:
        """The day the period is counted to (its last day, or today while it runs);
        PeriodNotStarted for a period that begins after today."""
        return as_of(period, self.today())

    def data_time(self) -> datetime | None:
        """When the dossier data last changed (the source line of an export)."""
        with self.engine.connect() as conn:
            return data_time(conn)

    def _cached(self, key: Hashable, compute: Callable[[Connection], T]) -> T:
        """compute(conn), cached under (current data version, key)."""
        return self._cache.get(key, compute)

    def _unit(self, conn: Connection, code: str | None) -> ReportUnit:
        return resolve_unit(conn, code, self.province_code)
