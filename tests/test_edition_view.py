"""The map's edition in the view and its URL (issue 13): by default the period's, `edition=`
for another, old district links open the edition with districts (pure functions)."""

from __future__ import annotations

from datetime import date

from config import Settings
from dossier_stats.metrics import METRICS
from dossier_stats.periods import Period
from dossier_stats.units import UnitInfo
from geodata.editions import load_editions
from layouts.common.urls import parse_query
from layouts.home.edition_view import edition_options, is_city_view, with_edition
from layouts.home.view import View, ViewContext, resolve_view, view_edition, view_query

EDITIONS = tuple(load_editions(Settings.editions_file))
QN, DN = "quang-nam-2020", "da-nang-2025"
CTX = ViewContext(
    province_code="49",
    today=date(2026, 11, 27),
    first_data_date=date(2023, 1, 2),
    default_metric="on_time_rate",
    editions=EDITIONS,
)
BASE_UNITS = {  # admin_units: the Quảng Nam edition
    "49": UnitInfo("49", "Tỉnh Quảng Nam", "province", None),
    "502": UnitInfo("502", "Thành phố Tam Kỳ", "district", "49"),
    "20335": UnitInfo("20335", "Phường Bàn Thạch", "commune", "502"),
}
CITY_UNITS = {
    "48": UnitInfo("48", "Thành phố Đà Nẵng", "province", None),
    "20194": UnitInfo("20194", "Phường Hải Vân", "commune", "48"),
    "20335": UnitInfo("20335", "Phường Bàn Thạch", "commune", "48"),
}


def find_edition_unit(edition: str, code: str) -> UnitInfo | None:
    return (CITY_UNITS if edition == DN else BASE_UNITS).get(code)


def resolve(search: str) -> tuple[View, list[str]]:
    return resolve_view(parse_query(search), CTX, BASE_UNITS.get, METRICS, find_edition_unit)


def test_the_default_edition_is_the_one_of_the_periods_last_day() -> None:
    before, _ = resolve("?period=2024-06")
    after, _ = resolve("?period=2026-06")
    spanning, _ = resolve("?period=2025")
    assert view_edition(before, CTX).id == QN and not is_city_view(before, CTX)  # type: ignore[union-attr]
    assert view_edition(after, CTX).id == DN and is_city_view(after, CTX)  # type: ignore[union-attr]
    assert view_edition(spanning, CTX).id == DN  # type: ignore[union-attr]
    assert (before.edition, after.edition) == (None, None)


def test_a_commune_of_the_city_and_the_switch_in_the_url() -> None:
    view, messages = resolve("?period=2026-06&unit=20194")
    assert (view.district, view.commune, messages) == (None, "20194", [])
    old, _ = resolve("?period=2026-06&edition=quang-nam-2020")
    assert view_edition(old, CTX).id == QN and old.edition == QN  # type: ignore[union-attr]
    assert view_query(old, "49") == "?unit=49&metric=on_time_rate&period=2026-06&edition=quang-nam-2020"
    assert resolve(view_query(old, "49")) == (old, [])
    new_on_old, _ = resolve("?period=2024-06&edition=da-nang-2025&unit=20194")
    assert (new_on_old.edition, new_on_old.commune) == (DN, "20194")


def test_an_old_district_link_opens_the_edition_with_districts() -> None:
    view, messages = resolve("?period=2026-06&unit=502")
    assert (view.edition, view.district, messages) == (QN, "502", [])


def test_an_unknown_edition_or_city_unit_is_named_and_replaced() -> None:
    view, messages = resolve("?period=2026-06&edition=ha-noi")
    assert view.edition is None and "ha-noi" in messages[0]
    view, messages = resolve("?period=2026-06&unit=99999")
    assert view.commune is None and "99999" in messages[0] and "Thành phố Đà Nẵng" in messages[0]


def test_switching_edition_resets_the_unit_and_back_to_the_default_clears_it() -> None:
    view = View("on_time_rate", Period("month", 2026, 6), commune="20194")
    old = with_edition(view, QN, CTX)
    assert (old.edition, old.district, old.commune) == (QN, None, None)
    assert with_edition(old, DN, CTX).edition is None  # the period's own edition
    assert [o["value"] for o in edition_options(CTX)] == [QN, DN]


