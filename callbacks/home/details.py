"""The detail tabs under the map: the active tab's content for the view's unit and period,
the overdue table's sort and pages, and the downloads (overdue CSV, Biểu số 06 XLSX/CSV).

Wiring only: read the VIEW store and the tab -> ask the DetailsService -> build with the
pure functions of layouts/home/details/. Only the active tab is computed and sent; a
metric change (the map's colouring) changes nothing here and sends nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, dcc, no_update
from dash.exceptions import PreventUpdate

from accounts.permissions import Read
from callbacks.common import auth
from callbacks.common.downloads import on_download
from callbacks.common.guard import READ_ERRORS, guarded, problem_text
from callbacks.common.services import Services
from config import Settings
from dossier_stats.bieu06.files import MEDIA_TYPES
from dossier_stats.details import DetailsService
from dossier_stats.overdue import OverduePage
from layouts.common.as_of import export_notes
from layouts.home.details.channels import channels_tab
from layouts.home.details.ids import SORT_HEADER, DetailsIds
from layouts.home.details.overdue import (
    PAGE_SIZE,
    OverdueState,
    moved,
    overdue_filename,
    overdue_tab,
    sorted_by,
    summary_text,
    table_block,
)
from layouts.home.details.report import report_filename, report_tab
from layouts.home.details.section import TabKey, chart_config, tab_key, unavailable
from layouts.home.details.trends import trend_end_month, trends_tab
from layouts.home.ids import Ids
from layouts.home.view import View, read_view_store

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


def unreadable(what: str) -> Callable[[Exception], list[Any]]:
    """What a tab shows instead of data it could not read (logged as `what`)."""

    def show(exc: Exception) -> list[Any]:
        log.exception("details: %s not readable", what)
        return unavailable(problem_text(exc))

    return show


def overdue_summary(details: DetailsService, code: str, view: View, total: int, settings: Settings) -> str:
    return summary_text(total, details.unit_name(code), view.period, settings.today())


def trends_content(details: DetailsService, view: View, code: str, settings: Settings) -> list[Any]:
    end_month = trend_end_month(view.period.last_month, settings.today())
    return trends_tab(details.trends(code, end_month), chart_config())


def overdue_content(details: DetailsService, view: View, code: str, settings: Settings) -> list[Any]:
    if refused := auth.refusal(settings, Read.DOSSIER_LISTS, code):
        return auth.refused_block(refused)
    state = OverdueState()
    page = details.overdue_page(code, view.period, state.sort, state.descending, state.page, PAGE_SIZE)
    return overdue_tab(page, state, overdue_summary(details, code, view, page.total, settings))


def channels_content(details: DetailsService, view: View, code: str, _settings: Settings) -> list[Any]:
    return channels_tab(details.channels(code, view.period), chart_config())


def report_content(details: DetailsService, view: View, code: str, _settings: Settings) -> list[Any]:
    return report_tab(details.bieu06(code, view.period), view.period)


# What each tab of layouts/home/details/section.TABS shows: (details, view, unit code, settings) -> content.
TAB_CONTENT: dict[TabKey, Callable[[DetailsService, View, str, Settings], list[Any]]] = {
    "trends": trends_content,
    "overdue": overdue_content,
    "channels": channels_content,
    "report": report_content,
}


def tab_content(details: DetailsService, view: View, tab: TabKey, settings: Settings) -> list[Any]:
    return TAB_CONTENT[tab](details, view, unit_code(view, settings.province_code), settings)


def after_click(
    state: OverdueState, click: dict[str, Any] | None, page_of: Callable[[OverdueState], OverduePage]
) -> OverdueState:
    """The sort and page after a click ({"action": "sort" | "prev" | "next", "key": …});
    None (new data): the same sort and page, if the page still exists."""
    if click and click.get("action") == "sort":
        return sorted_by(state, str(click.get("key")))
    step = {"prev": -1, "next": 1}.get((click or {}).get("action", ""), 0)
    return moved(state, step, page_of(state).total)


def register_tab(app: Dash, details: DetailsService, settings: Settings) -> None:
    @app.callback(
        Output(Ids.DETAILS_CONTENT, "children"),
        Input(Ids.DETAILS_TABS, "value"),
        Input(Ids.VIEW_DRAWN, "data"),  # the view, once the map shows it: the tabs come after
        Input(Ids.LIVE_STATE, "data"),
        prevent_initial_call=True,  # the page's first view arrives through VIEW_DRAWN
    )
    def render_tab(tab: Any, stored: Any, _live: Any) -> list[Any]:
        if stored is None:
            raise PreventUpdate
        view, changed = read_view_store(stored)
        key = tab_key(tab)
        if ctx.triggered_id == Ids.LIVE_STATE:  # new data: the same tab again, with new figures
            if key == "overdue":
                raise PreventUpdate  # its block refreshes itself, keeping sort and page
        elif not needs_render(ctx.triggered_id, changed):
            raise PreventUpdate
        return guarded(lambda: tab_content(details, view, key, settings), unreadable("data"))


def register_overdue_pages(app: Dash, details: DetailsService, settings: Settings) -> None:
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
        if stored is None or (ctx.triggered_id == DetailsIds.OVERDUE_CLICK and not click):
            raise PreventUpdate
        view, _ = read_view_store(stored)
        code = unit_code(view, settings.province_code)
        if refused := auth.refusal(settings, Read.DOSSIER_LISTS, code):
            return auth.refused_block(refused), no_update
        state = OverdueState.from_store(state_data)

        def page_of(s: OverdueState) -> OverduePage:
            return details.overdue_page(code, view.period, s.sort, s.descending, s.page, PAGE_SIZE)

        clicked = click if ctx.triggered_id == DetailsIds.OVERDUE_CLICK else None

        def block() -> tuple:
            new_state = after_click(state, clicked, page_of)
            page = page_of(new_state)
            summary = overdue_summary(details, code, view, page.total, settings)
            return table_block(page, new_state, summary), new_state.to_store()

        return guarded(block, lambda exc: (unreadable("overdue list")(exc), no_update))


def send_file(
    stored: Any,
    access: tuple[Settings, Read, Any],
    make: Callable[[View, str], tuple[bytes, str, str]],
    failure: str,
) -> tuple[Any, str]:
    """The file make(view, unit code) -> (bytes, file name, media type) for the browser to
    save, or `failure` and the reason next to the button when its data cannot be read;
    access (settings, what, engine) is checked first and a restricted file is audited."""
    settings, what, engine = access
    view, _ = read_view_store(stored)
    code = unit_code(view, settings.province_code)
    if refused := auth.refusal(settings, what, code):
        return no_update, refused
    try:
        content, filename, media_type = make(view, code)
        auth.record_export(engine, what, filename, f"{auth.READ_LABELS[what]} — đơn vị {code}")
    except READ_ERRORS as exc:
        log.exception("details: %s", failure)
        return no_update, f"{failure}: {problem_text(exc)}"
    return dcc.send_bytes(content, filename, type=media_type), ""


def register_downloads(app: Dash, details: DetailsService, settings: Settings) -> None:
    overdue_state, view = State(DetailsIds.OVERDUE_STATE, "data"), State(Ids.VIEW, "data")

    @on_download(
        app,
        DetailsIds.OVERDUE_DOWNLOAD,
        DetailsIds.OVERDUE_MESSAGE,
        [DetailsIds.OVERDUE_CSV],
        overdue_state,
        view,
    )
    def download_overdue(clicks: Any, state_data: Any, stored: Any) -> tuple[Any, str]:
        if not clicks or not stored:
            raise PreventUpdate
        state = OverdueState.from_store(state_data)

        def overdue_csv(view: View, code: str) -> tuple[bytes, str, str]:
            notes = export_notes(details.data_time())  # the rule and source lines
            export = details.overdue_export(code, view.period, state.sort, state.descending, notes)
            return export.content, overdue_filename(code, view.period), MEDIA_TYPES["csv"]

        access = (settings, Read.DOSSIER_LISTS, details.engine)
        return send_file(stored, access, overdue_csv, "Không tải được danh sách")

    report_buttons = [DetailsIds.REPORT_XLSX, DetailsIds.REPORT_CSV]

    @on_download(app, DetailsIds.REPORT_DOWNLOAD, DetailsIds.REPORT_MESSAGE, report_buttons, view)
    def download_report(_xlsx: Any, _csv: Any, stored: Any) -> tuple[Any, str]:
        if stored is None or not ctx.triggered[0]["value"]:
            raise PreventUpdate
        fmt = "csv" if ctx.triggered_id == DetailsIds.REPORT_CSV else "xlsx"

        def report_file(view: View, code: str) -> tuple[bytes, str, str]:
            content = details.bieu06_bytes(code, view.period, fmt)
            return content, report_filename(code, view.period, fmt), MEDIA_TYPES[fmt]

        return send_file(stored, (settings, Read.FIGURES, None), report_file, "Không tạo được biểu")


def register(app: Dash, services: Services) -> None:
    """The active tab, the overdue table's sort and pages, the two downloads."""
    register_tab(app, services.details, services.settings)
    register_overdue_pages(app, services.details, services.settings)
    register_downloads(app, services.details, services.settings)
