"""The access matrix over HTTP, on both backends: for every role (anonymous, Lãnh đạo,
Thẩm định, Quản trị, a unit's own staff, another unit's staff, the wall's kiosk) and both
PUBLIC_ACCESS settings, every writing callback and every restricted read or download,
posted to /_dash-update-component exactly as the browser posts it (or fetched with GET).
Allowed: the write happens / the data comes. Refused: a Vietnamese reason or a 403, and
the scores, the history and the audit trail exactly as they were."""

from __future__ import annotations

import pytest

from accounts.audit import entries
from dossier_stats.periods import Period
from layouts.home.details.ids import DetailsIds
from layouts.home.ids import Ids
from layouts.scoring.entry_steps import seen_values
from layouts.scoring.ids import ScoringIds
from scoring.service import ScoringService
from tests.access_fixtures import (
    DISTRICT,
    ROLES,
    STAFF_UNIT,
    answer_text,
    client_as,
    dash_payload,
    make_app,
    make_database,
    notice_text,
    post,
    snapshot,
    spent,
    year_at,
)

ACCESS = ("map", "none")
# case -> (step, action, stage SNV starts at, typed values, roles allowed)
WRITES = {
    "self": (
        "self",
        "save",
        "open",
        [["points", "1.1.1", "21"], ["evidence", "1.1.1", "QĐ 1"]],
        {"staff_snv"},
    ),
    "lock": ("self", "lock", "open", [], {"staff_snv"}),
    "explanation": ("explanation", "save", "appraised", [["text", "1.1.1", "Đã bổ sung"]], {"staff_snv"}),
    "unlock": ("self", "unlock", "locked", [], {"appraiser"}),
    "appraisal1": ("appraisal1", "save", "locked", [["points", "1.1.1", "17"]], {"appraiser"}),
    "final": ("final", "save", "appraised", [["points", "1.1.1", "19"]], {"appraiser"}),
    "survey": ("survey", "save", "open", [["points", "3.1.1", "10"]], {"appraiser"}),
    "adjustments": ("adjustments", "save", "open", [["points", "B1", "1"]], {"appraiser"}),
}
PROVISIONAL_READERS = {"leader", "appraiser", "staff_snv", "kiosk"}  # SNV's provisional scores
LIST_READERS = {"leader", "appraiser", "staff_502"}  # district 502's dossier lists (not the wall's kiosk)
REFUSED = ("Cần đăng nhập", "không có quyền", "không được")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(request, tmp_path_factory):
    yield from make_database(request.param, tmp_path_factory.mktemp("matrix"))


@pytest.fixture(scope="module")
def apps(database):
    return {access: make_app(database, public_access=access) for access in ACCESS}


@pytest.fixture(scope="module")
def clients(apps):
    made: dict = {}

    def get(access: str, role: str):
        if (access, role) not in made:
            made[access, role] = client_as(apps[access], role)
        return made[access, role]

    return get


@pytest.fixture(scope="module")
def engine(apps):
    return apps["map"].server.extensions["bando"].scoring.engine


def entry_payload(engine, year: int, step: str, action: str, values: list) -> dict:
    """As the page posts it: the step, what was typed, the URL and what the form showed."""
    card = ScoringService(engine).scorecard(STAFF_UNIT, year)
    submit = {"action": action, "values": values, "at": 1}
    payload = dash_payload(
        [(ScoringIds.ENTRY_FORM, "children")],
        [(ScoringIds.ENTRY_STEP, "value", step), (ScoringIds.ENTRY_SUBMIT, "data", submit)],
        [
            (ScoringIds.ENTRY_URL, "search", f"?unit={STAFF_UNIT}&year={year}"),
            (ScoringIds.ENTRY_SEEN, "data", seen_values(card, step)),
        ],
    )
    payload["changedPropIds"] = [f"{ScoringIds.ENTRY_SUBMIT}.data"]
    return payload


def refused_as(response, access: str, role: str) -> str:
    """The refusal's text: 403 at the gate (PUBLIC_ACCESS=none, anonymous), else the page's."""
    if access == "none" and role == "anonymous":
        assert response.status_code == 403
        return response.get_data(as_text=True)
    return answer_text(response)


