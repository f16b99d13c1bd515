"""Plain records read from a boundary folder (no geometry): units and the crosswalk.

A boundary folder holds `province.geojson`, `districts.geojson`, `communes.geojson`
and `crosswalk_old_to_2025.csv` in the shape documented in geodata/README.md.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

LEVEL_FILES = {"province": "province.geojson", "district": "districts.geojson", "commune": "communes.geojson"}
CROSSWALK_FILE = "crosswalk_old_to_2025.csv"
DEFAULT_FILES: tuple[tuple[str, str], ...] = tuple(LEVEL_FILES.items())


@dataclass(frozen=True)
class UnitInfo:
    """An administrative unit as the map and the database know it (admin_units)."""

    code: str
    name: str
    level: str  # province | district | commune
    parent_code: str | None


@dataclass(frozen=True)
class UnitRecord(UnitInfo):
    """A unit as read from a boundary folder: with its population when the file gives it."""

    population: int | None


@dataclass(frozen=True)
class CrosswalkRecord:
    old_code: str
    old_name: str
    old_district_code: str
    new_code: str | None
    link_type: str | None


def _text(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def unit_records(folder: Path, files: Iterable[tuple[str, str]] = DEFAULT_FILES) -> list[UnitRecord]:
    """Every unit of the levels' files ((level, file name) top-down; default: the three
    levels of LEVEL_FILES), province first."""
    out: list[UnitRecord] = []
    for level, name in files:
        with (folder / name).open(encoding="utf-8") as fh:
            collection = json.load(fh)
        for feature in collection["features"]:
            p = feature["properties"]
            population = p.get("population")
            out.append(
                UnitRecord(
                    code=str(p["code"]),
                    name=str(p["name"]),
                    level=level,
                    parent_code=_text(p.get("parent_code")),
                    population=int(population) if population is not None else None,
                )
            )
    return out


def crosswalk_records(folder: Path, name: str = CROSSWALK_FILE) -> list[CrosswalkRecord]:
    with (folder / name).open(encoding="utf-8-sig", newline="") as fh:
        return [
            CrosswalkRecord(
                old_code=row["old_code"],
                old_name=row["old_name"],
                old_district_code=row["old_district_2024"],
                new_code=_text(row["new_code"]),
                link_type=_text(row["type"]),
            )
            for row in csv.DictReader(fh)
        ]
