"""Pure builders behind the map, rankings and URL: values, colours, patches, ranks, views."""

import json
from datetime import date

import plotly.graph_objects as go
import pytest

from callbacks.home.navigation import next_view
from dossier_stats.kpis import Kpis, UnitKpis
from dossier_stats.metrics import METRICS
from dossier_stats.periods import Period
from dossier_stats.ranking import NO_DATA_TEXT, competition_ranks, rank_units
from dossier_stats.units import UnitInfo
from layouts.common.choropleth import colour_scale
from layouts.common.figures import apply_changes, nice_ticks, to_patch
from layouts.common.rankings import rank_map_units, ranking_payload
from layouts.common.urls import parse_query
from layouts.home.ids import Ids
from layouts.home.map_figure import (
    COMMUNE_TRACE,
    DISTRICT_TRACE,
    HOME_STYLE,
    NO_DATA_COLOR,
    SELECTED_COLOR,
    SELECTED_WIDTH,
    base_figure,
    clicked_unit,
    hover_text,
    map_changes,
    values_only,
)
from layouts.home.map_metrics import dossier_map_metric, kpi_map_units
from layouts.home.view import (
    View,
    ViewContext,
    read_view_store,
    resolve_view,
    view_query,
    view_store,
    with_commune,
    with_district,
    with_kind,
    with_period,
)

ON_TIME = METRICS["on_time_rate"]
OVERDUE = METRICS["pending_overdue"]
# 3 early + 4 on time of 8 resolved = 87.5 %; 1234 online of 1234 + 766 new = 61.7 %
BUSY = Kpis(
    received_online=1234,
    received_direct_postal=766,
    carried_over=50,
    resolved_early=3,
    resolved_on_time=4,
    resolved_late=1,
    pending_within=20,
    pending_overdue=5,
)
SQUARE = {"type": "Polygon", "coordinates": [[[108.0, 15.0], [108.1, 15.0], [108.1, 15.1], [108.0, 15.0]]]}


def geojson(*codes):
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": c, "properties": {"code": c}, "geometry": SQUARE} for c in codes
        ],
    }


def unit(code, kpis, name=None):
    return UnitKpis(code=code, name=name or f"Huyện {code}", kpis=kpis)


def changes_for(units, metric=ON_TIME, level="province", selected=None):
    return map_changes(
        level=level,
        units=kpi_map_units(units, metric),
        metric=dossier_map_metric(metric),
        title="T",
        selected=selected,
    )


# ---------------------------------------------------------------- map values


def test_rate_metric_is_drawn_in_percent_for_each_unit():
    units = [unit("502", BUSY), unit("503", Kpis(resolved_on_time=1, resolved_late=1, received_online=2))]
    changes = changes_for(units)
    assert changes[("data", DISTRICT_TRACE, "locations")] == ["502", "503"]
    # the on-time rate's fixed scale is 80–100 %: 50 % takes the low end's colour ("≤ 80%")
    assert changes[("data", DISTRICT_TRACE, "z")] == [87.5, 80.0]
    assert changes[("data", DISTRICT_TRACE, "colorbar")]["ticktext"][0] == "≤ 80%"
    assert "50,0%" in changes[("data", DISTRICT_TRACE, "customdata")][1][0]  # the true value


def test_count_metric_is_drawn_as_the_count():
    units = [unit("502", BUSY), unit("503", Kpis(received_online=3, pending_overdue=2))]
    assert changes_for(units, OVERDUE)[("data", DISTRICT_TRACE, "z")] == [5.0, 2.0]


def test_hover_text_holds_the_units_figures_in_vietnamese_format():
    text = hover_text("Huyện Núi Thành", BUSY)
    assert "<b>Huyện Núi Thành</b>" in text
    assert "Tiếp nhận: <b>2.050</b>" in text  # 1234 + 766 + 50
    assert "trực tuyến 1.234" in text and "trực tiếp, bưu chính 766" in text and "từ kỳ trước 50" in text
    assert "Đã giải quyết: <b>8</b>" in text
    assert "trước hạn 3" in text and "đúng hạn 4" in text and "quá hạn 1" in text
    assert "Đang giải quyết: <b>25</b>" in text and "trong hạn 20" in text and "quá hạn 5" in text
    assert "Tỷ lệ đúng hạn: <b>87,5%</b>" in text
    assert "Tỷ lệ trực tuyến: <b>61,7%</b>" in text


