"""What the callbacks call: the KPI queries (and the 766 index, read from the same
aggregates) behind one object that opens its own connections and caches results per data
version (data_state.version), so repeated views of unchanged data cost one tiny query.

Every KPI is counted under the as-of rule (asof.py): a period that has not ended is counted
from its first day to `today()` (the province's date; config.Settings.today with APP_TODAY),
and `as_of(period)` says to which day, for the UI and exports to show."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import TypeVar

from sqlalchemy import Connection

from dossier_stats import editions, kpis, units
from dossier_stats.asof import Fixes, asof_source, correction_rows
from dossier_stats.editions import EditionInfo
from dossier_stats.index766 import results as index766
from dossier_stats.index766.editions import index766_edition_units
from dossier_stats.index766.results import Index766Row, Index766Unit, UnitLevel
from dossier_stats.kpis import Kpis, UnitKpis
from dossier_stats.periods import Period
from dossier_stats.unit_reader import UnitReader
from dossier_stats.units import UnitInfo
from geodata.editions import edition_on

T = TypeVar("T")


class StatsService(UnitReader):
    CACHE_NAME = "stats"
    CACHE_SIZE = 512

    def _kpis(self, name: str, period: Period, compute: Callable[[Connection, kpis.SourceFn], T]) -> T:
        """compute(conn, source) cached per (data version, name, period, as-of day). A running
        period's corrections (asof.correction_rows) are read once per data version and day
        and shared by every level's query, under the same version as the query."""
        when = self.as_of(period)
        with self._cache.session() as (conn, get):
            fixes: Fixes = (
                get(("asof-fixes", when.day), lambda: correction_rows(conn, when.day)) if when.running else ()
            )
            return get((name, period, when.day), lambda: compute(conn, asof_source(conn, when.day, fixes)))

    def cached(self, key: Hashable, compute: Callable[[Connection], T]) -> T:
        """compute(conn) under the same per-data-version cache as the KPIs (for other readers
        of the dossier aggregates, e.g. the 766 index): recomputed only after an import."""
        return self._cached(("extra", key), compute)

    def district_kpis(self, period: Period) -> list[UnitKpis]:
        return list(
            self._kpis("district", period, lambda c, s: tuple(kpis.district_kpis(c, period, source=s)))
        )

    def commune_kpis(self, period: Period, district_code: str) -> list[UnitKpis]:
        return list(
            self._kpis(
                f"commune/{district_code}",
                period,
                lambda c, s: tuple(kpis.commune_kpis(c, period, district_code, source=s)),
            )
        )

    def department_kpis(self, period: Period) -> list[UnitKpis]:
        return list(
            self._kpis("department", period, lambda c, s: tuple(kpis.department_kpis(c, period, source=s)))
        )

    def level_kpis(self, period: Period, district_code: str | None) -> list[UnitKpis]:
        """Every polygon of a map level with its KPIs: the former districts (`None`), or the
        current communes of one district."""
        if district_code is None:
            return self.district_kpis(period)
        return self.commune_kpis(period, district_code)

    def editions(self) -> list[EditionInfo]:
        """Every edition of the map stored in the database, oldest first."""
        return list(self._cached(("editions",), lambda c: tuple(editions.editions(c))))

    def edition_for(self, period: Period) -> EditionInfo | None:
        """The edition valid on the period's last day (None when none is stored)."""
        found = self.editions()
        return edition_on(found, period.end) if found else None

    def edition_level_kpis(
        self, period: Period, edition: str, parent_code: str | None = None
    ) -> list[UnitKpis]:
        """The units of an edition's first level (`parent_code` None) or of one of its units,
        with the dossiers attributed to them in that edition (dossier_stats/editions.py)."""
        return list(
            self._kpis(
                f"edition/{edition}/{parent_code}",
                period,
                lambda c, s: tuple(editions.edition_level_kpis(c, period, edition, parent_code, source=s)),
            )
        )

    def edition_breakdown(self, period: Period, edition: str) -> dict[str, Kpis]:
        """The period's KPIs per attribution of the edition (units, departments, former
        district committees, unmapped); they add up to `province_kpis`."""
        return self._kpis(
            f"edition-breakdown/{edition}",
            period,
            lambda c, s: editions.edition_breakdown(c, period, edition, source=s),
        )

    def edition_coverage(self, period: Period, edition: str) -> editions.EditionCoverage:
        """Which units of the edition's first level have data up to the period's end."""
        return self.cached(
            ("edition_coverage", period, edition), lambda c: editions.edition_coverage(c, period, edition)
        )

    def province_kpis(self, period: Period) -> Kpis:
        return self._kpis("province", period, lambda c, s: kpis.province_kpis(c, period, source=s))

    def unmapped_kpis(self, period: Period) -> list[UnitKpis]:
        return list(
            self._kpis("unmapped", period, lambda c, s: tuple(kpis.unmapped_kpis(c, period, source=s)))
        )

    def index766_units(self, period: Period, level: UnitLevel) -> dict[str, Index766Unit]:
        """The 766 index per polygon code of a level (polygons with dossiers only)."""
        return self.cached(
            ("index766_units", period, level), lambda c: index766.index766_units(c, period, level)
        )

    def index766_edition_units(
        self, period: Period, edition: str, parent_code: str | None = None
    ) -> dict[str, Index766Unit]:
        """The 766 index per unit of an edition (its first level, or the communes of a unit)."""
        return self.cached(
            ("index766_edition_units", period, edition, parent_code),
            lambda c: index766_edition_units(c, period, edition, parent_code),
        )

    def index766_agencies(self, period: Period) -> list[Index766Row]:
        """The 766 index of every agency, ranked within its kind."""
        return self.cached(("index766_agencies", period), lambda c: index766.index766_for_agencies(c, period))

    def index766_province(self, period: Period) -> Index766Unit:
        code = self.province_code
        return self.cached(
            ("index766_province", period), lambda c: index766.index766_province(c, period, province_code=code)
        )

    def edition_unit(self, edition: str, code: str) -> UnitInfo | None:
        """A unit of an edition (the city's communes are not in admin_units)."""
        return self._cached(
            ("edition_unit", edition, code), lambda c: editions.edition_unit(c, edition, code)
        )

    def unit(self, code: str) -> UnitInfo | None:
        with self.engine.connect() as conn:
            return units.get_unit(conn, code)

    def province(self) -> UnitInfo:
        with self.engine.connect() as conn:
            return units.province(conn, self.province_code)

    def data_version(self) -> int:
        with self.engine.connect() as conn:
            return kpis.data_version(conn)

    def first_data_date(self) -> date | None:
        return self._cached(("first_data_date",), kpis.first_data_date)
