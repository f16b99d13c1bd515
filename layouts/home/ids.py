"""Every component id of the dashboard, in one place."""

from __future__ import annotations

from enum import StrEnum


class Ids(StrEnum):
    URL = "url"
    VIEW = "view-store"  # the resolved view (unit, metric, period) as plain JSON
    VIEW_DRAWN = "view-drawn"  # the VIEW store again, once the map has drawn it (callbacks/home/map.py)
    HEADER = "header"
    DATA_TIME = "data-time"
    METRIC = "metric-select"
    PERIOD_KIND = "period-kind"
    PERIOD = "period-select"
    COLOUR = "colour-mode"  # colour mode: so với toàn tỉnh | thang cố định (layouts/home/colour_modes.py)
    COMPARE = "compare-select"  # the second period (comparison of two periods)
    UNIT_SEARCH = "unit-search"  # find a unit by name, accents ignored
    MAP_LEGEND = "map-legend"  # what the map's colours mean, in words
    MAP_CSV = "map-csv"  # "Tải số liệu" buttons (callbacks/home/downloads.py)
    UNIT_RANKING_CSV = "unit-ranking-csv"
    DEPARTMENT_RANKING_CSV = "department-ranking-csv"
    DOWNLOAD = "home-download"
    DOWNLOAD_MESSAGE = "home-download-message"
    MESSAGE = "view-message"
    BREADCRUMB = "breadcrumb"
    MAP = "map"
    MAP_CLICK = "map-click"  # the last click on the map, passed on by the browser (callbacks/home/map.py)
    MAP_CARD = "map-card"
    UNIT_PANEL = "unit-panel"
    UNMAPPED_NOTE = "unmapped-note"
    UNIT_RANKING = "unit-ranking"
    UNIT_RANKING_DATA = "unit-ranking-data"
    UNIT_RANKING_TITLE = "unit-ranking-title"
    RANKING_CAPTION = "ranking-caption"
    DEPARTMENT_RANKING = "department-ranking"
    DEPARTMENT_RANKING_DATA = "department-ranking-data"
    DEPARTMENT_RANKING_CAPTION = "department-ranking-caption"
    LIVE_POLL = "live-poll"  # dcc.Interval: asks whether the data changed
    LIVE_STATE = "live-state"  # the data version the page shows; a new one makes the views redraw
    DETAILS = "details"  # the detail tabs under the map (layouts/home/details/section.py)
    DETAILS_TABS = "details-tabs"
    DETAILS_CONTENT = "details-content"  # the active tab, drawn by callbacks/home/details.py
    EDITION = "edition-select"  # the map edition (Tỉnh Quảng Nam / Thành phố Đà Nẵng), issue 13