def test_customdata_carries_each_units_hover_text():
    changes = changes_for([unit("502", BUSY, "Thành phố Tam Kỳ")])
    assert changes[("data", DISTRICT_TRACE, "customdata")] == [[hover_text("Thành phố Tam Kỳ", BUSY)]]


def test_units_without_data_are_grey_and_say_so():
    units = [unit("502", BUSY), unit("503", Kpis()), unit("504", Kpis(received_online=4, resolved_on_time=2))]
    changes = changes_for(units)
    z = changes[("data", DISTRICT_TRACE, "z")]
    zmin = changes[("data", DISTRICT_TRACE, "zmin")]
    scale = changes[("data", DISTRICT_TRACE, "colorscale")]
    # the no-data unit sits at the bottom of the range, where the scale is grey
    assert z[1] == zmin < min(z[0], z[2])
    assert scale[0] == [0.0, NO_DATA_COLOR] and scale[1][1] == NO_DATA_COLOR
    assert all(colour != NO_DATA_COLOR for _, colour in scale[2:])
    assert changes[("data", DISTRICT_TRACE, "customdata")][1] == [f"<b>Huyện 503</b><br>{NO_DATA_TEXT}"]
    assert NO_DATA_TEXT in changes[("data", DISTRICT_TRACE, "colorbar")]["ticktext"]


def test_a_rate_over_nothing_counts_as_no_data():
    # received but nothing resolved yet: no on-time rate
    units = [unit("502", BUSY), unit("503", Kpis(received_online=3, pending_within=3))]
    changes = changes_for(units)
    assert changes[("data", DISTRICT_TRACE, "z")][1] == changes[("data", DISTRICT_TRACE, "zmin")]


def test_no_grey_band_when_every_unit_has_data():
    scale = colour_scale(ON_TIME, [80.0, 90.0], HOME_STYLE)
    assert all(colour != NO_DATA_COLOR for _, colour in scale.colorscale)
    assert (scale.zmin, scale.zmax) == (80.0, 100.0)  # the fixed scale, not the values' range
    assert NO_DATA_TEXT not in scale.colorbar["ticktext"]


def test_colour_bar_ticks_are_round_and_in_vietnamese_format():
    assert nice_ticks(80.0, 100.0) == [80.0, 85.0, 90.0, 95.0, 100.0]
    assert nice_ticks(0.0, 2400.0) == [0.0, 500.0, 1000.0, 1500.0, 2000.0]
    scale = colour_scale(OVERDUE, [0.0, 2400.0], HOME_STYLE)
    # counts: from 0 to the round number above the highest value, both ends labelled
    assert scale.colorbar["ticktext"] == ["0", "500", "1.000", "1.500", "2.000", "2.500"]
    rate = colour_scale(ON_TIME, [82.5, 83.5], HOME_STYLE)
    assert rate.colorbar["ticktext"] == ["80%", "85%", "90%", "95%", "100%"]


def test_lower_is_better_metric_puts_the_strong_colour_on_high_values():
    good_high = colour_scale(ON_TIME, [50.0, 100.0], HOME_STYLE).colorscale
    bad_high = colour_scale(OVERDUE, [0.0, 10.0], HOME_STYLE).colorscale
    assert good_high[-1][1] != bad_high[-1][1]


