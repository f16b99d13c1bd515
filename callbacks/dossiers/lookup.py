"""/dossiers/lookup: the code typed -> the URL (?code=…) -> the dossier, after the account
check (dossier lists: leaders and appraisers see every dossier, a unit's staff only their
unit's; the quarantined rows of other units' files only the former)."""

from __future__ import annotations

import logging
from typing import Any

from dash import Dash, Input, Output, State, no_update

from accounts.permissions import Read, may_read
from accounts.web import current_actor
from callbacks.common.guard import READ_ERRORS, problem_text
from callbacks.common.services import Services
from callbacks.dossiers.access import page_refusal
from layouts.common.dossier_links import LOOKUP_PATH
from layouts.common.urls import parse_query, query_search
from layouts.dossiers.common import refusal
from layouts.dossiers.ids import DossierIds
from layouts.dossiers.lookup_page import lookup_view

log = logging.getLogger(__name__)


def lookup_content(services: Services, search: str | None, pathname: str | None) -> list[Any]:
    code = (parse_query(search).get("code") or "").strip()
    public = services.settings.public_access
    actor = current_actor()
    everything = may_read(actor, Read.DOSSIER_LISTS, None, public)
    if not everything and (actor is None or not actor.unit_code):
        denied = page_refusal(services, None, pathname or LOOKUP_PATH, search)
        if denied is not None:
            return denied
    if not code:
        return lookup_view(None, [])
    try:
        result = services.lists.lookup(code)
    except ValueError as exc:
        return lookup_view(None, [str(exc)])
    except READ_ERRORS as exc:
        log.warning("dossier lookup not readable: %s", exc)
        return lookup_view(None, [problem_text(exc)])
    if not everything:  # a unit's staff: only a dossier of their own unit, no other unit's rejects
        record = result.record
        owner = None if record is None else str(record.fields["agency_code"])
        if record is not None and not may_read(actor, Read.DOSSIER_LISTS, owner, public):
            return refusal(f"Hồ sơ “{result.code}” không thuộc đơn vị của tài khoản: không được xem.")
        return lookup_view(result, [], show_quarantine=False)
    return lookup_view(result, [])


def register(app: Dash, services: Services) -> None:
    @app.callback(
        Output(DossierIds.LOOKUP_URL, "search"),
        Input(DossierIds.LOOKUP_BUTTON, "n_clicks"),
        Input(DossierIds.LOOKUP_INPUT, "n_submit"),
        State(DossierIds.LOOKUP_INPUT, "value"),
        prevent_initial_call=True,
    )
    def search(_clicks: int | None, _submits: int | None, code: str | None) -> str:
        if not _clicks and not _submits:
            return no_update
        return query_search({"code": (code or "").strip()[:64]})

    @app.callback(
        Output(DossierIds.LOOKUP_CONTENT, "children"),
        Input(DossierIds.LOOKUP_URL, "search"),
        State(DossierIds.LOOKUP_URL, "pathname"),
    )
    def show(search_: str | None, pathname: str | None) -> list[Any]:
        return lookup_content(services, search_, pathname)
