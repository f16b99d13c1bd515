"""Metric families on the map: 766 and PAR map units, figures, rankings, URLs and the live poll
setting — pure functions over hand-built data (numbers chosen so each is checked by hand)."""

import json

import pytest

from config import Settings
from dossier_stats.index766.config import GROUPS as INDEX766_GROUPS
from dossier_stats.index766.results import Index766Row, Index766Unit
from dossier_stats.index766.score import GroupScore, Index766Counts, Index766Score
from dossier_stats.metrics import METRICS
from dossier_stats.periods import Period
from layouts.common.figures import to_patch
from layouts.common.rankings import rank_map_units, ranking_payload
from layouts.common.urls import parse_query
from layouts.home.map_figure import DISTRICT_TRACE, NO_DATA_COLOR, map_changes, values_only
from layouts.home.map_metrics import (
    FAMILY_HEADER_PREFIX,
    FAMILY_LABELS,
    NO_SCORE_TEXT,
    dossier_map_metric,
    metric_options,
)
from layouts.home.panels import index766_block, par_block, scorecard_href
from layouts.home.score_units import (
    UnitName,
    index766_department_units,
    index766_map_units,
    index766_metrics,
    par_department_units,
    par_map_units,
    par_metrics,
)
from layouts.home.view import (
    View,
    period_kind_options,
    period_options,
    resolve_view,
    view_query,
    with_kind,
    with_metric,
    with_period,
)
from scoring.results import AreaHeader, GroupResults, ResultRow
from tests.test_figures import CTX, UNITS  # the same units and day as the dossier-metric views
from tests.test_layouts import text_in

# ---------------------------------------------------------------- hand-built data

DISTRICTS = [
    UnitName("502", "Thành phố Tam Kỳ"),
    UnitName("503", "Thành phố Hội An"),
    UnitName("519", "Nông Sơn"),
]
I766 = {m.key: m for m in index766_metrics(INDEX766_GROUPS)}
# group points per unit, in the order of the six groups (18, 20, 12, 10, 18, 22 max)
POINTS_502 = (13.2, 18.4, 7.7, 7.6, 17.6, 15.6)  # Quảng Nam on 2024-08-19: 80.1
POINTS_503 = (18.0, 20.0, 12.0, 10.0, 18.0, 13.0)  # 91.0


def score_766(points):
    groups = tuple(
        GroupScore(g.key, g.label, g.max_points, p, ()) for g, p in zip(INDEX766_GROUPS, points, strict=True)
    )
    total = round(sum(points), 6)
    return Index766Score(groups, total, "Xuất sắc" if total >= 90 else "Tốt")


def unit_766(code, name, points, handled):
    return Index766Unit(code, name, Index766Counts(handled=handled), score_766(points))


SCORED_766 = {  # 519 had no dossier in the period: absent, as index766_units leaves it out
    "502": unit_766("502", "Thành phố Tam Kỳ", POINTS_502, 1234),
    "503": unit_766("503", "Thành phố Hội An", POINTS_503, 56),
}

AREAS = (AreaHeader("1", "Công tác chỉ đạo, điều hành", 40), AreaHeader("2", "Cải cách thể chế", 60))


def par_row(code, name, map_code, a1, a2, rank, provisional=False, group="districts"):
    total = a1 + a2
    return ResultRow(
        unit_code=code,
        name=name,
        group=group,
        group_label="UBND cấp huyện" if group == "districts" else "Sở, ban, ngành",
        map_code=map_code,
        area_points={"1": a1, "2": a2},
        bonus=0.0,
        penalty=0.0,
        total=total,
        percent=total,
        grade="Tốt" if total >= 80 else "Khá",
        rank=rank,
        provisional=provisional,
        survey_missing=False,
    )


