"""`python cli.py users …`, `audit`, `import-handlers` (registered through cli.COMMAND_MODULES).

    users add TÊN --role VAI_TRÒ [--role …] [--unit MÃ] [--name "Họ tên"]   mật khẩu từ stdin
    users list | users disable TÊN | users set-password TÊN               (mật khẩu từ stdin)
    users kiosk-token [--label NHÃN] | --list | --revoke SỐ
    users demo [--base-url URL]        tài khoản mẫu, chỉ khi chưa có tài khoản nào
    audit [--since NGÀY] [--user TÊN] [--out TỆP.csv] [--limit N]
    import-handlers TỆP                 danh sách handler_id, full_name, unit_code

Passwords are read from standard input (one line: `echo secret | python cli.py users add
snv1 --role appraiser`), or asked twice without echo on a terminal; never printed or
logged. The command line acts as itself ("dòng lệnh"): whoever runs it holds the database.
Exit codes as cli.py: 0 ok, 1 refused (the reason printed), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from typing import Any

from cli_options import add_command, add_files, add_limit, add_out
from config import Settings
from vi_format import format_date, format_datetime

EXIT_OK, EXIT_REJECTED = 0, 1
LIST_LIMIT = 50


def _engine(settings: Settings) -> Any:
    from importer.setup import ensure_registry

    return ensure_registry(settings)


def read_password(confirm: bool = True) -> str:
    """One line of standard input, or a password typed twice on a terminal."""
    from accounts.store import AccountError

    if sys.stdin.isatty():
        first = getpass.getpass("Mật khẩu: ")
        if confirm and getpass.getpass("Nhập lại mật khẩu: ") != first:
            raise AccountError("Hai lần nhập mật khẩu không khớp.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def cmd_add(args: argparse.Namespace, settings: Settings) -> int:
    from accounts.permissions import COMMAND_LINE
    from accounts.store import add_account

    password = read_password()
    with _engine(settings).begin() as conn:
        info = add_account(
            conn, args.name, password, args.role, COMMAND_LINE, args.unit, args.full_name, settings.today()
        )
    unit = f", đơn vị {info.unit_code}" if info.unit_code else ""
    print(f"Đã tạo tài khoản {info.username} ({', '.join(sorted(info.roles))}{unit}).")
    return EXIT_OK


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    from accounts.permissions import ROLE_LABELS, Role
    from accounts.store import list_accounts

    with _engine(settings).connect() as conn:
        found = list_accounts(conn)
    if not found:
        print("Chưa có tài khoản nào (python cli.py users add TÊN --role VAI_TRÒ).")
    for a in found:
        roles = ", ".join(ROLE_LABELS[r] for r in Role if r in a.roles)
        unit = f"  đơn vị {a.unit_code}" if a.unit_code else ""
        state = f"  VÔ HIỆU từ {format_datetime(a.disabled_at)}" if a.disabled_at else ""
        print(f"{a.username:<24} {roles}{unit}  tạo {format_date(a.created_at)}{state}")
    return EXIT_OK


def cmd_disable(args: argparse.Namespace, settings: Settings) -> int:
    from accounts.permissions import COMMAND_LINE
    from accounts.store import disable_account

    with _engine(settings).begin() as conn:
        info = disable_account(conn, args.name, COMMAND_LINE)
    print(f"Đã vô hiệu hóa tài khoản {info.username}; các phiên đang mở đã kết thúc.")
    return EXIT_OK


def cmd_set_password(args: argparse.Namespace, settings: Settings) -> int:
    from accounts.permissions import COMMAND_LINE
    from accounts.store import set_password

    password = read_password()
    with _engine(settings).begin() as conn:
        set_password(conn, args.name, password, COMMAND_LINE)
    print(f"Đã đổi mật khẩu tài khoản {args.name.strip().lower()}; các phiên đang mở đã kết thúc.")
    return EXIT_OK


def cmd_kiosk(args: argparse.Namespace, settings: Settings) -> int:
    from accounts.kiosk import create_token, list_tokens, revoke_token
    from accounts.permissions import COMMAND_LINE

    engine = _engine(settings)
    if args.list:
        with engine.connect() as conn:
            tokens = list_tokens(conn)
        for t in tokens:
            used = f"dùng lần cuối {format_datetime(t.last_used_at)}" if t.last_used_at else "chưa dùng"
            state = f"THU HỒI {format_datetime(t.revoked_at)}" if t.revoked_at else "còn hiệu lực"
            made = f"tạo {format_date(t.created_at)} bởi {t.created_by}"
            print(f"{t.id:>4}  {t.label:<40} {made}; {used}; {state}")
        if not tokens:
            print("Chưa có mã màn hình trình chiếu nào.")
        return EXIT_OK
    with engine.begin() as conn:
        if args.revoke is not None:
            token = revoke_token(conn, args.revoke, COMMAND_LINE)
            print(f"Đã thu hồi mã màn hình số {token.id} ({token.label}).")
            return EXIT_OK
        record, secret = create_token(conn, args.label, COMMAND_LINE)
    print(f"Mã màn hình số {record.id} ({record.label}) — chỉ hiện MỘT LẦN, không lưu được nữa:")
    print(secret)
    print(f"Mở trên màn hình trình chiếu: http://MÁY_CHỦ:{settings.port}/wall?token={secret}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from accounts.demo import create_demo_accounts

    with _engine(settings).begin() as conn:
        made = create_demo_accounts(conn, settings.today())
    base = args.base_url or f"http://{settings.host}:{settings.port}/"
    print("Đã có tài khoản: không tạo tài khoản mẫu." if made is None else made.format_vi(base))
    return EXIT_OK


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    from accounts.audit import AuditAction, audit_csv, entries, iter_entries
    from accounts.command_line import record_command

    engine = _engine(settings)
    user = args.user.strip().lower() if args.user else None
    if args.out:
        with engine.connect() as conn:
            rows = list(iter_entries(conn, args.since, user))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(audit_csv(rows))
        record_command(engine, AuditAction.EXPORT, "nhật ký hệ thống", args.out, f"{len(rows)} dòng")
        print(f"Đã xuất {len(rows)} dòng nhật ký ra {args.out}")
        return EXIT_OK
    with engine.connect() as conn:
        shown = entries(conn, args.since, user, newest_first=True, limit=args.limit)
    for e in reversed(shown):
        who = e.account or "(ẩn danh)"
        target = f" [{e.target}]" if e.target else ""
        detail = f": {e.detail[:200]}" if e.detail else ""
        print(f"{e.at:%d/%m/%Y %H:%M:%S}  {who:<20} {e.address or '-':<16} {e.action_label}{target}{detail}")
    if len(shown) == args.limit:
        print(f"(chỉ hiện {args.limit} dòng mới nhất: dùng --out TỆP.csv để xuất tất cả)")
    return EXIT_OK


def cmd_import_handlers(args: argparse.Namespace, settings: Settings) -> int:
    from accounts.audit import AuditAction
    from accounts.command_line import record_command
    from importer.handlers import import_handlers

    engine = _engine(settings)
    summary = import_handlers(engine, args.file)
    detail = f"{summary.inserted} thêm, {summary.updated} sửa, {summary.quarantined} cách ly"
    record_command(engine, AuditAction.IMPORT, "danh sách cán bộ xử lý", args.file, detail)
    print(summary.format_vi())
    return EXIT_OK


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày không hợp lệ: '{text}' (dạng YYYY-MM-DD)") from None


def _users_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    users = sub.add_parser(
        "users",
        parents=[common],
        help="tài khoản và vai trò (thêm, liệt kê, vô hiệu hóa, đổi mật khẩu, mã màn hình)",
        description="Quản lý tài khoản. Vai trò: leader (Lãnh đạo), unit_staff (Cán bộ đơn vị, cần --unit), "
        "appraiser (Thẩm định), admin (Quản trị). Mật khẩu đọc từ đầu vào chuẩn.",
    )
    commands = users.add_subparsers(dest="users_command", required=True, metavar="LỆNH")
    p = add_command(commands, [common], "add", cmd_add, help="thêm tài khoản (mật khẩu từ đầu vào chuẩn)")
    p.add_argument("name", metavar="TÊN", help="tên đăng nhập: a–z, 0–9, . _ -")
    p.add_argument(
        "--role", action="append", required=True, metavar="VAI_TRÒ", help="lặp lại để thêm vai trò"
    )
    p.add_argument("--unit", default=None, metavar="MÃ", help="mã cơ quan của cán bộ đơn vị")
    p.add_argument("--name", dest="full_name", default=None, metavar="HỌ_TÊN", help="họ tên (tùy chọn)")
    p = add_command(commands, [common], "list", cmd_list, help="liệt kê tài khoản")
    p = add_command(commands, [common], "disable", cmd_disable, help="vô hiệu hóa tài khoản (không xóa)")
    p.add_argument("name", metavar="TÊN")
    p = add_command(
        commands, [common], "set-password", cmd_set_password, help="đặt mật khẩu mới (từ đầu vào chuẩn)"
    )
    p.add_argument("name", metavar="TÊN")
    p = add_command(commands, [common], "kiosk-token", cmd_kiosk, help="mã cho màn hình trình chiếu /wall")
    p.add_argument("--label", default="Màn hình trình chiếu", metavar="NHÃN", help="tên màn hình")
    choice = p.add_mutually_exclusive_group()
    choice.add_argument("--list", action="store_true", help="liệt kê các mã (không hiện mã)")
    choice.add_argument("--revoke", type=int, default=None, metavar="SỐ", help="thu hồi mã số này")
    p = add_command(
        commands, [common], "demo", cmd_demo, help="tài khoản mẫu (chỉ khi chưa có tài khoản nào)"
    )
    p.add_argument("--base-url", default=None, metavar="URL", help="địa chỉ ứng dụng in kèm")


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """The `users`, `audit` and `import-handlers` commands (cli.COMMAND_MODULES hook)."""
    _users_parser(sub, common)
    p = add_command(
        sub,
        [common],
        "audit",
        cmd_audit,
        help="xem hoặc xuất nhật ký hệ thống",
        description="Nhật ký: đăng nhập, ghi điểm, mở khóa, nạp bộ chỉ số, nhập, xuất, thay đổi tài khoản.",
    )
    p.add_argument("--since", type=_day, default=None, metavar="NGÀY", help="từ ngày (YYYY-MM-DD)")
    p.add_argument("--user", default=None, metavar="TÊN", help="chỉ của tài khoản này")
    add_out(p, "xuất tất cả ra CSV", metavar="TỆP.csv")
    add_limit(p, LIST_LIMIT)
    p = add_command(
        sub,
        [common],
        "import-handlers",
        cmd_import_handlers,
        help="nhập danh sách cán bộ xử lý (handler_id, full_name, unit_code)",
        description="Gắn mã cán bộ xử lý trong dữ liệu hồ sơ với họ tên và đơn vị; dòng sai bị cách ly.",
    )
    add_files(p, "tệp CSV UTF-8")
