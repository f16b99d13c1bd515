"""Boundary loading, validation, simplification and display GeoJSON (geodata/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from shapely.geometry import mapping, shape

from config import Settings
from geodata.display import display_geojson, display_geojson_bytes, display_geojson_json
from geodata.loader import BoundaryFileError, load_level
from geodata.measure import areas_m2, interior_holes_m2, overlap_m2, to_equal_area
from geodata.simplify import (
    COORDINATE_DECIMALS,
    SimplificationError,
    repair_polygons,
    round_coverage,
    round_vertices,
    simplified_levels,
)
from geodata.validate import BoundaryValidationError, ensure_valid_boundaries, validate_boundaries

SHIPPED = Settings.geodata_dir
FILES = {"province": "province.geojson", "district": "districts.geojson", "commune": "communes.geojson"}


# ---------------------------------------------------------------- helpers


def read_collection(folder: Path, level: str) -> dict[str, Any]:
    with (folder / FILES[level]).open(encoding="utf-8") as fh:
        return json.load(fh)


def write_collection(folder: Path, level: str, features: list[dict[str, Any]], **extra: Any) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    collection = {"type": "FeatureCollection", **extra, "features": features}
    (folder / FILES[level]).write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")


def copy_shipped(folder: Path) -> dict[str, dict[str, Any]]:
    """The three shipped collections, also written to `folder` (edit and rewrite as needed)."""
    collections = {level: read_collection(SHIPPED, level) for level in FILES}
    for level, collection in collections.items():
        write_collection(folder, level, collection["features"])
    return collections


def feature(code: Any, name: str, level: str, parent: Any, geom: shapely.Geometry) -> dict[str, Any]:
    props = {"code": code, "name": name, "level": level, "parent_code": parent}
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def write_synthetic_province(folder: Path, commune_geoms: dict[str, shapely.Geometry] | None = None) -> None:
    """Province "07" = 2 districts ("071", "072") x 2 communes, all boxes; codes with leading zeros."""
    boxes = {
        "00101": ("071", shapely.box(106.0, 10.0, 106.1, 10.05)),
        "00102": ("071", shapely.box(106.0, 10.05, 106.1, 10.1)),
        "00201": ("072", shapely.box(106.1, 10.0, 106.2, 10.05)),
        "00202": ("072", shapely.box(106.1, 10.05, 106.2, 10.1)),
    }
    geoms = {code: geom for code, (_, geom) in boxes.items()} | (commune_geoms or {})
    communes = [
        feature(code, f"Xã {code}", "commune", parent, geoms[code]) for code, (parent, _) in boxes.items()
    ]
    districts = [
        feature("071", "Huyện Một", "district", "07", shapely.box(106.0, 10.0, 106.1, 10.1)),
        feature("072", "Huyện Hai", "district", "07", shapely.box(106.1, 10.0, 106.2, 10.1)),
    ]
    write_collection(folder, "commune", communes)
    write_collection(folder, "district", districts)
    write_collection(
        folder,
        "province",
        [feature("07", "Tỉnh Bảy", "province", None, shapely.box(106.0, 10.0, 106.2, 10.1))],
    )


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def source() -> dict[str, Any]:
    return {level: load_level(SHIPPED, level) for level in FILES}


@pytest.fixture(scope="module")
def simplified() -> Any:
    return simplified_levels(SHIPPED)


@pytest.fixture(scope="module")
def broken_problems(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Shipped copy with three defects, validated against a registry that lacks 20341."""
    folder = tmp_path_factory.mktemp("broken")
    collections = copy_shipped(folder)
    communes = collections["commune"]["features"]
    communes[0]["properties"]["parent_code"] = "599"  # 20335 Phường Bàn Thạch
    communes[2]["properties"]["code"] = communes[3]["properties"]["code"]
    write_collection(folder, "commune", communes)
    registry = {f["properties"]["code"] for c in collections.values() for f in c["features"]} - {"20341"}
    return validate_boundaries(folder, registry)