# 503 first (36 + 55 = 91), 502 second (30 + 52.25 = 82.25, provisional); 519 not scored
PAR_ROWS = (
    par_row("503", "UBND thành phố Hội An", "503", 36, 55, 1),
    par_row("502", "UBND thành phố Tam Kỳ", "502", 30, 52.25, 2, provisional=True),
)
PAR_TABLE = GroupResults(2025, "districts", "UBND cấp huyện", 1, "Bộ thử", 100, AREAS, PAR_ROWS)
PAR = {m.key: m for m in par_metrics((2025, 2024), [(a.code, a.name) for a in AREAS], 100.0)}


def par_units(metric_key="par"):
    rows = {r.map_code: r for r in PAR_TABLE.rows}
    return par_map_units(DISTRICTS, rows, PAR_TABLE, PAR[metric_key], 2025)


def changes(units, metric):
    return map_changes(level="province", units=units, metric=metric, title="T")


# ---------------------------------------------------------------- 766 on the map


def test_766_total_and_groups_are_the_units_points_and_a_unit_without_dossiers_is_grey():
    total = index766_map_units(DISTRICTS, SCORED_766, I766["index766"])
    assert [u.value for u in total] == [pytest.approx(80.1), pytest.approx(91.0), None]
    timeliness = index766_map_units(DISTRICTS, SCORED_766, I766["index766_timeliness"])
    assert [u.value for u in timeliness] == [18.4, 20.0, None]
    figure = changes(total, I766["index766"])
    z, zmin = figure[("data", DISTRICT_TRACE, "z")], figure[("data", DISTRICT_TRACE, "zmin")]
    assert z[:2] == [80.1, 91.0] and z[2] == zmin < 80.1
    assert figure[("data", DISTRICT_TRACE, "colorscale")][0] == [0.0, NO_DATA_COLOR]
    # the legend names the rule set that produced the points (issue 16)
    title = figure[("data", DISTRICT_TRACE, "colorbar")]["title"]["text"]
    assert title == "Điểm<br><sub>Bộ quy tắc 766 mặc định<br>phiên bản 2026.1</sub>"


def test_766_hover_lists_total_grade_groups_and_dossiers_for_every_766_metric():
    hover = index766_map_units(DISTRICTS, SCORED_766, I766["index766"])[0].hover
    assert "<b>Thành phố Tam Kỳ</b>" in hover
    assert "Chỉ số 766: <b>80,1</b>/100 · Tốt" in hover
    assert "Công khai, minh bạch: 13,2/18" in hover and "Số hóa hồ sơ: 15,6/22" in hover
    assert "Hồ sơ tính chỉ số: 1.234" in hover
    same = index766_map_units(DISTRICTS, SCORED_766, I766["index766_payment"])[0].hover
    assert same == hover  # one hover per family: a metric change inside it resends no hover
    assert index766_map_units(DISTRICTS, SCORED_766, I766["index766"])[2].hover == (
        "<b>Nông Sơn</b><br>Không có dữ liệu"
    )


def test_766_group_scale_stops_at_the_groups_maximum():
    one = {"503": SCORED_766["503"]}  # the fixed scale: 0 to the group's maximum
    figure = changes(
        index766_map_units(DISTRICTS[1:2], one, I766["index766_timeliness"]), I766["index766_timeliness"]
    )
    assert figure[("data", DISTRICT_TRACE, "zmax")] == 20.0
    assert figure[("data", DISTRICT_TRACE, "zmin")] == 0.0


def test_766_department_ranking_shows_departments_only_with_their_ranks_and_grades():
    def row(code, kind, points, rank):
        return Index766Row(
            code, code, f"Sở {code}", kind, None, None, Index766Counts(handled=5), score_766(points), rank
        )

    rows = [
        row("SNV", "department", POINTS_503, 1),
        row("STP", "department", POINTS_502, 2),
        row("20335@2025-07-01", "commune", POINTS_503, 1),
    ]
    units = index766_department_units(rows, I766["index766"])
    assert [u.code for u in units] == ["SNV", "STP"]
    payload = ranking_payload(rank_map_units(units, I766["index766"]), I766["index766"])
    assert payload["columns"] == ["Hạng", "Đơn vị", "Điểm", "Xếp loại", "Ghi chú"]
    assert payload["rows"] == [
        ["1", "Sở SNV", "91,0", "Xuất sắc", "", None, ""],
        ["2", "Sở STP", "80,1", "Tốt", "", None, ""],
    ]