def test_district_view_colours_communes_and_empties_the_district_layer():
    communes = [unit("20335", BUSY, "Phường Bàn Thạch"), unit("20341", BUSY, "Phường Tam Kỳ")]
    changes = changes_for(communes, level="district", selected="20335")
    assert changes[("data", DISTRICT_TRACE, "locations")] == []
    assert changes[("data", DISTRICT_TRACE, "showscale")] is False
    assert changes[("data", COMMUNE_TRACE, "showscale")] is True
    # the selected commune is drawn last, with a thick dark outline
    assert changes[("data", COMMUNE_TRACE, "locations")] == ["20341", "20335"]
    assert changes[("data", COMMUNE_TRACE, "marker", "line", "width")][-1] == SELECTED_WIDTH
    assert changes[("data", COMMUNE_TRACE, "marker", "line", "color")] == ["#ffffff", SELECTED_COLOR]


def test_patch_changes_values_but_never_sends_geometry():
    units = [unit("502", BUSY), unit("503", Kpis())]
    patch = to_patch(changes_for(units)).to_plotly_json()
    text = json.dumps(patch, ensure_ascii=False)
    assert "geojson" not in text and "coordinates" not in text and "Polygon" not in text
    locations = {tuple(op["location"]) for op in patch["operations"]}
    assert ("data", DISTRICT_TRACE, "z") in locations
    assert ("data", COMMUNE_TRACE, "locations") in locations
    assert ("layout", "title", "text") in locations
    assert all(op["operation"] == "Assign" for op in patch["operations"])


def test_first_figure_has_both_geometry_layers_and_the_views_values():
    base = base_figure(geojson("502", "503"), geojson("20335"))
    figure = apply_changes(base, changes_for([unit("502", BUSY), unit("503", BUSY)]))
    assert figure["data"][DISTRICT_TRACE]["geojson"] is base["data"][DISTRICT_TRACE]["geojson"]
    assert figure["data"][COMMUNE_TRACE]["geojson"]["features"][0]["id"] == "20335"
    assert figure["data"][DISTRICT_TRACE]["z"] == [87.5, 87.5]
    assert base["data"][DISTRICT_TRACE]["z"] == []  # the base figure is left untouched
    assert figure["layout"]["separators"] == ",."
    assert figure["layout"]["geo"]["visible"] is False
    assert figure["layout"]["geo"]["fitbounds"] == "locations"
    go.Figure(figure)  # plotly accepts every property we set


def test_clicks_name_the_level_and_unit_clicked():
    assert clicked_unit({"points": [{"curveNumber": 0, "location": "505"}]}) == ("district", "505")
    assert clicked_unit({"points": [{"curveNumber": 1, "location": "20335"}]}) == ("commune", "20335")
    assert clicked_unit({"points": []}) is None
    assert clicked_unit(None) is None


# ---------------------------------------------------------------- rankings


def test_ties_share_a_rank_and_the_next_rank_skips():
    assert competition_ranks([90.0, 80.0, 80.0, 70.0], higher_is_better=True) == [1, 2, 2, 4]
    assert competition_ranks([0.0, 5.0, 5.0, 9.0], higher_is_better=False) == [1, 2, 2, 4]
    assert competition_ranks([70.0, 80.0, 90.0, 80.0], higher_is_better=True) == [4, 2, 1, 2]


def test_units_are_ranked_best_first_with_units_without_data_last():
    units = [
        unit("501", Kpis(resolved_on_time=1, resolved_late=1), "B"),  # 50 %
        unit("502", Kpis(), "A"),  # no data
        unit("503", Kpis(resolved_on_time=3, resolved_late=1), "C"),  # 75 %
        unit("504", Kpis(resolved_on_time=6, resolved_late=2), "D"),  # 75 %
        unit("505", Kpis(resolved_on_time=4), "E"),  # 100 %
    ]
    rows = rank_units(units, ON_TIME)
    assert [(r.rank, r.code) for r in rows] == [(1, "505"), (2, "503"), (2, "504"), (4, "501"), (None, "502")]
    assert rows[1].value_text == "75,0%"
    assert rows[-1].value_text == "—"


