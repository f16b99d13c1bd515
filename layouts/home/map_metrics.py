"""What the map and the rankings show, whatever its source: metric descriptions and unit values.

Three metric families feed the same figure, rankings and URL:
- dossier metrics (dossier_stats.metrics: on-time rate, overdue, received, online share),
  computed from the Biểu 06 KPIs for any month, quarter or year;
- the 766 service index (dossier_stats.index766): total and each of its six groups;
- the PAR index (Chỉ số CCHC, scoring/): total and each area, yearly, for the years that
  have an index version.
A `MapMetric` says how a metric is drawn and which periods it exists for; a `MapUnit` is
one polygon's (or department's) value with its hover text and ranking cells, built by
the pure functions here and in layouts/home/score_units.py from plain data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from dossier_stats.benchmark import ranks
from dossier_stats.ranking import NO_DATA_TEXT, MetricLike, UnitKpisLike, metric_value
from layouts.home.map_figure import hover_text
from vi_format import format_int

MetricKind = Literal["rate", "count", "points"]
Family = Literal["dossiers", "index766", "par"]

FAMILY_LABELS: dict[str, str] = {
    "dossiers": "Hồ sơ thủ tục hành chính",
    "index766": "Chỉ số 766 — phục vụ người dân, doanh nghiệp",
    "par": "Chỉ số CCHC — cải cách hành chính",
}
FAMILY_HEADER_PREFIX = "family:"  # dropdown group headers: disabled options, never a metric key
NO_SCORE_TEXT = "Chưa có điểm"
FEW_DATA_NOTE = "Ít số liệu (dưới 20 hồ sơ): không xếp hạng"
DOSSIER_COLUMNS = ("Tiếp nhận", "Đang quá hạn")
SCORE_COLUMNS = ("Xếp loại",)


@dataclass(frozen=True)
class MapMetric:
    key: str  # URL form
    label: str  # Vietnamese, as shown in the selector and the map title
    family: str  # dossiers | index766 | par
    kind: MetricKind  # rate: percent; count: dossiers; points: index points
    higher_is_better: bool = True
    max_value: float | None = None  # points: the most a unit can get, when the same for all units
    years: tuple[int, ...] | None = None  # yearly index: the years it exists for, newest first
    no_data_text: str = NO_DATA_TEXT
    columns: tuple[str, ...] = DOSSIER_COLUMNS  # ranking columns after the value
    source_ranks: bool = False  # the source publishes the ranks (PAR total): shown as given
    decimals: int = 1  # points: decimals shown (and compared when ranking)
    rule_note: str | None = None  # the rule set that produced the values (766), shown with them
    ranks_from_units: bool = False  # ranks given by the units (766: comparables only), others apart

    @property
    def yearly(self) -> bool:
        return self.years is not None


@dataclass(frozen=True)
class MapUnit:
    code: str
    name: str
    value: float | None  # as drawn: percent for rates, dossiers for counts, points; None = no data
    hover: str  # hover label (HTML of plotly's hover template)
    cells: tuple[str, ...] = ()  # ranking cells after the value, one per `MapMetric.columns`
    rank: int | None = None  # the published rank (`source_ranks`), or the rank among comparables
    judgement: str | None = None  # against the parent: better | similar | worse | none (dossier rates)
    few_data: bool = False  # fewer than MIN_DOSSIERS dossiers behind the value: "ít số liệu"
    change: float | None = None  # against the comparison period (points % for rates, % for counts)
    rank_change: int | None = None  # earlier rank − rank: positive = moved up


def dossier_map_metric(metric: MetricLike) -> MapMetric:
    """A dossier metric (dossier_stats.metrics.Metric) as the map draws it: ranked among the
    units with at least 20 dossiers (dossier_stats.benchmark), the others listed after."""
    kind: MetricKind = "rate" if metric.kind == "rate" else "count"
    return MapMetric(
        metric.key, metric.label, "dossiers", kind, metric.higher_is_better, ranks_from_units=True
    )


def kpi_map_units(
    units: Sequence[UnitKpisLike], metric: MetricLike, marks: Mapping[str, Any] | None = None
) -> list[MapUnit]:
    """Map units of a dossier metric: the value, the Biểu 06 hover, received and overdue cells;
    with `marks` (dossier_stats.benchmark.UnitRow per code) the rank, judgement and "ít số liệu";
    without them the ranks among the units with enough dossiers (dossier_stats.benchmark.ranks)."""
    ranked = ranks(units, metric) if marks is None else {}  # type: ignore[arg-type]
    out = []
    for u in units:
        mark = (marks or {}).get(u.code)
        few = bool(mark and mark.benchmark.few_data and metric_value(metric, u.kpis) is not None)
        hover = hover_text(u.name, u.kpis)
        if few:
            hover += f"<br><i>{FEW_DATA_NOTE}</i>"
        out.append(
            MapUnit(
                u.code,
                u.name,
                metric_value(metric, u.kpis),
                hover,
                (format_int(u.kpis.received_total), format_int(u.kpis.pending_overdue)),
                rank=mark.rank if mark else ranked.get(u.code),
                judgement=mark.benchmark.judgement if mark else None,
                few_data=few,
            )
        )
    return out


def metric_options(metrics: Mapping[str, MapMetric]) -> list[dict[str, Any]]:
    """Selector options grouped by family: a disabled header per family, then its metrics."""
    options: list[dict[str, Any]] = []
    family = None
    for key, metric in metrics.items():
        if metric.family != family:
            family = metric.family
            options.append(
                {
                    "label": FAMILY_LABELS.get(family, family),
                    "value": FAMILY_HEADER_PREFIX + family,
                    "disabled": True,
                }
            )
        options.append({"label": metric.label, "value": key})
    return options


NO_COVERAGE_TEXT = "Chưa có dữ liệu (chưa có cơ quan trong danh mục hoặc chưa có hồ sơ)"


def mark_no_data(units: Sequence[MapUnit], has_data: Callable[[str], bool]) -> list[MapUnit]:
    """Units without any data (no agency of the registry, or no dossier) drawn and hovered
    as "chưa có dữ liệu", not as zeros; they are left out of rankings (`ranked_units`)."""
    return [
        u
        if has_data(u.code)
        else MapUnit(
            u.code, u.name, None, f"<b>{u.name}</b><br>{NO_COVERAGE_TEXT}", tuple("—" for _ in u.cells)
        )
        for u in units
    ]
