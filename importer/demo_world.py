"""Everything fixed for a demo run before any dossier is drawn: agencies, catalogues, calendar.

`build_world` turns the registry, the boundary folder, the seed and `today` into
flat numpy lookup tables, so that drawing a chunk of dossiers (demo_rows) is a handful
of vectorised operations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from geodata.records import UnitRecord, crosswalk_records, unit_records
from importer.demo_agencies import (
    RegistryAgency,
    Segment,
    is_two_tier_commune,
    read_registry,
    segments,
    volume_weights,
)
from importer.demo_calendar import DEMO_START, working_calendar
from importer.demo_catalogue import (
    COMMUNE,
    DISTRICT,
    Procedure,
    department_catalogue,
    two_tier_commune_catalogue,
)

LEVEL_CODES = {"": 0, "partial": 1, "full": 2}
LEVEL_NAMES = ("", "partial", "full")
NEVER = np.iinfo(np.int64).max // 2  # a day number later than any date


def csv_field(value: str) -> str:
    """RFC 4180: quote a field holding a comma, a quote or a line break."""
    if any(ch in value for ch in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def day_number(day: date) -> int:
    """Days since 1970-01-01 (the int64 value of datetime64[D])."""
    return int(np.datetime64(day, "D").astype(np.int64))


@dataclass(frozen=True)
class Catalogue:
    procedures: np.ndarray  # indices into the world's procedure tables
    cumulative: np.ndarray  # cumulative probabilities, last = 1
    mean_late_factor: float


@dataclass(frozen=True)
class World:
    first_day: int  # day number of DEMO_START
    n_days: int
    cutoff: int  # last second of `today` (naive local seconds since 1970)
    calendar: np.busdaycalendar
    code_prefix: str  # e.g. "H49."
    segments: list[Segment]
    segment_of_day: np.ndarray
    # per agency (registry order)
    agency_codes: np.ndarray  # object, CSV-ready
    agency_code_id: np.ndarray  # same id for every version of a code
    agency_catalogue: np.ndarray
    agency_on_time: np.ndarray  # propensity to finish early or on time
    agency_valid_from: np.ndarray  # day number
    handler_offset: np.ndarray
    handler_count: np.ndarray
    handler_ids: np.ndarray  # object, CSV-ready
    catalogues: list[Catalogue]
    # per procedure
    proc_text: np.ndarray  # object: "code,name,field_code,field_name" CSV-ready
    proc_legal_days: np.ndarray
    proc_level: np.ndarray  # 0 none, 1 partial, 2 full
    proc_full_from: np.ndarray  # day number from which a partial procedure is full online
    proc_fee: np.ndarray
    proc_late: np.ndarray
    proc_supplement: np.ndarray


def _catalogue_for(
    agency: RegistryAgency, registry: list[RegistryAgency]
) -> tuple[str, tuple[Procedure, ...]]:
    if agency.kind == "department":
        return f"department:{agency.code}", department_catalogue(agency.code)
    if agency.kind == "district":
        return "district", DISTRICT
    if is_two_tier_commune(agency, registry):
        return "two_tier_commune", two_tier_commune_catalogue()
    return "commune", COMMUNE


def _procedure_tables(procs: list[Procedure]) -> dict[str, np.ndarray]:
    text = [",".join(csv_field(v) for v in (p.code, p.name, p.field_code, p.field_name)) for p in procs]
    return {
        "proc_text": np.array(text, dtype=object),
        "proc_legal_days": np.array([p.legal_days for p in procs], dtype=np.int64),
        "proc_level": np.array([LEVEL_CODES[p.online_level] for p in procs], dtype=np.int64),
        "proc_full_from": np.array(
            [day_number(p.full_online_from) if p.full_online_from else NEVER for p in procs], dtype=np.int64
        ),
        "proc_fee": np.array([p.has_fee for p in procs], dtype=bool),
        "proc_late": np.array([p.late_factor for p in procs]),
        "proc_supplement": np.array([p.supplement_factor for p in procs]),
    }


def _on_time_propensity(n: int, rng: np.random.Generator) -> np.ndarray:
    """Mostly 80–99%, a few weak units at 60–75%."""
    strong = 0.80 + 0.19 * rng.beta(2.5, 1.5, n)
    weak = rng.uniform(0.60, 0.75, n)
    return np.where(rng.random(n) < 0.07, weak, strong)


def _handlers(
    registry: list[RegistryAgency], weights: np.ndarray, catalogue_keys: list[str], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dept_max = max((w for a, w in zip(registry, weights, strict=True) if a.kind == "department"), default=1.0)
    counts = []
    for agency, weight, key in zip(registry, weights, catalogue_keys, strict=True):
        if agency.kind == "department":
            base = 2 + round(8 * weight / dept_max)
        elif agency.kind == "district" or key == "two_tier_commune":
            base = 6
        else:
            base = 3
        counts.append(max(1, base + int(rng.integers(-1, 2))))
    count = np.array(counts, dtype=np.int64)
    offset = np.concatenate(([0], np.cumsum(count)[:-1]))
    ids = [f"CB{i + 1:03d}{k + 1:02d}" for i, c in enumerate(counts) for k in range(c)]
    return offset, count, np.array(ids, dtype=object)


def _province_prefix(units: list[UnitRecord]) -> str:
    provinces = [u.code for u in units if u.level == "province"]
    return f"H{provinces[0]}." if provinces else "H."


def build_world(seed: int, today: date, agencies_file: Path, geodata_dir: Path) -> World:
    if today < DEMO_START:
        raise ValueError(
            f"ngày hiện tại {today.isoformat()} trước ngày bắt đầu dữ liệu mẫu {DEMO_START.isoformat()}"
        )
    rng = np.random.default_rng([seed, 1])
    registry = read_registry(agencies_file)
    units = unit_records(geodata_dir)
    weights = volume_weights(registry, units, crosswalk_records(geodata_dir), rng)
    segs = segments(registry, weights, DEMO_START, today)

    first_day = day_number(DEMO_START)
    n_days = day_number(today) - first_day + 1
    seg_starts = np.array([day_number(s.first_day) - first_day for s in segs])
    segment_of_day = np.searchsorted(seg_starts, np.arange(n_days), side="right") - 1

    catalogue_keys: list[str] = []
    by_key: dict[str, tuple[Procedure, ...]] = {}
    for agency in registry:
        key, procs = _catalogue_for(agency, registry)
        catalogue_keys.append(key)
        by_key.setdefault(key, procs)
    procedures: list[Procedure] = []
    proc_index: dict[str, int] = {}
    catalogues: list[Catalogue] = []
    key_index: dict[str, int] = {}
    for key, procs in by_key.items():
        for p in procs:
            proc_index.setdefault(p.code, len(procedures))
            if proc_index[p.code] == len(procedures):
                procedures.append(p)
        w = np.array([p.weight for p in procs])
        cumulative = np.cumsum(w / w.sum())
        cumulative[-1] = 1.0
        mean_late = float(np.dot(w, [p.late_factor for p in procs]) / w.sum())
        key_index[key] = len(catalogues)
        catalogues.append(Catalogue(np.array([proc_index[p.code] for p in procs]), cumulative, mean_late))

    codes = sorted({a.code for a in registry})
    code_id = {c: i for i, c in enumerate(codes)}
    handler_offset, handler_count, handler_ids = _handlers(registry, weights, catalogue_keys, rng)
    return World(
        first_day=first_day,
        n_days=n_days,
        cutoff=(day_number(today + timedelta(days=1))) * 86400 - 1,
        calendar=working_calendar(),
        code_prefix=_province_prefix(units),
        segments=segs,
        segment_of_day=segment_of_day,
        agency_codes=np.array([csv_field(a.code) for a in registry], dtype=object),
        agency_code_id=np.array([code_id[a.code] for a in registry], dtype=np.int64),
        agency_catalogue=np.array([key_index[k] for k in catalogue_keys], dtype=np.int64),
        agency_on_time=_on_time_propensity(len(registry), rng),
        agency_valid_from=np.array([day_number(a.valid_from) for a in registry], dtype=np.int64),
        handler_offset=handler_offset,
        handler_count=handler_count,
        handler_ids=handler_ids,
        catalogues=catalogues,
        **_procedure_tables(procedures),
    )
