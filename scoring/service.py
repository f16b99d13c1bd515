"""What the dashboard calls for the PAR index: results, scorecards and map values behind
one object that opens its own connections and caches per change key.

The change key is (dossier data version, scoring change counter), read in one tiny
statement on every call: when nothing changed nothing is recomputed; when dossiers are
imported or any score is entered, the next call recomputes the group it needs (a few
statements and pure arithmetic), so a change shows on the next refresh, well within 60 s.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import Connection, Engine

from dossier_stats.cache import EngineCache, StoreFactory, local_store
from scoring import state
from scoring.definition import GROUPS
from scoring.editions import edition_members, edition_table, year_edition
from scoring.history import HistoryRow
from scoring.history import history as recorded_changes
from scoring.results import ComputedGroup, GroupResults, ResultRow, compute_group, group_results
from scoring.scorecard import Scorecard, build_scorecard
from scoring.versions import StoredVersion, get_version, list_versions

T = TypeVar("T")
MAP_GROUPS = ("districts", "communes")
# Values kept per change key: a few per (year, group) plus one history per unit viewed.
CACHE_SIZE = 1024


class ScoringService:
    def __init__(
        self, engine: Engine, cache_size: int = CACHE_SIZE, stores: StoreFactory = local_store
    ) -> None:
        self.engine = engine
        self._cache = EngineCache(engine, state.change_key, cache_size, stores("scoring", cache_size))
        self.computations = 0  # groups computed since start (tests and benchmarks read it)

    def _cached(self, key: Hashable, compute: Callable[[Connection], T]) -> T:
        return self._cache.get(key, compute)

    def change_key(self) -> tuple[int, int]:
        """(dossier data version, scoring change counter): what the cached values belong to."""
        with self.engine.connect() as conn:
            return state.change_key(conn)

    # -- versions -------------------------------------------------------------------------

    def versions(self) -> list[StoredVersion]:
        """Every loaded index version, newest year first."""
        return self._cached(("versions",), list_versions)

    def years(self) -> list[int]:
        return sorted({v.year for v in self.versions()}, reverse=True)

    def groups(self, year: int) -> list[str]:
        """The unit groups with a version in that year, in the order departments, districts, communes."""
        present = {v.group for v in self.versions() if v.year == year}
        return [g for g in GROUPS if g in present]

    # -- computed groups ------------------------------------------------------------------

    def _computed(self, year: int, group: str) -> ComputedGroup | None:
        def compute(conn: Connection) -> ComputedGroup | None:
            version = get_version(conn, year, group)
            if version is None:
                return None
            self.computations += 1
            return compute_group(conn, version)

        return self._cached(("group", year, group), compute)

    def results_table(self, year: int, group: str) -> GroupResults | None:
        """The group's results with its area headers; None when no version is loaded."""
        computed = self._computed(year, group)
        return (
            None
            if computed is None
            else self._cached(("table", year, group), lambda _c: group_results(computed))
        )

    def year_edition(self, year: int) -> str | None:
        """The map edition a PAR year is shown in by default: the one valid on its last day
        (scoring/editions.py); None without stored editions."""
        return self._cached(("year_edition", year), lambda c: year_edition(c, year))

    def edition_table(self, year: int, group: str, edition: str | None) -> GroupResults | None:
        """The group's results in a map edition: its units only, ranked among themselves
        (scoring/editions.py); `edition` None: the whole group."""
        table = self.results_table(year, group)
        if table is None or edition is None:
            return table
        members = self._cached(
            ("edition_members", year, group, edition), lambda c: edition_members(c, year, group, edition)
        )
        return self._cached(("edition_table", year, group, edition), lambda _c: edition_table(table, members))

    def edition_groups(self, year: int, edition: str | None) -> list[str]:
        """The year's groups with at least one unit in the edition (every group for None)."""
        return [g for g in self.groups(year) if (t := self.edition_table(year, g, edition)) and t.rows]

    def results(self, year: int, group: str) -> list[ResultRow]:
        """Rows (unit, name, group, points per area, total, %, grade, rank, provisional flag)
        by rank; empty when no version is loaded for (year, group)."""
        table = self.results_table(year, group)
        return [] if table is None else list(table.rows)

    def unit_group(self, unit_code: str, year: int) -> str | None:
        """Which group of the year scores that agency code (None: none does)."""
        for group in self.groups(year):
            computed = self._computed(year, group)
            if computed is not None and unit_code in computed.scores.ranks:
                return group
        return None

    def scorecard(self, unit_code: str, year: int, group: str | None = None) -> Scorecard | None:
        """The unit's scorecard for the year (its group found when not given); None when
        the unit is not scored that year."""
        group = group or self.unit_group(unit_code, year)
        if group is None:
            return None
        computed = self._computed(year, group)
        if computed is None:
            return None
        previous = self._computed(year - 1, group)
        return build_scorecard(computed, unit_code, previous)

    def history(self, unit_code: str, year: int, group: str) -> list[HistoryRow]:
        """Every recorded change of the unit's scores in that year's version of the group."""

        def compute(conn: Connection) -> list[HistoryRow]:
            version = get_version(conn, year, group)
            return [] if version is None else recorded_changes(conn, version.id, unit_code)

        return self._cached(("history", year, group, unit_code), compute)

    def map_rows(self, year: int, group: str) -> dict[str, ResultRow]:
        """{map unit code (district or commune polygon): its row} for districts and communes."""
        if group not in MAP_GROUPS:
            raise ValueError(f"Nhóm {group!r} không có trên bản đồ (chỉ {', '.join(MAP_GROUPS)}).")
        rows = self.results(year, group)
        return {r.map_code: r for r in rows if r.map_code is not None}

    def map_values(self, year: int, group: str, area: str | None = None) -> dict[str, float]:
        """{map unit code: total} — or that area's points when `area` (an area code) is given."""
        rows = self.map_rows(year, group)
        if area is None:
            return {code: r.total for code, r in rows.items()}
        return {code: r.area_points[area] for code, r in rows.items() if area in r.area_points}