def test_the_city_map_draws_every_commune_at_once_with_crosses_on_units_without_data() -> None:
    from layouts.home.map_figure import COMMUNE_TRACE, NO_DATA_TRACE, base_figure, clicked_unit, map_changes
    from layouts.home.map_metrics import MapUnit

    empty = {"type": "FeatureCollection", "features": []}
    figure = base_figure(empty, empty, with_no_data=True)
    assert [t["type"] for t in figure["data"]] == ["choropleth"] * 2 + [
        "scattergeo",
        "choropleth",
        "scattergeo",
    ]
    assert figure["data"][NO_DATA_TRACE]["name"] == "Chưa có dữ liệu"
    units = [MapUnit("20194", "Phường Hải Vân", None, "x"), MapUnit("20335", "Phường Bàn Thạch", 0.9, "y")]
    changes = map_changes(
        level="city", units=units, metric=METRICS["on_time_rate"], title="t",
        with_city=True, no_data=[(108.1, 16.1)],
    )  # fmt: skip
    assert changes[("data", COMMUNE_TRACE, "locations")] == ["20194", "20335"]
    assert changes[("data", 0, "locations")] == []
    assert changes[("data", NO_DATA_TRACE, "lon")] == [108.1]
    click = {"points": [{"curveNumber": COMMUNE_TRACE, "location": "20194"}]}
    assert clicked_unit(click) == ("commune", "20194")


def test_the_city_map_fits_the_mainland_and_draws_the_detached_units_in_an_inset() -> None:
    from geodata.display import detached_codes
    from layouts.common.map_inset import empty_inset, split_inset
    from layouts.home.map_figure import (
        COMMUNE_TRACE,
        HOME_INSET,
        INSET_MARKS_TRACE,
        INSET_TRACE,
        NO_DATA_TRACE,
        base_figure,
        clicked_unit,
        map_changes,
    )
    from layouts.home.map_metrics import MapUnit

    city = next(e for e in EDITIONS if e.id == DN)
    assert detached_codes(city.folder, "commune", city.files) == {"20333"}  # Đặc khu Hoàng Sa
    quang_nam = next(e for e in EDITIONS if e.id == QN)
    assert detached_codes(quang_nam.folder, "commune", quang_nam.files) == frozenset()
    names = {"20194": "Phường Hải Vân", "20333": "Đặc khu Hoàng Sa"}
    features = [
        {"type": "Feature", "id": c, "properties": {"name": n}, "geometry": None} for c, n in names.items()
    ]
    figure = base_figure({}, {"type": "FeatureCollection", "features": features}, True, {"20333"})
    inset = figure["data"][INSET_TRACE]
    assert inset["geo"] == "geo2" and [f["id"] for f in inset["geojson"]["features"]] == ["20333"]
    assert figure["layout"]["geo2"]["visible"] is False  # shown by the city view only
    units = [MapUnit("20194", "Phường Hải Vân", 0.5, "x"), MapUnit("20333", "Đặc khu Hoàng Sa", None, "y")]
    changes = map_changes(
        level="city", units=units, metric=METRICS["on_time_rate"], title="t",
        with_city=True, no_data=[(108.1, 16.1), (112.0, 16.5)],
    )  # fmt: skip
    no_data = [("20194", (108.1, 16.1)), ("20333", (112.0, 16.5))]
    split = split_inset(changes, HOME_INSET, {"20333"}, no_data)
    assert split[("data", COMMUNE_TRACE, "locations")] == ["20194"]  # the main map fits these
    assert split[("data", INSET_TRACE, "locations")] == ["20333"]
    assert len(split[("data", INSET_TRACE, "z")]) == 1
    assert split[("data", INSET_TRACE, "zmax")] == changes[("data", COMMUNE_TRACE, "zmax")]
    assert split[("data", INSET_TRACE, "customdata")] == [["y"]]
    assert (split[("data", NO_DATA_TRACE, "lon")], split[("data", INSET_MARKS_TRACE, "lon")]) == (
        [108.1],
        [112.0],
    )
    assert split[("layout", "geo2", "visible")] is True
    assert empty_inset(HOME_INSET)[("layout", "geo2", "visible")] is False
    assert figure["layout"]["annotations"][0]["text"] == "Đặc khu Hoàng Sa"
    assert split[("layout", "annotations", 0, "visible")] is True
    assert clicked_unit({"points": [{"curveNumber": INSET_TRACE, "location": "20333"}]}) == (
        "commune",
        "20333",
    )


def test_the_view_store_keeps_the_edition() -> None:
    from layouts.home.view import read_view_store, view_store

    view = View("on_time_rate", Period("month", 2026, 6), district="502", edition=QN)
    assert read_view_store(view_store(view, None))[0] == view
