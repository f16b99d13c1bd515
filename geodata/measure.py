"""Areas in square metres for geometries in EPSG:4326, computed in an equal-area projection.

EPSG:6933 (WGS 84 / NSIDC EASE-Grid 2.0 Global, cylindrical equal-area) is used, as in
geodata/data/SOURCES.md §4–5, because UTM areas are 0.1–0.3 % off in Quảng Nam.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry.base import BaseGeometry

EQUAL_AREA_CRS = "EPSG:6933"
_TO_EQUAL_AREA = Transformer.from_crs("EPSG:4326", EQUAL_AREA_CRS, always_xy=True)

Geometries = Sequence[BaseGeometry] | np.ndarray


def to_equal_area(geoms: Geometries) -> np.ndarray:
    """The geometries projected from EPSG:4326 (lon/lat) to EPSG:6933 (metres)."""
    return shapely.transform(np.asarray(geoms, dtype=object), _project)


def _project(xy: np.ndarray) -> np.ndarray:
    x, y = _TO_EQUAL_AREA.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def areas_m2(geoms: Geometries) -> np.ndarray:
    return shapely.area(to_equal_area(geoms))


def overlap_m2(geoms: Geometries) -> float:
    """Sum of the areas minus the area of their union: 0 for a coverage without overlaps."""
    projected = to_equal_area(geoms)
    return float(shapely.area(projected).sum() - shapely.union_all(projected).area)


def interior_holes_m2(geoms: Geometries) -> list[float]:
    """Areas of the holes inside the union of the geometries (gaps enclosed by units), largest first."""
    union = shapely.union_all(to_equal_area(geoms))
    parts = shapely.get_parts(union)
    holes = [
        shapely.Polygon(ring).area
        for part in parts
        if isinstance(part, shapely.Polygon)
        for ring in part.interiors
    ]
    return sorted(holes, reverse=True)
