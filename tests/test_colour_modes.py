"""The home map's colour modes, fixed scales, comparison of two periods (issue 14 items 3, 4):
pure functions, no database."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

from dossier_stats.benchmark import unit_rows
from dossier_stats.kpis import Kpis, UnitKpis
from dossier_stats.metrics import METRICS
from dossier_stats.periods import Period
from layouts.common.choropleth import DIVERGING, VIRIDIS, fixed_range
from layouts.home.colour_modes import (
    BETTER,
    FEW_DATA,
    JUDGEMENT_COLOURS,
    NO_DATA,
    SIMILAR,
    WORSE,
    judgement_category,
    legend_text,
)
from layouts.home.compare import change_of, change_text, with_changes
from layouts.home.map_figure import DISTRICT_TRACE, map_changes
from layouts.home.map_metrics import dossier_map_metric, kpi_map_units
from layouts.home.view import View, ViewContext, resolve_view, view_query
from layouts.home.view_compare import kept_compare, with_url_options
from layouts.wall.figures import map_changes as wall_map_changes

ON_TIME, RECEIVED = METRICS["on_time_rate"], METRICS["received"]


def on_time(code: str, good: int, late: int) -> UnitKpis:
    return UnitKpis(
        code, f"Huyện {code}", Kpis(resolved_on_time=good, resolved_late=late, received_online=good + late)
    )


# the province: 920 of 1000 on time (92 %)
PROVINCE = Kpis(resolved_on_time=920, resolved_late=80, received_online=1000)
UNITS = [
    on_time("501", 199, 1),  # 99.5 %, n = 200: Wilson low end ≈ 97.2 % > 92 %: better
    on_time("502", 93, 7),  # 93 %, n = 100: [86.3, 96.6] holds 92 %: similar
    on_time("503", 150, 50),  # 75 %, n = 200: high end ≈ 80.5 % < 92 %: worse
    on_time("504", 5, 5),  # 50 %, n = 10 < 20: few data
    UnitKpis("505", "Huyện 505", Kpis()),  # nothing: no data
]


def units_with_marks(units=UNITS, metric=ON_TIME):
    marks = {r.code: r for r in unit_rows(units, PROVINCE, metric)}
    return kpi_map_units(units, metric, marks)


def colours_of(changes, trace=DISTRICT_TRACE):
    """The colour each location is drawn with: z placed on the colour scale."""
    scale = changes[("data", trace, "colorscale")]
    zmin, zmax = changes[("data", trace, "zmin")], changes[("data", trace, "zmax")]
    out = []
    for z in changes[("data", trace, "z")]:
        at = (z - zmin) / (zmax - zmin)
        out.append(next(c for (p, c), (q, _) in itertools.pairwise(scale) if p <= at <= q))
    return out


def test_compare_mode_colours_rates_by_their_wilson_judgement_against_the_province():
    units = units_with_marks()
    assert [judgement_category(u) for u in units] == [BETTER, SIMILAR, WORSE, FEW_DATA, NO_DATA]
    changes = map_changes(
        level="province", units=units, metric=dossier_map_metric(ON_TIME), title="T", mode="compare"
    )
    assert colours_of(changes) == [JUDGEMENT_COLOURS[c] for c in (BETTER, SIMILAR, WORSE, FEW_DATA, NO_DATA)]
    bar = changes[("data", DISTRICT_TRACE, "colorbar")]
    assert bar["ticktext"] == [
        "Không có dữ liệu",
        "Ít số liệu (< 20 hồ sơ)",
        "Kém hơn",
        "Tương đương",
        "Tốt hơn",
    ]
    assert bar["title"]["text"].startswith("So với toàn tỉnh")
    # blue better, orange worse, grey similar: no red/green pair
    assert JUDGEMENT_COLOURS[BETTER] == "#2166ac" and JUDGEMENT_COLOURS[WORSE] == "#e66101"


def test_few_data_units_are_ranked_after_the_others_without_a_rank():
    units = units_with_marks()
    assert [u.rank for u in units] == [1, 2, 3, None, None]
    assert units[3].few_data and "Ít số liệu" in units[3].hover


def test_counts_get_one_neutral_scale_from_zero_and_no_judgement_in_either_mode():
    units = units_with_marks(metric=RECEIVED)
    for mode in ("compare", "fixed"):
        changes = map_changes(
            level="province", units=units, metric=dossier_map_metric(RECEIVED), title="T", mode=mode
        )
        bar = changes[("data", DISTRICT_TRACE, "colorbar")]
        assert "Tốt hơn" not in bar["ticktext"]
        assert changes[("data", DISTRICT_TRACE, "zmax")] == 200.0  # the round number at or above 200
        assert bar["ticktext"][:2] == ["Không có dữ liệu", "0"] and bar["ticktext"][-1] == "200"
    assert "không so sánh đánh giá" in legend_text(dossier_map_metric(RECEIVED), "compare", "toàn tỉnh")


def test_fixed_scales_per_metric_and_the_wall_uses_the_same_one():
    assert fixed_range(ON_TIME) == (80.0, 100.0)
    assert fixed_range(METRICS["online_share"]) == (0.0, 100.0)
    assert fixed_range(RECEIVED, [0.0, 7.0]) == (0.0, 10.0)
    units = units_with_marks()
    home = map_changes(
        level="province", units=units, metric=dossier_map_metric(ON_TIME), title="T", mode="fixed"
    )
    wall = wall_map_changes(UNITS, ON_TIME, 1080)
    for changes in (home, wall):
        tick_text = changes[("data", 0, "colorbar")]["ticktext"]
        assert tick_text[-1] == "100%" and "≤ 80%" in tick_text  # 75 % and 50 % fall below the scale
    assert home[("data", 0, "zmax")] == wall[("data", 0, "zmax")] == 100.0
    assert [c for _, c in home[("data", 0, "colorscale")]][-1] == VIRIDIS[-1]  # the better end bright


def test_change_between_two_periods_in_points_for_rates_and_per_cent_for_counts():
    assert change_of("rate", 93.0, 90.5) == 2.5
    assert change_of("count", 150.0, 100.0) == 50.0
    assert change_of("count", 5.0, 0.0) is None
    assert change_text(2.5) == "+2,5" and change_text(-12.25) == "−12,2" and change_text(None) == "—"


def test_comparison_map_is_diverging_around_zero_with_rank_change_columns():
    now = units_with_marks()
    before_units = [
        on_time("501", 90, 10),
        on_time("502", 95, 5),
        on_time("503", 150, 50),
        on_time("504", 5, 5),
    ]
    before = units_with_marks(before_units)
    metric = dossier_map_metric(ON_TIME)
    shown = with_changes(now, before, metric, "Tháng 9/2026")
    assert [round(u.change, 1) if u.change is not None else None for u in shown] == [
        9.5,
        -2.0,
        0.0,
        0.0,
        None,
    ]
    assert [u.rank_change for u in shown] == [1, -1, 0, None, None]  # 501 moved from 2nd to 1st
    assert shown[0].cells[-2:] == ("+9,5", "↑1")
    assert "Thay đổi so với Tháng 9/2026: <b>+9,5</b> điểm %" in shown[0].hover
    changes = map_changes(level="province", units=shown, metric=metric, title="T", compared=True)
    assert changes[("data", DISTRICT_TRACE, "zmax")] == 10.0
    assert changes[("data", DISTRICT_TRACE, "zmin")] < -10.0  # the grey band of "không so sánh được"
    assert changes[("data", DISTRICT_TRACE, "z")][:3] == [9.5, -2.0, 0.0]
    scale = [c for _, c in changes[("data", DISTRICT_TRACE, "colorscale")]]
    assert scale[-1] == DIVERGING[-1] == "#2166ac" and scale[2] == DIVERGING[0]  # up blue, down orange
    assert "Thay đổi (điểm %)" in changes[("data", DISTRICT_TRACE, "colorbar")]["title"]["text"]


def test_colour_mode_and_second_period_are_in_the_url():
    ctx = ViewContext("49", date(2026, 11, 27), date(2025, 1, 1), "on_time_rate")
    view = replace(ctx.default_view(), colour="fixed", compare=Period("month", 2026, 9))
    query = view_query(view, "49")
    assert "colour=fixed" in query and "compare=2026-09" in query
    params = dict(p.split("=") for p in query[1:].split("&"))
    metrics = {k: dossier_map_metric(m) for k, m in METRICS.items()}

    def reopen(params):
        resolved, messages = resolve_view(params, ctx, lambda code: None, metrics)
        resolved, more = with_url_options(resolved, params, ctx, metrics[resolved.metric])
        return resolved, messages + more

    assert reopen(params) == (view, [])
    resolved, messages = reopen(dict(params, compare=view.period.key, colour="rainbow"))
    assert resolved.compare is None and resolved.colour == "compare"
    assert "Không có cách tô màu “rainbow”" in messages[0] and "Không so sánh được" in messages[1]
    assert view_query(ctx.default_view(), "49").count("&") == 2  # the defaults add nothing
    stored = View.from_store(view.to_store())
    assert stored == view
    # changing the period kind drops a comparison the new period cannot have
    quarter = replace(view, period=Period("quarter", 2026, 3))
    assert kept_compare(quarter, ctx, metrics["on_time_rate"]).compare is None