# ---------------------------------------------------------------- loading


def test_shipped_levels_load_with_text_codes_in_wgs84(source):
    assert [len(source[level]) for level in FILES] == [1, 18, 78]
    for frame in source.values():
        assert frame.crs.to_epsg() == 4326
        assert all(isinstance(code, str) for code in frame["code"])
    assert source["province"]["parent_code"].tolist() == [None]
    assert set(source["district"]["parent_code"]) == {"49"}
    assert "20335" in set(source["commune"]["code"])


def test_codes_keep_leading_zeros(tmp_path):
    write_synthetic_province(tmp_path)
    assert load_level(tmp_path, "province")["code"].tolist() == ["07"]
    assert load_level(tmp_path, "commune")["code"].tolist() == ["00101", "00102", "00201", "00202"]
    assert set(load_level(tmp_path, "district")["parent_code"]) == {"07"}


def test_codes_written_as_numbers_are_rejected(tmp_path):
    write_synthetic_province(tmp_path)
    districts = read_collection(tmp_path, "district")["features"]
    for f in districts:
        f["properties"]["code"] = int(f["properties"]["code"])
    write_collection(tmp_path, "district", districts)
    with pytest.raises(BoundaryFileError, match="code được ghi dạng số"):
        load_level(tmp_path, "district")


def test_missing_required_property_is_named(tmp_path):
    write_synthetic_province(tmp_path)
    communes = read_collection(tmp_path, "commune")["features"]
    for f in communes:
        del f["properties"]["parent_code"]
    write_collection(tmp_path, "commune", communes)
    problems = validate_boundaries(tmp_path)
    assert "communes.geojson: thiếu thuộc tính bắt buộc parent_code" in problems


def test_file_in_another_crs_is_rejected(tmp_path):
    write_synthetic_province(tmp_path)
    features = read_collection(tmp_path, "province")["features"]
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}
    write_collection(tmp_path, "province", features, crs=crs)
    with pytest.raises(BoundaryFileError, match="khác EPSG:4326"):
        load_level(tmp_path, "province")


def test_missing_file_is_named(tmp_path):
    write_synthetic_province(tmp_path)
    (tmp_path / "districts.geojson").unlink()
    problems = validate_boundaries(tmp_path)
    assert any(p.startswith("districts.geojson: không tìm thấy tệp") for p in problems)


# ---------------------------------------------------------------- validation


def test_shipped_files_validate_against_their_own_codes(source):
    registry = {code for frame in source.values() for code in frame["code"]}
    assert validate_boundaries(SHIPPED, registry) == []
    ensure_valid_boundaries(SHIPPED, registry)


def test_another_province_in_the_same_shape_validates(tmp_path):
    write_synthetic_province(tmp_path)
    assert validate_boundaries(tmp_path, {"07", "071", "072", "00101", "00102", "00201", "00202"}) == []


def test_commune_whose_parent_is_not_a_district_is_reported(broken_problems):
    assert (
        "communes.geojson: xã 20335 (Phường Bàn Thạch) có parent_code '599' "
        "không phải mã huyện nào trong districts.geojson"
    ) in broken_problems


def test_duplicate_code_is_reported(broken_problems, source):
    duplicated = source["commune"]["code"].iloc[3]
    assert f"communes.geojson: mã {duplicated} bị trùng (2 đối tượng)" in broken_problems


def test_code_missing_from_registry_is_reported(broken_problems):
    assert [p for p in broken_problems if "không có trong danh mục" in p] == [
        "communes.geojson: mã 20341 (Phường Tam Kỳ) không có trong danh mục đơn vị"
    ]


def test_district_without_one_of_its_communes_fails_nesting(broken_problems):
    # 20335 no longer points to 502, so 502 is larger than the union of its communes.
    assert any(
        p.startswith("districts.geojson: huyện 502 (Thành phố Tam Kỳ) không trùng") for p in broken_problems
    )


