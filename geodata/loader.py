"""Load one level of a boundary folder as a GeoDataFrame (geopandas, pyogrio engine).

The folder shape (file names, required properties, CRS) is documented in
geodata/README.md. Codes are kept as text: a code written as a JSON number would
already have lost its leading zeros, so such a file is rejected, not "repaired".
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from geodata.records import DEFAULT_FILES, LEVEL_FILES

Level = Literal["province", "district", "commune"]
LEVELS: tuple[Level, ...] = ("province", "district", "commune")
REQUIRED_PROPERTIES: tuple[str, ...] = ("code", "name", "parent_code")
CODE_PROPERTIES: tuple[str, ...] = ("code", "parent_code")
BOUNDARY_CRS = CRS.from_epsg(4326)


class BoundaryFileError(ValueError):
    """A boundary file is missing or not in the documented shape."""


LevelFiles = tuple[tuple[str, str], ...]  # (level, file name), top-down


def level_path(folder: Path, level: Level, files: LevelFiles = DEFAULT_FILES) -> Path:
    names = dict(files)
    if level not in LEVEL_FILES or level not in names:
        raise ValueError(f"cấp không hợp lệ: {level!r} (chỉ nhận {', '.join(names)})")
    return Path(folder) / names[level]


def load_level(folder: Path, level: Level, files: LevelFiles = DEFAULT_FILES) -> gpd.GeoDataFrame:
    """The features of one level, in file order, with `code`/`parent_code` as str (or None).

    Raises BoundaryFileError when the file is missing or unreadable, lacks a required
    property, writes codes as numbers, or is not in EPSG:4326.
    """
    path = level_path(folder, level, files)
    if not path.is_file():
        raise BoundaryFileError(f"{path.name}: không tìm thấy tệp trong {path.parent}")
    try:
        frame = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio/GDAL errors have no common base class
        raise BoundaryFileError(f"{path.name}: không đọc được tệp ({exc})") from exc
    missing = [name for name in REQUIRED_PROPERTIES if name not in frame.columns]
    if missing:
        raise BoundaryFileError(f"{path.name}: thiếu thuộc tính bắt buộc {', '.join(missing)}")
    if frame.crs is None or not CRS.from_user_input(frame.crs).equals(BOUNDARY_CRS, ignore_axis_order=True):
        raise BoundaryFileError(f"{path.name}: hệ tọa độ {frame.crs} khác EPSG:4326 (WGS 84 kinh độ/vĩ độ)")
    for name in CODE_PROPERTIES:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column) and column.notna().any():
            raise BoundaryFileError(
                f"{path.name}: thuộc tính {name} được ghi dạng số; mã phải là chuỗi JSON "
                '(ví dụ "0502") để giữ số 0 đứng đầu'
            )
        frame[name] = pd.Series(
            [None if pd.isna(value) else str(value) for value in column], index=frame.index, dtype=object
        )
    return frame
