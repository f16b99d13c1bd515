"""How the home map colours a metric (issue 14 item 3): the two colour modes of the metric
control and what each colour means, in words.

- "So với toàn tỉnh" (`compare`, the default): a dossier rate is coloured by its judgement
  against the parent — the province for districts and departments, the district for its
  communes — at 95 % (Wilson score interval, dossier_stats.benchmark.METHOD_NOTE): blue
  better, light grey not significantly different, orange worse (colour-blind safe; the
  polarity is the metric's), a pale sand "ít số liệu" for units with fewer than 20 dossiers,
  slate grey without data. Counts get no judgement: one neutral blue scale from 0. The
  indexes (766, PAR) have no interval: their fixed scale.
- "Thang cố định" (`fixed`): the metric's fixed scale (layouts.common.choropleth.fixed_range),
  the same as the wall's.
With a second period the map shows the change instead (choropleth.change_changes).
"""

from __future__ import annotations

from typing import Any, Literal

ColourMode = Literal["compare", "fixed"]
COLOUR_MODES: dict[str, str] = {"compare": "So với toàn tỉnh", "fixed": "Thang cố định"}
DEFAULT_COLOUR: ColourMode = "compare"

# categories, bottom of the colour bar first
NO_DATA, FEW_DATA, WORSE, SIMILAR, BETTER = range(5)
JUDGEMENT_COLOURS = ["#8d96a0", "#f3e2b3", "#e66101", "#e3e3e3", "#2166ac"]
JUDGEMENT_LABELS = ["Không có dữ liệu", "Ít số liệu (< 20 hồ sơ)", "Kém hơn", "Tương đương", "Tốt hơn"]
CATEGORY_OF = {"better": BETTER, "similar": SIMILAR, "worse": WORSE, "none": SIMILAR}


def colour_mode(value: Any) -> ColourMode | None:
    """The mode a URL or control value names (None: not a mode)."""
    return value if value in COLOUR_MODES else None


def judged(metric: Any, mode: str) -> bool:
    """Whether the map colours the metric by judgement: dossier rates in "So với toàn tỉnh"."""
    return mode == "compare" and metric.kind == "rate" and getattr(metric, "family", "dossiers") == "dossiers"


def judgement_category(unit: Any) -> int:
    """The unit's category: no data, few data, worse, similar or better than its parent."""
    if unit.value is None:
        return NO_DATA
    if getattr(unit, "few_data", False):
        return FEW_DATA
    return CATEGORY_OF.get(getattr(unit, "judgement", None) or "none", SIMILAR)


def judgement_title(parent_name: str) -> str:
    """The colour bar's title in "So với toàn tỉnh": against whom, and how."""
    return f"So với {parent_name}<br><sub>khoảng tin cậy 95 %</sub>"


def legend_text(metric: Any, mode: str, parent_name: str, compare_label: str | None = None) -> str:
    """What the map's colours mean, in one sentence (under the map)."""
    if compare_label:
        unit = "điểm phần trăm" if metric.kind == "rate" else "%" if metric.kind == "count" else "điểm"
        better = "tăng" if metric.higher_is_better else "giảm"
        return (
            f"Màu: thay đổi so với {compare_label} ({unit}); xanh dương: {better} (tốt lên), "
            "cam: ngược lại, trắng: không đổi, xám: không so sánh được."
        )
    if judged(metric, mode):
        return (
            f"Màu: so với {parent_name} — xanh dương: tốt hơn có ý nghĩa thống kê, xám nhạt: khác biệt "
            "không có ý nghĩa thống kê, cam: kém hơn có ý nghĩa thống kê, vàng nhạt: ít số liệu "
            "(dưới 20 hồ sơ), xám đậm: không có dữ liệu."
        )
    if metric.kind == "count":
        return "Màu: số hồ sơ, thang từ 0 (đậm hơn: nhiều hơn); chỉ tiêu đếm không so sánh đánh giá."
    better = "cao hơn" if metric.higher_is_better else "thấp hơn"
    return f"Màu: thang cố định (hai đầu thang ghi trên chú giải); sáng hơn: {better}, tốt hơn."
