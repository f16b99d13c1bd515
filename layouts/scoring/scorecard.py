"""The scorecard page (/scorecard?unit=CODE&year=YYYY): a unit's PAR-index scorecard.

Pure builders from `scoring.scorecard.Scorecard`: the summary (total, %, grade, rank in
the group, provisional warning), how the total is made (criteria points, rescaling when
the survey is missing, survey part, bonus and penalty within their caps), the comparison
with the previous year, the tree of areas, criteria and sub-criteria (scorecard_tree.py)
and the change history (history.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dash import dcc, html

from layouts.scoring.common import (
    SCORECARD_PATH,
    Shell,
    UnitOption,
    controls_bar,
    entry_href,
    map_href,
    messages_box,
    page_shell,
    percent_text,
    points_text,
    provisional_badge,
    results_href,
    total_text,
    unit_dropdown,
    year_dropdown,
)
from layouts.scoring.history import history_section
from layouts.scoring.ids import ScoringIds, ScoringTextIds
from layouts.scoring.scorecard_tree import item_names, scorecard_rows, tree_payload, walk_lines
from layouts.scoring.tables import js_table
from scoring.definition import IndexDefinition
from scoring.history import HistoryRow
from scoring.numbers import round_points
from scoring.scorecard import Scorecard


@dataclass(frozen=True)
class SurveyPart:
    points: float | None  # None: no survey result at all
    max: float
    missing: int  # survey sub-criteria without a result


def survey_part(card: Scorecard) -> SurveyPart | None:
    """The sociological survey's share of the scorecard (None when the index has none)."""
    lines = [x for x in walk_lines(card.areas) if x.level == "sub" and x.source == "survey"]
    if not lines:
        return None
    counted = [x.points for x in lines if x.points is not None]
    return SurveyPart(
        points=round_points(sum(counted)) if counted else None,
        max=round_points(sum(x.max for x in lines)),
        missing=sum(1 for x in lines if x.points is None),
    )


@dataclass(frozen=True)
class TotalLine:
    label: str
    value: str
    kind: str = ""  # "" | "sum" | "bonus" | "penalty" | "detail"


def _signed(sign: str, value: float) -> str:
    return f"{sign}{points_text(value)}" if value else "0"


def total_lines(card: Scorecard, definition: IndexDefinition | None = None) -> list[TotalLine]:
    """How the total is made, line by line (DOMAIN.md §4: rescaling when the survey is missing,
    bonus and penalty within their caps)."""
    lines = [
        TotalLine(
            "Điểm các tiêu chí",
            f"{points_text(card.criteria_points)} / {points_text(card.counted_max)}",
        )
    ]
    survey = survey_part(card)
    if survey is not None:
        if survey.points is None:
            value = f"chưa có kết quả (tối đa {points_text(survey.max)})"
        elif survey.missing:
            value = (
                f"{points_text(survey.points)} / {points_text(survey.max)} (thiếu {survey.missing} tiêu chí)"
            )
        else:
            value = f"{points_text(survey.points)} / {points_text(survey.max)}"
        lines.append(TotalLine("trong đó điều tra xã hội học", value, "detail"))
    if card.survey_missing:
        scaled = card.criteria_points * card.max_total / card.counted_max if card.counted_max else 0.0
        lines.append(
            TotalLine(
                f"Quy đổi về thang {points_text(card.max_total)} điểm",
                f"{points_text(card.criteria_points)} × {points_text(card.max_total)} / "
                f"{points_text(card.counted_max)} = {points_text(round_points(scaled))}",
                "detail",
            )
        )
    bonus_cap = f" (tối đa {points_text(definition.bonus.cap)})" if definition else ""
    penalty_cap = f" (tối đa {points_text(definition.penalty.cap)})" if definition else ""
    lines.append(TotalLine(f"Điểm thưởng{bonus_cap}", _signed("+", card.bonus), "bonus"))
    lines.append(TotalLine(f"Điểm trừ{penalty_cap}", _signed("−", card.penalty), "penalty"))
    lines.append(TotalLine("Tổng điểm", f"{total_text(card.total)} / {points_text(card.max_total)}", "sum"))
    return lines


def comparison_text(card: Scorecard) -> list[str]:
    """The previous year's result and the change, or why there is nothing to compare."""
    before = card.previous
    if before is None:
        return [f"Chưa có kết quả năm {card.year - 1} của đơn vị để so sánh."]
    change = card.percent_change or 0.0
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    return [
        f"Năm {before.year}: {total_text(before.total)} điểm ({percent_text(before.percent)}), "
        f"xếp loại {before.grade}, hạng {before.rank}/{before.rank_count}.",
        f"Thay đổi: {sign}{points_text(abs(change))} điểm phần trăm.",
    ]


# -- components -----------------------------------------------------------------------------


def scorecard_page() -> html.Div:
    """The page frame; its callback fills the content from the URL."""
    return page_shell(Shell(SCORECARD_PATH, ScoringIds.CARD_URL, ScoringIds.CARD_CONTENT))


