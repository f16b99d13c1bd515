"""The floor: a bare Dash app drawing the product's map with nothing behind it.

No database, no services: random values, the same display GeoJSON the product serves
(geodata.display, both levels in one figure sent once), the same plotly and Dash. A click on
a district answers with its communes, the breadcrumb goes back to the province, a metric or
period change recolours — each one callback answering with a Patch. bench/interaction_bench.py
measures the product against it.

    .venv/bin/python bench/floor_app.py [--port 8060]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dash import Dash, Input, Output, Patch, State, ctx, dcc, html  # noqa: E402

from geodata.display import display_geojson  # noqa: E402

METRICS = [
    "Tỷ lệ giải quyết đúng hạn",
    "Hồ sơ đang giải quyết quá hạn",
    "Hồ sơ tiếp nhận mới",
    "Tỷ lệ hồ sơ trực tuyến",
]
PERIODS = [f"Tháng {m}/2025" for m in range(6, 0, -1)]  # the bench changes periods among these


def layer(geojson: dict[str, Any], codes: list[str]) -> dict[str, Any]:
    return {
        "type": "choropleth",
        "geojson": geojson,
        "featureidkey": "id",
        "locations": codes,
        "z": [random.random() for _ in codes],
        "colorscale": "RdYlGn",
        "marker": {"line": {"color": "#ffffff", "width": 0.8}},
    }


def commune_layer(geodata_dir: Path, editions_file: Path | None) -> dict[str, Any]:
    """The commune GeoJSON the product's map carries: the city edition's (a superset) when
    there is one, else the province's (callbacks/home/page.py)."""
    from geodata.editions import load_editions

    editions = load_editions(editions_file) if editions_file else []
    city = next((e for e in editions if not e.has_districts), None)
    if city is None:
        return display_geojson(geodata_dir, "commune")
    return display_geojson(city.folder, "commune", city.files)


def create_floor_app(geodata_dir: Path, editions_file: Path | None = None) -> Dash:
    districts = display_geojson(geodata_dir, "district")
    communes = commune_layer(geodata_dir, editions_file)
    district_codes = [f["id"] for f in districts["features"]]
    children: dict[str, list[str]] = {}  # district -> its communes (the province's commune layer)
    for f in display_geojson(geodata_dir, "commune")["features"]:
        children.setdefault(f["properties"]["parent_code"], []).append(f["id"])
    app = Dash(
        __name__,
        serve_locally=True,
        compress=True,
        update_title=None,
        assets_folder=str(ROOT / "assets" / "topojson"),
    )
    figure = {
        "data": [layer(districts, district_codes), layer(communes, [])],
        "layout": {
            "title": {"text": f"{METRICS[0]} — {PERIODS[0]}"},
            "geo": {"visible": False, "fitbounds": "locations", "projection": {"type": "mercator"}},
            "margin": {"l": 8, "r": 8, "t": 70, "b": 8},
            "clickmode": "event",
        },
    }
    app.layout = html.Div(
        [
            dcc.Dropdown(id="metric-select", options=METRICS, value=METRICS[0], clearable=False),
            dcc.Dropdown(id="period-select", options=PERIODS, value=PERIODS[0], clearable=False),
            html.Nav(html.Button("Tỉnh Quảng Nam", id="crumb"), id="breadcrumb"),
            dcc.Store(id="district"),
            dcc.Graph(
                id="map",
                figure=figure,
                config={"topojsonURL": app.get_asset_url("")},
                style={"height": "680px"},
            ),
        ]
    )

    @app.callback(
        Output("map", "figure"),
        Output("district", "data"),
        Input("map", "clickData"),
        Input("crumb", "n_clicks"),
        Input("metric-select", "value"),
        Input("period-select", "value"),
        State("district", "data"),
        prevent_initial_call=True,
    )
    def answer(click: Any, _crumb: Any, metric: str, period: str, district: str | None) -> tuple:
        if ctx.triggered_id == "map" and click and click["points"][0]["curveNumber"] == 0:
            district = click["points"][0]["location"]
        elif ctx.triggered_id == "crumb":
            district = None
        codes = children.get(district, []) if district else district_codes
        patch = Patch()
        patch["data"][0]["locations"] = [] if district else district_codes
        patch["data"][1]["locations"] = codes if district else []
        patch["data"][1 if district else 0]["z"] = [random.random() for _ in codes]
        patch["layout"]["title"]["text"] = f"{metric} — {period}"
        return patch, district

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8060)
    args = parser.parse_args()
    from config import Settings

    settings = Settings.from_env()
    create_floor_app(settings.geodata_dir, settings.editions_file).run(host="127.0.0.1", port=args.port)


if __name__ == "__main__":
    main()
