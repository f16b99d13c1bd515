""" "Tải số liệu" beside the map and each ranking (issue 14 item 8): the CSV of exactly what
is shown — the map's units with their value and what their colour says, or a ranking
table's columns and rows — after lines naming the title, the period, the day the figures
are counted to ("Số liệu tính đến ngày dd/mm/yyyy" for a running period), the comparison
period, the rules and the source. Written through spreadsheet_safety.csv_bytes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dossier_stats.benchmark import JUDGEMENT_TEXT
from dossier_stats.ranking import format_metric_value
from layouts.common.rankings import value_header
from layouts.home.colour_modes import FEW_DATA, JUDGEMENT_LABELS, NO_DATA, judged, judgement_category
from layouts.home.compare import CHANGE_COLUMNS, change_columns
from spreadsheet_safety import csv_bytes
from vi_format import MISSING, format_date


@dataclass(frozen=True)
class ExportContext:
    """What the lines above a table say."""

    title: str
    period_label: str
    as_of_day: Any  # date the figures are counted to
    running: bool  # the period has not ended
    rules: str
    source: str
    compare_label: str | None = None
    compare_as_of: Any = None
    legend: str = ""


def export_lines(c: ExportContext) -> list[str]:
    """The lines before a table: title, period, as-of, comparison, colours, rules, source."""
    lines = [c.title, f"Kỳ báo cáo: {c.period_label}"]
    if c.running:
        lines.append(f"Số liệu tính đến ngày {format_date(c.as_of_day)} (kỳ chưa kết thúc)")
    else:
        lines.append(f"Số liệu cả kỳ, đến hết ngày {format_date(c.as_of_day)}")
    if c.compare_label:
        lines.append(f"So sánh với: {c.compare_label} (số liệu đến ngày {format_date(c.compare_as_of)})")
    if c.legend:
        lines.append(c.legend)
    lines += [f"Cách tính: {c.rules}", f"Nguồn: {c.source}"]
    return lines


def map_table(
    units: Sequence[Any], metric: Any, mode: str, parent_name: str, compared: bool
) -> tuple[list[str], list[list[str]]]:
    """The map's units as columns and rows: code, name, value, and what the colour says
    (the judgement against the parent, or the change and rank change)."""
    columns = ["Mã", "Đơn vị", value_header(metric)]
    with_judgement = judged(metric, mode) and not compared
    if with_judgement:
        columns.append(f"So với {parent_name}")
    if compared:
        columns += list(change_columns(metric))
    rows = []
    for u in units:
        row = [u.code, u.name, MISSING if u.value is None else format_metric_value(metric, u.value)]
        if with_judgement:
            category = judgement_category(u)
            row.append(
                JUDGEMENT_LABELS[category]
                if category in (NO_DATA, FEW_DATA)
                else JUDGEMENT_TEXT[u.judgement or "none"]
            )
        if compared:
            row += list(u.cells[-len(CHANGE_COLUMNS) :])
        rows.append(row)
    return columns, rows


def ranking_rows(payload: Mapping[str, Any]) -> tuple[list[str], list[list[str]]]:
    """A ranking table as shown: its columns and the cells of each row (links left out)."""
    columns = list(payload["columns"])
    return columns, [list(r[: len(columns)]) for r in payload["rows"]]


def table_csv(context: ExportContext, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    return csv_bytes(columns, rows, before=[[line] for line in export_lines(context)])
