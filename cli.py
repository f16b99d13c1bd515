"""Dòng lệnh của Bản đồ thể chế — the command line (`python cli.py --help`).

Every command reads Settings.from_env() (DATABASE_URL, DATA_DIR, GEODATA_DIR,
AGENCIES_FILE, APP_TODAY) and migrates the database first.
Exit codes: 0 ok, 1 a file was rejected (or the database lacks what the command
needs), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from cli_options import add_command, add_files, add_limit, add_out, add_seed, positive
from config import Settings

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
DEFER_CHOICES: dict[str, bool | None] = {"auto": None, "yes": True, "no": False}
LIST_LIMIT = 50

# Parts of the system that bring their own commands: each module has
# `add_commands(sub, common) -> None`, adding sub-parsers whose `func(args, settings) -> int`.
# A sub-parser may also set `audit_as=(action, what)` ("import" or "export"): when the
# command succeeds, main() records it in the audit trail with its files (an export only
# when it wrote a file, --out).
COMMAND_MODULES: tuple[str, ...] = (
    "accounts.commands",
    "scoring.commands",
    "dossier_stats.commands",
    "importer.live_commands",
    "importer.edition_commands",
)


def _engine(settings: Settings):  # noqa: ANN202 - sqlalchemy Engine
    from db.engine import make_engine
    from db.migrate import upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)
    return engine


def cmd_setup(args: argparse.Namespace, settings: Settings) -> int:
    from importer.setup import ensure_database

    ensure_database(settings, demo_dossiers=args.demo_dossiers, seed=args.seed, progress=not args.quiet)
    print(f"Cơ sở dữ liệu sẵn sàng: {_safe_url(settings.database_url)}")
    return EXIT_OK


def cmd_import_agencies(args: argparse.Namespace, settings: Settings) -> int:
    from importer.agencies import import_agencies
    from importer.setup import ensure_schema_and_units

    engine = ensure_schema_and_units(settings)
    print(import_agencies(engine, args.file).format_vi())
    return EXIT_OK


def cmd_import_dossiers(args: argparse.Namespace, settings: Settings) -> int:
    from importer.dossiers import import_dossiers
    from importer.setup import ensure_registry, progress_bar

    engine = ensure_registry(settings)
    with progress_bar(not args.quiet, "Nhập hồ sơ") as step:
        summary = import_dossiers(
            engine,
            args.files,
            progress=step,
            batch_size=max(1, args.batch_size),
            today=settings.today(),
            defer_indexes=DEFER_CHOICES[args.defer_indexes],
        )
    print(summary.format_vi())
    return EXIT_OK


def cmd_demo_data(args: argparse.Namespace, settings: Settings) -> int:
    from importer.setup import ensure_registry, import_with_progress, write_demo

    _engine(settings).dispose()  # migrate first, like every command
    out = args.out or settings.data_dir / "demo"
    paths = write_demo(settings, args.dossiers, args.seed, out, progress=not args.quiet)
    print("Đã ghi dữ liệu mẫu:")
    for p in paths:
        print(f"  {p}")
    if args.do_import:
        engine = ensure_registry(settings)
        print(import_with_progress(engine, paths, settings, not args.quiet).format_vi())
    return EXIT_OK


def cmd_quarantine(args: argparse.Namespace, settings: Settings) -> int:
    from importer.quarantine import count_quarantine, export_csv, iter_quarantine, rule_counts
    from vi_format import format_int

    engine = _engine(settings)
    with engine.connect() as conn:
        total = count_quarantine(conn, args.run)
        scope = f"lần nhập {args.run}" if args.run is not None else "mọi lần nhập"
        if args.out:
            written = export_csv(conn, args.out, args.run)
            print(f"Đã xuất {format_int(written)} dòng cách ly ({scope}) ra {args.out}")
            return EXIT_OK
        print(f"Dòng bị cách ly ({scope}): {format_int(total)}")
        for rule, n in rule_counts(conn, args.run):
            print(f"  - {rule}: {format_int(n)}")
        for e in iter_quarantine(conn, args.run, limit=args.limit):
            print(
                f"[lần {e['import_run_id']}] {e['source_file']}:{e['line_no']}  {e['rule']}: {e['message']}"
            )
        if total > args.limit:
            print(f"… và {format_int(total - args.limit)} dòng nữa: dùng --out TỆP.csv để xuất tất cả.")
    return EXIT_OK


def cmd_runs(args: argparse.Namespace, settings: Settings) -> int:
    from importer.runs import describe_runs, mark_interrupted

    engine = _engine(settings)
    for run in mark_interrupted(engine):
        print(f"Đã đánh dấu bị gián đoạn: {run.describe_vi()}")
    with engine.connect() as conn:
        for line in describe_runs(conn, args.limit):
            print(line)
    return EXIT_OK


def cmd_rebuild_aggregates(args: argparse.Namespace, settings: Settings) -> int:
    from clock import now_local
    from dossier_stats.aggregates import rebuild
    from importer.runs import bump_data_state

    engine = _engine(settings)
    with engine.begin() as conn:
        rebuild(conn)
        bump_data_state(conn, now_local())
    print("Đã tính lại bảng tổng hợp theo tháng (agency_month_stats).")
    return EXIT_OK


def _audit(args: argparse.Namespace, settings: Settings) -> None:
    """The audit row of a command that declared `audit_as` (see COMMAND_MODULES)."""
    declared = getattr(args, "audit_as", None)
    out = getattr(args, "out", None)
    if declared is None or (declared[0] == "export" and not out):
        return
    from accounts.audit import AuditAction
    from accounts.command_line import record_command

    files = list(getattr(args, "files", None) or []) or [getattr(args, "file", None) or out]
    engine = _engine(settings)
    try:
        record_command(
            engine, AuditAction(declared[0]), declared[1], detail="tệp " + ", ".join(map(str, files))
        )
    finally:
        engine.dispose()


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _add_setup_command(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """setup: migrate and load the first-run data."""
    p = add_command(
        sub,
        [common],
        "setup",
        cmd_setup,
        help="khởi tạo cơ sở dữ liệu (bảng, ranh giới, danh mục cơ quan, dữ liệu mẫu tùy chọn)",
        description="Tạo/cập nhật bảng; nạp ranh giới và danh mục cơ quan nếu còn trống; "
        "tạo và nhập hồ sơ mẫu nếu bảng hồ sơ còn trống. / Migrate and load first-run data.",
    )
    p.add_argument("--demo-dossiers", type=positive, default=0, metavar="N", help="số hồ sơ mẫu (mặc định 0)")
    add_seed(p)


def _add_import_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """import-agencies, import-dossiers."""
    p = add_command(
        sub,
        [common],
        "import-agencies",
        cmd_import_agencies,
        help="nhập danh mục cơ quan (agencies.csv)",
        description="Nhập danh mục cơ quan theo định dạng agencies.csv (importer/data/INTERCHANGE.md); "
        "cập nhật theo (mã, ngày bắt đầu hiệu lực). / Import an agency registry.",
        audit_as=("import", "danh mục cơ quan"),
    )
    add_files(p, "tệp agencies.csv (UTF-8)")
    p = add_command(
        sub,
        [common],
        "import-dossiers",
        cmd_import_dossiers,
        help="nhập hồ sơ TTHC (dossiers.csv)",
        description="Nhập một hoặc nhiều tệp dossiers.csv. Dòng vi phạm quy tắc được cách ly, "
        "nhập lại cùng tệp không thay đổi gì. / Import dossier files (idempotent).",
        audit_as=("import", "hồ sơ"),
    )
    add_files(p, "tệp dossiers.csv (UTF-8)", many=True)
    p.add_argument(
        "--batch-size", type=positive, default=5000, metavar="N", help="số dòng mỗi lô (mặc định 5000)"
    )
    p.add_argument(
        "--defer-indexes",
        choices=tuple(DEFER_CHOICES),
        default="auto",
        help="tạm bỏ các chỉ mục phụ của bảng hồ sơ trong lúc nhập và dựng lại sau: auto (mặc định) = "
        "khi số dòng nhập ít nhất 200.000 và không ít hơn số hồ sơ đã có; yes; no",
    )


def _add_data_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """demo-data, quarantine, runs, rebuild-aggregates."""
    p = add_command(
        sub,
        [common],
        "demo-data",
        cmd_demo_data,
        help="tạo tệp hồ sơ mẫu (và nhập nếu có --import)",
        description="Tạo tệp dossiers.csv mẫu, tất định theo hạt giống. / Write demo dossier CSVs.",
    )
    p.add_argument("--dossiers", type=positive, required=True, metavar="N", help="số hồ sơ")
    add_seed(p)
    add_out(p, "thư mục ghi (mặc định DATA_DIR/demo)", metavar="THƯ_MỤC")
    p.add_argument("--import", dest="do_import", action="store_true", help="nhập ngay các tệp vừa tạo")

    p = add_command(
        sub,
        [common],
        "quarantine",
        cmd_quarantine,
        help="liệt kê hoặc xuất các dòng bị cách ly",
        description="Liệt kê các dòng bị cách ly (mới nhất trước) hoặc xuất ra CSV. "
        "/ List or export quarantined rows.",
        audit_as=("export", "dòng bị cách ly"),
    )
    p.add_argument("--run", type=int, default=None, metavar="ID", help="chỉ lần nhập này (mặc định: mọi lần)")
    add_out(p, "xuất tất cả ra tệp CSV", metavar="TỆP.csv")
    add_limit(p, LIST_LIMIT, type_=positive)

    p = add_command(
        sub,
        [common],
        "runs",
        cmd_runs,
        help="các lần nhập gần nhất và trạng thái (đang chạy, hoàn tất, bị gián đoạn…)",
        description="Liệt kê các lần nhập gần nhất, mới nhất trước; lần nhập mà tiến trình đã dừng "
        "giữa chừng được đánh dấu bị gián đoạn. / List the latest import runs.",
    )
    p.add_argument("--limit", type=positive, default=20, metavar="N", help="số lần nhập hiện (mặc định 20)")

    add_command(
        sub,
        [common],
        "rebuild-aggregates",
        cmd_rebuild_aggregates,
        help="tính lại bảng tổng hợp theo tháng từ toàn bộ hồ sơ",
        description="Tính lại agency_month_stats từ bảng hồ sơ. / Recompute the monthly aggregates.",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python cli.py",
        description=(
            "Bản đồ thể chế — quản trị dữ liệu: khởi tạo cơ sở dữ liệu, nhập danh mục cơ quan và hồ sơ, "
            "tạo dữ liệu mẫu, xem dòng bị cách ly. Cấu hình qua biến môi trường DATABASE_URL, DATA_DIR, "
            "GEODATA_DIR, AGENCIES_FILE, APP_TODAY. / Data administration commands."
        ),
        epilog="Mã thoát / exit codes: 0 thành công, 1 tệp bị từ chối, 2 sai cú pháp lệnh.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-q", "--quiet", action="store_true", help="không hiện thanh tiến độ / no progress bars"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="LỆNH")

    _add_setup_command(sub, common)
    _add_import_commands(sub, common)
    _add_data_commands(sub, common)

    for module in COMMAND_MODULES:
        importlib.import_module(module).add_commands(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from accounts.kiosk import KioskError
    from accounts.permissions import PermissionDenied
    from accounts.store import AccountError
    from importer.csv_source import FileRejected
    from importer.dossiers import PrerequisiteMissing

    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        code = args.func(args, settings)
        if code == EXIT_OK:
            _audit(args, settings)
        return code
    except FileRejected as exc:
        print(f"Tệp bị từ chối: {exc.path}\n  {exc.message_vi}\n  ({exc.message_en})", file=sys.stderr)
        return EXIT_REJECTED
    except (PrerequisiteMissing, PermissionDenied, AccountError, KioskError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REJECTED


if __name__ == "__main__":
    import os

    from logging_setup import configure_logging

    # Commands report on stdout/stderr themselves; the log shows warnings unless LOG_LEVEL says more.
    configure_logging(os.environ.get("LOG_LEVEL", "WARNING"), os.environ.get("LOG_FORMAT", "text"))
    sys.exit(main())
