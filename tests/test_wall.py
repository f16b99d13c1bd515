"""Wall display, pure parts: playlist file and URL overrides (Vietnamese messages), ranks with
their change, best / worst, the attention list, the 12-month series, scene contents."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from dossier_stats.kpis import Kpis, UnitKpis
from dossier_stats.metrics import METRICS
from dossier_stats.periods import Period
from layouts.wall.figures import MIN_RATIO, map_changes, text_px, trend_changes, trend_figure
from layouts.wall.scenes import period_label, scene_contents, scene_figure
from wall.data import WallData, trend_months
from wall.playlist import (
    DEFAULT_PLAYLIST,
    SCENES,
    Playlist,
    PlaylistError,
    apply_overrides,
    load_playlist,
    playlist_from_mapping,
    resolve_period,
)
from wall.summary import (
    attention_list,
    best_and_worst,
    change_text,
    rank_change,
    ranked_with_change,
    rate_change_text,
    trend_series,
)

ON_TIME = METRICS["on_time_rate"]
OVERDUE = METRICS["pending_overdue"]
BASE = Playlist(
    scenes=("map", "ranking"),
    seconds=20,
    metric="on_time_rate",
    kind="month",
    period=None,
    poll=20,
    reload_at="",
)


def unit(code: str, on_time: int, late: int, overdue: int = 0, name: str | None = None) -> UnitKpis:
    """A unit that resolved `on_time` dossiers on time and `late` late, with `overdue` pending overdue."""
    return UnitKpis(
        code,
        name or f"Đơn vị {code}",
        Kpis(resolved_on_time=on_time, resolved_late=late, pending_overdue=overdue),
    )


# ---------------------------------------------------------------- playlist


def test_shipped_playlist_file_is_valid_and_lists_every_scene():
    playlist = load_playlist(DEFAULT_PLAYLIST, METRICS)
    assert set(playlist.scenes) == set(SCENES)
    assert playlist.metric in METRICS and playlist.period is None
    assert playlist.reload_at == "03:30"


def test_playlist_file_with_unknown_scene_names_it(tmp_path: Path):
    path = tmp_path / "p.toml"
    path.write_text(
        'scenes = ["map", "banđồ"]\nseconds = 20\nmetric = "on_time_rate"\nkind = "month"\npoll = 20\n'
    )
    with pytest.raises(PlaylistError, match="không có cảnh “banđồ”"):
        load_playlist(path, METRICS)


def test_playlist_file_errors_name_the_key():
    good = {"scenes": ["map"], "seconds": 20, "metric": "on_time_rate", "kind": "month", "poll": 20}
    with pytest.raises(PlaylistError, match=r"“seconds”.*nằm ngoài khoảng 2–3600"):
        playlist_from_mapping({**good, "seconds": 1}, METRICS)
    with pytest.raises(PlaylistError, match=r"Khóa không hợp lệ.*colour"):
        playlist_from_mapping({**good, "colour": "red"}, METRICS)
    with pytest.raises(PlaylistError, match=r"Thiếu khóa.*poll"):
        playlist_from_mapping({k: v for k, v in good.items() if k != "poll"}, METRICS)
    with pytest.raises(PlaylistError, match="giờ tải lại “25:00”"):
        playlist_from_mapping({**good, "reload_at": "25:00"}, METRICS)
    with pytest.raises(PlaylistError, match="“seconds”"):
        playlist_from_mapping({**good, "seconds": True}, METRICS)


def test_unreadable_playlist_file_says_so(tmp_path: Path):
    path = tmp_path / "p.toml"
    path.write_text("scenes = [")
    with pytest.raises(PlaylistError, match="không đọc được"):
        load_playlist(path, METRICS)
    with pytest.raises(PlaylistError, match="Không tìm thấy tệp"):
        load_playlist(tmp_path / "missing.toml", METRICS)


def test_url_overrides_replace_the_file_values():
    playlist, messages = apply_overrides(
        BASE,
        {"scenes": "trend, attention,map", "seconds": "30", "metric": "pending_overdue", "poll": "5"},
        METRICS,
    )
    assert messages == []
    assert playlist.scenes == ("trend", "attention", "map")
    assert (playlist.seconds, playlist.metric, playlist.poll) == (30, "pending_overdue", 5)


def test_bad_url_values_keep_the_file_values_with_a_vietnamese_message_each():
    playlist, messages = apply_overrides(
        BASE,
        {
            "scenes": "map,xyz",
            "seconds": "nhanh",
            "metric": "speed",
            "period": "2026-13",
            "kind": "week",
            "zoom": "2",
        },
        METRICS,
    )
    assert playlist == BASE
    assert messages == [
        "Tham số scenes: không có cảnh “xyz” (các cảnh: map, communes, ranking, commune_ranking, trend,"
        " attention, warning) — dùng giá trị mặc định.",
        "Tham số seconds: số giây mỗi cảnh “nhanh” không phải số nguyên (từ 2 đến 3600)"
        " — dùng giá trị mặc định.",
        "Tham số metric: không có chỉ tiêu “speed” (các chỉ tiêu: on_time_rate, pending_overdue, received,"
        " online_share) — dùng giá trị mặc định.",
        "Tham số period: không hiểu kỳ báo cáo “2026-13” (dạng đúng: 2026-10, 2026-Q3 hoặc 2026)"
        " — dùng giá trị mặc định.",
        "Tham số kind: loại kỳ “week” không hợp lệ (dùng month (tháng), quarter (quý), year (năm))"
        " — dùng giá trị mặc định.",
        "Tham số “zoom” không dùng cho màn hình trình chiếu (bỏ qua).",
    ]


def test_seconds_out_of_range_in_the_url_is_refused():
    playlist, messages = apply_overrides(BASE, {"seconds": "1", "kiosk": "1"}, METRICS)
    assert playlist.seconds == 20
    assert messages == [
        "Tham số seconds: số giây mỗi cảnh 1 nằm ngoài khoảng 2–3600 — dùng giá trị mặc định."
    ]


def test_period_kind_follows_the_calendar_and_a_fixed_period_is_kept_when_it_has_data():
    today = date(2026, 11, 27)
    quarterly, _ = apply_overrides(BASE, {"kind": "quarter"}, METRICS)
    assert resolve_period(quarterly, today, date(2020, 1, 1)) == (Period("quarter", 2026, 3), None)
    fixed, _ = apply_overrides(BASE, {"period": "2025-Q2"}, METRICS)
    assert resolve_period(fixed, today, date(2020, 1, 1)) == (Period("quarter", 2025, 2), None)


def test_fixed_period_without_data_falls_back_with_a_message():
    fixed, _ = apply_overrides(BASE, {"period": "2019-05"}, METRICS)
    period, message = resolve_period(fixed, date(2026, 11, 27), date(2020, 1, 15))
    assert period == Period("month", 2026, 10)
    assert message == (
        "Không có số liệu cho kỳ Tháng 5/2019 (có từ Tháng 1/2020 đến Tháng 11/2026)"
        " — đang hiển thị Tháng 10/2026."
    )


def test_playlist_survives_the_browser_store():
    assert Playlist.from_store(BASE.to_store()) == BASE


# ---------------------------------------------------------------- ranks and changes


def test_rank_change_arrows():
    assert rank_change(3, 7) == (4, "up")
    assert rank_change(7, 3) == (-4, "down")
    assert rank_change(2, 2) == (0, "same")
    assert rank_change(1, None) == (None, "new")
    assert rank_change(None, 4) == (None, "none")
    assert [change_text(*rank_change(r, p)) for r, p in ((3, 7), (7, 3), (2, 2), (1, None), (None, 1))] == [
        "▲ 4",
        "▼ 4",
        "=",
        "mới",
        "",
    ]


def test_ranked_with_change_compares_with_the_previous_period():
    now = [unit("A", 9, 1), unit("B", 10, 0), unit("C", 5, 5), unit("D", 0, 0)]
    before = [unit("A", 10, 0), unit("B", 8, 2), unit("C", 7, 3)]
    rows = ranked_with_change(now, before, ON_TIME)
    # now: B 100 % (1), A 90 % (2), C 50 % (3), D no data; before: A 100 % (1), B 80 % (2), C 70 % (3)
    assert [(r.code, r.rank, r.change, r.change_kind) for r in rows] == [
        ("B", 1, 1, "up"),
        ("A", 2, -1, "down"),
        ("C", 3, 0, "same"),
        ("D", None, None, "none"),
    ]
    assert [r.value_text for r in rows] == ["100,0%", "90,0%", "50,0%", "—"]


def test_lower_is_better_metric_ranks_fewest_overdue_first():
    rows = ranked_with_change([unit("A", 1, 0, overdue=5), unit("B", 1, 0, overdue=1)], [], OVERDUE)
    assert [(r.code, r.rank, r.change_kind) for r in rows] == [("B", 1, "new"), ("A", 2, "new")]


def test_best_and_worst_take_five_each_worst_first_never_twice():
    rows = ranked_with_change([unit(f"U{i:02d}", i, 20 - i) for i in range(12)], [], ON_TIME)
    best, worst = best_and_worst(rows)
    assert [r.code for r in best] == ["U11", "U10", "U09", "U08", "U07"]
    assert [r.code for r in worst] == ["U00", "U01", "U02", "U03", "U04"]
    few = ranked_with_change([unit(f"U{i}", i + 1, 3) for i in range(7)], [], ON_TIME)
    best, worst = best_and_worst(few)
    assert [r.code for r in best] == ["U6", "U5", "U4", "U3", "U2"]
    assert [r.code for r in worst] == ["U0", "U1"]


def test_best_and_worst_leave_out_units_without_data():
    rows = ranked_with_change([unit("A", 1, 0), unit("B", 0, 0)], [], ON_TIME)
    assert best_and_worst(rows) == ([rows[0]], [])


# ---------------------------------------------------------------- attention


def test_attention_lists_biggest_falls_first_with_overdue_counts():
    now = [
        unit("A", 8, 2, overdue=3),
        unit("B", 9, 1, overdue=7),
        unit("C", 10, 0),
        unit("D", 3, 7, overdue=1),
    ]
    before = [unit("A", 10, 0, overdue=1), unit("B", 10, 0), unit("C", 9, 1), unit("D", 4, 6)]
    rows = attention_list([("Xã, phường", now, before)], size=8, min_resolved=5)
    # falls: A 100→80 (20 points), B 100→90 (10), D 40→30 (10); C rose
    assert [(r.code, r.drop_points, r.overdue, r.overdue_before) for r in rows] == [
        ("A", 20.0, 3, 1),
        ("B", 10.0, 7, 0),  # same fall as D, more overdue first
        ("D", 10.0, 1, 0),
    ]
    assert rows[0].group == "Xã, phường" and (rows[0].rate_before, rows[0].rate_now) == (1.0, 0.8)


def test_attention_skips_units_with_too_few_dossiers_and_respects_the_size():
    now = [unit("A", 1, 1), unit("B", 5, 5), unit("C", 6, 4), unit("E", 2, 8)]
    before = [unit("A", 2, 0), unit("B", 10, 0), unit("C", 10, 0), unit("E", 3, 1)]
    rows = attention_list([("Sở, ban, ngành", now, before)], size=2, min_resolved=5)
    assert [r.code for r in rows] == ["B", "C"]  # A and E resolved fewer than 5 in one period


def test_attention_combines_groups():
    rows = attention_list(
        [
            ("Sở, ban, ngành", [unit("S", 5, 5)], [unit("S", 10, 0)]),
            ("Xã, phường", [unit("X", 9, 1)], [unit("X", 10, 0)]),
        ],
        min_resolved=1,
    )
    assert [(r.code, r.group) for r in rows] == [("S", "Sở, ban, ngành"), ("X", "Xã, phường")]


def test_rate_change_text_in_percentage_points():
    assert rate_change_text(0.954, 0.94) == "▲ 1,4 điểm %"
    assert rate_change_text(0.9, 0.925) == "▼ 2,5 điểm %"
    assert rate_change_text(0.5, 0.5) == "không đổi"
    assert rate_change_text(None, 0.5) == ""


# ---------------------------------------------------------------- trend and scenes


def test_trend_covers_twelve_months_up_to_the_period_end():
    months = trend_months(Period("quarter", 2026, 1))
    assert (
        len(months) == 12 and months[0] == Period("month", 2025, 4) and months[-1] == Period("month", 2026, 3)
    )
    series = trend_series(
        [
            (
                Period("month", 2026, 1),
                Kpis(received_online=3, received_direct_postal=2, resolved_early=1, resolved_late=1),
            ),
            (Period("month", 2026, 2), Kpis()),
        ]
    )
    assert series.labels == ["01/2026", "02/2026"]
    assert series.received == [5, 0] and series.resolved == [2, 0]
    assert series.on_time_pct == [50.0, None]


def sample_data() -> WallData:
    period = Period("month", 2026, 10)
    districts = (
        unit("502", 9, 1, overdue=2, name="Thành phố Tam Kỳ"),
        unit("503", 5, 0, name="Thành phố Hội An"),
    )
    before = (unit("502", 10, 0, name="Thành phố Tam Kỳ"), unit("503", 4, 1, name="Thành phố Hội An"))
    return WallData(
        version=3,
        data_time=datetime(2026, 11, 27, 8, 5),
        province_name="Tỉnh Quảng Nam",
        period=period,
        previous=period.previous(),
        province=Kpis(resolved_on_time=14, resolved_late=1),
        province_before=Kpis(resolved_on_time=14, resolved_late=1),
        districts=districts,
        districts_before=before,
        communes=districts,
        communes_before=before,
        departments=(unit("SNV", 7, 0, name="Sở Nội vụ"),),
        departments_before=(unit("SNV", 6, 1, name="Sở Nội vụ"),),
        months=tuple((m, Kpis(resolved_on_time=5)) for m in trend_months(period)),
    )


def test_scene_contents_for_every_scene():
    contents = scene_contents(tuple(SCENES), sample_data(), ON_TIME, screen_h=1080)
    assert set(contents) == set(SCENES)
    assert contents["map"].title.startswith("Tỷ lệ giải quyết đúng hạn theo huyện")
    assert contents["map"].changes[("data", 0, "locations")] == ["502", "503"]
    assert contents["map"].changes[("data", 0, "z")] == [90.0, 100.0]
    assert "Đơn vị cần chú ý" in contents["attention"].title
    assert contents["ranking"].changes == {}
    assert contents["trend"].changes[("data", 2, "y")] == [100.0] * 12


def test_scene_figure_carries_geometry_only_for_maps():
    data = sample_data()
    contents = scene_contents(("map", "ranking"), data, ON_TIME, screen_h=1080)

    def geojson(level):
        return {"type": "FeatureCollection", "features": [], "level": level}

    figure = scene_figure("map", contents["map"], data, 1080, geojson)
    assert figure["data"][0]["geojson"]["level"] == "district"
    assert figure["data"][0]["z"] == [90.0, 100.0]
    assert figure["layout"]["uirevision"] == "wall"
    assert scene_figure("ranking", contents["ranking"], data, 1080, geojson) is None


def test_every_figure_text_is_at_least_a_fiftieth_of_the_screen_height():
    for height in (720, 1080, 2160):
        floor = height / 50
        assert text_px(height) >= floor and text_px(height, 0.8) >= floor
        figure = trend_figure(trend_series(sample_data().months), height)
        sizes = [figure["layout"]["font"]["size"], figure["layout"]["legend"]["font"]["size"]]
        sizes += [figure["layout"][axis]["tickfont"]["size"] for axis in ("xaxis", "yaxis", "yaxis2")]
        sizes.append(figure["data"][2]["textfont"]["size"])
        colorbar = map_changes(sample_data().districts, ON_TIME, height)[("data", 0, "colorbar")]
        sizes += [colorbar["tickfont"]["size"], colorbar["title"]["font"]["size"]]
        assert min(sizes) >= floor, (height, sizes)
    assert MIN_RATIO > 1 / 50


def test_trend_patch_touches_values_and_rate_axis_only():
    changes = trend_changes(trend_series(sample_data().months), 1080)
    assert {path[0] for path in changes} == {"data", "layout"}
    assert ("layout", "yaxis2", "tickvals") in changes and ("layout", "uirevision") not in changes


# ---------------------------------------------------------------- extra score columns


class FakeScoring:
    """What the wall reads of the ScoringService: years with results, and result rows."""

    def __init__(self, rows_by_year):
        self.rows_by_year = rows_by_year

    def years(self):
        return sorted(self.rows_by_year, reverse=True)

    def results(self, year, group):
        return [r for r in self.rows_by_year.get(year, []) if r.group == group]


class FakeServices:
    def __init__(self, scoring):
        self.scoring = scoring


def par_row(unit_code, map_code, group, percent):
    from types import SimpleNamespace

    return SimpleNamespace(unit_code=unit_code, map_code=map_code, group=group, percent=percent)


def test_par_column_takes_the_latest_year_up_to_the_period():
    from wall.scores import par_column

    scoring = FakeScoring(
        {
            2027: [par_row("502", "502", "districts", 99.0)],
            2025: [par_row("502", "502", "districts", 91.44), par_row("SNV", None, "departments", 88.5)],
        }
    )
    column = par_column(FakeServices(scoring), Period("month", 2026, 10), "district")
    assert column.header == "CCHC 2025" and column.values == {"502": "91,4"}
    departments = par_column(FakeServices(scoring), Period("month", 2026, 10), "department")
    assert departments.values == {"SNV": "88,5"}
    assert par_column(FakeServices(scoring), Period("month", 2026, 10), "commune") is None
    assert par_column(object(), Period("month", 2026, 10), "district") is None


def test_a_failing_score_provider_leaves_its_column_out():
    from wall.scores import ScoreColumn, score_columns_for

    def broken(_services, _period, _level):
        raise RuntimeError("table missing")

    def fixed(_services, _period, level):
        return ScoreColumn("766", {"502": "80,1"}) if level == "district" else None

    columns = score_columns_for(None, Period("month", 2026, 10), providers=(broken, fixed))
    assert [c.header for c in columns("district")] == ["766"]
    assert columns("department") == []


def test_ranking_scene_shows_score_columns_when_they_exist():
    from wall.scores import ScoreColumn

    def columns(level):
        note = "766: Bộ quy tắc 766 mặc định, phiên bản 2026.1"
        return [ScoreColumn("766", {"502": "80,1"}, note)] if level == "district" else []

    contents = scene_contents(("ranking",), sample_data(), ON_TIME, screen_h=1080, score_columns=columns)
    text = str(contents["ranking"].panel)
    assert "'766'" in text and "'80,1'" in text
    assert "766: Bộ quy tắc 766 mặc định, phiên bản 2026.1" in text  # the rule set, under the table


def test_warning_scene_shows_the_window_the_units_and_the_worsening_ones():
    from dossier_stats.analysis import Worsening
    from wall.warnings import DueSoonUnit, WarningData

    october = Period("month", 2026, 10)
    warnings = WarningData(
        today=date(2026, 11, 18),
        window_text="Hạn trả từ 18/11/2026 đến 20/11/2026 (2 ngày làm việc tới)",
        total=1234,
        districts=(DueSoonUnit("502", "Thành phố Tam Kỳ", 7),),
        departments=(),
        metric_label="Tỷ lệ giải quyết đúng hạn",
        metric_is_rate=True,
        worsening_period=october,
        worsening=(Worsening("503", "Thành phố Hội An", (Period("month", 2026, 7), october), (97.5, 90.0)),),
    )
    data = replace(sample_data(), warnings=warnings)
    content = scene_contents(("warning",), data, ON_TIME, screen_h=1080)["warning"]
    said = " ".join(texts(content.panel))
    assert "1.234" in said and "Hạn trả từ 18/11/2026 đến 20/11/2026" in said
    assert "Số liệu tính đến ngày 18/11/2026" in said
    assert "Thành phố Tam Kỳ 7" in said and "Không có hồ sơ nào sắp đến hạn." in said  # no department
    assert "Thành phố Hội An 97,5% → 90,0%" in said and "(đến tháng 10/2026)" in said
    empty = scene_contents(("warning",), sample_data(), ON_TIME, screen_h=1080)["warning"]
    assert "Chưa đọc được số liệu cảnh báo." in " ".join(texts(empty.panel))


def texts(node) -> list[str]:
    """Every text of a component tree, in order."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, list | tuple):
        return [t for child in node for t in texts(child)]
    children = getattr(node, "children", None)
    return [] if children is None else texts(children)