def scorecard_skeleton() -> html.Div:
    """Every id the page's callbacks use, without data."""
    return html.Div(
        [
            scorecard_page(),
            year_dropdown(ScoringIds.CARD_YEAR, [], None),
            unit_dropdown(ScoringIds.CARD_UNIT, [UnitOption("", "", "")], None),
            *js_table(ScoringIds.CARD_TREE, ScoringIds.CARD_TREE_DATA, None),
        ]
    )


def _summary(card: Scorecard) -> html.Section:
    facts = [
        html.Div(
            [
                html.Span(total_text(card.total), className="scoring-total", id=ScoringTextIds.CARD_TOTAL),
                html.Span(f" / {points_text(card.max_total)} điểm", className="scoring-total-max"),
            ],
            className="scoring-total-line",
        ),
        html.Dl(
            [
                html.Dt("Tỷ lệ"),
                html.Dd(percent_text(card.percent), id=ScoringTextIds.CARD_PERCENT),
                html.Dt("Xếp loại"),
                html.Dd(card.grade, id=ScoringTextIds.CARD_GRADE),
                html.Dt("Xếp hạng"),
                html.Dd(f"{card.rank}/{card.rank_count} — {card.group_label}", id=ScoringTextIds.CARD_RANK),
            ],
            className="scoring-facts",
        ),
    ]
    if card.provisional:
        facts.append(
            html.P(
                [
                    provisional_badge(),
                    " Còn tiêu chí chưa thẩm định lần 2: điểm đang tính theo bước mới nhất đã có "
                    "và có thể thay đổi.",
                ],
                className="scoring-provisional-note",
            )
        )
    return html.Section(
        [html.H3("Kết quả", className="card-title"), *facts], className="card scoring-summary"
    )


def _total_card(card: Scorecard, definition: IndexDefinition | None) -> html.Section:
    rows = [
        html.Tr([html.Td(x.label), html.Td(x.value, className="num")], className=x.kind or None)
        for x in total_lines(card, definition)
    ]
    used = [a for a in card.adjustments if a.points]
    adjustments = (
        html.Ul(
            [
                html.Li(
                    f"{'Thưởng' if a.kind == 'bonus' else 'Trừ'} {a.code}: {a.name} — "
                    f"{points_text(a.points)}/{points_text(a.max)}"
                )
                for a in used
            ],
            className="scoring-adjustments",
        )
        if used
        else None
    )
    return html.Section(
        [
            html.H3("Cách tính tổng điểm", className="card-title"),
            html.Table(html.Tbody(rows), className="kpi-table scoring-total-table"),
            adjustments,
        ],
        className="card",
    )


def _comparison_card(card: Scorecard) -> html.Section:
    return html.Section(
        [html.H3("So sánh với năm trước", className="card-title")]
        + [html.P(text) for text in comparison_text(card)],
        className="card scoring-comparison",
    )


def scorecard_view(
    card: Scorecard,
    *,
    controls: Sequence[Any],
    messages: Sequence[str] = (),
    definition: IndexDefinition | None = None,
    changes: Sequence[HistoryRow] | None = (),
) -> list[Any]:
    """The content of the scorecard page for one unit and year; `changes`: its history
    (None: not shown — the reader may not see the entries' history)."""
    links = html.Div(
        [
            dcc.Link("← Xem trên bản đồ", href=map_href(card.map_code), className="scoring-link"),
            dcc.Link(
                "Bảng xếp hạng của nhóm",
                href=results_href(card.year, card.group),
                className="scoring-link",
            ),
            dcc.Link(
                "Nhập, thẩm định điểm", href=entry_href(card.unit_code, card.year), className="scoring-link"
            ),
        ],
        className="scoring-links",
    )
    heading = html.Div(
        [
            html.H2(card.name, className="scoring-title"),
            html.P(
                f"Phiếu điểm Chỉ số CCHC năm {card.year} — {card.group_label} — mã {card.unit_code}",
                className="scoring-subtitle",
            ),
            links,
            html.P(f"Bộ chỉ số: {card.version_name}", className="scoring-version"),
        ],
        className="scoring-heading",
    )
    previous_year = card.previous.year if card.previous else None
    return [
        controls_bar(controls),
        messages_box(messages) if messages else None,
        html.Div(
            [
                heading,
                html.Div(
                    [_summary(card), _total_card(card, definition), _comparison_card(card)],
                    className="scoring-cards",
                ),
                html.Section(
                    [
                        html.H3("Điểm theo lĩnh vực, tiêu chí", className="card-title"),
                        html.P(
                            [
                                "Điểm tính: điểm thẩm định lần 2 nếu đã có; nếu chưa, điểm của bước mới nhất "
                                "(thẩm định lần 1, tự đánh giá), đánh dấu ",
                                provisional_badge(),
                                ". Mất điểm: điểm tối đa trừ điểm tính.",
                            ],
                            className="card-caption",
                        ),
                        *js_table(
                            ScoringIds.CARD_TREE,
                            ScoringIds.CARD_TREE_DATA,
                            tree_payload(scorecard_rows(card), previous_year),
                        ),
                    ],
                    className="card",
                ),
                None if changes is None else history_section(changes, item_names(card)),
            ],
            className="scoring-body",
        ),
    ]