def test_raising_variant_lists_every_problem(tmp_path):
    write_synthetic_province(tmp_path)
    communes = read_collection(tmp_path, "commune")["features"]
    communes[1]["properties"]["code"] = "00101"
    write_collection(tmp_path, "commune", communes)
    with pytest.raises(BoundaryValidationError) as info:
        ensure_valid_boundaries(tmp_path)
    assert info.value.problems == ["communes.geojson: mã 00101 bị trùng (2 đối tượng)"]
    assert "mã 00101 bị trùng" in str(info.value)


def test_commune_sticking_out_of_its_district_is_reported(tmp_path):
    # 00102 grows 0.01° north: outside district 071 by 1/5 of its area; 071 no longer equals the union.
    write_synthetic_province(tmp_path, {"00102": shapely.box(106.0, 10.05, 106.1, 10.11)})
    problems = validate_boundaries(tmp_path)
    assert any(
        p.startswith("communes.geojson: xã 00102 (Xã 00102) nằm ngoài huyện 071 (Huyện Một)")
        for p in problems
    )
    assert any(p.startswith("districts.geojson: huyện 071 (Huyện Một) không trùng") for p in problems)
    assert not any(p.startswith("province.geojson") for p in problems)  # the districts still nest


def test_invalid_geometry_is_reported_and_nesting_not_checked_for_it(tmp_path):
    bowtie = shapely.Polygon([(106.1, 10.0), (106.2, 10.05), (106.2, 10.0), (106.1, 10.05)])
    write_synthetic_province(tmp_path, {"00201": bowtie})
    problems = validate_boundaries(tmp_path)
    assert any(
        p.startswith("communes.geojson: hình học của xã 00201 (Xã 00201) không hợp lệ: Self-intersection")
        for p in problems
    )
    assert (
        "districts.geojson: không kiểm tra lồng ghép của huyện 072 (Huyện Hai) vì có hình học không hợp lệ"
        in problems
    )


def test_district_with_wrong_parent_and_wrong_level_are_reported(tmp_path):
    write_synthetic_province(tmp_path)
    districts = read_collection(tmp_path, "district")["features"]
    districts[1]["properties"]["parent_code"] = "08"
    districts[1]["properties"]["level"] = "commune"
    write_collection(tmp_path, "district", districts)
    problems = validate_boundaries(tmp_path)
    assert "districts.geojson: huyện 072 có level 'commune', cần 'district'" in problems
    assert (
        "districts.geojson: huyện 072 (Huyện Hai) có parent_code '08' "
        "khác mã tỉnh trong province.geojson (07)" in problems
    )


# ---------------------------------------------------------------- simplification


def test_simplified_geometries_are_valid(simplified):
    for level in ("province", "district", "commune"):
        geoms = getattr(simplified, level).geometry.values
        assert shapely.is_valid(geoms).all(), level
        assert not shapely.is_empty(geoms).any(), level


def test_simplified_communes_share_borders_without_overlap(simplified):
    geoms = simplified.commune.geometry.values
    assert shapely.coverage_is_valid(geoms)
    # Measured: 4·10⁻⁶ m² (floating-point noise on 10 400 km²); the source has 0.52 m².
    assert abs(overlap_m2(geoms)) < 0.01
    assert abs(overlap_m2(simplified.district.geometry.values)) < 0.01


def test_simplification_opens_no_new_gaps(simplified, source):
    before = interior_holes_m2(source["commune"].geometry.values)
    after = interior_holes_m2(simplified.commune.geometry.values)
    # Source: 410.0 and 0.1 m² inside former Quảng Nam; simplified: one hole of 355.7 m².
    assert sum(after) <= sum(before)
    assert len(after) <= len(before)


def test_each_simplified_district_is_the_union_of_its_communes(simplified):
    communes = simplified.commune
    districts = to_equal_area(simplified.district.geometry.values)
    for code, district in zip(simplified.district["code"], districts, strict=True):
        members = to_equal_area(communes.geometry.values[(communes["parent_code"] == code).to_numpy()])
        assert len(members) > 0
        assert shapely.symmetric_difference(district, shapely.union_all(members)).area < 0.01, code
    province = to_equal_area(simplified.province.geometry.values)[0]
    assert shapely.symmetric_difference(province, shapely.union_all(districts)).area < 0.01


