"""`python cli.py scoring …`: the PAR-index commands (registered through cli.COMMAND_MODULES).

    scoring load TỆP                                nạp bộ chỉ số (YAML/JSON) của một năm và nhóm
    scoring template --unit MÃ --year N --out TỆP   phiếu tự đánh giá Excel của một đơn vị
    scoring import TỆP                              nhập lại phiếu đã điền (tất cả hoặc không gì)
    scoring survey TỆP --year N                     nhập kết quả điều tra xã hội học (CSV)
    scoring export --year N --format xlsx|csv --out TỆP   bảng kết quả để công bố
    scoring results --year N [--group G]            in bảng xếp hạng
    scoring demo --year N --seed S                  dữ liệu chấm điểm mẫu
Exit codes as cli.py: 0 ok, 1 refused (the reason printed), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from accounts.permissions import COMMAND_LINE, Actor
from cli_options import add_command, add_files, add_out, add_seed, add_unit
from config import Settings
from scoring.definition import GROUPS
from scoring.export import EXPORT_FORMATS
from vi_format import format_points

EXIT_OK, EXIT_REJECTED = 0, 1


def _engine(settings: Settings) -> Any:
    from importer.setup import ensure_registry

    return ensure_registry(settings)


def _actor(args: argparse.Namespace, engine: Any) -> Actor:
    """The command line itself, or the account named by --by (whose roles then apply)."""
    from accounts.command_line import account_actor

    return COMMAND_LINE if not args.by else account_actor(engine, args.by)


def _refused(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_REJECTED


def cmd_load(args: argparse.Namespace, settings: Settings) -> int:
    from scoring.loader import DefinitionError
    from scoring.versions import VersionConflict, load_file

    engine = _engine(settings)
    try:
        print(load_file(engine, args.file, _actor(args, engine)).format_vi())
    except (DefinitionError, VersionConflict) as exc:
        return _refused(str(exc))
    return EXIT_OK


def cmd_template(args: argparse.Namespace, settings: Settings) -> int:
    from scoring.excel_template import TemplateError, write_template

    engine = _engine(settings)
    try:
        with engine.connect() as conn:
            out = write_template(conn, args.unit, args.year, args.out)
    except TemplateError as exc:
        return _refused(str(exc))
    print(f"Đã ghi phiếu tự đánh giá của đơn vị {args.unit} năm {args.year}: {out}")
    return EXIT_OK


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    from scoring.excel_import import import_workbook

    engine = _engine(settings)
    report = import_workbook(engine, args.file, _actor(args, engine))
    if not report.ok:
        return _refused(report.format_vi())
    print(report.format_vi())
    return EXIT_OK


def cmd_survey(args: argparse.Namespace, settings: Settings) -> int:
    from scoring.survey_csv import import_survey_csv

    engine = _engine(settings)
    report = import_survey_csv(engine, args.file, args.year, _actor(args, engine))
    if report.problems:
        return _refused(report.format_vi())
    print(report.format_vi())
    return EXIT_OK


def _tables(settings: Settings, year: int, group: str | None) -> list[Any]:
    from scoring.service import ScoringService

    service = ScoringService(_engine(settings))
    groups = [group] if group else service.groups(year)
    return [t for g in groups if (t := service.results_table(year, g)) is not None]


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from scoring.export import write_results

    tables = _tables(settings, args.year, args.group)
    if not tables:
        return _refused(
            f"Chưa có bộ chỉ số năm {args.year} để xuất kết quả (python cli.py scoring load TỆP)."
        )
    out = write_results(tables, args.format, args.out)
    rows = sum(len(t.rows) for t in tables)
    print(f"Đã xuất kết quả chỉ số CCHC năm {args.year} ({rows} đơn vị, {len(tables)} nhóm): {out}")
    return EXIT_OK


def cmd_results(args: argparse.Namespace, settings: Settings) -> int:
    tables = _tables(settings, args.year, args.group)
    if not tables:
        return _refused(f"Chưa có bộ chỉ số năm {args.year}.")
    for table in tables:
        print(f"\n{table.group_label} — năm {table.year} ({len(table.rows)} đơn vị)")
        for r in table.rows:
            mark = " (tạm tính)" if r.provisional else ""
            percent = format_points(r.percent)
            print(f"  {r.rank:>3}. {r.unit_code:<8} {r.name:<50} {percent:>6}%  {r.grade}{mark}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from scoring.demo import fill_demo

    try:
        print(fill_demo(_engine(settings), args.year, args.seed).format_vi())
    except LookupError as exc:
        return _refused(str(exc))
    return EXIT_OK


def _add_year(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True, metavar="NĂM")


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """The `scoring` command and its sub-commands (cli.COMMAND_MODULES hook)."""
    scoring = sub.add_parser(
        "scoring",
        parents=[common],
        help="chấm điểm chỉ số cải cách hành chính (bộ chỉ số, phiếu tự đánh giá, kết quả)",
        description="Chỉ số cải cách hành chính: nạp bộ chỉ số, phiếu tự đánh giá Excel, "
        "điều tra xã hội học, xuất kết quả, dữ liệu mẫu. / PAR index scoring.",
    )
    commands = scoring.add_subparsers(dest="scoring_command", required=True, metavar="LỆNH")
    by = argparse.ArgumentParser(add_help=False)
    by.add_argument(
        "--by",
        default=None,
        metavar="TÀI_KHOẢN",
        help=f"thực hiện thay mặt tài khoản này (phải có quyền); mặc định: '{COMMAND_LINE.name}'",
    )

    p = add_command(commands, [common, by], "load", cmd_load, help="nạp bộ chỉ số từ tệp YAML/JSON")
    add_files(p)

    p = add_command(
        commands, [common], "template", cmd_template, help="ghi phiếu tự đánh giá Excel của một đơn vị"
    )
    add_unit(p, "mã cơ quan (agencies.code)", required=True)
    _add_year(p)
    add_out(p, metavar="TỆP.xlsx", required=True)

    p = add_command(commands, [common, by], "import", cmd_import, help="nhập phiếu tự đánh giá đã điền")
    add_files(p, metavar="TỆP.xlsx")

    p = add_command(
        commands, [common, by], "survey", cmd_survey, help="nhập kết quả điều tra xã hội học (CSV)"
    )
    add_files(p, "cột unit_code, code, points", metavar="TỆP.csv")
    _add_year(p)

    group_help = f"chỉ một nhóm: {', '.join(GROUPS)}"
    p = add_command(
        commands,
        [common],
        "export",
        cmd_export,
        help="xuất bảng kết quả (XLSX hoặc CSV)",
        audit_as=("export", "kết quả chỉ số CCHC"),
    )
    _add_year(p)
    p.add_argument("--format", choices=EXPORT_FORMATS, required=True)
    add_out(p, required=True)
    p.add_argument("--group", choices=tuple(GROUPS), default=None, help=group_help)

    p = add_command(commands, [common], "results", cmd_results, help="in bảng xếp hạng")
    _add_year(p)
    p.add_argument("--group", choices=tuple(GROUPS), default=None, help=group_help)

    p = add_command(commands, [common], "demo", cmd_demo, help="tạo dữ liệu chấm điểm mẫu")
    _add_year(p)
    add_seed(p, help=None)
