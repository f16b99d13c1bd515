"""Command-line reports (registered in cli.COMMAND_MODULES):

    python cli.py report bieu06 --from 2024-01-01 --to 2024-12-31 [--unit CODE] --format xlsx|csv --out FILE
    python cli.py report overdue --to 2024-12-31 [--unit CODE] --out FILE.csv

Bad dates, a start after the end and an unknown unit are refused with a Vietnamese
message and exit code 2 (wrong usage), before anything is written.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from cli_options import add_command, add_out, add_unit
from config import Settings

EXIT_OK, EXIT_USAGE = 0, 2


def parse_day(text: str) -> date:
    """argparse type: an ISO date, with a Vietnamese message when it is not one."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"ngày không hợp lệ: '{text}' (dạng năm-tháng-ngày YYYY-MM-DD, ví dụ 2024-01-31)"
        ) from None


def _engine(settings: Settings) -> Any:
    from db.engine import make_engine
    from db.migrate import upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)
    return engine


def _fail(message: str) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    return EXIT_USAGE


def _format_of(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    return "csv" if args.out.suffix.lower() == ".csv" else "xlsx"


def cmd_bieu06(args: argparse.Namespace, settings: Settings) -> int:
    from dossier_stats.bieu06.files import render
    from dossier_stats.bieu06.query import bieu06_report
    from dossier_stats.bieu06.report import InvalidRange, check_range
    from dossier_stats.bieu06.unit import UnknownUnit, resolve_unit

    try:
        check_range(args.start, args.end)
    except InvalidRange as exc:
        return _fail(str(exc))
    fmt = _format_of(args)
    engine = _engine(settings)
    try:
        with engine.connect() as conn:
            unit = resolve_unit(conn, args.unit, settings.province_code)
            report = bieu06_report(conn, args.start, args.end, unit)
    except UnknownUnit as exc:
        return _fail(str(exc))
    finally:
        engine.dispose()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(render(report, fmt))  # type: ignore[arg-type]
    total = report.total
    print(
        f"Đã ghi Biểu số 06 ({fmt.upper()}) ra {args.out}\n"
        f"  Kỳ báo cáo: từ ngày {args.start:%d/%m/%Y} đến ngày {args.end:%d/%m/%Y}; "
        f"đơn vị: {report.unit.name}\n"
        f"  Hồ sơ nhận giải quyết: {_int(total.received_total)}; "
        f"đã giải quyết: {_int(total.resolved_total)}; "
        f"đang giải quyết: {_int(total.pending_total)} ({len(report.rows)} dòng)"
    )
    return EXIT_OK


def cmd_overdue(args: argparse.Namespace, settings: Settings) -> int:
    from dossier_stats.bieu06.unit import UnknownUnit, resolve_unit
    from dossier_stats.overdue import overdue_csv, overdue_dossiers

    engine = _engine(settings)
    try:
        with engine.connect() as conn:
            unit = resolve_unit(conn, args.unit, settings.province_code)
            page = overdue_dossiers(conn, unit, args.end, limit=None)
    except UnknownUnit as exc:
        return _fail(str(exc))
    finally:
        engine.dispose()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(overdue_csv(page.rows))
    print(f"Đã ghi {_int(page.total)} hồ sơ quá hạn ngày {args.end:%d/%m/%Y} ({unit.name}) ra {args.out}")
    return EXIT_OK


def _int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _add_day(parser: argparse.ArgumentParser, flag: str, dest: str, help: str) -> None:
    parser.add_argument(flag, dest=dest, type=parse_day, required=True, metavar="NGÀY", help=help)


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    report = sub.add_parser(
        "report",
        help="xuất báo cáo: Biểu số 06/VPCP/KSTT, danh sách hồ sơ quá hạn",
        description="Xuất báo cáo từ cơ sở dữ liệu hồ sơ. / Export reports.",
    )
    kinds = report.add_subparsers(dest="report", required=True, metavar="BÁO_CÁO")

    p = add_command(
        kinds,
        [common],
        "bieu06",
        cmd_bieu06,
        help="Biểu số 06/VPCP/KSTT cho một khoảng ngày",
        description="Tình hình, kết quả giải quyết TTHC (Biểu số 06/VPCP/KSTT) cho khoảng ngày "
        "[--from, --to] và một đơn vị (mặc định toàn tỉnh). / The Biểu 06 report for a date range.",
    )
    _add_day(p, "--from", "start", "từ ngày (YYYY-MM-DD)")
    _add_day(p, "--to", "end", "đến ngày (YYYY-MM-DD)")
    add_unit(p, "mã huyện, xã hoặc cơ quan (sở, ban, ngành); mặc định toàn tỉnh")
    p.add_argument(
        "--format",
        choices=("xlsx", "csv"),
        default=None,
        help="định dạng (mặc định theo phần mở rộng của --out, không có thì xlsx)",
    )
    add_out(p, "tệp ghi ra", required=True)

    p = add_command(
        kinds,
        [common],
        "overdue",
        cmd_overdue,
        help="danh sách hồ sơ đang giải quyết quá hạn tại một ngày (CSV)",
        description="Hồ sơ đang giải quyết quá hạn tại ngày --to, quá hạn lâu nhất trước. "
        "/ Pending-overdue dossiers on a day, as CSV.",
        audit_as=("export", "danh sách hồ sơ quá hạn"),
    )
    _add_day(p, "--to", "end", "ngày xét (YYYY-MM-DD)")
    add_unit(p, "mã huyện, xã hoặc cơ quan; mặc định toàn tỉnh")
    add_out(p, "tệp CSV ghi ra", metavar="TỆP.csv", required=True)
