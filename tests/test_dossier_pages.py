"""The dossier pages over HTTP (Flask's test client of the real app), on both backends:
the list behind every count shows as many dossiers as the figure (the page's total and the
CSV's rows equal the map's KPI), and who may see them is checked on the server for the page
content and for the CSV route."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from accounts.permissions import Role
from config import Settings
from db.engine import make_engine
from db.schema import agencies, dossiers
from dossier_stats.dossier_list import ListOrder
from dossier_stats.drill import COUNT_KINDS, DrillCell
from dossier_stats.periods import Period
from importer.setup import ensure_database
from layouts.common.dossier_links import (
    DUE_SOON_EXPORT_PATH,
    DUE_SOON_PATH,
    LOOKUP_PATH,
    drill_export_href,
    drill_href,
)
from layouts.dossiers.common import LOGIN_PROMPT
from layouts.dossiers.ids import DossierIds
from tests.accounts_fixtures import PASSWORD, ensure_account
from tests.app_client import app_client
from tests.conftest import backend_url
from vi_format import format_int

APP_TODAY = "2026-11-18"  # mid-month: November runs, "tính đến ngày 18/11/2026"
RUNNING, FINISHED = Period("month", 2026, 11), Period("month", 2026, 10)
DISTRICT = "502"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(request, tmp_path_factory) -> Iterator[Settings]:
    data_dir = tmp_path_factory.mktemp("dossier-pages")
    with backend_url(request.param, data_dir) as url:
        settings = Settings.from_env({"DATA_DIR": str(data_dir), "DATABASE_URL": url, "APP_TODAY": APP_TODAY})
        ensure_database(settings, demo_dossiers=2500, seed=11, progress=False)
        engine = make_engine(url)
        ensure_account(engine, "lanhdao", {Role.LEADER})
        ensure_account(engine, "cb.snv", {Role.UNIT_STAFF}, "SNV")
        engine.dispose()
        yield settings


@pytest.fixture(scope="module")
def app(database):
    from app import create_app

    return create_app(database)


def client_as(app, username: str | None):
    client = app_client(app)
    if username is not None:
        answer = client.post("/login", data={"username": username, "password": PASSWORD, "next": "/"})
        assert answer.status_code == 303, answer.get_data(as_text=True)
    return client


def content(client, href: str) -> list[Any]:
    """What the list page's callback puts on the page for the URL `href`."""
    path, _, query = href.partition("?")
    payload = {
        "output": f"{DossierIds.LIST_CONTENT}.children",
        "outputs": {"id": str(DossierIds.LIST_CONTENT), "property": "children"},
        "inputs": [{"id": str(DossierIds.LIST_URL), "property": "search", "value": "?" + query}],
        "state": [{"id": str(DossierIds.LIST_URL), "property": "pathname", "value": path}],
        "changedPropIds": [f"{DossierIds.LIST_URL}.search"],
    }
    answer = client.post("/_dash-update-component", json=payload)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()["response"][str(DossierIds.LIST_CONTENT)]["children"]


def texts(node) -> Iterator[str]:
    if isinstance(node, str | int | float) and not isinstance(node, bool):
        yield str(node)
    elif isinstance(node, list):
        for child in node:
            yield from texts(child)
    elif isinstance(node, dict):
        yield from texts(node.get("props", {}).get("children"))


def find(node, component_id: str) -> dict | None:
    if isinstance(node, list):
        return next((f for child in node if (f := find(child, component_id)) is not None), None)
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == component_id:
            return node
        return find(props.get("children"), component_id)
    return None


def text_of(node, component_id: str) -> str:
    found = find(node, component_id)
    assert found is not None, f"no {component_id} in {node}"
    return " ".join(texts(found))


def shown_total(node) -> int:
    return int(text_of(node, DossierIds.TOTAL).replace(".", ""))


def csv_lines(client, href: str) -> list[list[str]]:
    answer = client.get(href)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(answer.get_data().decode("utf-8-sig"))))


def test_every_count_opens_a_list_as_long_as_the_figure(app):
    stats = app.server.extensions["bando"].stats
    client = client_as(app, "lanhdao")
    checked = 0
    for period in (FINISHED, RUNNING):
        figures = {None: stats.province_kpis(period)}
        figures[DISTRICT] = next(d.kpis for d in stats.district_kpis(period) if d.code == DISTRICT)
        for unit, kpis in figures.items():
            for kind in COUNT_KINDS:
                expected = getattr(kpis, kind)
                page = content(client, drill_href(unit, period.key, kind))
                assert shown_total(page) == expected, (period.key, unit, kind)
                lines = csv_lines(client, drill_export_href(unit, period.key, DrillCell(kind)))
                header = next(i for i, line in enumerate(lines) if line[:1] == ["Mã hồ sơ"])
                assert len(lines) - header - 1 == expected, (period.key, unit, kind)
                checked += expected
    assert checked > 300  # the demo data have dossiers behind most figures


