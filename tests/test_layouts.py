"""Page structure and the app's wiring: ids, local resources, panels, served pages."""

import json
import re
from pathlib import Path

import pytest

from config import Settings
from dossier_stats.kpis import Kpis, UnitKpis
from layouts.common.plotly_locale import graph_config
from layouts.home.ids import Ids
from layouts.home.map_figure import base_figure
from layouts.home.page import home_layout, unavailable_layout
from layouts.home.panels import Crumb, breadcrumb, unit_panel, unmapped_note
from tests.app_client import app_client, router_request

ROOT = Path(__file__).resolve().parents[1]
TOPOJSON_DIR = ROOT / "assets" / "topojson"


def walk(component):
    """Every component in a Dash tree."""
    yield component
    children = getattr(component, "children", None)
    if children is None:
        return
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from walk(child)


def ids_in(component):
    return [c.id for c in walk(component) if getattr(c, "id", None) is not None]


def text_in(component):
    parts = []
    for c in walk(component):
        children = getattr(c, "children", None)
        items = children if isinstance(children, list | tuple) else [children]
        parts += [str(x) for x in items if isinstance(x, str | int)]
    return " ".join(parts)


def layout(**overrides):
    args = {
        "figure": {"data": [], "layout": {}},
        "topojson_url": "/assets/topojson/",
        "metric_options": [{"label": "Tỷ lệ giải quyết đúng hạn", "value": "on_time_rate"}],
        "metric": "on_time_rate",
        "period_kind": "month",
        "period_options": [{"label": "Tháng 10/2026", "value": "2026-10"}],
        "period": "2026-10",
        "data_time": "Dữ liệu cập nhật lúc 08:00 27/11/2026",
    }
    return home_layout(**{**args, **overrides})


def test_home_page_has_every_component_id_exactly_once():
    ids = ids_in(layout())
    assert sorted(i for i in ids if isinstance(i, Ids)) == sorted(Ids)
    plain = [str(i) for i in ids if not isinstance(i, dict)]  # parts of other features included
    assert len(plain) == len(set(plain))


def test_map_fetches_plotlys_topojson_from_our_assets_and_has_no_cloud_buttons():
    config = graph_config("/assets/topojson/")
    assert config["topojsonURL"] == "/assets/topojson/"
    assert config["showSendToCloud"] is False
    assert "sendChartToCloud" in config["modeBarButtonsToRemove"]
    assert config["locales"]["vi"]["format"]["decimal"] == ","
    assert config["locales"]["vi"]["format"]["thousands"] == "."


def test_shipped_topojson_is_the_file_plotly_asks_for_and_has_its_layers():
    geo = base_figure({"features": []}, {"features": []})["layout"]["geo"]
    # plotly.js requests <topojsonURL><scope>_<resolution>m.json
    path = TOPOJSON_DIR / f"{geo['scope']}_{geo['resolution']}m.json"
    topology = json.loads(path.read_text(encoding="utf-8"))
    assert topology["type"] == "Topology"
    for layer in ("land", "ocean", "lakes", "rivers", "coastlines", "countries", "subunits"):
        assert topology["objects"][layer]["type"] == "GeometryCollection"
    assert geo["visible"] is False


def test_breadcrumb_links_every_level_above_the_current_one():
    items = breadcrumb(
        [
            Crumb("Tỉnh Quảng Nam", "/?unit=49"),
            Crumb("Thành phố Tam Kỳ", "/?unit=502"),
            Crumb("Phường Bàn Thạch", None),
        ]
    )
    links = [c for c in items if type(c).__name__ == "Link"]
    assert [(c.children, c.href) for c in links] == [
        ("Tỉnh Quảng Nam", "/?unit=49"),
        ("Thành phố Tam Kỳ", "/?unit=502"),
    ]
    assert items[-1].children == "Phường Bàn Thạch"
    assert [c.children for c in items if getattr(c, "className", "") == "crumb-sep"] == ["›", "›"]


def test_unit_panel_lists_the_report_columns_in_vietnamese_format():
    kpis = Kpis(
        received_online=1200,
        received_direct_postal=300,
        carried_over=34,
        resolved_early=700,
        resolved_on_time=175,
        resolved_late=125,
        pending_within=500,
        pending_overdue=34,
    )
    panel = unit_panel("Thành phố Tam Kỳ", "Tháng 10/2026", kpis)
    text = text_in(panel[2])
    assert panel[0].children == "Thành phố Tam Kỳ" and panel[1].children == "Tháng 10/2026"
    for label, value in [
        ("Tiếp nhận", "1.534"),
        ("Trực tuyến", "1.200"),
        ("Đã giải quyết", "1.000"),
        ("Đang giải quyết", "534"),
        ("Tỷ lệ giải quyết đúng hạn", "87,5%"),
        ("Tỷ lệ hồ sơ trực tuyến", "80,0%"),
    ]:
        assert f"{label} {value}" in text


def test_unit_panel_without_dossiers_says_there_is_no_data():
    assert "Không có dữ liệu trong kỳ này." in text_in(unit_panel("Xã A", "Tháng 10/2026", Kpis())[2])


def test_unmapped_note_counts_the_dossiers_and_names_the_old_communes():
    note = unmapped_note(
        [
            UnitKpis("20400", "Ủy ban nhân dân xã Tam Thanh", Kpis(received_online=1000, carried_over=234)),
            UnitKpis("20401", "Uỷ ban nhân dân phường Tam Phú", Kpis(received_direct_postal=6)),
        ]
    )
    assert note[0].children == "1.240 hồ sơ"
    assert note[1] == " của xã cũ không xác định được xã mới (tính vào huyện và tỉnh): "
    assert note[2] == "Phường Tam Phú (6), Xã Tam Thanh (1.234)"
    assert unmapped_note([]) == []
    assert unmapped_note([UnitKpis("20402", "Xã B", Kpis())]) == []


