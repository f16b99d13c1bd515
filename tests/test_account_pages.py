"""The account corner of every page, the audit page and its CSV, the officials' statistics
page and its CSV — over HTTP against the real app, on both backends."""

from __future__ import annotations

import csv
import io
from datetime import date
from urllib.parse import quote

import pytest
from sqlalchemy import select

from accounts.audit import CSV_HEADER, entries
from db.schema import dossiers
from dossier_stats.officials import STATEMENT, officials_report
from importer.handlers import import_handlers
from layouts.common.ids import AppIds
from tests.access_fixtures import (
    ACCOUNTS,
    DISTRICT,
    answer_text,
    client_as,
    dash_payload,
    make_app,
    make_database,
    texts,
)
from vi_format import format_int, format_percent


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(request, tmp_path_factory):
    yield from make_database(request.param, tmp_path_factory.mktemp("pages"))


@pytest.fixture(scope="module")
def app(database):
    return make_app(database)


@pytest.fixture(scope="module")
def engine(app):
    return app.server.extensions["bando"].scoring.engine


def open_page(client, path: str, search: str = ""):
    """What the router answers for a visit of path?search (the page the browser shows)."""
    payload = dash_payload(
        [(AppIds.PAGE, "children")],
        [(AppIds.ROUTER_URL, "pathname", path)],
        [(AppIds.ROUTER_URL, "search", search)],
    )
    return client.post("/_dash-update-component", json=payload)


