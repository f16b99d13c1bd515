"""Import of the optional mapping handler_id -> official's name and unit
(`python cli.py import-handlers FILE`).

Dossier data names the official who handled a dossier by a pseudonymous `handler_id`; the
officials' statistics show those ids unless this mapping is loaded, and then show the
names only to the roles that may see them (accounts.permissions.Read.HANDLER_NAMES).

CSV (UTF-8, comma-separated, one header row; common rules of importer/data/INTERCHANGE.md):

| column | meaning |
|---|---|
| `handler_id` | the id used in dossiers.csv (at most 64 characters) |
| `full_name` | the official's full name (at most 200 characters) |
| `unit_code` | the agency code of the registry the official works for |

Rules (quarantine rule names): field_count, missing_<column>, invalid_handler_id (too
long), invalid_full_name (too long, or control characters), unknown_unit (not an agency
code of the registry), duplicate_handler (the same id earlier in the file with another
name or unit). Idempotent: a stored id is updated when its name or unit differs, kept
when equal; ids absent from the file stay. One transaction per file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, insert, select, update

from clock import now_local
from db.registry import AgencyIndex
from db.schema_accounts import official_handlers
from importer.csv_source import CsvSource, FileRejected, open_source
from importer.keyed_rows import read_keyed_rows
from importer.quarantine import Violation
from importer.runs import mark_interrupted, record_rejection, run_recorded
from importer.summary import ImportSummary
from importer.values import ValueProblem, parse_code

REQUIRED_COLUMNS = ("handler_id", "full_name", "unit_code")
KIND = "handlers"
LABELS = {"handler_id": "mã cán bộ xử lý", "full_name": "họ và tên", "unit_code": "mã đơn vị"}
MAX_NAME = 200


@dataclass(frozen=True)
class Handler:
    handler_id: str
    full_name: str
    unit_code: str


def parse_handler(
    fields: list[str], index: dict[str, int], width: int, agencies: AgencyIndex
) -> tuple[Handler | None, list[Violation]]:
    """A row of the file, or the rules it breaks."""
    if len(fields) != width:
        return None, [Violation("field_count", f"Dòng có {len(fields)} trường nhưng tiêu đề có {width} cột")]
    text = {name: fields[index[name]].strip() for name in REQUIRED_COLUMNS}
    problems = [
        Violation(f"missing_{name}", f"Thiếu {LABELS[name]} ({name})")
        for name in REQUIRED_COLUMNS
        if not text[name]
    ]
    if text["handler_id"]:
        try:
            parse_code(text["handler_id"], 64)
        except ValueProblem as exc:
            problems.append(Violation("invalid_handler_id", f"{LABELS['handler_id']}: {exc}"))
    name = " ".join(text["full_name"].split())
    if len(name) > MAX_NAME or any(ord(c) < 32 for c in text["full_name"] if c not in "\t"):
        problems.append(
            Violation("invalid_full_name", f"Họ và tên dài quá {MAX_NAME} ký tự hoặc có ký tự điều khiển")
        )
    if text["unit_code"] and not agencies.knows(text["unit_code"]):
        problems.append(
            Violation("unknown_unit", f"Mã đơn vị '{text['unit_code'][:40]}' không có trong danh mục cơ quan")
        )
    if problems:
        return None, problems
    return Handler(text["handler_id"], name, text["unit_code"]), []


def import_handlers(engine: Engine, path: Path, *, now: datetime | None = None) -> ImportSummary:
    """Import one mapping file; raises FileRejected (nothing written)."""
    path = Path(path)
    now = now or now_local()
    try:
        source = open_source(path, REQUIRED_COLUMNS, ())
    except FileRejected as exc:
        record_rejection(engine, KIND, str(path), str(exc), now)
        raise
    summary = ImportSummary(kind=KIND, files=[path.name], warnings=list(source.warnings))
    summary.interrupted = mark_interrupted(engine)
    run_recorded(
        engine,
        KIND,
        str(path),
        now,
        summary,
        lambda conn, run_id: _import(conn, source, run_id, now, summary),
    )
    return summary


def _import(conn: Connection, source: CsvSource, run_id: int, now: datetime, summary: ImportSummary) -> None:
    header = source.header
    agencies = AgencyIndex.load(conn)

    def parse(fields: list[str]) -> tuple[Handler | None, list[Violation]]:
        return parse_handler(fields, header.index, len(header.columns), agencies)

    def conflict(item: Handler, first_line: int, first: Handler) -> Violation | None:
        if first == item:
            return None
        return Violation(
            "duplicate_handler",
            f"Mã cán bộ '{item.handler_id}' đã có ở dòng {first_line} với họ tên hoặc đơn vị khác",
        )

    items = read_keyed_rows(conn, source, run_id, now, summary, parse, lambda h: h.handler_id, conflict)
    _store(conn, items, run_id, now, summary)


def _store(
    conn: Connection, items: list[Handler], run_id: int, now: datetime, summary: ImportSummary
) -> None:
    h = official_handlers.c
    stored = {r.handler_id: (r.full_name, r.unit_code) for r in conn.execute(select(official_handlers))}
    for item in items:
        old = stored.get(item.handler_id)
        values = {
            "full_name": item.full_name,
            "unit_code": item.unit_code,
            "import_run_id": run_id,
            "updated_at": now,
        }
        if old is None:
            conn.execute(insert(official_handlers).values(handler_id=item.handler_id, **values))
            summary.inserted += 1
        elif old != (item.full_name, item.unit_code):
            conn.execute(update(official_handlers).where(h.handler_id == item.handler_id).values(**values))
            summary.updated += 1
        else:
            summary.unchanged += 1
