"""The results page (/scoring/results?year=YYYY&group=…): a unit group's PAR-index results,
points per area, total, %, grade and rank, with the downloads of the yearly annex (XLSX,
CSV: every group of the year, as `scoring.export` writes them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dash import dcc, html

from layouts.common.controls import control, segmented
from layouts.common.names import commune_label
from layouts.scoring.common import (
    PROVISIONAL,
    RESULTS_PATH,
    Shell,
    controls_bar,
    messages_box,
    page_shell,
    percent_text,
    points_text,
    scorecard_href,
    total_text,
    year_dropdown,
)
from layouts.scoring.ids import ScoringIds
from layouts.scoring.tables import badge_spec, cell, column, js_table, row, table_payload
from scoring.definition import GROUPS
from scoring.results import GroupResults

EXPORT_NAMES = {"xlsx": "Tải bảng kết quả (XLSX)", "csv": "Tải bảng kết quả (CSV)"}


@dataclass(frozen=True)
class ResultLine:
    """One unit of the results table, written the Vietnamese way."""

    rank: str
    code: str
    name: str
    href: str  # its scorecard
    areas: tuple[str, ...]  # points per area, in the definition's order
    bonus: str
    penalty: str
    total: str
    percent: str
    grade: str
    provisional: bool
    survey_missing: bool


def results_lines(table: GroupResults) -> list[ResultLine]:
    """The table's rows by rank (ties share a rank: 1, 2, 2, 4)."""
    return [
        ResultLine(
            rank=str(row.rank),
            code=row.unit_code,
            name=commune_label(row.name),
            href=scorecard_href(row.unit_code, table.year),
            areas=tuple(points_text(row.area_points.get(a.code)) for a in table.areas),
            bonus=points_text(row.bonus),
            penalty=points_text(row.penalty),
            total=total_text(row.total),
            percent=percent_text(row.percent),
            grade=row.grade,
            provisional=row.provisional,
            survey_missing=row.survey_missing,
        )
        for row in table.rows
    ]


def export_filename(year: int, fmt: str) -> str:
    return f"ket-qua-chi-so-cchc-{year}.{fmt}"


def results_page() -> html.Div:
    """The page frame (with the download component, which outlives the content)."""
    return page_shell(
        Shell(
            RESULTS_PATH,
            ScoringIds.RESULTS_URL,
            ScoringIds.RESULTS_CONTENT,
            extra=(dcc.Download(id=ScoringIds.DOWNLOAD),),
        )
    )


def results_skeleton() -> html.Div:
    """Every id the page's callbacks use, without data."""
    return html.Div(
        [
            results_page(),
            year_dropdown(ScoringIds.RESULTS_YEAR, [], None),
            group_selector([], None),
            edition_selector([], None),
            download_bar(0, 0),
            *js_table(ScoringIds.RESULTS_TABLE, ScoringIds.RESULTS_TABLE_DATA, None),
        ]
    )


def group_selector(groups: Sequence[str], group: str | None) -> html.Div:
    options = [{"label": GROUPS[g], "value": g} for g in groups]
    return control("Nhóm đơn vị", segmented(ScoringIds.RESULTS_GROUP, options, group), "scoring-group")


def edition_selector(editions: Sequence[tuple[str, str]], edition: str | None) -> html.Div:
    """The map edition whose units are ranked ((id, name) of each stored edition)."""
    options = [{"label": name, "value": key} for key, name in editions]
    return control(
        "Phiên bản bản đồ", segmented(ScoringIds.RESULTS_EDITION, options, edition), "scoring-edition"
    )


def edition_note(edition_name: str | None, whole: int, shown: int) -> str:
    """What the ranking covers in an edition (the annex keeps the whole group)."""
    if edition_name is None:
        return ""
    left_out = whole - shown
    note = f"Đơn vị thuộc {edition_name}, xếp hạng giữa các đơn vị này"
    if left_out:
        note += f" ({left_out} đơn vị của nhóm không thuộc phiên bản này)"
    return note + ". Phụ lục tải về giữ cả nhóm và hạng chung."


