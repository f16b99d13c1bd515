"""The results page: URL (year, group) -> the group's results table; year and group
selectors write the URL; the two buttons download the year's annex (every group) as
XLSX or CSV, written by scoring.export."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from dash import Dash, State, ctx, dcc, no_update
from dash.exceptions import PreventUpdate

from accounts.permissions import Read
from callbacks.common import auth
from callbacks.common.downloads import on_download
from callbacks.common.guard import READ_ERRORS, problem_text
from callbacks.common.services import Services
from callbacks.scoring.common import (
    draw_table,
    read_request,
    register_content,
    register_selectors,
    scoring_service,
)
from layouts.scoring.common import choose_group, year_dropdown
from layouts.scoring.ids import ScoringIds
from layouts.scoring.results import (
    edition_note,
    edition_selector,
    export_filename,
    group_selector,
    results_view,
)
from scoring.export import ExportFormat, write_results
from scoring.results import GroupResults
from scoring.service import ScoringService


def results_content(services: Services, search: str | None) -> list[Any]:
    refused = auth.refusal(services.settings, Read.PUBLISHED_RESULTS)
    if refused is not None:
        return results_view(None, controls=[], messages=[refused], year=None, group_count=0)
    service = scoring_service(services)
    request = read_request(service, search)
    messages = list(request.year.messages)
    year = request.year.year
    if year is None:
        return results_view(None, controls=[], messages=messages, year=None, group_count=0)
    editions = [(e.id, e.name) for e in services.stats.editions()]
    edition, edition_messages = results_edition(service, request.query, editions, year)
    messages += edition_messages
    groups = service.edition_groups(year, edition)
    group, group_messages = choose_group(request.query.get("group"), groups, year)
    messages += group_messages
    controls = [
        year_dropdown(ScoringIds.RESULTS_YEAR, service.years(), year),
        group_selector(groups, group),
        edition_selector(editions, edition),
    ]
    whole = service.edition_table(year, group, edition) if group else None
    table = auth.readable_table(services.settings, whole)
    if hidden := auth.hidden_count(services.settings, whole):
        messages.append(auth.HIDDEN_NOTE.format(n=hidden))
    group_size = len(service.results(year, group)) if group else 0
    note = edition_note(dict(editions).get(edition or ""), group_size, len(whole.rows) if whole else 0)
    return results_view(
        table, controls=controls, messages=messages, year=year, group_count=len(groups), note=note
    )


def results_edition(
    service: ScoringService, query: dict[str, str], editions: list[tuple[str, str]], year: int
) -> tuple[str | None, list[str]]:
    """The edition of the results: the URL's, else the year's (its last day's); a link to a
    group the year's edition has not (districts after 2025) opens the latest edition that has
    it, as old district links of the map open the edition with districts."""
    raw = query.get("edition")
    edition, messages = choose_edition(raw, editions, service.year_edition(year))
    wanted = query.get("group")
    if not raw and wanted and wanted not in service.edition_groups(year, edition):
        having = [e for e, _name in editions if wanted in service.edition_groups(year, e)]
        edition = having[-1] if having else edition
    return edition, messages


def choose_edition(
    raw: str | None, editions: list[tuple[str, str]], default: str | None
) -> tuple[str | None, list[str]]:
    """The edition the URL asks for when it is stored, else the year's (its last day's)."""
    known = dict(editions)
    if not raw or raw in known:
        return (raw or default), []
    return default, [
        f"Không có phiên bản bản đồ '{raw[:40]}'; đang hiển thị {known.get(default or '', '—')}."
    ]


def year_tables(service: ScoringService, year: int) -> list[GroupResults]:
    return [t for g in service.groups(year) if (t := service.results_table(year, g)) is not None]


def readable_year_tables(services: Services, service: ScoringService, year: int) -> list[GroupResults]:
    """The year's tables with the rows the reader may see; groups left empty are dropped."""
    readable = (auth.readable_table(services.settings, t) for t in year_tables(service, year))
    return [t for t in readable if t is not None and t.rows]


def export_bytes(tables: list[GroupResults], fmt: ExportFormat) -> bytes:
    """The export file's bytes (scoring.export writes files: through a temporary one)."""
    with tempfile.TemporaryDirectory(prefix="cchc-export-") as folder:
        path = write_results(tables, fmt, Path(folder) / f"ket-qua.{fmt}")
        return path.read_bytes()


def register(app: Dash, services: Services) -> None:
    draw_table(app, ScoringIds.RESULTS_TABLE, ScoringIds.RESULTS_TABLE_DATA)
    ids = (ScoringIds.RESULTS_URL, ScoringIds.RESULTS_CONTENT)
    register_content(app, services, ids, results_content, "bảng kết quả")
    register_selectors(
        app,
        ScoringIds.RESULTS_URL,
        {
            "year": ScoringIds.RESULTS_YEAR,
            "group": ScoringIds.RESULTS_GROUP,
            "edition": ScoringIds.RESULTS_EDITION,
        },
    )

    buttons = [ScoringIds.DOWNLOAD_XLSX, ScoringIds.DOWNLOAD_CSV]

    @on_download(
        app,
        ScoringIds.DOWNLOAD,
        ScoringIds.DOWNLOAD_MESSAGE,
        buttons,
        State(ScoringIds.RESULTS_URL, "search"),
    )
    def download(_xlsx: int, _csv: int, search: str | None) -> tuple[Any, str]:
        fmt: ExportFormat = "xlsx" if ctx.triggered_id == ScoringIds.DOWNLOAD_XLSX else "csv"
        if not ctx.triggered or not (_xlsx or _csv):
            raise PreventUpdate
        refused = auth.refusal(services.settings, Read.PUBLISHED_RESULTS)
        if refused is not None:
            return no_update, refused
        try:
            service = scoring_service(services)
            year = read_request(service, search).year.year
            tables = readable_year_tables(services, service, year) if year is not None else []
        except READ_ERRORS as exc:
            return no_update, f"Không tạo được tệp: {problem_text(exc)}"
        if year is None or not tables:
            return no_update, "Chưa có kết quả để tải."
        rows = sum(len(t.rows) for t in tables)
        provisional = sum(1 for t in tables for r in t.rows if r.provisional)
        name = export_filename(year, fmt)
        if provisional:  # provisional scores leave the server: the audit trail says who took them
            auth.record_export(
                service.engine, Read.PROVISIONAL_SCORES, name, f"{rows} đơn vị, {provisional} tạm tính"
            )
        data = dcc.send_bytes(export_bytes(tables, fmt), name)
        return data, f"Đã tạo {name} ({rows} đơn vị, {len(tables)} nhóm)."
