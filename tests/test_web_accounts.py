"""Login, session cookie, cross-site check, timeouts, kiosk token and PUBLIC_ACCESS over
HTTP (Flask's test client of the real app), on both backends. The write used throughout
is the entry page's save callback, posted to /_dash-update-component as the browser posts
it; "nothing changed" is read from the scoring change counter and the history."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import select

from accounts.audit import entries
from accounts.kiosk import create_token, revoke_token
from accounts.permissions import COMMAND_LINE, Role
from config import Settings
from db.engine import make_engine
from db.schema_accounts import account_sessions
from importer.setup import ensure_database
from layouts.scoring.ids import ScoringIds
from scoring import state
from scoring.history import history
from tests.access_fixtures import entry_notice
from tests.accounts_fixtures import PASSWORD, ensure_account
from tests.app_client import LIVE_POLL, ORIGIN, app_client
from tests.conftest import backend_url
from tests.test_scoring_definition import small_mapping
from tests.test_scoring_workflow import store

SEARCH = "?unit=SNV&year=2025"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database(request, tmp_path_factory) -> Iterator[Settings]:
    """A set-up database (shipped registry, a 2025 departments index, three accounts)."""
    data_dir = tmp_path_factory.mktemp("web")
    with backend_url(request.param, data_dir) as url:
        env = {"DATA_DIR": str(data_dir), "DATABASE_URL": url, "APP_TODAY": "2026-03-02"}
        settings = Settings.from_env(env)
        ensure_database(settings, progress=False)
        engine = make_engine(url)
        store(engine, small_mapping("departments"))
        ensure_account(engine, "cb.snv", {Role.UNIT_STAFF}, "SNV")
        ensure_account(engine, "cb.stp", {Role.UNIT_STAFF}, "STP")
        ensure_account(engine, "lanhdao", {Role.LEADER})
        engine.dispose()
        yield settings


def make_client(settings: Settings, **changes):
    from app import create_app

    app = create_app(replace(settings, **changes))
    return app_client(app), app.server.extensions["bando"].scoring.engine


@pytest.fixture
def web(database):
    return make_client(database)


def log_in(client, username, password=PASSWORD, next_path="/"):
    return client.post("/login", data={"username": username, "password": password, "next": next_path})


def save_payload(points: str, step: str = "self") -> dict:
    """What the entry page posts when "Lưu" is clicked with `points` typed on 1.1.1."""
    values = [["points", "1.1.1", points], ["evidence", "1.1.1", ""], ["note", "1.1.1", ""]]
    return {
        "output": f"{ScoringIds.ENTRY_FORM}.children",
        "outputs": {"id": str(ScoringIds.ENTRY_FORM), "property": "children"},
        "inputs": [
            {"id": str(ScoringIds.ENTRY_STEP), "property": "value", "value": step},
            {
                "id": str(ScoringIds.ENTRY_SUBMIT),
                "property": "data",
                "value": {"action": "save", "values": values, "at": 1},
            },
        ],
        "state": [
            {"id": str(ScoringIds.ENTRY_URL), "property": "search", "value": SEARCH},
            {"id": str(ScoringIds.ENTRY_SEEN), "property": "data", "value": None},  # an old page's
        ],
        "changedPropIds": [f"{ScoringIds.ENTRY_SUBMIT}.data"],
    }


def save(client, points: str, **headers):
    return client.post("/_dash-update-component", json=save_payload(points), headers=headers)


def counter(engine) -> int:
    with engine.connect() as conn:
        return state.scoring_version(conn)


def notice_of(response) -> str:
    """The text of the entry form's notice in a callback's answer."""
    assert response.status_code == 200, response.get_data(as_text=True)
    return entry_notice(response.get_json()["response"][str(ScoringIds.ENTRY_FORM)]["children"]) or ""


def test_the_login_page_is_a_plain_form_a_password_manager_understands(web):
    client, _ = web
    page = client.get('/login?next="><script>alert(1)</script>').get_data(as_text=True)
    assert '<form method="post" action="/login"' in page
    assert 'name="username" type="text" autocomplete="username"' in page
    assert 'name="password" type="password" autocomplete="current-password"' in page
    assert "Đăng nhập</button>" in page and 'lang="vi"' in page
    assert "<script>" not in page  # the page asked for is not a local path: replaced, and escaped anyway
    assert "/assets/style.css" in page and "https://" not in page


@pytest.mark.parametrize(
    "asked",
    [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
    ],
)
def test_after_login_back_only_to_a_local_path(web, asked):
    client, _ = web
    response = log_in(client, "lanhdao", next_path=asked)
    assert (response.status_code, response.headers["Location"]) == (303, "/")


def test_login_returns_to_the_page_asked_for_with_a_safe_cookie(web, database):
    client, _ = web
    response = log_in(client, "cb.snv", next_path="/scoring/entry?unit=SNV&year=2025")
    assert (response.status_code, response.headers["Location"]) == (303, "/scoring/entry?unit=SNV&year=2025")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("bando_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    secure, _ = make_client(database, cookie_secure=True)
    assert "Secure" in log_in(secure, "cb.snv").headers["Set-Cookie"]


def test_a_wrong_password_is_refused_in_vietnamese_without_a_session(web):
    client, _ = web
    response = log_in(client, "cb.snv", "sai-mat-khau")
    assert response.status_code == 200  # the form again, with the reason
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert 'value="cb.snv"' in response.get_data(as_text=True)  # the name typed stays, escaped
    with client.session_transaction() as session:
        assert "sid" not in session


def test_the_logged_in_account_saves_and_the_history_names_it(web):
    client, engine = web
    log_in(client, "cb.snv")
    before = counter(engine)
    response = save(client, "3")
    assert response.status_code == 200
    assert "Đã lưu tự đánh giá của 1 tiêu chí (cb.snv)." in notice_of(response)
    assert counter(engine) == before + 1
    with engine.connect() as conn:
        assert history(conn, 1, "SNV", "1.1.1")[-1].changed_by == "cb.snv"
        assert [(e.action, e.account, e.address) for e in entries(conn)][-1] == (
            "score_write",
            "cb.snv",
            "127.0.0.1",
        )


def test_anonymous_and_other_units_staff_are_refused_and_nothing_changes(web):
    client, engine = web
    before = counter(engine)
    assert "Cần đăng nhập để nhập, khóa hoặc thẩm định điểm." in notice_of(save(client, "4"))
    log_in(client, "cb.stp")
    assert "Tài khoản cb.stp thuộc đơn vị STP: không được tự đánh giá cho đơn vị SNV." in notice_of(
        save(client, "4")
    )
    log_in(client, "lanhdao")
    assert "Tài khoản lanhdao (Lãnh đạo) không có quyền tự đánh giá" in notice_of(save(client, "4"))
    assert counter(engine) == before


def test_a_post_from_another_site_is_refused_with_403_and_changes_nothing(web):
    client, engine = web
    log_in(client, "cb.snv")
    before = counter(engine)
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "", "Referer": "http://evil.example/page"},
        {"Origin": f"{ORIGIN}.evil.example"},
    ):
        response = save(client, "5", **headers)
        assert response.status_code == 403, headers
        assert "Yêu cầu bị từ chối: không gửi từ trang của ứng dụng" in response.get_data(as_text=True)
    bare = client.application.test_client()  # a POST with neither Origin nor Referer
    assert bare.post("/_dash-update-component", json=save_payload("5")).status_code == 403
    assert log_in(bare, "cb.snv").status_code == 403  # the login form too
    assert counter(engine) == before
    assert save(client, "5", Origin="", Referer=f"{ORIGIN}/scoring/entry").status_code == 200  # same origin


def test_a_cookie_signed_with_another_secret_is_no_session(web, database):
    client, engine = web
    log_in(client, "cb.snv")
    stolen = client.get_cookie("bando_session").value
    other, _ = make_client(database, secret_key="another-secret-" * 4)
    other.set_cookie("bando_session", stolen)
    before = counter(engine)
    response = save(other, "6")
    assert response.status_code == 200 and "Cần đăng nhập" in notice_of(response)
    assert counter(engine) == before


def age_session(client, **seconds_ago: float) -> None:
    with client.session_transaction() as session:
        for key, ago in seconds_ago.items():
            session[key] = time.time() - ago


def test_a_session_idle_for_30_minutes_ends_with_a_vietnamese_message(web):
    client, engine = web
    log_in(client, "cb.snv")
    age_session(client, seen=31 * 60)
    before = counter(engine)
    assert "Cần đăng nhập" in notice_of(save(client, "7"))
    assert counter(engine) == before
    page = client.get("/login").get_data(as_text=True)
    assert "Phiên làm việc đã hết hạn sau 30 phút không thao tác: đăng nhập lại." in page
    with engine.connect() as conn:
        ended = conn.execute(select(account_sessions.c.end_reason)).scalars().all()
        last = entries(conn)[-1]
    assert "expired" in ended
    assert (last.action, last.account, last.detail) == (
        "logout",
        "cb.snv",
        "hết hạn sau 30 phút không thao tác",
    )


def test_a_session_ends_12_hours_after_the_login_whatever_the_activity(web):
    client, _ = web
    log_in(client, "cb.snv")
    age_session(client, login_at=12 * 3600 + 5, seen=10)
    assert "Cần đăng nhập" in notice_of(save(client, "7"))
    assert "hết hạn 12 giờ sau khi đăng nhập" in client.get("/login").get_data(as_text=True)


def test_a_timers_poll_is_not_activity_but_a_click_is(web):
    client, _ = web
    log_in(client, "cb.snv")
    age_session(client, seen=120)
    with client.session_transaction() as session:
        stale = session["seen"]
    client.post("/_dash-update-component", json=LIVE_POLL)
    with client.session_transaction() as session:
        assert session["seen"] == stale
    save(client, "8")
    with client.session_transaction() as session:
        assert session["seen"] > stale + 100


def test_logout_ends_the_session_on_the_server_so_the_old_cookie_is_worthless(web):
    client, engine = web
    log_in(client, "cb.snv")
    kept = client.get_cookie("bando_session").value
    assert "Tài khoản <strong>cb.snv</strong> đang đăng nhập." in client.get("/logout").get_data(as_text=True)
    response = client.post("/logout")
    assert (response.status_code, response.headers["Location"]) == (303, "/login?out=1")
    assert "Đã đăng xuất." in client.get("/login?out=1").get_data(as_text=True)
    client.set_cookie("bando_session", kept)  # the cookie as it was before the logout
    before = counter(engine)
    assert "Cần đăng nhập" in notice_of(save(client, "9"))
    assert counter(engine) == before
    with engine.connect() as conn:
        assert [e.action for e in entries(conn)][-2:] == ["login", "logout"]


def test_five_wrong_passwords_lock_the_account_over_http(web):
    client, _ = web
    ensure_account(web[1], "khoa.thu", {Role.LEADER})
    for _ in range(5):
        assert "không đúng" in log_in(client, "khoa.thu", "sai").get_data(as_text=True)
    refused = log_in(client, "khoa.thu")
    assert refused.status_code == 200
    assert "Đăng nhập sai quá nhiều lần: tạm khóa đăng nhập đến" in refused.get_data(as_text=True)


def test_a_kiosk_token_opens_the_wall_once_then_lives_in_the_session_until_revoked(web):
    client, engine = web
    with engine.begin() as conn:
        record, token = create_token(conn, "Phòng họp", COMMAND_LINE)
    response = client.get(f"/wall?token={token}&scene=2")
    assert (response.status_code, response.headers["Location"]) == (303, "/wall?scene=2")
    with client.session_transaction() as session:
        assert session["kiosk"] == record.id and "sid" not in session
    assert "không có quyền tự đánh giá" in notice_of(save(client, "1"))  # read-only
    with engine.begin() as conn:
        revoke_token(conn, record.id, COMMAND_LINE)
    assert "Cần đăng nhập" in notice_of(save(client, "1"))
    with client.session_transaction() as session:
        assert "kiosk" not in session
    refused = client.get(f"/wall?token={token}")
    assert refused.status_code == 403
    assert "Mã màn hình trình chiếu không hợp lệ hoặc đã bị thu hồi." in refused.get_data(as_text=True)


def test_public_access_none_puts_every_page_behind_the_login(database):
    client, _ = make_client(database, public_access="none")
    response = client.get("/scorecard?unit=SNV&year=2025")
    assert (response.status_code, response.headers["Location"]) == (
        303,
        "/login?next=%2Fscorecard%3Funit%3DSNV%26year%3D2025",
    )
    assert client.get("/assets/style.css").status_code == 200  # the login page's look
    assert client.get("/healthz").status_code == 200 and client.get("/readyz").status_code == 200
    assert client.get("/_dash-layout").status_code == 403
    refused = client.post("/_dash-update-component", json=save_payload("2"))
    assert (refused.status_code, refused.get_data(as_text=True)) == (403, "Cần đăng nhập để xem trang này.")
    log_in(client, "lanhdao")
    assert client.get("/").status_code == 200 and client.get("/_dash-layout").status_code == 200