def test_a_running_period_says_to_which_day_it_is_counted_on_screen_and_in_the_csv(app):
    client = client_as(app, "lanhdao")
    href = drill_href(DISTRICT, RUNNING.key, "pending_overdue")
    assert (
        text_of(content(client, href), DossierIds.AS_OF)
        == "Kỳ chưa kết thúc: số liệu tính đến ngày 18/11/2026"
    )
    finished = content(client, drill_href(DISTRICT, FINISHED.key, "pending_overdue"))
    assert text_of(finished, DossierIds.AS_OF) == "Số liệu tính đến ngày 31/10/2026"
    lines = csv_lines(client, drill_export_href(DISTRICT, RUNNING.key, DrillCell("pending_overdue")))
    assert lines[0][0].startswith("Đang giải quyết quá hạn — ") and "Tháng 11/2026" in lines[0][0]
    assert lines[1] == ["Số liệu tính đến ngày 18/11/2026"]
    assert lines[2][0].startswith("Quy tắc: kỳ chưa kết thúc")
    assert lines[3][0].startswith("Nguồn: ") and "dữ liệu cập nhật lúc" in lines[3][0]
    assert lines[4][:3] == ["Mã hồ sơ", "Mã thủ tục", "Tên thủ tục"]


def test_pages_are_sorted_and_paged_on_the_server(app):
    client = client_as(app, "lanhdao")
    year = "2026"
    whole = csv_lines(client, drill_export_href(None, year, DrillCell("received_total"), ListOrder("code")))
    codes = [line[0] for line in whole[5:]]
    assert len(codes) > 100
    base = drill_href(None, year, "received_total")
    first = content(client, base + "&sort=code")
    second = content(client, base + "&sort=code&page=2")
    shown = list(texts(find(first, DossierIds.TABLE)))
    assert codes[0] in shown and codes[49] in shown and codes[50] not in shown
    assert codes[50] in list(texts(find(second, DossierIds.TABLE)))
    summary = text_of(second, DossierIds.PAGER_SUMMARY)
    assert summary.startswith(f"Hồ sơ 51–100 / {format_int(len(codes))} · Trang 2/")
    backwards = content(client, base + "&sort=code&desc=1")
    assert codes[-1] in list(texts(find(backwards, DossierIds.TABLE)))


def test_anonymous_visitors_get_the_login_prompt_and_no_file(app):
    client = client_as(app, None)
    href = drill_href(DISTRICT, FINISHED.key, "received_total")
    page = content(client, href)
    assert LOGIN_PROMPT in text_of(page, DossierIds.ACCESS)
    assert find(page, DossierIds.TABLE) is None
    answer = client.get(drill_export_href(DISTRICT, FINISHED.key, DrillCell("received_total")))
    assert answer.status_code == 303 and "/login?next=" in answer.headers["Location"]


def test_unit_staff_see_their_own_unit_only(app):
    client = client_as(app, "cb.snv")
    own = content(client, drill_href("SNV", FINISHED.key, "received_total"))
    assert find(own, DossierIds.TABLE) is not None
    other = content(client, drill_href(DISTRICT, FINISHED.key, "received_total"))
    assert find(other, DossierIds.TABLE) is None
    assert "không được xem danh sách hồ sơ" in text_of(other, DossierIds.ACCESS)
    answer = client.get(drill_export_href(DISTRICT, FINISHED.key, DrillCell("received_total")))
    assert answer.status_code == 403 and "danh sách hồ sơ" in answer.get_data(as_text=True)
    assert client.get(drill_export_href("SNV", FINISHED.key, DrillCell("received_total"))).status_code == 200


def test_a_url_naming_no_figure_says_what_is_wrong(app):
    client = client_as(app, "lanhdao")
    page = content(client, "/dossiers?period=2026-13&count=everything")
    said = " ".join(texts(page))
    assert "Không hiểu kỳ báo cáo “2026-13”" in said and "Không có số liệu “everything”" in said
    future = content(client, drill_href(None, "2027-01", "received_total"))
    assert "chưa bắt đầu" in " ".join(texts(future))
    unknown = content(client, drill_href("XYZ", FINISHED.key, "received_total"))
    assert "Không tìm thấy đơn vị có mã 'XYZ'" in " ".join(texts(unknown))
    assert client.get("/dossiers/export.csv?period=x&count=y").status_code == 400


# ---------------------------------------------------------------- lookup


