"""Side panel: the figures of the unit in view (Biểu 06 columns), its index results (766
service index, PAR index with the link to its scorecard), the unmapped-communes note, and
the breadcrumb."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from dash import dcc, html

from dossier_stats.index766.ruleset import active_config
from dossier_stats.index766.score import data_coverage, unranked_reason
from dossier_stats.ranking import KpisLike, UnitKpisLike, has_data
from layouts.common.dossier_links import PANEL_KINDS, count_link
from layouts.common.names import commune_label
from layouts.common.urls import app_path
from layouts.home.score_units import INDEX766_DECIMALS, PAR_DECIMALS, group_missing_text, par_grade_text
from vi_format import format_int, format_number, format_percent, vietnamese_sort_key


@dataclass(frozen=True)
class Crumb:
    label: str
    href: str | None  # None: the current (last) item


def breadcrumb(crumbs: Sequence[Crumb]) -> list[Any]:
    """ "Tỉnh Quảng Nam › Huyện … › Xã …": links up, the last item is plain text."""
    out: list[Any] = []
    for i, crumb in enumerate(crumbs):
        if i:
            out.append(html.Span("›", className="crumb-sep"))
        if crumb.href is None:
            out.append(html.Span(crumb.label, className="crumb current"))
        else:
            out.append(dcc.Link(crumb.label, href=crumb.href, className="crumb"))
    return out


def _row(label: str, value: Any, level: int = 0, strong: bool = False) -> html.Tr:
    return html.Tr(
        [html.Td(label, className=f"indent-{level}"), html.Td(value, className="num")],
        className="strong" if strong else None,
    )


def kpi_table(kpis: KpisLike, href: Callable[[str], str] | None = None) -> html.Table:
    """The unit's Biểu 06 figures: received, resolved, pending, and the two rates; with
    `href` (count kind -> URL) each count links to the list of its dossiers."""
    k = kpis

    def count(kind: str) -> Any:
        text = format_int(getattr(k, kind))
        return count_link(text, href(kind)) if href else text

    rows = [
        _row(label, count(kind), 0 if kind.endswith("_total") else 1, strong=kind.endswith("_total"))
        for label, kind in PANEL_KINDS
    ]
    rows += [
        _row("Tỷ lệ giải quyết đúng hạn", format_percent(k.on_time_rate), strong=True),
        _row("Tỷ lệ hồ sơ trực tuyến", format_percent(k.online_share), strong=True),
    ]
    return html.Table(html.Tbody(rows), className="kpi-table")


def unit_panel(
    name: str,
    subtitle: str,
    kpis: KpisLike,
    *,
    before: Sequence[Any] = (),
    after: Sequence[Any] = (),
    href: Callable[[str], str] | None = None,
) -> list[Any]:
    """Heading and figures of the unit in view (province, district or selected commune), with
    index blocks before the figures (the index on the map) or after them; `href`: the links
    of its counts (kpi_table)."""
    body: Any = (
        kpi_table(kpis, href)
        if has_data(kpis)
        else html.P("Không có dữ liệu trong kỳ này.", className="muted")
    )
    return [
        html.H3(name, className="panel-title"),
        html.P(subtitle, className="panel-subtitle"),
        *before,
        body,
        *after,
    ]


def scorecard_href(unit_code: str, year: int) -> str:
    """The PAR scorecard page of a unit (built by the scoring pages)."""
    return app_path(f"/scorecard?unit={unit_code}&year={year}")


def par_block(row: Any | None, table: Any | None, year: int) -> list[Any]:
    """The unit's PAR index of the year: total, grade, rank in its group, and a prominent link
    to its scorecard. Without a version of the year for the group: nothing; without a score
    for the unit: says so."""
    if table is None:
        return []
    title = html.H4(f"Chỉ số CCHC năm {year}", className="block-title")
    if row is None:
        return [
            html.Section([title, html.P("Chưa có điểm.", className="muted")], className="score-block par")
        ]
    rows = [
        _row(
            "Tổng điểm",
            f"{format_number(row.total, PAR_DECIMALS)}/{format_number(table.max_total, 0)}"
            f" ({format_number(row.percent, PAR_DECIMALS)}%)",
            strong=True,
        ),
        _row("Xếp loại", par_grade_text(row)),
        _row("Xếp hạng", f"{row.rank}/{len(table.rows)} {table.group_label}"),
    ]
    link = dcc.Link(
        "Xem phiếu điểm →", href=scorecard_href(row.unit_code, year), className="button scorecard-link"
    )
    return [
        html.Section(
            [title, html.Table(html.Tbody(rows), className="kpi-table"), link], className="score-block par"
        )
    ]


def index766_block(unit: Any | None, period_label: str, rule_label: str | None = None) -> list[Any]:
    """The 766 service index of the unit in view for the period: total, grade, the six groups
    (a group with indicators without data says so: "chưa có số liệu", never 0 unexplained),
    how many of the 100 points had data, and the rule set that produced it."""
    title = html.H4(f"Chỉ số 766 — {period_label}", className="block-title")
    rules = html.P(rule_label or active_config().label, className="muted rule-set")
    score = None if unit is None else unit.score
    if score is None:
        body: Any = html.P("Không phát sinh hồ sơ tính chỉ số 766 trong kỳ này.", className="muted")
    else:
        rows = [
            _row("Tổng điểm", f"{format_number(score.total, INDEX766_DECIMALS)}/100", strong=True),
            _row("Số liệu", data_coverage(score)),
            _row("Xếp loại", score.grade),
            *(
                _row(
                    g.label,
                    f"{format_number(g.points, INDEX766_DECIMALS)}/{format_number(g.max_points, 0)}"
                    f"{group_missing_text(g)}",
                    1,
                )
                for g in score.groups
            ),
            _row("Hồ sơ tính chỉ số", format_int(unit.counts.handled)),
        ]
        reason = unranked_reason(score)
        if reason:
            rows.append(_row("Xếp hạng", f"không xếp hạng — {reason}"))
        body = html.Table(html.Tbody(rows), className="kpi-table")
    return [html.Section([title, body, rules], className="score-block index766")]


def unmapped_note(units: Sequence[UnitKpisLike]) -> list[Any]:
    """Note on dossiers of old communes without a successor (counted in district and province only)."""
    with_data = [u for u in units if u.kpis.received_total]
    if not with_data:
        return []
    total = sum(u.kpis.received_total for u in with_data)
    names = ", ".join(
        f"{commune_label(u.name)} ({format_int(u.kpis.received_total)})"
        for u in sorted(with_data, key=lambda u: vietnamese_sort_key(commune_label(u.name)))
    )
    return [
        html.Strong(f"{format_int(total)} hồ sơ"),
        " của xã cũ không xác định được xã mới (tính vào huyện và tỉnh): ",
        names,
        ".",
    ]
