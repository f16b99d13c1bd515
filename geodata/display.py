"""Per-level display GeoJSON for the map: simplified, rounded, built once per (folder, level).

Each FeatureCollection has one feature per unit, sorted by code, with `id` = code and
properties {code, name, parent_code}; the JSON is compact (no spaces).

Exterior rings are wound clockwise and holes counter-clockwise, as d3-geo (plotly's
geo maps) expects: with the RFC 7946 winding plotly fills the outside of each unit.

Results are cached for the life of the process (functools.lru_cache): the returned
dict is shared, so treat it as read-only.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import shapely

from geodata.loader import LevelFiles
from geodata.records import DEFAULT_FILES
from geodata.simplify import DisplayLevels, simplified_levels

DisplayLevel = Literal["province", "district", "commune"]
DISPLAY_LEVELS: tuple[DisplayLevel, ...] = ("province", "district", "commune")


def display_geojson(folder: Path, level: DisplayLevel, files: LevelFiles = DEFAULT_FILES) -> dict[str, Any]:
    """FeatureCollection of the level ("district" or "commune"; "province" also works).
    `files`: the folder's (level, file name) pairs (an edition's `files`)."""
    return _collection(_key(folder), _checked(level), tuple(files))


def display_geojson_json(folder: Path, level: DisplayLevel, files: LevelFiles = DEFAULT_FILES) -> str:
    """The same FeatureCollection as compact JSON text (UTF-8, non-ASCII kept)."""
    return _json(_key(folder), _checked(level), tuple(files))


def display_geojson_bytes(folder: Path, level: DisplayLevel, files: LevelFiles = DEFAULT_FILES) -> int:
    """Size in bytes of the compact UTF-8 JSON of the level, for benchmarks and budgets."""
    return len(display_geojson_json(folder, level, files).encode("utf-8"))


def clear_display_cache() -> None:
    """Forget every built collection (e.g. after the boundary files were replaced)."""
    _levels.cache_clear()
    _collection.cache_clear()
    display_points.cache_clear()
    detached_codes.cache_clear()
    _json.cache_clear()


def _key(folder: Path) -> Path:
    return Path(folder).resolve()


def _checked(level: str) -> DisplayLevel:
    if level not in DISPLAY_LEVELS:
        raise ValueError(f"cấp bản đồ không hợp lệ: {level!r} (chỉ nhận {', '.join(DISPLAY_LEVELS)})")
    return level  # type: ignore[return-value]


@lru_cache(maxsize=8)
def _levels(folder: Path, files: LevelFiles) -> DisplayLevels:
    return simplified_levels(folder, files=files)


@lru_cache(maxsize=24)
def _collection(folder: Path, level: DisplayLevel, files: LevelFiles = DEFAULT_FILES) -> dict[str, Any]:
    frame = getattr(_levels(folder, files), level)
    if frame is None:
        raise ValueError(f"bản đồ trong {folder.name} không có cấp {level}")
    frame = frame.sort_values("code", kind="stable")
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"code": code, "name": name, "parent_code": parent_code},
            "geometry": shapely.geometry.mapping(shapely.orient_polygons(geom, exterior_cw=True)),
        }
        for code, name, parent_code, geom in zip(
            frame["code"], frame["name"], frame["parent_code"], frame.geometry, strict=True
        )
    ]
    return {"type": "FeatureCollection", "features": features}


@lru_cache(maxsize=24)
def _json(folder: Path, level: DisplayLevel, files: LevelFiles = DEFAULT_FILES) -> str:
    return json.dumps(_collection(folder, level, files), ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=24)
def display_points(
    folder: Path, level: DisplayLevel, files: LevelFiles = DEFAULT_FILES
) -> dict[str, tuple[float, float]]:
    """A point inside each unit of the level (lon, lat, 4 decimals), for markers drawn on
    units (e.g. "chưa có dữ liệu")."""
    frame = getattr(_levels(_key(folder), tuple(files)), _checked(level))
    if frame is None:
        raise ValueError(f"bản đồ trong {Path(folder).name} không có cấp {level}")
    points = shapely.point_on_surface(frame.geometry.values)
    return {
        code: (round(float(p.x), 4), round(float(p.y), 4))
        for code, p in zip(frame["code"], points, strict=True)
    }


DETACHED_GAP = 0.3  # degrees (≈ 33 km): units farther than this from the main group are detached


@lru_cache(maxsize=24)
def detached_codes(
    folder: Path, level: DisplayLevel, files: LevelFiles = DEFAULT_FILES, gap: float = DETACHED_GAP
) -> frozenset[str]:
    """The units far from the main group of the level (Đặc khu Hoàng Sa, some 300 km out at
    sea from the city's coast): units whose boxes, grown by `gap` degrees, touch are one
    group; every group but the largest is detached. A map fits the main group and draws the
    detached units apart (an inset), so the mainland is not shrunk to a corner."""
    frame = getattr(_levels(_key(folder), tuple(files)), _checked(level))
    if frame is None:
        raise ValueError(f"bản đồ trong {Path(folder).name} không có cấp {level}")
    codes = list(frame["code"])
    boxes = [tuple(float(v) for v in b) for b in shapely.bounds(frame.geometry.values)]
    group = list(range(len(codes)))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for i, (ax0, ay0, ax1, ay1) in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            bx0, by0, bx1, by1 = boxes[j]
            if ax0 - gap <= bx1 and bx0 <= ax1 + gap and ay0 - gap <= by1 and by0 <= ay1 + gap:
                group[root(i)] = root(j)
    members: dict[int, list[str]] = {}
    for i, code in enumerate(codes):
        members.setdefault(root(i), []).append(code)
    largest = max(members.values(), key=len, default=[])
    return frozenset(code for codes_ in members.values() if codes_ is not largest for code in codes_)
