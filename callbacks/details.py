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

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy.exc import SQLAlchemyError

from callbacks.services import Services
from config import Settings
from dossier_stats.bieu06.files import MEDIA_TYPES
from dossier_stats.details import DetailsService
from dossier_stats.overdue import OverduePage
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
OVERDUE_CLICK_JS = ClientsideFunction(namespace="details", function_name="overdueClick")


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
    except (LookupError, SQLAlchemyError) as exc:
        log.exception("details: data not readable")
        return unavailable(problem_text(exc))


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


def after_click(
    state: OverdueState, click: dict[str, Any] | None, page_of: Callable[[OverdueState], OverduePage]
) -> OverdueState:
    """The sort and page after a click ({"action": "sort" | "prev" | "next", "key": …});
    None (new data): the same sort and page, if the page still exists."""
    if click and click.get("action") == "sort":
        return sorted_by(state, str(click.get("key")))
    step = {"prev": -1, "next": 1}.get((click or {}).get("action", ""), 0)
    return moved(state, step, page_of(state).total)


def problem_text(exc: Exception) -> str:
    """A short Vietnamese reason for a failed read (the details go to the log)."""
    if isinstance(exc, LookupError):
        return str(exc)
    return f"Lỗi cơ sở dữ liệu ({exc.__class__.__name__})."


def register(app: Dash, services: Services) -> None:
    settings = services.settings
    details = DetailsService(services.stats.engine, settings.province_code, stores=services.stores)

    @app.callback(
        Output(Ids.DETAILS_CONTENT, "children"),
        Input(Ids.DETAILS_TABS, "value"),
        Input(Ids.VIEW, "data"),
        Input(Ids.LIVE_STATE, "data"),
    )
    def render_tab(tab: Any, stored: Any, _live: Any) -> list[Any]:
        if not stored:
            raise PreventUpdate
        view, changed = read_view_store(stored)
        key = tab_key(tab)
        if ctx.triggered_id == Ids.LIVE_STATE:  # new data: the same tab again, with new figures
            if key == "overdue":
                raise PreventUpdate  # its block refreshes itself, keeping sort and page
        elif not needs_render(ctx.triggered_id, changed):
            raise PreventUpdate
        return guarded(lambda: tab_content(details, view, key, settings))

    app.clientside_callback(
        OVERDUE_CLICK_JS,
        Output(DetailsIds.OVERDUE_CLICK, "data"),
        Input({"type": SORT_HEADER, "key": ALL}, "n_clicks"),
        Input(DetailsIds.OVERDUE_PREV, "n_clicks"),
        Input(DetailsIds.OVERDUE_NEXT, "n_clicks"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(DetailsIds.OVERDUE_TABLE, "children"),
        Output(DetailsIds.OVERDUE_STATE, "data"),
        Input(DetailsIds.OVERDUE_CLICK, "data"),
        Input(Ids.LIVE_STATE, "data"),
        State(DetailsIds.OVERDUE_STATE, "data"),
        State(Ids.VIEW, "data"),
        prevent_initial_call=True,
    )
    def change_overdue_page(click: Any, _live: Any, state_data: Any, stored: Any) -> tuple:
        """A sort or page click (from assets/details.js), or new data (same sort and page)."""
        if not stored or (ctx.triggered_id == DetailsIds.OVERDUE_CLICK and not click):
            raise PreventUpdate
        view, _ = read_view_store(stored)
        code = unit_code(view, settings.province_code)
        state = OverdueState.from_store(state_data)

        def page_of(s: OverdueState) -> OverduePage:
            return details.overdue_page(code, view.period, s.sort, s.descending, s.page, PAGE_SIZE)

        clicked = click if ctx.triggered_id == DetailsIds.OVERDUE_CLICK else None
        try:
            state = after_click(state, clicked, page_of)
            page = page_of(state)
            summary = overdue_summary(details, code, view, page.total, settings)
        except (LookupError, SQLAlchemyError) as exc:
            log.exception("details: overdue list not readable")
            return unavailable(problem_text(exc)), no_update
        return table_block(page, state, summary), state.to_store()

    @app.callback(
        Output(DetailsIds.OVERDUE_DOWNLOAD, "data"),
        Output(DetailsIds.OVERDUE_MESSAGE, "children"),
        Input(DetailsIds.OVERDUE_CSV, "n_clicks"),
        State(DetailsIds.OVERDUE_STATE, "data"),
        State(Ids.VIEW, "data"),
        prevent_initial_call=True,
    )
    def download_overdue(clicks: Any, state_data: Any, stored: Any) -> tuple[Any, str]:
        if not clicks or not stored:
            raise PreventUpdate
        view, _ = read_view_store(stored)
        code = unit_code(view, settings.province_code)
        state = OverdueState.from_store(state_data)
        try:
            export = details.overdue_export(code, view.period, state.sort, state.descending)
        except (LookupError, SQLAlchemyError) as exc:
            log.exception("details: overdue CSV not readable")
            return no_update, f"Không tải được danh sách: {problem_text(exc)}"
        file = dcc.send_bytes(export.content, overdue_filename(code, view.period), type=MEDIA_TYPES["csv"])
        return file, ""

    @app.callback(
        Output(DetailsIds.REPORT_DOWNLOAD, "data"),
        Output(DetailsIds.REPORT_MESSAGE, "children"),
        Input(DetailsIds.REPORT_XLSX, "n_clicks"),
        Input(DetailsIds.REPORT_CSV, "n_clicks"),
        State(Ids.VIEW, "data"),
        prevent_initial_call=True,
    )
    def download_report(_xlsx: Any, _csv: Any, stored: Any) -> tuple[Any, str]:
        if not stored or not ctx.triggered[0]["value"]:
            raise PreventUpdate
        view, _ = read_view_store(stored)
        code = unit_code(view, settings.province_code)
        fmt = "csv" if ctx.triggered_id == DetailsIds.REPORT_CSV else "xlsx"
        try:
            content = details.bieu06_bytes(code, view.period, fmt)
        except (LookupError, SQLAlchemyError) as exc:
            log.exception("details: report not readable")
            return no_update, f"Không tạo được biểu: {problem_text(exc)}"
        return dcc.send_bytes(content, report_filename(code, view.period, fmt), type=MEDIA_TYPES[fmt]), ""
