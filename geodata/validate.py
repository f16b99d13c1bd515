"""Check a boundary folder against the shape documented in geodata/README.md.

`validate_boundaries` returns every problem found as a message (Vietnamese, naming the
file, the unit code and what is wrong); `ensure_valid_boundaries` raises instead.

Nesting tolerance: a district must equal the union of its communes, and each commune
must lie inside its district (and the province must equal the union of its districts),
up to NESTING_TOLERANCE = 0.01 % of the unit's area, measured in EPSG:6933. The shipped
Quảng Nam files nest exactly (0 m²); a missing or misplaced commune shows up as several
per cent.
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geodata.loader import REQUIRED_PROPERTIES, BoundaryFileError, Level, LevelFiles, load_level
from geodata.measure import to_equal_area
from geodata.records import DEFAULT_FILES

NESTING_TOLERANCE = 1e-4
LEVEL_LABELS: dict[Level, str] = {"province": "tỉnh", "district": "huyện", "commune": "xã"}


class BoundaryValidationError(ValueError):
    """A boundary folder failed validation; `problems` lists every message."""

    def __init__(self, folder: Path, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"- {p}" for p in problems)
        super().__init__(f"Dữ liệu ranh giới trong {folder} có {len(problems)} lỗi:\n{lines}")


def validate_boundaries(
    folder: Path, registry_codes: set[str] | None = None, files: LevelFiles = DEFAULT_FILES
) -> list[str]:
    """Every problem of the folder's level files; [] when valid.

    `files` lists (level, file name) top-down: the default is province → districts →
    communes; an edition without districts passes (("province", …), ("commune", …)), and
    its communes' parent is then the province (geodata/editions.py). With
    `registry_codes` (the unit codes of the agency/unit registry), every unit code must
    also be present there.
    """
    problems: list[str] = []
    frames: dict[Level, gpd.GeoDataFrame] = {}
    for level, _name in files:
        try:
            frames[level] = load_level(folder, level, files)  # type: ignore[arg-type]
        except BoundaryFileError as exc:
            problems.append(str(exc))
    for level, frame in frames.items():
        problems += _property_problems(files, level, frame)
        problems += _duplicate_problems(files, level, frame)
        problems += geometry_problems(folder, level, frame, files)
        if registry_codes is not None:
            problems += _registry_problems(files, level, frame, registry_codes)
    if len(frames) == len(files):
        problems += hierarchy_problems(folder, frames, files)
        problems += _nesting_problems(files, frames)
    else:
        problems.append("Không kiểm tra quan hệ cha–con và lồng ghép vì thiếu tệp hoặc tệp không đọc được")
    return problems


def ensure_valid_boundaries(
    folder: Path, registry_codes: set[str] | None = None, files: LevelFiles = DEFAULT_FILES
) -> None:
    """Raise BoundaryValidationError listing every problem, if there is any."""
    problems = validate_boundaries(folder, registry_codes, files)
    if problems:
        raise BoundaryValidationError(folder, problems)


def _file(files: LevelFiles, level: Level) -> str:
    return dict(files)[level]


def _unit(level: Level, code: object, name: object = None) -> str:
    label = f"{LEVEL_LABELS[level]} {code}"
    return f"{label} ({name})" if isinstance(name, str) and name else label


def _vn_number(value: float, decimals: int = 1) -> str:
    """1234.5 -> '1.234,5' (Vietnamese number format)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or bool(pd.isna(value))


def _property_problems(files: LevelFiles, level: Level, frame: gpd.GeoDataFrame) -> list[str]:
    file = _file(files, level)
    problems: list[str] = []
    for position, row in enumerate(frame.itertuples(index=False), start=1):
        code = row.code if not _is_blank(row.code) else "?"
        for name in REQUIRED_PROPERTIES:
            if name == "parent_code" and level == "province":
                continue
            if _is_blank(getattr(row, name)):
                problems.append(f"{file}: đối tượng thứ {position} (mã {code}) thiếu giá trị {name}")
        if "level" in frame.columns and not _is_blank(row.level) and row.level != level:
            problems.append(f"{file}: {_unit(level, code)} có level '{row.level}', cần '{level}'")
        if "population" in frame.columns and not _is_blank(row.population):
            value = row.population
            if not (float(value).is_integer() and float(value) >= 0):
                problems.append(
                    f"{file}: {_unit(level, code)} có population '{value}' không phải số nguyên ≥ 0"
                )
    return problems


def _duplicate_problems(files: LevelFiles, level: Level, frame: gpd.GeoDataFrame) -> list[str]:
    counts = Counter(code for code in frame["code"] if not _is_blank(code))
    return [
        f"{_file(files, level)}: mã {code} bị trùng ({count} đối tượng)"
        for code, count in sorted(counts.items())
        if count > 1
    ]


def geometry_problems(
    folder: Path, level: Level, frame: gpd.GeoDataFrame, files: LevelFiles = DEFAULT_FILES
) -> list[str]:
    """Missing, empty, non-polygonal or invalid (OGC) geometries."""
    file = _file(files, level)
    problems: list[str] = []
    for code, name, geom in zip(frame["code"], frame["name"], frame.geometry, strict=True):
        unit = _unit(level, code, name)
        if geom is None or geom.is_empty:
            problems.append(f"{file}: {unit} không có hình học")
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(
                f"{file}: {unit} có hình học kiểu {geom.geom_type}, cần Polygon hoặc MultiPolygon"
            )
        elif not geom.is_valid:
            problems.append(f"{file}: hình học của {unit} không hợp lệ: {shapely.is_valid_reason(geom)}")
    return problems