def test_ranking_payload_holds_preformatted_rows_with_links_and_marks():
    units = [
        unit(
            "501",
            Kpis(resolved_on_time=1234, resolved_late=1, received_online=2000, pending_overdue=1500),
            "A",
        ),
        unit("502", Kpis(), "B"),
    ]
    metric = dossier_map_metric(ON_TIME)
    payload = ranking_payload(
        rank_map_units(kpi_map_units(units, ON_TIME), metric),
        metric,
        href=lambda c: f"/?unit={c}",
        selected="501",
    )
    assert payload["columns"] == ["Hạng", "Đơn vị", "Tỷ lệ", "Tiếp nhận", "Đang quá hạn"]
    assert payload["rows"] == [
        ["1", "A", "99,9%", "2.000", "1.500", "/?unit=501", "selected"],
        ["—", "B", "—", "0", "0", "/?unit=502", "no-data"],
    ]
    assert ranking_payload([], dossier_map_metric(OVERDUE))["columns"][2] == "Số hồ sơ"


def test_overdue_ranking_puts_the_fewest_overdue_first():
    units = [unit("501", Kpis(pending_overdue=7)), unit("502", Kpis(pending_overdue=1))]
    assert [r.code for r in rank_units(units, OVERDUE)] == ["502", "501"]


# ---------------------------------------------------------------- views and URLs

UNITS = {
    "49": UnitInfo("49", "Tỉnh Quảng Nam", "province", None),
    "502": UnitInfo("502", "Thành phố Tam Kỳ", "district", "49"),
    "20335": UnitInfo("20335", "Phường Bàn Thạch", "commune", "502"),
}
CTX = ViewContext(
    province_code="49",
    today=date(2026, 11, 27),
    first_data_date=date(2024, 1, 15),
    default_metric="on_time_rate",
)


def resolve(search):
    return resolve_view(parse_query(search), CTX, UNITS.get, METRICS)


@pytest.mark.parametrize(
    "view",
    [
        View("on_time_rate", Period("month", 2026, 10)),
        View("pending_overdue", Period("quarter", 2026, 3), district="502"),
        View("online_share", Period("year", 2025, 0), district="502", commune="20335"),
    ],
)
def test_a_views_url_reopens_exactly_that_view(view):
    assert resolve(view_query(view, "49")) == (view, [])


def test_url_names_unit_metric_and_period():
    view = View("pending_overdue", Period("month", 2026, 10), district="502")
    assert view_query(view, "49") == "?unit=502&metric=pending_overdue&period=2026-10"
    assert (
        view_query(View("received", Period("month", 2026, 9)), "49")
        == "?unit=49&metric=received&period=2026-09"
    )


def test_empty_url_opens_the_province_with_the_default_metric_and_last_full_month():
    assert resolve("") == (View("on_time_rate", Period("month", 2026, 10)), [])


def test_commune_code_opens_its_districts_communes_with_it_selected():
    view, messages = resolve("?unit=20335")
    assert (view.district, view.commune, messages) == ("502", "20335", [])


def test_unknown_unit_shows_a_message_and_the_province():
    view, messages = resolve("?unit=99999&metric=pending_overdue&period=2026-09")
    assert messages == ["Không tìm thấy đơn vị có mã 99999 — đang hiển thị toàn tỉnh."]
    assert view == View("pending_overdue", Period("month", 2026, 9))


def test_unknown_metric_shows_a_message_and_the_default_metric():
    view, messages = resolve("?unit=502&metric=happiness")
    assert view.metric == "on_time_rate" and view.district == "502"
    assert messages == ["Không có chỉ tiêu “happiness” — đang hiển thị “Tỷ lệ giải quyết đúng hạn”."]


def assert_last_full_month_with(query: str, message: str) -> None:
    view, messages = resolve(query)
    assert view.period == Period("month", 2026, 10)
    assert messages == [message + " — đang hiển thị Tháng 10/2026."]


def test_malformed_period_shows_a_message_and_the_last_full_month():
    assert_last_full_month_with(
        "?period=2026-13", "Không hiểu kỳ báo cáo “2026-13” (dạng đúng: 2026-10, 2026-Q3 hoặc 2026)"
    )


