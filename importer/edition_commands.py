"""Commands for the map's editions and the agencies over time (issue 13):
`import-successions FILE` and `load-editions`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cli_options import add_command, add_files

EXIT_OK, EXIT_REJECTED = 0, 2


def cmd_import_successions(args: argparse.Namespace, settings: Any) -> int:
    from importer.setup import ensure_registry
    from importer.successions import SuccessionFileError, import_successions

    engine = ensure_registry(settings)
    try:
        count = import_successions(engine, args.file)
    except SuccessionFileError as exc:
        print(f"Tệp bị từ chối: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    print(f"Đã nạp {count} dòng kế thừa cơ quan từ {args.file}.")
    return EXIT_OK


def cmd_load_editions(args: argparse.Namespace, settings: Any) -> int:
    from geodata.editions import EditionFileError
    from importer.setup import ensure_schema_and_units, load_editions_into

    engine = ensure_schema_and_units(settings)
    path = args.file or settings.editions_file
    try:
        count = load_editions_into(engine, path)
    except EditionFileError as exc:
        print(f"Tệp bị từ chối: {exc}", file=sys.stderr)
        return EXIT_REJECTED
    print(f"Đã nạp {count} đơn vị hành chính của các phiên bản bản đồ từ {path}.")
    return EXIT_OK


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    p = add_command(
        sub,
        [common],
        "import-successions",
        cmd_import_successions,
        help="nạp quan hệ kế thừa giữa các cơ quan (predecessor_code, successor_code, from_date, part, note)",
        description="Thay toàn bộ quan hệ kế thừa cơ quan bằng nội dung tệp; tệp có "
        "dòng sai bị từ chối cả tệp, nêu từng lỗi. / Replace the agency successions.",
        audit_as=("import", "kế thừa cơ quan"),
    )
    add_files(p, "tệp agency_successions.csv (UTF-8)")
    p = add_command(
        sub,
        [common],
        "load-editions",
        cmd_load_editions,
        help="nạp lại các phiên bản bản đồ (editions.toml) và gán lại cơ quan theo từng phiên bản",
        description="Đọc tệp phiên bản bản đồ (mặc định EDITIONS_FILE) cùng ranh giới và bảng chuyển đổi của "
        "từng phiên bản. / Reload the map editions.",
    )
    p.add_argument("--file", type=Path, default=None, metavar="TỆP", help="tệp editions.toml")