@pytest.mark.parametrize("access", ACCESS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", list(WRITES))
def test_every_write_for_every_role(clients, engine, case, role, access):
    step, action, stage, values, allowed = WRITES[case]
    client = clients(access, role)  # logged in first: the login's audit row is not the write's
    year = year_at(engine, stage)
    payload = entry_payload(engine, year, step, action, values)
    before = snapshot(engine)
    response = post(client, payload)
    if role in allowed:
        spent(engine, stage)
        text = notice_text(response)
        assert "Đã " in text and not any(r in text for r in REFUSED), text
        assert snapshot(engine) != before
        with engine.connect() as conn:
            last = entries(conn, newest_first=True, limit=1)[0]
        assert last.account is not None and last.account.startswith("m.")  # the account, not a typed name
    else:
        text = (
            response.get_data(as_text=True)
            if access == "none" and role == "anonymous"
            else notice_text(response)
        )
        assert response.status_code == (403 if access == "none" and role == "anonymous" else 200)
        assert any(r in text for r in REFUSED), text
        if role not in PROVISIONAL_READERS:  # nor the scores they may not see
            assert str(ScoringIds.ENTRY_TABLE_DATA) not in response.get_data(as_text=True)
        assert snapshot(engine) == before


def scorecard_payload(year: int) -> dict:
    return dash_payload(
        [(ScoringIds.CARD_CONTENT, "children")],
        [(ScoringIds.CARD_URL, "search", f"?unit={STAFF_UNIT}&year={year}")],
        [],
    )


def entry_content_payload(year: int) -> dict:
    return dash_payload(
        [(ScoringIds.ENTRY_CONTENT, "children")],
        [(ScoringIds.ENTRY_URL, "search", f"?unit={STAFF_UNIT}&year={year}")],
        [],
    )


@pytest.mark.parametrize("access", ACCESS)
@pytest.mark.parametrize("role", ROLES)
def test_provisional_scores_only_for_those_who_may_see_them(clients, engine, role, access):
    year = year_at(engine, "open")  # SNV self-assessed: provisional
    client = clients(access, role)
    before = snapshot(engine)
    card = post(client, scorecard_payload(year))
    form = post(client, entry_content_payload(year))
    results = post(
        client,
        dash_payload(
            [(ScoringIds.RESULTS_CONTENT, "children")],
            [(ScoringIds.RESULTS_URL, "search", f"?year={year}")],
            [],
        ),
    )
    if access == "none" and role == "anonymous":
        assert {card.status_code, form.status_code, results.status_code} == {403}
    elif role in PROVISIONAL_READERS:
        assert f"Phiếu điểm Chỉ số CCHC năm {year}" in answer_text(card)
        assert str(ScoringIds.ENTRY_TABLE_DATA) in form.get_data(as_text=True)
        assert f"unit={STAFF_UNIT}" in results.get_data(as_text=True)
    else:
        assert "còn điểm tạm tính, chưa công bố" in answer_text(card)
        assert "Phiếu điểm Chỉ số CCHC" not in answer_text(card)
        assert str(ScoringIds.ENTRY_TABLE_DATA) not in form.get_data(as_text=True)
        assert any(r in answer_text(form) for r in REFUSED)
        assert f"unit={STAFF_UNIT}" not in results.get_data(as_text=True)
        assert "không hiển thị: chỉ kết quả đã công bố" in answer_text(results)
    assert snapshot(engine) == before  # reading writes nothing (no export here)


def results_download(year: int) -> dict:
    return dash_payload(
        [(ScoringIds.DOWNLOAD, "data"), (ScoringIds.DOWNLOAD_MESSAGE, "children")],
        [(ScoringIds.DOWNLOAD_CSV, "n_clicks", 1), (ScoringIds.DOWNLOAD_XLSX, "n_clicks", None)],
        [(ScoringIds.RESULTS_URL, "search", f"?year={year}")],
    )


@pytest.mark.parametrize("access", ACCESS)
@pytest.mark.parametrize("role", ROLES)
def test_the_results_file_holds_provisional_scores_only_for_their_readers(clients, engine, role, access):
    year = year_at(engine, "open")
    response = post(clients(access, role), results_download(year))
    if access == "none" and role == "anonymous":
        assert response.status_code == 403
        return
    out = response.get_json()["response"]
    message = out[str(ScoringIds.DOWNLOAD_MESSAGE)]["children"]
    if role in PROVISIONAL_READERS:
        content = out[str(ScoringIds.DOWNLOAD)]["data"]["content"]
        assert message.startswith("Đã tạo ")
        assert content  # base64 of the file
        with engine.connect() as conn:
            last = entries(conn, newest_first=True, limit=1)[0]
        assert last.action == "export" and last.account.endswith(client_name(role))
    else:
        assert message == "Chưa có kết quả để tải."  # every unit of the year is provisional
        assert str(ScoringIds.DOWNLOAD) not in out


def client_name(role: str) -> str | None:
    from tests.access_fixtures import ACCOUNTS

    return ACCOUNTS[role][0] if role in ACCOUNTS else "Phòng họp (kiểm thử)"


def view_store(district: str | None) -> dict:
    view = {
        "metric": "on_time_rate",
        "period": Period("year", 2025, 0).key,
        "district": district,
        "commune": None,
    }
    return {"view": view, "changed": None, "before": None}


def overdue_download(district: str | None) -> dict:
    return dash_payload(
        [(DetailsIds.OVERDUE_DOWNLOAD, "data"), (DetailsIds.OVERDUE_MESSAGE, "children")],
        [(DetailsIds.OVERDUE_CSV, "n_clicks", 1)],
        [(DetailsIds.OVERDUE_STATE, "data", None), (Ids.VIEW, "data", view_store(district))],
    )


def overdue_tab(district: str | None) -> dict:
    return dash_payload(
        [(Ids.DETAILS_CONTENT, "children")],
        [
            (Ids.DETAILS_TABS, "value", "overdue"),
            (Ids.VIEW, "data", view_store(district)),
            (Ids.LIVE_STATE, "data", None),
        ],
        [],
    )


@pytest.mark.parametrize("access", ACCESS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("district", [DISTRICT, None])
def test_the_overdue_list_and_its_csv_only_for_the_units_readers(clients, engine, role, access, district):
    client = clients(access, role)
    before = snapshot(engine)
    tab = post(client, overdue_tab(district))
    download = post(client, overdue_download(district))
    allowed = role in LIST_READERS and not (role == "staff_502" and district is None)
    if access == "none" and role == "anonymous":
        assert (tab.status_code, download.status_code) == (403, 403)
    elif allowed:
        assert "quá hạn" in answer_text(tab) and not any(r in answer_text(tab) for r in REFUSED)
        out = download.get_json()["response"]
        assert out[str(DetailsIds.OVERDUE_DOWNLOAD)]["data"]["filename"].endswith(".csv")
        with engine.connect() as conn:
            last = entries(conn, newest_first=True, limit=1)[0]
        assert last.action == "export" and last.account.endswith(client_name(role))
        return
    else:
        assert any(r in answer_text(tab) for r in REFUSED)
        out = download.get_json()["response"]
        assert str(DetailsIds.OVERDUE_DOWNLOAD) not in out
        assert any(r in out[str(DetailsIds.OVERDUE_MESSAGE)]["children"] for r in REFUSED)
    assert snapshot(engine) == before


def report_download() -> dict:
    return dash_payload(
        [(DetailsIds.REPORT_DOWNLOAD, "data"), (DetailsIds.REPORT_MESSAGE, "children")],
        [(DetailsIds.REPORT_CSV, "n_clicks", 1), (DetailsIds.REPORT_XLSX, "n_clicks", None)],
        [(Ids.VIEW, "data", view_store(DISTRICT))],
    )


@pytest.mark.parametrize("access", ACCESS)
@pytest.mark.parametrize("role", ROLES)
def test_bieu06_and_the_brief_follow_public_access(clients, engine, role, access):
    client = clients(access, role)
    before = snapshot(engine)
    report = post(client, report_download())
    brief = client.get("/wall/brief.pdf?period=2025")
    if access == "none" and role == "anonymous":
        assert report.status_code == 403
        assert brief.status_code == 303 and brief.headers["Location"].startswith("/login?next=")
    else:
        data = report.get_json()["response"][str(DetailsIds.REPORT_DOWNLOAD)]["data"]
        assert data["filename"].endswith(".csv")
        assert brief.status_code == 200 and brief.data.startswith(b"%PDF")
    assert snapshot(engine) == before  # public figures: no audit row


@pytest.mark.parametrize(
    "forge",
    [
        lambda p: {**p, "state": p["state"][:1]},  # a state left out
        lambda p: {**p, "inputs": [*p["inputs"], p["inputs"][0]]},  # an input too many
        lambda p: {**p, "output": "entry-form.style"},  # no such callback
        lambda p: {**p, "inputs": "tất cả"},  # not a list
        lambda p: ["không", "phải", "đối tượng"],
    ],
)
def test_a_forged_payload_is_refused_in_vietnamese_and_changes_nothing(clients, engine, forge):
    client = clients("map", "staff_snv")
    year = year_at(engine, "open")
    payload = forge(entry_payload(engine, year, "self", "save", [["points", "1.1.1", "22"]]))
    before = snapshot(engine)
    response = post(client, payload)
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith("Yêu cầu không hợp lệ: dữ liệu gửi lên không khớp")
    assert snapshot(engine) == before


AUDIT_READERS = {"leader", "admin"}
OFFICIALS_READERS = {"leader", "appraiser", "staff_502"}  # district 502's officials


@pytest.mark.parametrize("access", ACCESS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("url", "readers"),
    [
        ("/audit.csv", AUDIT_READERS),
        (f"/officials.csv?year=2025&unit={DISTRICT}", OFFICIALS_READERS),
        (f"/dossiers/export.csv?period=2025&count=pending_overdue&unit={DISTRICT}", LIST_READERS),
        (f"/dossiers/due-soon.csv?unit={DISTRICT}", LIST_READERS),
    ],
)
def test_the_restricted_csv_files_only_for_their_readers(clients, engine, role, access, url, readers):
    client = clients(access, role)
    before = snapshot(engine)
    response = client.get(url)
    if role == "anonymous" and response.status_code == 303:  # the gate, or a list's own login prompt
        assert response.headers["Location"].startswith("/login?next=")
        assert access == "none" or url.startswith("/dossiers/")
    elif role in readers:
        assert response.status_code == 200 and response.mimetype == "text/csv"
        with engine.connect() as conn:
            last = entries(conn, newest_first=True, limit=1)[0]
        assert last.action == "export" and last.account == client_name(role)
        return
    else:
        assert response.status_code == 403
        assert any(r in response.get_data(as_text=True) for r in REFUSED)
    assert snapshot(engine) == before