def _registry_problems(
    files: LevelFiles, level: Level, frame: gpd.GeoDataFrame, registry_codes: set[str]
) -> list[str]:
    return [
        f"{_file(files, level)}: mã {code} ({name}) không có trong danh mục đơn vị"
        for code, name in zip(frame["code"], frame["name"], strict=True)
        if not _is_blank(code) and code not in registry_codes
    ]


def hierarchy_problems(
    folder: Path, frames: dict[Level, gpd.GeoDataFrame], files: LevelFiles = DEFAULT_FILES
) -> list[str]:
    """One province; each level's parent is a unit of the level above (districts: the
    province; communes: a district, or the province when there is no district level);
    no unit without children."""
    levels = [level for level, _name in files]
    province = frames["province"]
    problems: list[str] = []
    if len(province) != 1:
        problems.append(f"{_file(files, 'province')}: cần đúng 1 đối tượng, có {len(province)}")
    for parent_level, child_level in itertools.pairwise(levels):
        problems += _parent_problems(files, frames, parent_level, child_level)  # type: ignore[arg-type]
    return problems


def _parent_problems(
    files: LevelFiles, frames: dict[Level, gpd.GeoDataFrame], parent_level: Level, child_level: Level
) -> list[str]:
    parents, children = frames[parent_level], frames[child_level]
    parent_file, child_file = _file(files, parent_level), _file(files, child_level)
    parent_codes = set(parents["code"])
    problems: list[str] = []
    for code, name, parent in zip(children["code"], children["name"], children["parent_code"], strict=True):
        if _is_blank(parent) or parent in parent_codes:
            continue
        unit = _unit(child_level, code, name)
        if parent_level == "province":
            problems.append(
                f"{child_file}: {unit} có parent_code '{parent}' "
                f"khác mã tỉnh trong {parent_file} ({', '.join(sorted(parent_codes))})"
            )
        else:
            problems.append(
                f"{child_file}: {unit} có parent_code '{parent}' "
                f"không phải mã {LEVEL_LABELS[parent_level]} nào trong {parent_file}"
            )
    if parent_level != "province":
        with_children = set(children["parent_code"])
        for code, name in zip(parents["code"], parents["name"], strict=True):
            if code not in with_children:
                problems.append(
                    f"{parent_file}: {_unit(parent_level, code, name)} không có "
                    f"{LEVEL_LABELS[child_level]} nào trong {child_file}"
                )
    return problems


def _usable(frame: gpd.GeoDataFrame) -> np.ndarray:
    geoms = frame.geometry.values
    return ~(shapely.is_missing(geoms) | shapely.is_empty(geoms)) & shapely.is_valid(geoms)


def _nesting_problems(files: LevelFiles, frames: dict[Level, gpd.GeoDataFrame]) -> list[str]:
    """Parent = union of children, children inside parent, within NESTING_TOLERANCE."""
    problems: list[str] = []
    levels = [level for level, _name in files]
    for parent_level, child_level in reversed(list(itertools.pairwise(levels))):
        parents, children = frames[parent_level], frames[child_level]
        parent_ok, child_ok = _usable(parents), _usable(children)
        parent_geoms = to_equal_area(np.where(parent_ok, parents.geometry.values, None))
        child_geoms = to_equal_area(np.where(child_ok, children.geometry.values, None))
        parent_file, child_file = _file(files, parent_level), _file(files, child_level)
        for i, (code, name) in enumerate(zip(parents["code"], parents["name"], strict=True)):
            members = np.flatnonzero((children["parent_code"] == code).to_numpy())
            if len(members) == 0:
                continue  # reported by hierarchy_problems
            unit = _unit(parent_level, code, name)
            if not parent_ok[i] or not child_ok[members].all():
                problems.append(
                    f"{parent_file}: không kiểm tra lồng ghép của {unit} vì có hình học không hợp lệ"
                )
                continue
            parent_area = parent_geoms[i].area
            union = shapely.union_all(child_geoms[members])
            mismatch = shapely.symmetric_difference(parent_geoms[i], union).area
            if mismatch > NESTING_TOLERANCE * parent_area:
                share = _vn_number(100 * mismatch / parent_area, 3)
                problems.append(
                    f"{parent_file}: {unit} không trùng với hợp các đơn vị con trong {child_file}: "
                    f"lệch {_vn_number(mismatch)} m² ({share} % diện tích, "
                    f"cho phép {_vn_number(100 * NESTING_TOLERANCE, 2)} %)"
                )
            for j in members:
                outside = shapely.difference(child_geoms[j], parent_geoms[i]).area
                if outside > NESTING_TOLERANCE * child_geoms[j].area:
                    child = _unit(child_level, children["code"].iloc[j], children["name"].iloc[j])
                    problems.append(
                        f"{child_file}: {child} nằm ngoài {unit} {_vn_number(outside)} m² "
                        f"({_vn_number(100 * outside / child_geoms[j].area, 3)} % diện tích)"
                    )
    return problems