def page_content(client, content: str, url: str, pathname: str, search: str) -> list[Any]:
    """The children of a dossier page's `content` as its callback answers a browser at
    `pathname` + `search` (the page's URL component `url`)."""
    payload = {
        "output": f"{content}.children",
        "outputs": {"id": str(content), "property": "children"},
        "inputs": [{"id": str(url), "property": "search", "value": search}],
        "state": [{"id": str(url), "property": "pathname", "value": pathname}],
        "changedPropIds": [f"{url}.search"],
    }
    answer = client.post("/_dash-update-component", json=payload)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()["response"][str(content)]["children"]


def lookup(client, code: str) -> list[Any]:
    search = "?" + urlencode({"code": code})
    return page_content(client, DossierIds.LOOKUP_CONTENT, DossierIds.LOOKUP_URL, LOOKUP_PATH, search)


def old_commune_dossier(app) -> tuple[str, str, str]:
    """(code, agency code, successor commune code) of a dossier of a former commune."""
    engine = app.server.extensions["bando"].lists.engine
    a, d = agencies.c, dossiers.c
    with engine.connect() as conn:
        row = conn.execute(
            select(d.dossier_code, a.code, a.map_commune_code)
            .select_from(dossiers.join(agencies, a.id == d.agency_id))
            .where(a.map_commune_code.is_not(None), a.map_commune_code != a.code, d.received_on.is_not(None))
            .order_by(d.dossier_code)
            .limit(1)
        ).one()
    return row.dossier_code, row.code, row.map_commune_code


def test_lookup_shows_a_dossier_of_a_former_commune_and_where_it_counts(app):
    code, agency, commune = old_commune_dossier(app)
    said = " ".join(texts(lookup(client_as(app, "lanhdao"), f"  {code} ")))
    assert f"Hồ sơ {code}" in said and f"({agency})" in said
    assert f"({commune})" in said  # counted for the commune that succeeds it
    assert "tính đến ngày 18/11/2026" in said and "Tính là hồ sơ nhận trong kỳ" in said
    missing = " ".join(texts(lookup(client_as(app, "lanhdao"), "KHONG-CO-MA")))
    assert "Không có hồ sơ nào mã “KHONG-CO-MA”" in missing


def test_lookup_is_restricted_like_the_lists(app):
    code, _, _ = old_commune_dossier(app)
    anonymous = lookup(client_as(app, None), code)
    assert LOGIN_PROMPT in text_of(anonymous, DossierIds.ACCESS) and code not in " ".join(texts(anonymous))
    staff = lookup(client_as(app, "cb.snv"), code)
    assert "không thuộc đơn vị của tài khoản" in text_of(staff, DossierIds.ACCESS)


# ---------------------------------------------------------------- early warning


def due_soon(client, search: str) -> list[Any]:
    return page_content(client, DossierIds.DUE_CONTENT, DossierIds.DUE_URL, DUE_SOON_PATH, search)


def links(node) -> Iterator[tuple[str, str]]:
    """(text, href) of every link in a component tree."""
    if isinstance(node, list):
        for child in node:
            yield from links(child)
    elif isinstance(node, dict):
        props = node.get("props", {})
        if node.get("type") == "Link":
            yield " ".join(texts(props.get("children"))), props["href"]
        yield from links(props.get("children"))


def test_early_warning_counts_per_unit_open_lists_as_long_as_the_count(app):
    client = client_as(app, "lanhdao")
    page = due_soon(client, "")
    said = " ".join(texts(page))
    assert "Hạn trả từ 18/11/2026 đến 20/11/2026 (2 ngày làm việc tới)" in said  # Wed -> Fri
    assert text_of(page, DossierIds.AS_OF) == "Số liệu tính đến ngày 18/11/2026"
    assert "xấu đi ba tháng liên tiếp" in said
    per_unit = [(t, h) for t, h in links(page) if h.startswith(DUE_SOON_PATH + "?unit=")]
    assert per_unit, "no unit has dossiers due in the next two working days"
    for count, href in per_unit:
        assert shown_total(due_soon(client, href[len(DUE_SOON_PATH) :])) == int(count.replace(".", ""))
    total = shown_total(page)
    lines = csv_lines(client, DUE_SOON_EXPORT_PATH)
    assert lines[1] == ["Số liệu tính đến ngày 18/11/2026"] and lines[2][0].startswith("Quy tắc")
    assert len(lines) - 5 == total > 0


def test_early_warning_is_restricted_like_the_lists(app):
    assert LOGIN_PROMPT in text_of(due_soon(client_as(app, None), ""), DossierIds.ACCESS)
    assert client_as(app, None).get(DUE_SOON_EXPORT_PATH).status_code == 303
    staff = client_as(app, "cb.snv")
    assert find(due_soon(staff, "?unit=502"), DossierIds.TABLE) is None
    assert find(due_soon(staff, "?unit=SNV"), DossierIds.TABLE) is not None
    own = due_soon(staff, "")  # no unit asked: their own
    assert find(own, DossierIds.TABLE) is not None and "Sở Nội vụ" in " ".join(texts(own))