def test_the_wall_header_says_to_which_day_a_running_period_is_counted():
    from layouts.wall.scenes import period_label

    finished = sample_data()
    assert period_label(finished) == "Tỉnh Quảng Nam · Tháng 10/2026"
    running = replace(finished, period=Period("month", 2026, 11), as_of=date(2026, 11, 15))
    assert period_label(running) == "Tỉnh Quảng Nam · Tháng 11/2026 · tính đến ngày 15/11/2026"


# -- the city's edition (issue 13) ----------------------------------------------------------


def city_data() -> WallData:
    """October 2026 in the city's edition: Hải Vân and Bàn Thạch have data, a former Đà Nẵng
    ward and Đặc khu Hoàng Sa (drawn in the inset) have none."""
    from wall.data import WallCity

    units = (
        unit("20194", 9, 1, name="Phường Hải Vân"),
        unit("20335", 5, 0, name="Phường Bàn Thạch"),
        UnitKpis("20209", "Phường Hải Châu", Kpis()),
        UnitKpis("20333", "Đặc khu Hoàng Sa", Kpis()),
    )
    city = WallCity(
        id="da-nang-2025",
        name="Thành phố Đà Nẵng (từ 01/7/2025)",
        units=units,
        with_data=frozenset({"20194", "20335"}),
        coverage_note="Số liệu của 2/4 đơn vị (2 đơn vị chưa có dữ liệu …)",
        no_data_points=(("20209", (108.2, 16.05)), ("20333", (112.0, 16.5))),
        detached=frozenset({"20333"}),
    )
    ranked = units[:2]
    return replace(
        sample_data(),
        province_name="Thành phố Đà Nẵng",
        districts=(),
        districts_before=(),
        communes=ranked,
        communes_before=ranked,
        city=city,
    )


