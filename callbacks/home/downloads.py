""" "Tải số liệu" beside the map and each ranking: the CSV of what the view shows
(layouts/home/downloads.py), read through the same functions as the map and the rankings
(view_data.shown_units, rankings.ranking_tables), so the file holds exactly what is on
screen. A button click is its own request, after the map; the reader must be allowed the
figures (accounts.permissions, Read.FIGURES: public unless PUBLIC_ACCESS=none)."""

from __future__ import annotations

import logging
import re
from typing import Any

from dash import Dash, State, ctx, dcc, no_update
from dash.exceptions import PreventUpdate

from accounts.permissions import Read
from callbacks.common import auth
from callbacks.common.downloads import on_download
from callbacks.common.guard import READ_ERRORS, problem_text
from callbacks.common.services import Services
from callbacks.home.metric_sources import metric_catalog
from callbacks.home.rankings import ranking_tables
from callbacks.home.view_data import map_legend, parent_name, scope_text, shown_units
from dossier_stats.rules import RULES_NOTE
from layouts.home.compare import compare_title
from layouts.home.downloads import ExportContext, map_table, ranking_rows, table_csv
from layouts.home.ids import Ids
from layouts.home.map_figure import map_title
from layouts.home.view import View, read_view_store
from vi_format import data_time_text

log = logging.getLogger(__name__)
FILE_PREFIXES = {
    Ids.MAP_CSV: "ban_do",
    Ids.UNIT_RANKING_CSV: "xep_hang",
    Ids.DEPARTMENT_RANKING_CSV: "xep_hang_so_nganh",
}
PAR_RULES = "điểm Chỉ số CCHC theo bộ tiêu chí của năm, do hội đồng thẩm định chấm"


def context_for(services: Services, view: View, title: str, legend: str = "") -> ExportContext:
    catalog = metric_catalog(services)
    metric = catalog.metric(view.metric)
    as_of = services.stats.as_of(view.period)
    province = services.stats.province().name
    rules = PAR_RULES if metric.family == "par" else RULES_NOTE
    if metric.rule_note:
        rules = f"{rules} {metric.rule_note}."
    return ExportContext(
        title=title,
        period_label=view.period.label,
        as_of_day=as_of.day,
        running=as_of.running,
        rules=rules,
        source=f"Bản đồ thể chế — {province}; {data_time_text(services.stats.data_time())}",
        compare_label=None if view.compare is None else view.compare.label,
        compare_as_of=None if view.compare is None else services.stats.as_of(view.compare).day,
        legend=legend,
    )


def file_for(services: Services, view: View, button: str) -> tuple[bytes, str]:
    """(CSV bytes, file name) of what the button's table or map shows for the view."""
    catalog = metric_catalog(services)
    metric = catalog.metric(view.metric)
    code = view.commune or view.district or services.settings.province_code
    name = f"{FILE_PREFIXES[button]}_{view.metric}_{code}_{view.period.key}"
    if view.compare is not None:
        name += f"_so_voi_{view.compare.key}"
    if button == Ids.MAP_CSV:
        title = (
            map_title(metric.label, view.period.label)
            if view.compare is None
            else compare_title(metric.label, view.period.label, view.compare.label)
        )
        units = shown_units(services, view, catalog)
        columns, rows = map_table(
            units, metric, view.colour, parent_name(services, view), view.compare is not None
        )
        context = context_for(
            services, view, f"{title} · {scope_text(services, view)}", map_legend(services, view, catalog)
        )
    else:
        unit_title, unit_caption, units_payload, caption, departments = ranking_tables(
            services, view, catalog
        )
        if button == Ids.UNIT_RANKING_CSV:
            columns, rows = ranking_rows(units_payload)
            context = context_for(services, view, f"{unit_title} — {unit_caption}")
        else:
            columns, rows = ranking_rows(departments)
            context = context_for(services, view, f"Xếp hạng sở, ban, ngành — {caption}")
    return table_csv(context, columns, rows), re.sub(r"[^0-9A-Za-z_-]", "-", name) + ".csv"


def register(app: Dash, services: Services) -> None:
    buttons = [Ids.MAP_CSV, Ids.UNIT_RANKING_CSV, Ids.DEPARTMENT_RANKING_CSV]

    @on_download(app, Ids.DOWNLOAD, Ids.DOWNLOAD_MESSAGE, buttons, State(Ids.VIEW, "data"))
    def download(_map: Any, _units: Any, _departments: Any, stored: Any) -> tuple[Any, str]:
        if not stored or not ctx.triggered[0]["value"]:
            raise PreventUpdate
        view = read_view_store(stored)[0]
        code = view.commune or view.district or services.settings.province_code
        if refused := auth.refusal(services.settings, Read.FIGURES, code):
            return no_update, refused
        try:
            content, filename = file_for(services, view, str(ctx.triggered_id))
        except READ_ERRORS as exc:
            log.exception("home: CSV download")
            return no_update, f"Không tải được số liệu: {problem_text(exc)}"
        return dcc.send_bytes(content, filename, type="text/csv"), ""
