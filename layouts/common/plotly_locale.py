"""A Vietnamese locale for plotly.js (mode-bar tooltips and number/date formats), passed in
the graph's config so nothing has to be loaded from a CDN."""

from __future__ import annotations

from typing import Any

VI_DICTIONARY = {
    "Zoom in": "Phóng to",
    "Zoom out": "Thu nhỏ",
    "Reset": "Về toàn cảnh",
    "Reset view": "Về toàn cảnh",
    "Reset views": "Về toàn cảnh",
    "Pan": "Kéo bản đồ",
    "Zoom": "Thu phóng",
    "Autoscale": "Tự động co giãn",
    "Download plot as a PNG": "Tải ảnh bản đồ (PNG)",
    "Download plot": "Tải ảnh bản đồ",
    "Preparing image - this may take a few seconds": "Đang chuẩn bị ảnh, vui lòng chờ trong giây lát",
    "Image download succeeded": "Đã tải ảnh xong",
    "Sorry, there was a problem downloading your image!": "Xin lỗi, không tải được ảnh!",
    "Toggle show closest data on hover": "Bật/tắt hiển thị số liệu khi rê chuột",
    "Show closest data on hover": "Hiển thị số liệu gần nhất khi rê chuột",
    "Double-click to zoom back out": "Nhấp đúp để thu nhỏ lại",
}

VI_FORMAT = {
    "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
    "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
    "months": [f"Tháng {m}" for m in range(1, 13)],
    "shortMonths": [f"Th{m}" for m in range(1, 13)],
    "date": "%d/%m/%Y",
    "decimal": ",",
    "thousands": ".",
}


def vietnamese(dictionary: dict[str, str] | None = None) -> dict[str, Any]:
    """The part of a dcc.Graph config that makes plotly speak Vietnamese (mode-bar texts,
    1.234,5, dd/mm/yyyy); `dictionary` replaces the map's mode-bar texts."""
    return {
        "locale": "vi",
        "locales": {"vi": {"dictionary": dictionary or VI_DICTIONARY, "format": VI_FORMAT}},
    }


def graph_config(topojson_url: str) -> dict[str, Any]:
    """dcc.Graph config of the home map: local topojson, Vietnamese locale, a small mode bar."""
    return {
        "topojsonURL": topojson_url,
        **vietnamese(),
        "displaylogo": False,
        "showSendToCloud": False,  # plotly.js 4 shows a "Share chart" cloud upload button by default
        "showEditInChartStudio": False,
        "scrollZoom": True,
        "responsive": True,
        "modeBarButtonsToRemove": [
            "select2d",
            "lasso2d",
            "hoverClosestGeo",
            "sendChartToCloud",
            "downloadJson",
        ],
        "toImageButtonOptions": {"format": "png", "filename": "ban-do-the-che", "scale": 2},
    }