def test_the_city_wall_draws_every_unit_with_no_data_crosses_and_hoang_sa_in_the_inset():
    data = city_data()
    contents = scene_contents(tuple(SCENES), data, ON_TIME, screen_h=1080)
    scene = contents["map"]
    assert scene.title == "Tỷ lệ giải quyết đúng hạn theo xã, phường, đặc khu — Thành phố Đà Nẵng"
    assert scene.changes[("data", 0, "locations")] == ["20194", "20335", "20209"]
    z = scene.changes[("data", 0, "z")]
    assert z[:2] == [90.0, 100.0] and z[2] < scene.changes[("data", 0, "zmin")] + 1  # no value: grey
    assert scene.changes[("data", 1, "lon")] == [108.2]  # the cross of Hải Châu
    assert scene.changes[("data", 2, "locations")] == ["20333"]  # the inset
    assert scene.changes[("data", 3, "lon")] == [112.0]
    assert contents["communes"].changes == scene.changes
    assert "Số liệu của 2/4 đơn vị" in str(scene.panel) and "Toàn thành phố" in str(scene.panel)
    ranking = contents["ranking"].panel
    assert len(ranking) == 1 and "Huyện" not in str(ranking)  # departments only: no district level
    assert "đặc khu" in contents["commune_ranking"].title
    assert contents["trend"].title.startswith("Toàn thành phố: ")
    assert period_label(data).startswith("Thành phố Đà Nẵng · ")

    def geojson(level):
        features = [
            {"type": "Feature", "id": u.code, "properties": {"name": u.name}} for u in data.city.units
        ]
        return {"type": "FeatureCollection", "features": features, "level": level}

    figure = scene_figure("map", scene, data, 1080, geojson)
    assert figure["data"][0]["geojson"]["level"] == "city"
    assert [t["type"] for t in figure["data"]] == ["choropleth", "scattergeo", "choropleth", "scattergeo"]
    assert figure["data"][2]["geo"] == "geo2" and figure["layout"]["geo2"]["visible"] is True
    assert figure["layout"]["annotations"][0]["text"] == "Đặc khu Hoàng Sa"
    assert figure["layout"]["geo"]["domain"] == {"x": [0, 1], "y": [0, 1]}


def test_the_playlist_takes_an_edition_from_the_file_or_the_url():
    base = load_playlist(DEFAULT_PLAYLIST, METRICS)
    assert base.edition == ""
    chosen, messages = apply_overrides(base, {"edition": "quang-nam-2020"}, METRICS)
    assert (chosen.edition, messages) == ("quang-nam-2020", [])
    assert Playlist.from_store(chosen.to_store()) == chosen
    kept, messages = apply_overrides(base, {"edition": "<b>x</b>"}, METRICS)
    assert kept.edition == "" and "phiên bản bản đồ" in messages[0]
    with pytest.raises(PlaylistError, match="edition"):
        stored = {k: v for k, v in base.to_store().items() if v is not None}
        playlist_from_mapping({**stored, "edition": "Sai Bản Đồ"}, METRICS)