def test_simplified_areas_stay_within_three_percent(simplified, source):
    for level in ("district", "commune"):
        ratio = areas_m2(getattr(simplified, level).geometry.values) / areas_m2(source[level].geometry.values)
        assert np.abs(ratio - 1).max() < 0.03, level  # measured: communes 1.2 %, districts 0.4 %


def test_simplification_cuts_vertices_at_least_tenfold(simplified, source):
    before = shapely.get_num_coordinates(source["commune"].geometry.values).sum()
    after = shapely.get_num_coordinates(simplified.commune.geometry.values).sum()
    assert before >= 10 * after  # measured: 148 528 → 10 733 (13.8×)


def test_simplified_coordinates_are_rounded(simplified):
    coords = shapely.get_coordinates(simplified.commune.geometry.values) * 10**COORDINATE_DECIMALS
    assert np.abs(coords - np.round(coords)).max() < 1e-6


def test_rounding_repairs_collapsed_spike_on_both_sides():
    # A pokes a 0.00004-wide spike into B; at 4 decimals both sides collapse to a line.
    spike = [(1, 0.4), (1.5, 0.40002), (1, 0.40004)]
    a = shapely.Polygon([(0, 0), (1, 0), *spike, (1, 1), (0, 1)])
    b = shapely.Polygon([(1, 0), (2, 0), (2, 1), (1, 1), *reversed(spike)])
    assert shapely.coverage_is_valid([a, b])
    plain = round_vertices(np.array([a, b], dtype=object), 4)
    assert not shapely.is_valid(plain).all()
    rounded = round_coverage(np.array([a, b], dtype=object), 4)
    assert shapely.is_valid(rounded).all()
    assert shapely.equals(rounded[0], shapely.box(0, 0, 1, 1))
    assert shapely.equals(rounded[1], shapely.box(1, 0, 2, 1))


def voronoi_square(seed: int) -> np.ndarray:
    points = shapely.MultiPoint(np.random.default_rng(seed).random((60, 2)))
    square = shapely.box(0, 0, 1, 1)
    return np.array([c.intersection(square) for c in shapely.get_parts(shapely.voronoi_polygons(points))])


def test_rounding_a_coverage_on_a_coarse_grid_keeps_it_valid_without_gaps_or_overlaps():
    repaired = cleaned = 0
    for seed in [*range(40), 74, 270, 288]:
        cells = voronoi_square(seed)
        plain = shapely.remove_repeated_points(round_vertices(cells, 2))  # grid 0.01, cells ~0.13 wide
        repaired += not shapely.is_valid(plain).all()
        cleaned += not shapely.coverage_is_valid(repair_polygons(plain))
        rounded = round_coverage(cells, 2)
        union = shapely.union_all(rounded)
        assert shapely.is_valid(rounded).all(), seed
        assert shapely.coverage_is_valid(rounded), seed
        assert abs(shapely.area(rounded).sum() - union.area) < 1e-12, seed
        assert union.geom_type == "Polygon" and len(union.interiors) == 0, seed
        assert abs(union.area - 1) < 1e-12, seed
    # Both fixes ran: a ring made invalid (e.g. seeds 6, 30, 39), and a vertex pushed
    # across a neighbour's border so that only cleaning restores the coverage (74, 270, 288).
    assert repaired >= 1
    assert cleaned >= 1


def test_rounding_that_erases_a_unit_fails_loudly():
    sliver = shapely.box(0, 1, 1, 1.00003)
    cells = np.array([shapely.box(0, 0, 1, 1), sliver, shapely.box(0, 1.00003, 1, 2)], dtype=object)
    with pytest.raises(SimplificationError, match="đơn vị thứ 2 biến mất"):
        round_coverage(cells, 4)


# ---------------------------------------------------------------- display GeoJSON


