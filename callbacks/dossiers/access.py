"""Who may see dossier lists: checked on the server for every page content and every CSV,
against the logged-in account (accounts.permissions.may_read, Read.DOSSIER_LISTS).

Anonymous visitors get the Vietnamese login prompt (a page) or a redirect to /login (a
file); an account whose role may not see the unit's dossiers gets the reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar
from urllib.parse import urlencode

from dash import Dash, Input, Output, State
from flask import Flask, Response, redirect, request

from accounts.permissions import PermissionDenied, Read, require_read
from accounts.web import current_actor, refuse
from callbacks.common import auth
from callbacks.common.guard import READ_ERRORS, problem_text
from callbacks.common.services import Services
from layouts.common.urls import app_path, parse_query
from layouts.dossiers.common import login_prompt, refusal


def refused(services: Services, unit_code: str | None) -> str | None:
    """None when the current account may see the unit's dossier lists, else why not
    ("" for an anonymous visitor: the login prompt says it)."""
    actor = current_actor()
    try:
        require_read(actor, Read.DOSSIER_LISTS, unit_code, services.settings.public_access)
    except PermissionDenied as exc:
        return "" if actor is None else str(exc)
    return None


def page_refusal(
    services: Services, unit_code: str | None, path: str, search: str | None
) -> list[Any] | None:
    """The login prompt or the refusal to show instead of a page's content; None: allowed."""
    reason = refused(services, unit_code)
    if reason is None:
        return None
    return login_prompt(path, search) if reason == "" else refusal(reason)


def route_refusal(services: Services, unit_code: str | None) -> Response | None:
    """For a file route: the login page (redirect, coming back here after) or 403 with the reason."""
    reason = refused(services, unit_code)
    if reason is None:
        return None
    if reason == "":
        wanted = request.full_path if request.query_string else request.path
        return redirect(app_path("/login?" + urlencode({"next": wanted})), 303)  # type: ignore[return-value]
    return refuse(reason)


class CsvExport(Protocol):
    content: bytes


E = TypeVar("E", bound=CsvExport)


def csv_response(
    services: Services, unit_code: str | None, build: Callable[[], E], name_of: Callable[[E], str]
) -> Response:
    """A dossier list's CSV as a download, its export written in the audit trail; a request
    the list cannot answer is 400 with the reason, data that cannot be read 404."""
    try:
        export = build()
    except (ValueError, *READ_ERRORS) as exc:
        bad_request = isinstance(exc, ValueError)
        message = str(exc) if bad_request else problem_text(exc)
        return Response(message, status=400 if bad_request else 404, mimetype="text/plain")
    name = name_of(export)
    auth.record_export(services.stats.engine, Read.DOSSIER_LISTS, name, f"đơn vị {unit_code or 'toàn tỉnh'}")
    return Response(
        export.content, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


class UnitRequest(Protocol):
    @property
    def unit(self) -> str | None: ...


R = TypeVar("R", bound=UnitRequest)


def register_page(
    app: Dash,
    services: Services,
    ids: tuple[str, str],
    path: str,
    read: Callable[[dict[str, str]], R],
    content: Callable[[Services, R], list[Any]],
) -> None:
    """A dossier page follows its URL: ids (its dcc.Location, its content); the query is read
    by `read`, and content(services, request) is shown when the account may see the unit,
    else the login prompt (back to `path`) or the refusal."""
    url_id, content_id = ids

    @app.callback(Output(content_id, "children"), Input(url_id, "search"), State(url_id, "pathname"))
    def show(search: str | None, pathname: str | None) -> list[Any]:
        request_ = read(parse_query(search))
        denied = page_refusal(services, request_.unit, pathname or path, search)
        return denied if denied is not None else content(services, request_)


def register_csv_route(
    server: Flask,
    services: Services,
    route_at: tuple[str, str],
    read: Callable[[dict[str, str]], R],
    respond: Callable[[R], Response],
) -> None:
    """The CSV route `route_at` (path, Flask endpoint name), checked again (a file URL can
    be opened without the page): the query (values stripped) read by `read`, then
    respond(request) when the account may see the unit, else route_refusal's answer."""

    def route() -> Response:
        request_ = read({k: v.strip() for k, v in request.args.items()})
        denied = route_refusal(services, request_.unit)
        return denied if denied is not None else respond(request_)

    path, endpoint = route_at
    server.add_url_rule(services.settings.url_prefix + path.lstrip("/"), endpoint, route)
