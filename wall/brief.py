"""The one-page PDF brief of the province's numbers for a period (báo cáo tóm tắt), for
meeting minutes: `build_brief(stats, period) -> bytes`, also served at
GET /wall/brief.pdf?period=2026-10.

Built offline with fpdf2 and the DejaVu Sans font shipped in wall/fonts (Bitstream Vera
licence, wall/fonts/LICENSE), which has every Vietnamese letter with its tone marks. One A4
page: the Biểu 06 figures of the province against the previous period, the 5 best and 5
worst former districts and departments by on-time rate, the units needing attention and
the 12 months up to the period.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from clock import now_local
from dossier_stats.kpis import Kpis
from dossier_stats.metrics import METRICS
from dossier_stats.periods import Period
from dossier_stats.rules import RULES_NOTE
from dossier_stats.service import StatsService
from vi_format import format_date, format_datetime, format_int, format_percent
from wall.data import WallData, read_wall_data
from wall.summary import (
    RankedUnit,
    attention_cells,
    attention_list,
    best_and_worst_changes,
    count_change_text,
    rate_change_text,
    trend_series,
)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
INK = (31, 41, 51)
MUTED = (82, 96, 109)
BRAND = (11, 61, 107)
RULE = (200, 208, 218)
HEAD_FILL = (232, 238, 246)
PAGE_W, MARGIN = 210.0, 14.0
WIDTH = PAGE_W - 2 * MARGIN


def read_brief(stats: StatsService, period: Period) -> WallData:
    """The data of the brief (the same as the wall's)."""
    return read_wall_data(stats, period)


def build_brief(stats: StatsService, period: Period) -> bytes:
    """The PDF brief of the period, as bytes."""
    return brief_pdf(read_brief(stats, period))


def kpi_rows(now: Kpis, before: Kpis) -> list[tuple[str, str, str, str, bool]]:
    """(label, this period, previous period, change, is a total) for the Biểu 06 figures."""

    def count(label: str, a: int, b: int, total: bool = False) -> tuple[str, str, str, str, bool]:
        return label, format_int(a), format_int(b), count_change_text(a, b), total

    def rate(label: str, a: float | None, b: float | None) -> tuple[str, str, str, str, bool]:
        return label, format_percent(a), format_percent(b), rate_change_text(a, b), True

    return [
        count("Tổng số hồ sơ nhận giải quyết", now.received_total, before.received_total, True),
        count("   Tiếp nhận trực tuyến", now.received_online, before.received_online),
        count("   Trực tiếp, dịch vụ bưu chính", now.received_direct_postal, before.received_direct_postal),
        count("   Từ kỳ trước chuyển sang", now.carried_over, before.carried_over),
        count("Số hồ sơ đã giải quyết", now.resolved_total, before.resolved_total, True),
        count("   Trước hạn", now.resolved_early, before.resolved_early),
        count("   Đúng hạn", now.resolved_on_time, before.resolved_on_time),
        count("   Quá hạn", now.resolved_late, before.resolved_late),
        count("Số hồ sơ đang giải quyết", now.pending_total, before.pending_total, True),
        count("   Trong hạn", now.pending_within, before.pending_within),
        count("   Quá hạn", now.pending_overdue, before.pending_overdue),
        rate("Tỷ lệ giải quyết đúng hạn", now.on_time_rate, before.on_time_rate),
        rate("Tỷ lệ hồ sơ trực tuyến", now.online_share, before.online_share),
    ]


class _Brief(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, 12, MARGIN)
        self.set_auto_page_break(False)
        self.set_text_color(*INK)
        self.set_draw_color(*RULE)

    def text_line(
        self, text: str, size: float, *, bold: bool = False, color: tuple[int, int, int] = INK, h: float = 0
    ) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*color)
        self.cell(WIDTH, h or size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)

    def section(self, title: str) -> None:
        self.ln(2.2)
        self.set_font(FONT, "B", 10.5)
        self.set_text_color(*BRAND)
        self.cell(WIDTH, 6, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*BRAND)
        self.line(MARGIN, self.get_y(), MARGIN + WIDTH, self.get_y())
        self.set_draw_color(*RULE)
        self.set_text_color(*INK)
        self.ln(1)

    def row(
        self,
        cells: Sequence[str],
        widths: Sequence[float],
        *,
        bold: bool = False,
        fill: bool = False,
        size: float = 8.5,
        h: float = 4.9,
        aligns: str = "",
    ) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        if fill:
            self.set_fill_color(*HEAD_FILL)
        x0 = self.get_x()
        for i, (text, width) in enumerate(zip(cells, widths, strict=True)):
            align = aligns[i] if i < len(aligns) else ("L" if i == 0 else "R")
            self.cell(width, h, _fit(self, text, width - 1.2), border="B", align=align, fill=fill)  # type: ignore[arg-type]
        self.set_xy(x0, self.get_y() + h)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """The text, shortened with "…" if it does not fit the width."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _unit_rows(rows: Sequence[RankedUnit]) -> list[list[str]]:
    return [[str(r.rank), r.name, r.value_text] for r in rows]


def _best_worst_block(
    pdf: _Brief, x: float, width: float, title: str, best_worst: tuple[list[RankedUnit], list[RankedUnit]]
) -> float:
    """Two short lists (best, worst) under a heading at column x; returns the y where the block ends."""
    best, worst = best_worst
    pdf.set_xy(x, pdf.get_y())
    pdf.set_font(FONT, "B", 9)
    pdf.cell(width, 5, title, new_x=XPos.LEFT, new_y=YPos.NEXT)
    widths = (12.0, width - 32.0, 20.0)
    for label, rows in (("Dẫn đầu", best), ("Cuối bảng", worst)):
        pdf.set_x(x)
        pdf.row(["Hạng", label, "Đúng hạn"], widths, bold=True, fill=True, aligns="RLR")
        for cells in _unit_rows(rows) or [["", "Không có đơn vị nào.", ""]]:
            pdf.set_x(x)
            pdf.row(cells, widths, aligns="RLR")
    return pdf.get_y()


def _heading(pdf: _Brief, data: WallData, made: datetime) -> None:
    pdf.text_line("BÁO CÁO TÓM TẮT", 9, bold=True, color=BRAND)
    pdf.text_line(
        f"Tình hình giải quyết hồ sơ thủ tục hành chính — {data.province_name}", 13.5, bold=True, h=7.5
    )
    running = data.as_of is not None and data.as_of < data.period.end
    pdf.text_line(
        f"Kỳ báo cáo: {data.period.label} (từ {format_date(data.period.start)} "
        f"đến {format_date(data.period.end)}"
        + (f", số liệu tính đến ngày {format_date(data.as_of)}" if running else "")
        + f"); so sánh với {data.previous.label}.",
        9,
        h=5,
    )
    updated = format_datetime(data.data_time) if data.data_time else "chưa có dữ liệu"
    pdf.text_line(f"Số liệu cập nhật lúc {updated} · Lập lúc {format_datetime(made)}", 8, color=MUTED, h=4.5)


def _province_section(pdf: _Brief, data: WallData) -> None:
    pdf.section(f"1. Số liệu {data.whole.lower()} (theo Biểu số 06/VPCP/KSTT)")
    widths = (WIDTH - 96, 28.0, 28.0, 40.0)
    pdf.row(["Chỉ tiêu", data.period.label, data.previous.label, "Thay đổi"], widths, bold=True, fill=True)
    for label, now, before, change, total in kpi_rows(data.province, data.province_before):
        pdf.row([label, now, before, change], widths, bold=total)


def _ranking_section(pdf: _Brief, data: WallData) -> None:
    """Former districts (the city's communes, wards and special zone in its edition) on the
    left, departments on the right, by on-time rate."""
    metric = METRICS["on_time_rate"]
    pdf.section("2. Xếp hạng theo tỷ lệ giải quyết đúng hạn")
    top = pdf.get_y()
    half = (WIDTH - 6) / 2
    ends = []
    for x, title, units, before in (
        (MARGIN, *_left_units(data)),
        (MARGIN + half + 6, "Sở, ban, ngành", data.departments, data.departments_before),
    ):
        pdf.set_y(top)
        ends.append(_best_worst_block(pdf, x, half, title, best_and_worst_changes(units, before, metric)))
    pdf.set_xy(MARGIN, max(ends))


def _left_units(data: WallData) -> tuple[str, tuple, tuple]:
    if data.city is None:
        return "Huyện, thị xã, thành phố (cũ)", data.districts, data.districts_before
    return "Xã, phường, đặc khu", data.communes, data.communes_before


def _attention_section(pdf: _Brief, data: WallData) -> None:
    pdf.section(f"3. Đơn vị cần chú ý: tỷ lệ đúng hạn giảm nhiều nhất so với {data.previous.label}")
    rows = attention_list(
        data.attention_groups(),
        size=5,
    )
    widths = (WIDTH - 128, 28.0, 20.0, 20.0, 30.0, 30.0)
    pdf.row(
        ["Đơn vị", "Nhóm", "Kỳ trước", "Kỳ này", "Giảm (điểm %)", "Đang quá hạn"],
        widths,
        bold=True,
        fill=True,
        aligns="LLRRRR",
    )
    if not rows:
        pdf.row(["Không có đơn vị nào giảm tỷ lệ đúng hạn.", "", "", "", "", ""], widths, aligns="LLRRRR")
    for row in rows:
        pdf.row(attention_cells(row), widths, aligns="LLRRRR")


def _trend_section(pdf: _Brief, data: WallData) -> None:
    pdf.section(f"4. Diễn biến 12 tháng ({data.whole.lower()})")
    series = trend_series(data.months)
    label_w = 30.0
    cell_w = (WIDTH - label_w) / len(series.labels)
    widths = (label_w, *([cell_w] * len(series.labels)))
    size = 6.8
    pdf.row(
        ["Tháng", *[label.replace("/20", "/") for label in series.labels]],
        widths,
        bold=True,
        fill=True,
        size=size,
    )
    pdf.row(["Tiếp nhận mới", *map(format_int, series.received)], widths, size=size)
    pdf.row(["Đã giải quyết", *map(format_int, series.resolved)], widths, size=size)
    pdf.row(
        ["Đúng hạn (%)", *[("—" if r is None else format_percent(r / 100)[:-1]) for r in series.on_time_pct]],
        widths,
        size=size,
    )


def _notes(pdf: _Brief) -> None:
    """How the figures are counted, and the footer."""
    pdf.ln(3)
    pdf.set_font(FONT, "", 7)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        WIDTH,
        3.4,
        f"Cách tính: {RULES_NOTE} Huyện cũ: các huyện, thị xã, thành phố trước 01/7/2025; "
        "số liệu của xã cũ được tính vào xã mới theo bảng chuyển đổi.",
    )
    pdf.set_y(-12)
    pdf.cell(WIDTH, 4, "Bản đồ thể chế — báo cáo lập tự động từ dữ liệu hệ thống giải quyết TTHC.", align="C")


def brief_pdf(data: WallData, *, generated_at: datetime | None = None) -> bytes:
    """The one-page brief of WallData as PDF bytes."""
    pdf = _Brief()
    pdf.set_title(f"Báo cáo tóm tắt — {data.period.label}")
    pdf.set_author("Bản đồ thể chế")
    pdf.add_page()
    _heading(pdf, data, generated_at or now_local())
    _province_section(pdf, data)
    _ranking_section(pdf, data)
    _attention_section(pdf, data)
    _trend_section(pdf, data)
    _notes(pdf)
    return bytes(pdf.output())