def test_period_outside_the_data_shows_a_message_and_the_last_full_month():
    assert_last_full_month_with(
        "?period=2030-01", "Không có số liệu cho kỳ Tháng 1/2030 (có từ Tháng 1/2024 đến Tháng 11/2026)"
    )


def test_every_bad_value_gets_its_own_message():
    view, messages = resolve("?unit=x&metric=y&period=z")
    assert view == CTX.default_view()
    assert len(messages) == 3


def test_very_long_values_are_shortened_in_messages():
    _, messages = resolve("?unit=" + "9" * 500)
    assert len(messages[0]) < 120


def test_changing_the_period_kind_opens_that_kinds_last_full_period():
    view = View("on_time_rate", Period("month", 2026, 10), district="502")
    assert with_kind(view, "quarter", CTX).period == Period("quarter", 2026, 3)
    assert with_kind(view, "year", CTX).period == Period("year", 2025, 0)
    assert with_kind(view, "year", CTX).district == "502"


def test_choosing_a_period_outside_the_options_keeps_the_view():
    view = View("on_time_rate", Period("month", 2026, 10))
    assert with_period(view, "2026-11", CTX).period == Period("month", 2026, 11)
    assert with_period(view, "1999-01", CTX) == view


def test_drilling_into_a_district_clears_the_commune_and_reselecting_a_commune_clears_it():
    view = View("on_time_rate", Period("month", 2026, 10), district="502", commune="20335")
    assert with_district(view, "503") == View("on_time_rate", Period("month", 2026, 10), district="503")
    assert with_commune(view, "20335").commune is None
    assert with_commune(view, "20341").commune == "20341"


def test_view_survives_the_store_round_trip():
    view = View("received", Period("quarter", 2025, 2), district="502", commune="20335")
    assert View.from_store(json.loads(json.dumps(view.to_store()))) == view


def test_metric_change_patch_sends_values_colours_and_title_only():
    units = [unit("502", BUSY), unit("503", Kpis(received_online=1, resolved_late=1))]
    patch = to_patch(values_only(changes_for(units, OVERDUE))).to_plotly_json()
    changed = {tuple(op["location"]) for op in patch["operations"]}
    assert ("data", DISTRICT_TRACE, "z") in changed
    assert ("data", DISTRICT_TRACE, "colorscale") in changed
    assert ("layout", "title", "text") in changed
    assert not any(path[-1] in ("customdata", "locations", "geojson") for path in changed)
    assert len(json.dumps(patch)) < len(json.dumps(to_patch(changes_for(units, OVERDUE)).to_plotly_json()))


def test_view_store_names_the_fields_that_changed():
    before = View("on_time_rate", Period("month", 2026, 10), district="502")
    after = View("received", Period("month", 2026, 10), district="502")
    assert read_view_store(view_store(after, before)) == (after, ["metric"])
    assert read_view_store(view_store(after, None)) == (after, None)  # first view: draw everything
    assert view_store(before, before)["changed"] == []


def test_map_clicks_and_controls_move_the_view():
    province = View("on_time_rate", Period("month", 2026, 10))
    district_click = {"points": [{"curveNumber": 0, "location": "502"}]}
    district = next_view(province, Ids.MAP, {"click": district_click}, CTX)
    assert district == View("on_time_rate", Period("month", 2026, 10), district="502")
    click = {"points": [{"curveNumber": 1, "location": "20335"}]}
    commune = next_view(district, Ids.MAP, {"click": click}, CTX)
    assert commune.commune == "20335" and commune.district == "502"
    assert next_view(commune, Ids.MAP, {"click": click}, CTX).commune is None  # clicking it again unselects
    assert next_view(province, Ids.METRIC, {"metric": "received"}, CTX).metric == "received"
    assert next_view(province, Ids.METRIC, {"metric": "nonsense"}, CTX) == province
    assert next_view(province, Ids.PERIOD_KIND, {"kind": "year"}, CTX).period == Period("year", 2025, 0)
