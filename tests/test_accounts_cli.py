"""`python cli.py users …`, `audit`, `import-handlers` end to end on both backends; one run
through a real shell pipe (`echo secret | python cli.py users add …`)."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

import cli
from accounts.login import attempt_login
from accounts.store import find_account
from tests.test_scoring_workflow import load_small_registry, no_successions

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def run(db_engine, tmp_path, monkeypatch, capsys):
    load_small_registry(db_engine)
    monkeypatch.setenv("DATABASE_URL", db_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("SUCCESSIONS_FILE", str(no_successions(tmp_path / "registry")))
    monkeypatch.setenv("APP_TODAY", "2026-03-02")

    def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = cli.main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def can_login(engine, username, password):
    with engine.begin() as conn:
        return attempt_login(conn, username, password, "127.0.0.1", datetime.now()).ok


def test_users_are_added_listed_disabled_and_get_new_passwords(run, db_engine):
    assert run("users", "add", "snv1", "--role", "appraiser", stdin="secret\n")[:2] == (
        0,
        "Đã tạo tài khoản snv1 (appraiser).\n",
    )
    code, out, _ = run(
        "users",
        "add",
        "cb.snv",
        "--role",
        "unit_staff",
        "--role",
        "leader",
        "--unit",
        "SNV",
        stdin="mk-123456\n",
    )
    assert (code, out) == (0, "Đã tạo tài khoản cb.snv (leader, unit_staff, đơn vị SNV).\n")
    code, _, err = run("users", "add", "cb2", "--role", "unit_staff", stdin="mk-123456\n")
    assert (code, err) == (
        1,
        "Tài khoản cán bộ đơn vị (unit_staff) phải gắn với một đơn vị: thêm --unit MÃ.\n",
    )
    code, out, _ = run("users", "list")
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["cb.snv", "Lãnh", "đạo,", "Cán", "bộ"] and "đơn vị SNV" in lines[0]
    assert lines[1].split()[:2] == ["snv1", "Thẩm"]
    assert can_login(db_engine, "snv1", "secret")
    assert run("users", "set-password", "snv1", stdin="moi-moi-moi\n")[0] == 0
    assert not can_login(db_engine, "snv1", "secret") and can_login(db_engine, "snv1", "moi-moi-moi")
    assert (
        run("users", "disable", "snv1")[1]
        == "Đã vô hiệu hóa tài khoản snv1; các phiên đang mở đã kết thúc.\n"
    )
    assert not can_login(db_engine, "snv1", "moi-moi-moi")
    assert "VÔ HIỆU từ" in run("users", "list")[1].splitlines()[1]
    assert run("users", "disable", "khong.co")[:1] == (1,)


def test_kiosk_tokens_are_shown_once_listed_without_the_token_and_revoked(run):
    code, out, _ = run("users", "kiosk-token", "--label", "Phòng họp tầng 3")
    token = out.splitlines()[1]
    assert code == 0 and len(token) >= 43
    code, listed, _ = run("users", "kiosk-token", "--list")
    assert "Phòng họp tầng 3" in listed and "còn hiệu lực" in listed and token not in listed
    assert (
        run("users", "kiosk-token", "--revoke", "1")[1] == "Đã thu hồi mã màn hình số 1 (Phòng họp tầng 3).\n"
    )
    assert "THU HỒI" in run("users", "kiosk-token", "--list")[1]
    assert run("users", "kiosk-token", "--revoke", "1")[0] == 1


def test_demo_accounts_are_printed_once_then_never_again(run, db_engine):
    code, out, _ = run("users", "demo")
    assert code == 0 and "chỉ hiện MỘT LẦN" in out
    made = {line.split()[0]: line.split()[3] for line in out.splitlines()[1:6]}  # name "mật khẩu" password
    assert set(made) == {"lanhdao", "thamdinh", "quantri", "cbhuyen", "cbxa"}
    assert "wall?token=" in out
    with db_engine.connect() as conn:
        assert find_account(conn, "cbhuyen").unit_code == "502"  # the first district committee
        assert find_account(conn, "cbxa").unit_code == "20335"  # the first commune valid today
    assert all(can_login(db_engine, name, password) for name, password in made.items())
    again = run("users", "demo")[1]
    assert again == "Đã có tài khoản: không tạo tài khoản mẫu.\n"


def test_audit_lists_and_exports_what_happened_and_the_export_itself(run, tmp_path):
    run("users", "add", "snv1", "--role", "appraiser", stdin="secret\n")
    mapping = tmp_path / "h.csv"
    mapping.write_text("handler_id,full_name,unit_code\nH1,Nguyễn Văn Một,SNV\n", encoding="utf-8")
    code, out, _ = run("import-handlers", str(mapping))
    assert code == 0 and out.startswith("Kết quả nhập danh sách cán bộ xử lý — 1 tệp: h.csv")
    code, out, _ = run("audit")
    shown = out.splitlines()
    assert "Thêm tài khoản [snv1]: vai trò: appraiser" in shown[0]
    assert "Nhập dữ liệu [danh sách cán bộ xử lý]" in shown[1] and "1 thêm, 0 sửa, 0 cách ly" in shown[1]
    assert run("audit", "--user", "snv1")[1] == ""
    target = tmp_path / "nhat_ky.csv"
    assert (
        run("audit", "--since", "2000-01-01", "--out", str(target))[1]
        == f"Đã xuất 2 dòng nhật ký ra {target}\n"
    )
    table = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert [row[4] for row in table[1:]] == ["account_add", "import"]
    assert "Xuất dữ liệu hạn chế [nhật ký hệ thống]" in run("audit")[1].splitlines()[-1]


def test_a_bad_date_is_a_usage_error_in_vietnamese(run, capsys):
    with pytest.raises(SystemExit) as info:
        run("audit", "--since", "hôm qua")
    assert info.value.code == 2
    assert "ngày không hợp lệ: 'hôm qua' (dạng YYYY-MM-DD)" in capsys.readouterr().err


def test_a_password_comes_through_a_shell_pipe(tmp_path):
    env = {**os.environ, "DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    done = subprocess.run(
        f"echo secret | {sys.executable} cli.py users add snv1 --role appraiser",
        shell=True,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (done.returncode, done.stdout) == (0, "Đã tạo tài khoản snv1 (appraiser).\n"), done.stderr
    assert "secret" not in done.stdout + done.stderr


def test_imports_and_exports_of_restricted_data_from_the_command_line_are_audited(run, tmp_path):
    listing = tmp_path / "qua_han.csv"
    assert run("report", "overdue", "--to", "2026-03-01", "--out", str(listing))[0] == 0
    assert run("quarantine")[0] == 0  # shown on the console, not exported: no row
    registry = tmp_path / "agencies.csv"
    registry.write_text(
        "code,name,kind,unit_code,valid_from,valid_to\nSXD,Sở Xây dựng,department,49,2020-01-01,\n"
    )
    assert run("import-agencies", str(registry))[0] == 0
    shown = run("audit")[1].splitlines()
    assert len(shown) == 2
    assert "Xuất dữ liệu hạn chế [danh sách hồ sơ quá hạn]: tệp " + str(listing) in shown[0]
    assert "Nhập dữ liệu [danh mục cơ quan]: tệp " + str(registry) in shown[1]
    assert all("dòng lệnh" in line and "máy chủ (dòng lệnh)" in line for line in shown)
