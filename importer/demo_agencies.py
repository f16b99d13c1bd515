"""Which agencies receive demo dossiers, on which days, and how many (∝ population).

The registry (agencies.csv) is read here on its own terms (the importer's reader is
not needed to write demo data). Volumes:
- current communes: their population in the boundary folder's communes.geojson;
- old communes: their successor's population divided equally among the successor's
  old constituents (crosswalk); old communes without successor: the median of those
  shares in their 2024 district;
- district committees: their district's population;
- departments: DEPARTMENT_WEIGHTS (uneven), jittered per seed.
Each kind then receives a fixed share of the day's dossiers (LEVEL_SHARES).
"""

from __future__ import annotations

import csv
import statistics
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from geodata.records import CrosswalkRecord, UnitRecord
from importer.demo_catalogue import DEFAULT_DEPARTMENT_WEIGHT, DEPARTMENT_WEIGHTS

REQUIRED_COLUMNS = ("code", "name", "kind", "unit_code", "valid_from")
KINDS = ("department", "district", "commune")

# Share of a day's dossiers per agency kind, with and without district committees.
LEVEL_SHARES_THREE_TIER = {"department": 0.40, "district": 0.18, "commune": 0.42}
LEVEL_SHARES_TWO_TIER = {"department": 0.40, "commune": 0.60}


@dataclass(frozen=True)
class RegistryAgency:
    code: str
    name: str
    kind: str  # department | district | commune
    valid_from: date
    valid_to: date | None

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def read_registry(path: Path) -> list[RegistryAgency]:
    """The agencies of an agencies.csv file; a malformed file raises ValueError naming the problem."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: thiếu cột bắt buộc {', '.join(missing)}")
        out = []
        for line_no, row in enumerate(reader, start=2):
            try:
                kind = row["kind"].strip()
                if kind not in KINDS:
                    raise ValueError(f"kind {kind!r} không hợp lệ")
                valid_to = (row.get("valid_to") or "").strip()
                out.append(
                    RegistryAgency(
                        code=row["code"].strip(),
                        name=row["name"].strip(),
                        kind=kind,
                        valid_from=date.fromisoformat(row["valid_from"].strip()),
                        valid_to=date.fromisoformat(valid_to) if valid_to else None,
                    )
                )
            except ValueError as exc:
                raise ValueError(f"{path}, dòng {line_no}: {exc}") from exc
    if not out:
        raise ValueError(f"{path}: không có cơ quan nào")
    return out


def _overlaps(a: RegistryAgency, b: RegistryAgency) -> bool:
    a_end = a.valid_to or date.max
    b_end = b.valid_to or date.max
    return a.valid_from <= b_end and b.valid_from <= a_end


def is_two_tier_commune(agency: RegistryAgency, registry: list[RegistryAgency]) -> bool:
    """A commune that never coexisted with a district committee (after the 2025 reform)."""
    return agency.kind == "commune" and not any(
        d.kind == "district" and _overlaps(agency, d) for d in registry
    )


def volume_weights(
    registry: list[RegistryAgency],
    units: list[UnitRecord],
    crosswalk_rows: list[CrosswalkRecord],
    rng: np.random.Generator,
) -> np.ndarray:
    """Relative volume of each agency within its kind (population or department weight)."""
    commune_pop = {u.code: u.population for u in units if u.level == "commune"}
    district_pop = {u.code: u.population for u in units if u.level == "district"}
    crosswalk = {c.old_code: c for c in crosswalk_rows}
    constituents: dict[str, int] = {}
    for c in crosswalk.values():
        if c.new_code is not None:
            constituents[c.new_code] = constituents.get(c.new_code, 0) + 1

    def old_share(old_code: str) -> float | None:
        link = crosswalk[old_code]
        if link.new_code is None:
            return None
        pop = commune_pop.get(link.new_code)
        if pop is None:
            raise ValueError(
                f"xã mới {link.new_code} (kế thừa {old_code}) không có dân số trong communes.geojson"
            )
        return pop / constituents[link.new_code]

    shares_by_district: dict[str, list[float]] = {}
    for code, link in crosswalk.items():
        share = old_share(code)
        if share is not None:
            shares_by_district.setdefault(link.old_district_code, []).append(share)

    weights = np.zeros(len(registry))
    for i, agency in enumerate(registry):
        if agency.kind == "department":
            base = DEPARTMENT_WEIGHTS.get(agency.code, DEFAULT_DEPARTMENT_WEIGHT)
            weights[i] = base * rng.uniform(0.8, 1.25)
        elif agency.kind == "district":
            if district_pop.get(agency.code) is None:
                raise ValueError(f"huyện {agency.code} không có dân số trong districts.geojson")
            weights[i] = float(district_pop[agency.code])
        elif is_two_tier_commune(agency, registry):
            if commune_pop.get(agency.code) is None:
                raise ValueError(f"xã {agency.code} ({agency.name}) không có dân số trong communes.geojson")
            weights[i] = float(commune_pop[agency.code])
        else:
            if agency.code not in crosswalk:
                raise ValueError(f"xã cũ {agency.code} ({agency.name}) không có trong bảng chuyển đổi")
            share = old_share(agency.code)
            if share is None:
                district = crosswalk[agency.code].old_district_code
                share = statistics.median(shares_by_district.get(district) or [min(commune_pop.values())])
            weights[i] = share
    return weights


@dataclass(frozen=True)
class Segment:
    """Days [first_day, next segment's first_day) over which the set of valid agencies is constant."""

    first_day: date
    agency_index: np.ndarray  # indices into the registry
    cumulative: np.ndarray  # cumulative probabilities, last = 1


def segments(registry: list[RegistryAgency], weights: np.ndarray, first: date, last: date) -> list[Segment]:
    """Split [first, last] where agencies start or end; weight agencies by LEVEL_SHARES within each."""
    starts = {first}
    for a in registry:
        for day in (a.valid_from, a.valid_to + timedelta(days=1) if a.valid_to else None):
            if day is not None and first < day <= last:
                starts.add(day)
    out = []
    for start in sorted(starts):
        valid = [i for i, a in enumerate(registry) if a.valid_on(start)]
        kinds = {registry[i].kind for i in valid}
        shares = LEVEL_SHARES_THREE_TIER if "district" in kinds else LEVEL_SHARES_TWO_TIER
        shares = {k: v for k, v in shares.items() if k in kinds}
        if not shares:
            raise ValueError(f"không có cơ quan nào còn hiệu lực ngày {start.isoformat()}")
        total_share = sum(shares.values())
        probs = np.zeros(len(valid))
        for kind, share in shares.items():
            members = [j for j, i in enumerate(valid) if registry[i].kind == kind]
            kind_weight = weights[[valid[j] for j in members]]
            probs[members] = share / total_share * kind_weight / kind_weight.sum()
        cumulative = np.cumsum(probs)
        cumulative[-1] = 1.0
        out.append(Segment(start, np.array(valid, dtype=np.int64), cumulative))
    return out