@pytest.mark.parametrize("level", ["district", "commune"])
def test_display_features_have_code_ids_and_minimal_properties(level, source):
    collection = display_geojson(SHIPPED, level)
    expected = source[level].sort_values("code")
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == list(expected["code"])
    assert [f["properties"] for f in collection["features"]] == [
        {"code": code, "name": name, "parent_code": parent}
        for code, name, parent in zip(
            expected["code"], expected["name"], expected["parent_code"], strict=True
        )
    ]
    assert all(shape(f["geometry"]).is_valid for f in collection["features"])


@pytest.mark.parametrize("level", ["province", "district", "commune"])
def test_display_rings_are_wound_clockwise_for_plotly(level):
    # d3-geo (plotly geo) fills the outside of counter-clockwise exteriors.
    def signed_area(ring: list[list[float]]) -> float:
        xs, ys = np.array(ring).T
        return float(np.sum(xs[:-1] * ys[1:] - xs[1:] * ys[:-1]) / 2)  # > 0: counter-clockwise

    exteriors, holes = [], []
    for f in display_geojson(SHIPPED, level)["features"]:
        geometry = f["geometry"]
        polygons = (
            geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        )
        for rings in polygons:
            exteriors.append(signed_area(rings[0]))
            holes += [signed_area(ring) for ring in rings[1:]]
    assert all(area < 0 for area in exteriors)
    assert all(area > 0 for area in holes)


def test_display_is_built_once_per_folder_and_level():
    first = display_geojson(SHIPPED, "commune")
    same_folder_spelled_differently = SHIPPED.parent / ".." / SHIPPED.parent.name / SHIPPED.name
    assert display_geojson(same_folder_spelled_differently, "commune") is first
    assert display_geojson(SHIPPED, "district") is not first


def test_display_json_is_compact_and_within_budget():
    sizes = {}
    for level in ("district", "commune"):
        text = display_geojson_json(SHIPPED, level)
        assert text == json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
        assert display_geojson_bytes(SHIPPED, level) == len(text.encode("utf-8"))
        sizes[level] = len(text.encode("utf-8"))
    assert sum(sizes.values()) < 400_000  # measured: 105 951 + 213 791 bytes


def test_display_rejects_unknown_level():
    with pytest.raises(ValueError, match="cấp bản đồ không hợp lệ"):
        display_geojson(SHIPPED, "ward")  # type: ignore[arg-type]


def test_display_of_another_folder_in_the_same_shape(tmp_path):
    collections = copy_shipped(tmp_path)
    keep = {"502", "503"}
    districts = [f for f in collections["district"]["features"] if f["properties"]["code"] in keep]
    communes = [f for f in collections["commune"]["features"] if f["properties"]["parent_code"] in keep]
    province = collections["province"]["features"][0]
    province["geometry"] = mapping(shapely.union_all([shape(f["geometry"]) for f in districts]))
    write_collection(tmp_path, "district", districts)
    write_collection(tmp_path, "commune", communes)
    write_collection(tmp_path, "province", [province])
    assert validate_boundaries(tmp_path) == []

    district_layer = display_geojson(tmp_path, "district")
    commune_layer = display_geojson(tmp_path, "commune")
    assert [f["id"] for f in district_layer["features"]] == ["502", "503"]
    assert sorted(f["id"] for f in commune_layer["features"]) == sorted(
        f["properties"]["code"] for f in communes
    )
    assert {f["properties"]["parent_code"] for f in commune_layer["features"]} == keep
    assert display_geojson(SHIPPED, "district") is not district_layer


def test_display_of_folder_with_orphan_commune_raises_with_the_problem(tmp_path):
    write_synthetic_province(tmp_path)
    communes = read_collection(tmp_path, "commune")["features"]
    communes[3]["properties"]["parent_code"] = "073"
    write_collection(tmp_path, "commune", communes)
    with pytest.raises(BoundaryValidationError, match=r"xã 00202 .* parent_code '073'"):
        display_geojson(tmp_path, "commune")