def test_unavailable_page_explains_and_retries_without_a_command_for_end_users():
    page = unavailable_layout("Chưa có đơn vị hành chính mã 49.")
    text = text_in(page)
    assert "không đọc được dữ liệu" in text and "Chưa có đơn vị hành chính mã 49." in text
    assert "Trang tự thử lại sau 30 giây." in text
    assert "cli.py" not in text and "make " not in text  # the command is in the operators' log
    as_json = json.dumps(page.to_plotly_json(), default=lambda c: c.to_plotly_json())
    assert '"data-retry-seconds": "30"' in as_json


# ---------------------------------------------------------------- the app itself


def test_importing_app_builds_nothing():
    import app

    assert app._default_app is None


def test_create_app_serves_everything_locally_and_does_not_touch_the_database(tmp_path):
    from app import create_app

    database = tmp_path / "never-opened.sqlite3"
    dash_app = create_app(
        Settings.from_env({"DATABASE_URL": f"sqlite:///{database}", "DATA_DIR": str(tmp_path)})
    )
    assert not database.exists()
    assert dash_app.config.serve_locally is True
    assert dash_app.config.external_stylesheets == [] and dash_app.config.external_scripts == []
    validated = [i for i in ids_in(dash_app.validation_layout) if isinstance(i, Ids)]
    assert sorted(validated) == sorted(Ids)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A test client of the app over a set-up SQLite database without dossiers."""
    from app import create_app
    from importer.setup import ensure_database

    data_dir = tmp_path_factory.mktemp("app")
    settings = Settings.from_env({"DATA_DIR": str(data_dir), "APP_TODAY": "2026-11-27"})
    ensure_database(settings, demo_dossiers=0, progress=False)
    return app_client(create_app(settings))


def test_index_page_loads_scripts_and_styles_only_from_the_app(served):
    html = served.get("/").get_data(as_text=True)
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources)
    assert '"disable_version_check":true' in html
    assert "geojson" not in html  # geometry comes with the layout, once


def routed_page(client, path="/", search=""):
    """The router's answer for a path: (response bytes, the page's component tree as JSON)."""
    response = client.post("/_dash-update-component", json=router_request(path, search))
    assert response.status_code == 200
    return len(response.get_data()), response.get_json()["response"]["page"]["children"]


def test_first_layout_carries_both_geometry_layers_and_the_default_view(served):
    size, body = routed_page(served)
    graph = next(c for c in walk_json(body) if c.get("props", {}).get("id") == Ids.MAP)
    districts, communes, no_data, inset, inset_marks = graph["props"]["figure"]["data"]
    assert len(districts["geojson"]["features"]) == 18
    # the commune layer holds the city's 94 units (Quảng Nam's 78 among them); October 2026
    # is after the reform, so the default view is the city's: every commune at once, the
    # special zone Hoàng Sa (far out at sea) in the inset, so the main map fits the mainland
    assert len(communes["geojson"]["features"]) == 94
    drawn = [*communes["locations"], *inset["locations"]]
    assert sorted(drawn) == sorted(f["id"] for f in communes["geojson"]["features"])
    assert inset["locations"] == ["20333"] and inset["geo"] == "geo2"
    assert districts["locations"] == []
    assert no_data["type"] == "scattergeo" and len(no_data["lon"]) + len(inset_marks["lon"]) >= 16
    assert graph["props"]["figure"]["layout"]["title"]["text"] == "Tỷ lệ giải quyết đúng hạn — Tháng 10/2026"
    assert size < 600_000


def test_page_explains_when_the_database_is_not_set_up(tmp_path):
    from app import create_app

    settings = Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    _, page = routed_page(app_client(create_app(settings)))
    assert "không đọc được dữ liệu" in json.dumps(page, ensure_ascii=False)


def walk_json(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk_json(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk_json(value)


def test_the_registry_opens_each_path_s_page_and_the_wall_for_kiosk():
    from app_pages import PAGES
    from callbacks.common.pages import find_page

    def name(path, query=None):
        page = find_page(PAGES, path, query or {})
        return None if page is None else page.name

    assert name("/") == "home" and name("/", {"metric": "received"}) == "home"
    assert name("/", {"kiosk": "1"}) == "wall" and name("/wall") == "wall"
    assert name("/", {"kiosk": "0"}) == "home"
    assert [name(p) for p in ("/scorecard", "/scoring/results", "/scoring/entry")] == [
        "scorecard",
        "results",
        "entry",
    ]
    assert name("/khong-co") is None
    paths = [(r.path, tuple(sorted(r.query.items()))) for p in PAGES for r in p.routes]
    assert len(paths) == len(set(paths))  # no route claimed twice


def test_an_unknown_path_says_there_is_no_such_page(served):
    _, page = routed_page(served, "/khong-co-trang")
    text = json.dumps(page, ensure_ascii=False)
    assert "Không có trang /khong-co-trang." in text and "Về bản đồ" in text


def test_kiosk_on_the_home_path_is_the_wall_page(served):
    _, page = routed_page(served, "/", "?kiosk=1&scenes=trend")
    ids = [c.get("props", {}).get("id") for c in walk_json(page)]
    assert "wall" in ids and Ids.MAP not in ids
