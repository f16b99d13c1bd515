"""Topology-preserving simplification of the commune coverage for display.

Steps (see geodata/README.md for the measured results):
1. `shapely.coverage_clean` without snapping and without gap filling: resolves the
   source's sub-square-metre overlaps so the input is a valid coverage; gaps stay.
2. `shapely.coverage_simplify` (Visvalingam–Whyatt on shared edges, GEOS 3.14) with
   DISPLAY_TOLERANCE_DEG: every shared border is simplified once, so neighbours keep
   identical borders and no gap or overlap can open.
3. Every vertex is rounded to COORDINATE_DECIMALS decimals. Identical vertices round
   identically, so shared borders stay shared; rings that rounding collapsed or made
   self-touching are repaired; if rounding pushed a vertex across a neighbour's
   border, the coverage is cleaned and rounded again.
4. Districts and the province are dissolved (coverage union) from the simplified
   communes, so the display levels nest exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from geodata.loader import LevelFiles, load_level
from geodata.records import DEFAULT_FILES
from geodata.validate import BoundaryValidationError, geometry_problems, hierarchy_problems

# 0.0012° ≈ 130 m north–south and ≈ 129 m east–west at 15.5° N (VW: triangles smaller
# than about 0.0012² deg² are removed). Invisible at province zoom (~0.002°/pixel on a
# 700-pixel map), about 1–3 pixels at the zoom of the smallest district.
DISPLAY_TOLERANCE_DEG = 0.0012
# 4 decimals = 0.0001° ≈ 11 m: below the simplification error, 2 characters less per number.
COORDINATE_DECIMALS = 4
_MAX_ROUNDING_PASSES = 3


class SimplificationError(ValueError):
    """Simplification could not produce a valid coverage (input is not a coverage)."""


@dataclass(frozen=True)
class DisplayLevels:
    """Simplified, rounded display geometries with columns code, name, parent_code, geometry."""

    province: gpd.GeoDataFrame
    district: gpd.GeoDataFrame | None  # None for an edition without districts
    commune: gpd.GeoDataFrame


def simplify_coverage(
    geoms: np.ndarray, tolerance: float = DISPLAY_TOLERANCE_DEG, decimals: int = COORDINATE_DECIMALS
) -> np.ndarray:
    """The coverage simplified with `tolerance` (degrees) and rounded to `decimals`."""
    cleaned = shapely.coverage_clean(np.asarray(geoms, dtype=object), snapping_distance=0.0)
    return round_coverage(shapely.coverage_simplify(cleaned, tolerance), decimals)


def round_coverage(geoms: np.ndarray, decimals: int = COORDINATE_DECIMALS) -> np.ndarray:
    """Round every vertex to `decimals`, keeping each geometry valid and the coverage edge-matched."""
    current = np.asarray(geoms, dtype=object)
    for _ in range(_MAX_ROUNDING_PASSES):
        current = repair_polygons(shapely.remove_repeated_points(round_vertices(current, decimals)))
        if shapely.coverage_is_valid(current):
            break
        # A vertex crossed a neighbour's border: node the borders and give each
        # overlap to one neighbour, then round the new intersection vertices.
        current = shapely.coverage_clean(current, snapping_distance=0.0)
    else:
        raise SimplificationError(
            f"sau {_MAX_ROUNDING_PASSES} lần làm tròn đến {decimals} chữ số, các vùng vẫn chồng lấn nhau"
        )
    empty = np.flatnonzero(shapely.is_empty(current))
    if len(empty):
        raise SimplificationError(f"đơn vị thứ {', '.join(str(i + 1) for i in empty)} biến mất khi làm tròn")
    return current


def round_vertices(geoms: np.ndarray, decimals: int) -> np.ndarray:
    # k / 10**d is the double nearest to the decimal k·10⁻ᵈ, so JSON writes it with ≤ d decimals.
    return shapely.transform(geoms, lambda xy: np.round(xy, decimals))


def repair_polygons(geoms: np.ndarray) -> np.ndarray:
    """Make invalid geometries valid, keeping only their polygonal parts.

    Rounding can only make a ring touch itself (a spike or neck narrower than the
    grid) or collapse; the "structure" method drops the zero-width parts. The
    neighbour across such a spike has the identical, equally collapsed border, so no
    gap opens.
    """
    out = geoms.copy()
    for i in np.flatnonzero(~shapely.is_valid(geoms)):
        fixed = shapely.make_valid(geoms[i], method="structure", keep_collapsed=False)
        polygons = [p for p in shapely.get_parts(fixed) if p.geom_type in ("Polygon", "MultiPolygon")]
        out[i] = shapely.union_all(polygons) if polygons else shapely.Polygon()
    return out


def dissolve(geoms: np.ndarray, keys: list[str]) -> dict[str, shapely.Geometry]:
    """Union of the coverage members per key (no new vertices: borders stay on the grid)."""
    key_array = np.asarray(keys, dtype=object)
    return {key: shapely.coverage_union_all(geoms[key_array == key]) for key in dict.fromkeys(keys)}


def simplified_levels(
    folder: Path,
    tolerance: float = DISPLAY_TOLERANCE_DEG,
    decimals: int = COORDINATE_DECIMALS,
    files: LevelFiles = DEFAULT_FILES,
) -> DisplayLevels:
    """The levels for display: simplified communes, and districts (when the files have
    them) and the province dissolved from them.

    Names and codes come from each level's file. Raises BoundaryValidationError when
    the hierarchy is broken or a commune geometry is invalid (nothing is dropped).
    """
    frames = {level: load_level(folder, level, files) for level, _name in files}  # type: ignore[arg-type]
    problems = hierarchy_problems(folder, frames, files) + geometry_problems(
        folder, "commune", frames["commune"], files
    )
    if problems:
        raise BoundaryValidationError(folder, problems)
    communes = frames["commune"]
    commune_geoms = simplify_coverage(communes.geometry.values, tolerance, decimals)
    districts = frames.get("district")
    district_frame = None
    if districts is not None:
        by_district = dissolve(commune_geoms, list(communes["parent_code"]))
        district_frame = _frame(districts, [by_district[code] for code in districts["code"]])
    return DisplayLevels(
        province=_frame(frames["province"], [shapely.coverage_union_all(commune_geoms)]),
        district=district_frame,
        commune=_frame(communes, list(commune_geoms)),
    )


def _frame(source: gpd.GeoDataFrame, geoms: list[shapely.Geometry]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {name: list(source[name]) for name in ("code", "name", "parent_code")},
        geometry=geoms,
        crs=source.crs,
    )