def corner(response) -> str:
    """The account corner's text and links (id account-bar) of a page."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == "account-bar":
                found.append(repr(props))
            walk(props.get("children"))

    assert response.status_code == 200, response.get_data(as_text=True)
    walk(response.get_json()["response"][str(AppIds.PAGE)]["children"])
    return found[0] if found else ""


def test_the_header_names_the_account_and_its_roles_with_a_logout_link(app):
    leader = client_as(app, "leader")
    text = corner(open_page(leader, "/scoring/results", "?year=2025"))
    assert ACCOUNTS["leader"][0] in text and "Lãnh đạo" in text
    assert "'href': '/logout'" in text and "Đăng xuất" in text
    staff = corner(open_page(client_as(app, "staff_502"), "/"))
    assert ACCOUNTS["staff_502"][0] in staff and "Cán bộ đơn vị" in staff


def test_an_anonymous_visitor_gets_a_login_link_back_to_the_page(app):
    text = corner(open_page(client_as(app, "anonymous"), "/scorecard", "?unit=SNV&year=2025"))
    assert "Đăng nhập" in text and "/login?next=%2Fscorecard%3Funit%3DSNV%26year%3D2025" in text
    assert "Đăng xuất" not in text


def test_the_wall_has_no_account_corner(app):
    response = open_page(client_as(app, "kiosk"), "/wall")
    assert corner(response) == "" and "Đăng nhập" not in answer_text(response)


def audit_rows(response) -> str:
    return answer_text(response)


def table_rows(response, class_name: str) -> list[list[str]]:
    """The body rows (cell texts) of the table with that class in a page."""
    found: list[list[str]] = []

    def walk(node, inside: bool) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child, inside)
        elif isinstance(node, dict):
            props = node.get("props", {})
            here = inside or class_name in (props.get("className") or "").split()
            if here and node.get("type") == "Tr" and not found_header(props):
                found.append([" ".join(texts(c.get("props", {}).get("children"))) for c in props["children"]])
                return
            walk(props.get("children"), here)

    def found_header(props: dict) -> bool:
        return any(c.get("type") == "Th" for c in props.get("children") or [])

    walk(response.get_json()["response"][str(AppIds.PAGE)]["children"], False)
    return found


@pytest.mark.parametrize("role", ["admin", "leader"])
def test_the_audit_page_lists_the_trail_with_filters_for_admin_and_leader(app, role):
    client = client_as(app, role)
    name = ACCOUNTS[role][0]
    page = audit_rows(open_page(client, "/audit"))
    assert "Nhật ký hệ thống" in page and "Đăng nhập" in page and name in page
    rows = table_rows(open_page(client, "/audit"), "audit-table")
    assert [name, "127.0.0.1", "Đăng nhập"] in [r[1:4] for r in rows]
    only = table_rows(open_page(client, "/audit", f"?user={name}"), "audit-table")
    assert only and {r[1] for r in only} == {name}
    future = open_page(client, "/audit", "?since=2099-01-01")
    assert table_rows(future, "audit-table") == [] and "0 dòng mới nhất" in audit_rows(future)
    bad = audit_rows(open_page(client, "/audit", "?since=31/02/2026"))
    assert "Ngày '31/02/2026' không đọc được: nhập dạng dd/mm/yyyy." in bad


@pytest.mark.parametrize("role", ["anonymous", "appraiser", "staff_snv", "kiosk"])
def test_the_audit_page_and_csv_are_refused_to_everyone_else(app, engine, role):
    client = client_as(app, role)
    with engine.connect() as conn:
        before = len(entries(conn))
    page = audit_rows(open_page(client, "/audit"))
    assert "không được xem nhật ký hệ thống" in page or "Cần đăng nhập để xem nhật ký hệ thống" in page
    assert "dòng mới nhất" not in page
    response = client.get("/audit.csv")
    assert response.status_code == 403 and "nhật ký hệ thống" in response.get_data(as_text=True)
    with engine.connect() as conn:
        assert len(entries(conn)) == before


def test_the_audit_csv_is_safe_for_spreadsheets_and_its_download_is_audited(app, engine):
    hostile = client_as(app, "anonymous")
    hostile.post("/login", data={"username": '=HYPERLINK("http://x")', "password": "x", "next": "/"})
    client = client_as(app, "admin")
    response = client.get("/audit.csv?user=" + quote('=hyperlink("http://x")'))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="nhat-ky-he-thong.csv"'
    table = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert table[0] == list(CSV_HEADER)
    assert [row[2] for row in table[1:]] == ['\'=hyperlink("http://x")']  # text, never a formula
    with engine.connect() as conn:
        last = entries(conn, newest_first=True, limit=1)[0]
    assert (last.action, last.account, last.target) == (
        "export",
        ACCOUNTS["admin"][0],
        "nhat-ky-he-thong.csv",
    )
    assert client.get("/audit.csv?since=hôm-qua").status_code == 400


@pytest.fixture(scope="module")
def named_handler(app, engine, tmp_path_factory):
    """(handler id of district 502 with dossiers in 2025, the name its mapping gives)."""
    with engine.connect() as conn:
        handler = conn.execute(
            select(dossiers.c.handler_id)
            .where(dossiers.c.agency_code == DISTRICT, dossiers.c.handler_id != "")
            .where(dossiers.c.received_on >= date(2025, 1, 1), dossiers.c.received_on <= date(2025, 12, 31))
            .order_by(dossiers.c.handler_id)
            .limit(1)
        ).scalar_one()
    mapping = tmp_path_factory.mktemp("handlers") / "handlers.csv"
    mapping.write_text(
        f"handler_id,full_name,unit_code\n{handler},Nguyễn Thị Kiểm Thử,{DISTRICT}\n", encoding="utf-8"
    )
    assert import_handlers(engine, mapping).inserted == 1
    return handler, "Nguyễn Thị Kiểm Thử"


@pytest.mark.parametrize("role", ["leader", "appraiser", "staff_502"])
def test_officials_statistics_with_the_units_and_provinces_figures_and_names(app, named_handler, role):
    handler, name = named_handler
    client = client_as(app, role)
    search = "?year=2025" + ("" if role == "staff_502" else f"&unit={DISTRICT}")  # staff: their unit
    response = open_page(client, "/officials", search)
    page = answer_text(response)
    assert STATEMENT in page
    rows = {r[0]: r for r in table_rows(response, "officials-table")}
    assert rows and all(r[2] == f"Ủy ban nhân dân thành phố Tam Kỳ ({DISTRICT})" for r in rows.values())
    mine = rows[handler]
    assert mine[1] == name  # the mapping's name, for readers who may see it
    with app.server.extensions["bando"].stats.engine.connect() as conn:
        report = officials_report(conn, 2025, date(2026, 3, 2), DISTRICT, with_names=True)
    row = next(r for r in report.rows if r.handler_id == handler)
    assert mine[3] == format_int(row.figures.handled)
    assert mine[8:11] == [
        format_percent(row.figures.on_time_rate),
        format_percent(report.units[DISTRICT].on_time_rate),
        format_percent(report.province.on_time_rate),
    ]
    csv_file = client.get(f"/officials.csv?year=2025&unit={DISTRICT}")
    assert csv_file.status_code == 200
    assert (
        csv_file.headers["Content-Disposition"]
        == f'attachment; filename="thong-ke-can-bo-2025-{DISTRICT}.csv"'
    )
    table = list(csv.reader(io.StringIO(csv_file.get_data().decode("utf-8-sig"))))
    assert [handler, name] in [r[1:3] for r in table[1:]]
    with app.server.extensions["bando"].stats.engine.connect() as conn:
        last = entries(conn, newest_first=True, limit=1)[0]
    assert (last.action, last.account, last.target) == (
        "export",
        ACCOUNTS[role][0],
        f"thong-ke-can-bo-2025-{DISTRICT}.csv",
    )


@pytest.mark.parametrize(
    ("role", "unit", "reason"),
    [
        ("anonymous", DISTRICT, "Cần đăng nhập để xem thống kê theo cán bộ, công chức."),
        ("admin", DISTRICT, "không được xem thống kê theo cán bộ, công chức của đơn vị 502."),
        ("staff_502", "SNV", "không được xem thống kê theo cán bộ, công chức của đơn vị SNV."),
        ("staff_snv", DISTRICT, "không được xem thống kê theo cán bộ, công chức của đơn vị 502."),
        ("kiosk", DISTRICT, "không được xem thống kê theo cán bộ, công chức của đơn vị 502."),
    ],
)
def test_officials_statistics_are_refused_to_other_readers(app, engine, named_handler, role, unit, reason):
    client = client_as(app, role)
    with engine.connect() as conn:
        before = len(entries(conn))
    response = open_page(client, "/officials", f"?year=2025&unit={unit}")
    assert reason in answer_text(response) and table_rows(response, "officials-table") == []
    assert named_handler[1] not in answer_text(response)
    download = client.get(f"/officials.csv?year=2025&unit={unit}")
    assert download.status_code == 403 and reason in download.get_data(as_text=True)
    with engine.connect() as conn:
        assert len(entries(conn)) == before


def test_a_unit_without_handled_dossiers_says_so_and_a_bad_year_is_named(app):
    client = client_as(app, "leader")
    response = open_page(client, "/officials", "?year=2025&unit=KHONGCO")
    assert "Không có hồ sơ nào có mã cán bộ xử lý của đơn vị KHONGCO trong năm 2025." in answer_text(response)
    assert table_rows(response, "officials-table") == []
    bad = answer_text(open_page(client, "/officials", "?year=1990&unit=502"))
    assert "Năm '1990' không có số liệu: đang hiện năm 2026." in bad
    assert client.get("/officials.csv?year=abc").status_code == 400
