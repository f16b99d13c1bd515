"""Command-line commands of the 766 index and the live refresh (registered in cli.COMMAND_MODULES).

- `refresh [--full] [--lag-minutes N] [--every S]`: take in dossiers changed directly in
  the database (importer.refresh); with --every, repeat every S seconds until
  interrupted (or run it from cron every minute).
- `import-indicators FILE...`: imported 766 indicators (importer.indicators).
- `index766 --period KEY [--kind K] [--out FILE.csv]`: the 766 table of a period, under the
  rule set in force (its name, version and options printed first, and the first lines of
  the CSV), with per unit the points that had data and the indicators without data.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from typing import Any

from cli_options import add_command, add_files, add_out
from spreadsheet_safety import csv_writer

EXIT_OK = 0


def _engine(settings: Any) -> Any:
    from db.engine import make_engine
    from db.migrate import upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)
    return engine


def cmd_refresh(args: argparse.Namespace, settings: Any) -> int:
    from importer.refresh import refresh

    engine = _engine(settings)
    lag = timedelta(minutes=args.lag_minutes)
    while True:
        summary = refresh(engine, lag=lag, full=args.full)
        print(summary.format_vi(), flush=True)
        if not args.every:
            return EXIT_OK
        try:
            time.sleep(args.every)
        except KeyboardInterrupt:
            return EXIT_OK


def cmd_import_indicators(args: argparse.Namespace, settings: Any) -> int:
    from importer.indicators import import_indicators

    engine = _engine(settings)
    for path in args.files:
        print(import_indicators(engine, path, today=settings.today()).format_vi())
    return EXIT_OK


def cmd_index766(args: argparse.Namespace, settings: Any) -> int:
    from dossier_stats.index766.results import index766_for_agencies, index766_province
    from dossier_stats.index766.ruleset import RuleSetError, active_config
    from dossier_stats.index766.table import header, rule_lines, table_lines
    from dossier_stats.periods import Period

    try:
        period = Period.parse(args.period)
        config = active_config()
    except (ValueError, RuleSetError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    engine = _engine(settings)
    with engine.connect() as conn:
        rows = index766_for_agencies(conn, period, config)
        province = index766_province(conn, period, config, province_code=settings.province_code)
    if args.kind:
        rows = [r for r in rows if r.kind == args.kind]
    lines = table_lines(rows, province)
    rules = rule_lines(config)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv_writer(fh)
            writer.writerows([[text] for text in rules])
            writer.writerow(header())
            writer.writerows(line.cells for line in lines)
        print(f"Đã ghi {len(lines)} dòng chỉ số 766 ({period.label}) ra {args.out} — {config.label}")
        return EXIT_OK
    print(
        f"Chỉ số 766 — {period.label} (điểm nhóm; chỉ số chưa có số liệu không tính điểm, ghi rõ theo đơn vị)"
    )
    for text in rules:
        print(text)
    print(" | ".join([*header()[:-2], "ghi chú xếp hạng"]))
    for line in lines:
        print(" | ".join(line.cells[:-2]) + (f" | {line.cells[-1]}" if line.cells[-1] else ""))
        if line.missing:
            print(f"    chưa có số liệu: {line.missing}")
    return EXIT_OK


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(
        sub,
        [common],
        "refresh",
        cmd_refresh,
        help="cập nhật số liệu từ hồ sơ được hệ thống xử lý ghi trực tiếp vào cơ sở dữ liệu",
        description="Đọc các hồ sơ có updated_at mới hơn mốc đã xử lý (trừ một khoảng trễ), suy lại ngày "
        "và cơ quan, cập nhật bảng tổng hợp theo kiểu cộng/trừ; chỉ tăng phiên bản dữ liệu khi có thay đổi. "
        "An toàn khi chạy mỗi phút. / Take in dossiers written directly into the database.",
    )
    p.add_argument("--full", action="store_true", help="đối chiếu toàn bộ hồ sơ (cả hồ sơ bị xóa)")
    p.add_argument(
        "--lag-minutes", type=float, default=10.0, metavar="N", help="khoảng đọc lùi trước mốc (mặc định 10)"
    )
    p.add_argument(
        "--every", type=float, default=0.0, metavar="S", help="lặp lại mỗi S giây (Ctrl-C để dừng)"
    )

    from importer.indicators import describe_indicators

    p = add_command(
        sub,
        [common],
        "import-indicators",
        cmd_import_indicators,
        help="nhập các chỉ số 766 không tính được từ hồ sơ (CSV: agency_code, period, indicator, value)",
        description="Nhập chỉ số 766 theo cơ quan và kỳ (giá trị là điểm). Dòng sai được cách ly; nhập lại "
        f"cùng tệp không thay đổi gì. Chỉ số: {describe_indicators()}. / Import 766 indicators.",
        audit_as=("import", "chỉ số 766"),
    )
    add_files(p, "tệp CSV UTF-8", many=True)

    p = add_command(
        sub,
        [common],
        "index766",
        cmd_index766,
        help="bảng chỉ số 766 theo cơ quan cho một kỳ",
        description="In hoặc xuất CSV bảng chỉ số 766 (điểm nhóm, tổng, xếp loại, hạng). / The 766 table.",
    )
    p.add_argument("--period", required=True, metavar="KỲ", help="2025-07, 2025-Q3 hoặc 2025")
    p.add_argument(
        "--kind", choices=("commune", "department", "district"), default=None, help="chỉ một loại cơ quan"
    )
    add_out(p, "xuất ra tệp CSV", metavar="TỆP.csv")
