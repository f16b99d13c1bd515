"""What the callbacks call: the KPI queries (and the 766 index, read from the same
aggregates) behind one object that opens its own connections and caches results per data
version (data_state.version), so repeated views of unchanged data cost one tiny query."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import Connection, Engine

from dossier_stats import kpis, units
from dossier_stats.cache import EngineCache, StoreFactory, local_store
from dossier_stats.index766 import results as index766
from dossier_stats.index766.results import Index766Row, Index766Unit, UnitLevel
from dossier_stats.kpis import Kpis, UnitKpis
from dossier_stats.periods import Period
from dossier_stats.units import UnitInfo

T = TypeVar("T")


class StatsService:
    def __init__(
        self, engine: Engine, province_code: str, cache_size: int = 512, stores: StoreFactory = local_store
    ) -> None:
        self.engine = engine
        self.province_code = province_code
        self._cache = EngineCache(engine, kpis.data_version, cache_size, stores("stats", cache_size))

    def _cached(self, key: Hashable, compute: Callable[[Connection], T]) -> T:
        """compute(conn), cached under (current data version, key)."""
        return self._cache.get(key, compute)

    def cached(self, key: Hashable, compute: Callable[[Connection], T]) -> T:
        """compute(conn) under the same per-data-version cache as the KPIs (for other readers
        of the dossier aggregates, e.g. the 766 index): recomputed only after an import."""
        return self._cached(("extra", key), compute)

    def district_kpis(self, period: Period) -> list[UnitKpis]:
        return list(self._cached(("district", period), lambda c: tuple(kpis.district_kpis(c, period))))

    def commune_kpis(self, period: Period, district_code: str) -> list[UnitKpis]:
        return list(
            self._cached(
                ("commune", period, district_code),
                lambda c: tuple(kpis.commune_kpis(c, period, district_code)),
            )
        )

    def department_kpis(self, period: Period) -> list[UnitKpis]:
        return list(self._cached(("department", period), lambda c: tuple(kpis.department_kpis(c, period))))

    def level_kpis(self, period: Period, district_code: str | None) -> list[UnitKpis]:
        """Every polygon of a map level with its KPIs: the former districts (`None`), or the
        current communes of one district."""
        if district_code is None:
            return self.district_kpis(period)
        return self.commune_kpis(period, district_code)

    def province_kpis(self, period: Period) -> Kpis:
        return self._cached(("province", period), lambda c: kpis.province_kpis(c, period))

    def unmapped_kpis(self, period: Period) -> list[UnitKpis]:
        return list(self._cached(("unmapped", period), lambda c: tuple(kpis.unmapped_kpis(c, period))))

    def index766_units(self, period: Period, level: UnitLevel) -> dict[str, Index766Unit]:
        """The 766 index per polygon code of a level (polygons with dossiers only)."""
        return self.cached(
            ("index766_units", period, level), lambda c: index766.index766_units(c, period, level)
        )

    def index766_agencies(self, period: Period) -> list[Index766Row]:
        """The 766 index of every agency, ranked within its kind."""
        return self.cached(("index766_agencies", period), lambda c: index766.index766_for_agencies(c, period))

    def index766_province(self, period: Period) -> Index766Unit:
        code = self.province_code
        return self.cached(
            ("index766_province", period), lambda c: index766.index766_province(c, period, province_code=code)
        )

    def unit(self, code: str) -> UnitInfo | None:
        with self.engine.connect() as conn:
            return units.get_unit(conn, code)

    def province(self) -> UnitInfo:
        with self.engine.connect() as conn:
            return units.province(conn, self.province_code)

    def data_time(self) -> datetime | None:
        with self.engine.connect() as conn:
            return kpis.data_time(conn)

    def data_version(self) -> int:
        with self.engine.connect() as conn:
            return kpis.data_version(conn)

    def first_data_date(self) -> date | None:
        return self._cached(("first_data_date",), kpis.first_data_date)