def download_bar(year: int, group_count: int) -> html.Div:
    return html.Div(
        [
            html.Button(
                EXPORT_NAMES["xlsx"], id=ScoringIds.DOWNLOAD_XLSX, n_clicks=0, className="scoring-button"
            ),
            html.Button(
                EXPORT_NAMES["csv"], id=ScoringIds.DOWNLOAD_CSV, n_clicks=0, className="scoring-button"
            ),
            html.Span(
                f"Phụ lục kết quả năm {year}: {group_count} nhóm đơn vị, mỗi nhóm một trang (XLSX).",
                className="muted scoring-download-note",
            ),
            html.Span(id=ScoringIds.DOWNLOAD_MESSAGE, className="scoring-download-message", role="status"),
        ],
        className="scoring-downloads",
    )


RESCALED_BADGE = badge_spec(
    "quy đổi", "rescaled", "Chưa có đủ kết quả điều tra xã hội học: đã quy đổi về thang điểm đầy đủ"
)
PROVISIONAL_BADGE = badge_spec(PROVISIONAL, "provisional", "Còn tiêu chí chưa thẩm định lần 2")


def results_payload(table: GroupResults) -> dict[str, Any]:
    """The results table as the browser draws it (layouts/scoring/tables.py)."""
    columns = [
        column("Hạng", "num"),
        column("Đơn vị"),
        *(
            column(
                f"LV {a.code}",
                "num",
                f"{a.code}. {a.name} (tối đa {points_text(a.max)} điểm)",
                f"/{points_text(a.max)}",
            )
            for a in table.areas
        ),
        column("Thưởng", "num"),
        column("Trừ", "num"),
        column("Tổng điểm", "num"),
        column("Tỷ lệ", "num"),
        column("Xếp loại"),
    ]
    rows = []
    for line in results_lines(table):
        badges = ([PROVISIONAL_BADGE] if line.provisional else []) + (
            [RESCALED_BADGE] if line.survey_missing else []
        )
        cells = [
            cell(line.rank, class_name="num rank"),
            cell(line.name, class_name="name", href=line.href, badges=badges),
            *(cell(v, class_name="num") for v in line.areas),
            cell(line.bonus, class_name="num"),
            cell(line.penalty, class_name="num"),
            cell(line.total, class_name="num value"),
            cell(line.percent, class_name="num"),
            cell(line.grade, class_name="grade"),
        ]
        rows.append(row(cells, "provisional" if line.provisional else "", line.code))
    return table_payload(columns, rows, "scoring-table results-table", "Không có đơn vị nào.")


def area_legend(table: GroupResults) -> html.Ul:
    return html.Ul(
        [html.Li(f"LV {a.code}: {a.name} (tối đa {points_text(a.max)} điểm)") for a in table.areas],
        className="scoring-legend",
    )


def results_view(
    table: GroupResults | None,
    *,
    controls: Sequence[Any],
    messages: Sequence[str],
    year: int | None,
    group_count: int,
    note: str = "",
) -> list[Any]:
    """The content of the results page for a year and group (None: nothing to show); `note`:
    which units the edition ranks (`edition_note`)."""
    top = controls_bar(controls)
    if table is None or year is None:
        return [top, messages_box(messages, alert=True) if messages else None]
    provisional = sum(1 for r in table.rows if r.provisional)
    return [
        top,
        messages_box(messages) if messages else None,
        html.Div(
            [
                html.Div(
                    [
                        html.H2(
                            f"Kết quả Chỉ số CCHC năm {table.year} — {table.group_label}",
                            className="scoring-title",
                        ),
                        html.P(
                            f"{len(table.rows)} đơn vị; {provisional} đơn vị còn điểm tạm tính "
                            "(chưa thẩm định lần 2). Nhấn tên đơn vị để xem phiếu điểm.",
                            className="scoring-subtitle",
                        ),
                        html.P(note, className="scoring-subtitle scoring-edition-note") if note else None,
                    ],
                    className="scoring-heading",
                ),
                download_bar(year, group_count),
                html.Section(
                    [
                        *js_table(
                            ScoringIds.RESULTS_TABLE, ScoringIds.RESULTS_TABLE_DATA, results_payload(table)
                        ),
                        area_legend(table),
                    ],
                    className="card",
                ),
                html.P(f"Bộ chỉ số: {table.version_name}", className="scoring-version"),
            ],
            className="scoring-body",
        ),
    ]
