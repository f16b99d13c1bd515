"""The detail tabs under the map: the active tab's content for the view's unit and period,
the overdue table's sort and pages, and the downloads (overdue CSV, Biểu số 06 XLSX/CSV).

Wiring only: read the VIEW store and the tab -> ask the DetailsService -> build with the
pure functions of layouts.details*. Only the active tab is computed and sent; a metric
change (the map's colouring) changes nothing here and sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc
from dash.exceptions import PreventUpdate
from sqlalchemy.exc import SQLAlchemyError

from callbacks.services import Services
from config import Settings
from dossier_stats.bieu06 import MEDIA_TYPES
from dossier_stats.details import DetailsService
from layouts.details import TabKey, chart_config, tab_key, unavailable
from layouts.details_channels import channels_tab
from layouts.details_ids import SORT_HEADER, DetailsIds
from layouts.details_overdue import (
    PAGE_SIZE,
    OverdueState,
    moved,
    overdue_filename,
    overdue_tab,
    sorted_by,
    summary_text,
    table_block,
)
from layouts.details_report import report_filename, report_tab
from layouts.details_trends import trend_end_month, trends_tab
from layouts.ids import Ids
from layouts.view import View, read_view_store

log = logging.getLogger(__name__)
# View fields the tabs do not depend on: a change of only these sends nothing.
IGNORED_FIELDS = frozenset({"metric"})


def unit_code(view: View, province_code: str) -> str:
    """The unit the view shows: the selected commune, else the district, else the province."""
    return view.commune or view.district or province_code


def needs_render(trigger: Any, changed: list[str] | None) -> bool:
    """A tab switch always renders; a view change only when a field the tabs use changed
    (`changed` None: the page was just opened)."""
    if trigger == Ids.DETAILS_TABS or changed is None:
        return True
    return bool(set(changed) - IGNORED_FIELDS)


def guarded(render: Callable[[], list[Any]]) -> list[Any]:
    """The tab, or a message saying why its data could not be read."""
    try:
        return render()
    except LookupError as exc:
        return unavailable(str(exc))
    except SQLAlchemyError as exc:
        log.exception("details: data not readable")
        return unavailable(f"Lỗi cơ sở dữ liệu ({exc.__class__.__name__}).")


def overdue_summary(details: DetailsService, code: str, view: View, total: int, settings: Settings) -> str:
    return summary_text(total, details.unit_name(code), view.period, settings.today())


def tab_content(details: DetailsService, view: View, tab: TabKey, settings: Settings) -> list[Any]:
    code = unit_code(view, settings.province_code)
    config = chart_config()
    if tab == "trends":
        end_month = trend_end_month(view.period.last_month, settings.today())
        return trends_tab(details.trends(code, end_month), config)
    if tab == "overdue":
        state = OverdueState()
        page = details.overdue_page(code, view.period, state.sort, state.descending, state.page, PAGE_SIZE)
        return overdue_tab(page, state, overdue_summary(details, code, view, page.total, settings))
    if tab == "channels":
        return channels_tab(details.channels(code, view.period), config)
    return report_tab(details.bieu06(code, view.period), view.period)


def register(app: Dash, services: Services) -> None:
    province_code = services.settings.province_code
    details = DetailsService(services.stats.engine, province_code)

    @app.callback(
        Output(Ids.DETAILS_CONTENT, "children"),
        Input(Ids.DETAILS_TABS, "value"),
        Input(Ids.VIEW, "data"),
    )
    def render_tab(tab: Any, stored: Any) -> list[Any]:
        if not stored:
            raise PreventUpdate
        view, changed = read_view_store(stored)
        if not needs_render(ctx.triggered_id, changed):
            raise PreventUpdate
        return guarded(lambda: tab_content(details, view, tab_key(tab), services.settings))

    @app.callback(
        Output(DetailsIds.OVERDUE_TABLE, "children"),
        Output(DetailsIds.OVERDUE_STATE, "data"),
        Input({"type": SORT_HEADER, "key": ALL}, "n_clicks"),
        Input(DetailsIds.OVERDUE_PREV, "n_clicks"),
        Input(DetailsIds.OVERDUE_NEXT, "n_clicks"),
        State(DetailsIds.OVERDUE_STATE, "data"),
        State(Ids.VIEW, "data"),
        prevent_initial_call=True,
    )
    def change_overdue_page(_sorts: Any, _prev: Any, _next: Any, state_data: Any, stored: Any) -> tuple:
        trigger = ctx.triggered_id
        if trigger is None or not stored or not ctx.triggered[0]["value"]:
            raise PreventUpdate  # a button was (re)drawn, not clicked
        view, _ = read_view_store(stored)
        code = unit_code(view, province_code)
        state = OverdueState.from_store(state_data)
        if isinstance(trigger, dict):
            state = sorted_by(state, trigger["key"])
        else:
            total = details.overdue_page(
                code, view.period, state.sort, state.descending, state.page, PAGE_SIZE
            ).total
            state = moved(state, -1 if trigger == DetailsIds.OVERDUE_PREV else 1, total)
        page = details.overdue_page(code, view.period, state.sort, state.descending, state.page, PAGE_SIZE)
        summary = overdue_summary(details, code, view, page.total, services.settings)
        return table_block(page, state, summary), state.to_store()

    @app.callback(
        Output(Ids.DETAILS_OVERDUE_DOWNLOAD, "data"),
        Input(DetailsIds.OVERDUE_CSV, "n_clicks"),
        State(DetailsIds.OVERDUE_STATE, "data"),
        State(Ids.VIEW, "data"),
        prevent_initial_call=True,
    )
    def download_overdue(clicks: Any, state_data: Any, stored: Any) -> dict[str, Any]:
        if not clicks or not stored:
            raise PreventUpdate
        view, _ = read_view_store(stored)
        code = unit_code(view, province_code)
        state = OverdueState.from_store(state_data)
        export = details.overdue_export(code, view.period, state.sort, state.descending)
        return dcc.send_bytes(export.content, overdue_filename(code, view.period), type=MEDIA_TYPES["csv"])

    @app.callback(
        Output(Ids.DETAILS_REPORT_DOWNLOAD, "data"),
        Input(DetailsIds.REPORT_XLSX, "n_clicks"),
        Input(DetailsIds.REPORT_CSV, "n_clicks"),
        State(Ids.VIEW, "data"),
        prevent_initial_call=True,
    )
    def download_report(_xlsx: Any, _csv: Any, stored: Any) -> dict[str, Any]:
        if not stored or not ctx.triggered[0]["value"]:
            raise PreventUpdate
        view, _ = read_view_store(stored)
        code = unit_code(view, province_code)
        fmt = "csv" if ctx.triggered_id == DetailsIds.REPORT_CSV else "xlsx"
        content = details.bieu06_bytes(code, view.period, fmt)
        return dcc.send_bytes(content, report_filename(code, view.period, fmt), type=MEDIA_TYPES[fmt])