# ---------------------------------------------------------------- PAR on the map


def test_par_total_colours_scored_districts_and_shows_chua_co_diem_for_the_others():
    units = par_units()
    assert [(u.code, u.value) for u in units] == [("502", 82.25), ("503", 91.0), ("519", None)]
    figure = changes(units, PAR["par"])
    assert figure[("data", DISTRICT_TRACE, "z")][:2] == [82.25, 91.0]
    assert figure[("data", DISTRICT_TRACE, "colorbar")]["ticktext"][0] == NO_SCORE_TEXT
    assert units[2].hover == f"<b>Nông Sơn</b><br>Chỉ số CCHC năm 2025: {NO_SCORE_TEXT}"


def test_par_hover_names_year_total_grade_rank_provisional_and_areas():
    hover = par_units()[0].hover
    assert "Chỉ số CCHC năm 2025: <b>82,25</b>/100 (82,25%) · Tốt" in hover
    assert "Hạng 2/2 UBND cấp huyện · tạm tính" in hover
    assert "1. Công tác chỉ đạo, điều hành: 30,00/40" in hover
    assert "2. Cải cách thể chế: 52,25/60" in hover
    assert par_units("par_area_1")[0].hover == hover


def test_par_area_metric_draws_the_areas_points():
    assert [u.value for u in par_units("par_area_2")] == [52.25, 55.0, None]
    assert PAR["par_area_2"].label == "Chỉ số CCHC: 2. Cải cách thể chế"


def test_par_total_ranking_shows_the_published_ranks_and_grades():
    # only 502 is drawn (a commune-like subset of the group): its published rank 2 is kept
    rows = rank_map_units([par_units()[0], par_units()[2]], PAR["par"])
    assert [(r.rank, r.code, r.value_text, r.cells) for r in rows] == [
        (2, "502", "82,25", ("Tốt (tạm tính)",)),
        (None, "519", "—", ("—",)),
    ]
    # an area has no published rank: ranked among the units shown
    area = rank_map_units(par_units("par_area_1"), PAR["par_area_1"])
    assert [(r.rank, r.code) for r in area] == [(1, "503"), (2, "502"), (None, "519")]


def test_par_department_units_come_from_the_departments_results():
    rows = (
        par_row("SNV", "Sở Nội vụ", None, 40, 60, 1, group="departments"),
        par_row("STP", "Sở Tư pháp", None, 20, 30, 2, group="departments"),
    )
    table = GroupResults(2025, "departments", "Sở, ban, ngành", 2, "Bộ thử", 100, AREAS, rows)
    units = par_department_units(table, PAR["par"], 2025)
    assert [(u.code, u.value, u.rank, u.cells) for u in units] == [
        ("SNV", 100.0, 1, ("Tốt",)),
        ("STP", 50.0, 2, ("Khá",)),
    ]
    assert par_department_units(None, PAR["par"], 2025) == []


def test_family_change_patch_carries_hover_texts_and_same_family_change_does_not():
    figure = changes(par_units("par_area_1"), PAR["par_area_1"])
    same = {tuple(op["location"]) for op in to_patch(values_only(figure)).to_plotly_json()["operations"]}
    other = {
        tuple(op["location"])
        for op in to_patch(values_only(figure, hover=True)).to_plotly_json()["operations"]
    }
    assert ("data", DISTRICT_TRACE, "customdata") not in same
    assert ("data", DISTRICT_TRACE, "customdata") in other
    assert "geojson" not in json.dumps(to_patch(figure).to_plotly_json())


# ---------------------------------------------------------------- side panel


def test_par_block_shows_total_grade_rank_and_the_scorecard_link():
    block = par_block(PAR_ROWS[1], PAR_TABLE, 2025)
    text = text_in(block[0])
    assert "Chỉ số CCHC năm 2025" in text
    assert "Tổng điểm 82,25/100 (82,25%)" in text
    assert "Xếp loại Tốt (tạm tính)" in text and "Xếp hạng 2/2 UBND cấp huyện" in text
    link = block[0].children[-1]
    assert (link.children, link.href) == ("Xem phiếu điểm →", "/scorecard?unit=502&year=2025")
    assert scorecard_href("20335", 2024) == "/scorecard?unit=20335&year=2024"
    assert "Chưa có điểm." in text_in(par_block(None, PAR_TABLE, 2025)[0])
    assert par_block(None, None, 2025) == []  # no index version for the group that year


def test_766_block_lists_total_grade_and_groups():
    text = text_in(index766_block(SCORED_766["502"], "Quý III/2026")[0])
    assert "Chỉ số 766 — Quý III/2026" in text
    assert "Tổng điểm 80,1/100" in text and "Xếp loại Tốt" in text
    assert "Tiến độ, kết quả giải quyết 18,4/20" in text and "Hồ sơ tính chỉ số 1.234" in text
    assert "Không phát sinh hồ sơ tính chỉ số 766 trong kỳ này." in text_in(
        index766_block(None, "Tháng 10/2026")[0]
    )


def test_766_block_says_which_groups_have_no_data_and_names_the_rule_set():
    from dossier_stats.index766.score import ImportedValue, score

    counts = Index766Counts(handled=2, good=2, received=2, resolved=2)
    # only procedures_announced_on_time imported: 9 imported indicators, 34 points, without data
    unit = Index766Unit(
        "502", "Tam Kỳ", counts, score(counts, {"procedures_announced_on_time": ImportedValue(6)})
    )
    text = text_in(index766_block(unit, "Quý III/2026", "Bộ quy tắc thử, phiên bản 9")[0])
    assert "Công khai, minh bạch 6,0/18 · chưa có số liệu: 3 chỉ số" in text
    assert "Mức độ hài lòng 6,0/18 · chưa có số liệu: 2 chỉ số" in text
    assert "Số hóa hồ sơ 0,0/22 · chưa có số liệu: 4 chỉ số" in text  # no e-result, digitized, reuse
    assert "Tiến độ, kết quả giải quyết 20,0/20 ·" not in text
    assert "Số liệu 66/100 điểm có số liệu" in text
    assert "không xếp hạng — thiếu số liệu nhập: 9 chỉ số chưa có số liệu" in text
    assert text.endswith("Bộ quy tắc thử, phiên bản 9")


# ---------------------------------------------------------------- selector, URLs and periods

DOSSIER = {key: dossier_map_metric(m) for key, m in METRICS.items()}
ALL = {**DOSSIER, **I766, **PAR}


def resolve(search):
    return resolve_view(parse_query(search), CTX, UNITS.get, ALL)


def test_selector_groups_metrics_under_a_disabled_header_per_family():
    options = metric_options(ALL)
    headers = [o for o in options if o.get("disabled")]
    assert [h["label"] for h in headers] == [FAMILY_LABELS[f] for f in ("dossiers", "index766", "par")]
    assert all(h["value"].startswith(FAMILY_HEADER_PREFIX) and h["value"] not in ALL for h in headers)
    values = [o["value"] for o in options if not o.get("disabled")]
    assert values == list(ALL)  # every metric once, dossier metrics first
    assert options[0]["value"] == FAMILY_HEADER_PREFIX + "dossiers"
    assert len(values) == 4 + 7 + 3  # four dossier metrics, 766 total and six groups, PAR total and two areas


@pytest.mark.parametrize(
    "view",
    [
        View("index766", Period("month", 2026, 10)),
        View("index766_timeliness", Period("quarter", 2026, 3), district="502"),
        View("par", Period("year", 2025, 0)),
        View("par_area_2", Period("year", 2024, 0), district="502", commune="20335"),
    ],
)
def test_a_766_or_par_views_url_reopens_exactly_that_view(view):
    assert resolve(view_query(view, "49")) == (view, [])


def test_unknown_index_metric_shows_a_message_and_the_default_metric():
    view, messages = resolve("?metric=par_area_9&period=2025")
    assert view.metric == "on_time_rate" and view.period == Period("year", 2025, 0)
    assert messages == ["Không có chỉ tiêu “par_area_9” — đang hiển thị “Tỷ lệ giải quyết đúng hạn”."]


def test_par_with_a_month_or_a_year_without_index_shows_a_message_and_its_default_year():
    view, messages = resolve("?metric=par&period=2026-10")
    assert view == View("par", Period("year", 2025, 0))
    assert messages == [
        "“Chỉ số CCHC (tổng điểm)” chỉ có theo năm (2024, 2025); không có cho kỳ “2026-10”"
        " — đang hiển thị Năm 2025."
    ]
    assert resolve("?metric=par&period=2023")[0].period == Period("year", 2025, 0)
    assert resolve("?metric=par")[0].period == Period("year", 2025, 0)  # newest year up to the last full one


def test_choosing_par_moves_to_a_year_with_the_index_and_back_keeps_that_year():
    month = View("on_time_rate", Period("month", 2024, 5), district="502")
    par = with_metric(month, "par", ALL, CTX)
    assert par == View("par", Period("year", 2024, 0), district="502")  # the period's own year has it
    later = with_metric(View("on_time_rate", Period("month", 2026, 10)), "par", ALL, CTX)
    assert later.period == Period("year", 2025, 0)  # 2026 has no index: its default year
    assert with_metric(par, "received", ALL, CTX) == View("received", Period("year", 2024, 0), district="502")


def test_a_par_view_keeps_to_years_with_the_index():
    par = View("par", Period("year", 2025, 0))
    assert with_kind(par, "month", CTX, PAR["par"]) == par
    assert with_period(par, "2024", CTX, PAR["par"]).period == Period("year", 2024, 0)
    assert with_period(par, "2023", CTX, PAR["par"]) == par
    assert with_period(par, "2025-03", CTX, PAR["par"]) == par
    assert period_options(CTX, "year", PAR["par"]) == [
        {"label": "Năm 2025", "value": "2025"},
        {"label": "Năm 2024", "value": "2024"},
    ]
    kinds = {o["value"]: o["disabled"] for o in period_kind_options(PAR["par"])}
    assert kinds == {"month": True, "quarter": True, "year": False}
    assert not any(o["disabled"] for o in period_kind_options(I766["index766"]))
    assert period_options(CTX, "year", I766["index766"])[0] == {"label": "Năm 2026", "value": "2026"}


# ---------------------------------------------------------------- live poll setting


def test_poll_interval_comes_from_the_settings_or_the_environment_and_refuses_nonsense():
    from callbacks.home.live import DEFAULT_POLL_SECONDS, poll_seconds

    base = Settings(database_url="sqlite://")
    assert poll_seconds(base, {}) == DEFAULT_POLL_SECONDS == 15
    assert poll_seconds(base, {"LIVE_POLL_SECONDS": "2.5"}) == 2.5
    assert poll_seconds(Settings(database_url="sqlite://", extra={"live_poll_seconds": "1"}), {}) == 1.0
    for bad in ("0", "-3", "abc", "nan", "inf"):
        assert poll_seconds(base, {"LIVE_POLL_SECONDS": bad}) == DEFAULT_POLL_SECONDS
