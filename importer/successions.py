"""Import of agency_successions.csv: which agency code continues which, from which day.

Columns (UTF-8, header row, RFC 4180): `predecessor_code`, `successor_code`, `from_date`
(ISO date, the successor's first day), `part` (`full`: the successor takes over the
predecessor's work, so trends follow the chain; `partial`: part of it, marked on the
trend but not added), `note` (optional, shown with the break). The same code on both
sides is a new version of the agency (the province merger of 01/7/2025). Both codes must
be in the registry (import the agencies first).

The file replaces the stored successions as a whole; a file with any bad row is refused
with every problem named (line and reason), and nothing is applied.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, delete, insert, select

from clock import now_local
from db.schema import agencies
from db.schema_editions import agency_successions
from importer.runs import bump_data_state

COLUMNS = ("predecessor_code", "successor_code", "from_date", "part")
PARTS = ("full", "partial")
MAX_PROBLEMS = 20


class SuccessionFileError(ValueError):
    """The file is refused: the message names every problem (Vietnamese)."""


@dataclass(frozen=True)
class Succession:
    predecessor_code: str
    successor_code: str
    from_date: date
    part: str
    note: str | None


def _row(line: int, row: dict[str, str], known: set[str]) -> tuple[Succession | None, list[str]]:
    problems = []
    cells = {name: (row.get(name) or "").strip() for name in (*COLUMNS, "note")}
    for name in COLUMNS:
        if not cells[name]:
            problems.append(f"dòng {line}: thiếu {name}")
    for name in ("predecessor_code", "successor_code"):
        if cells[name] and cells[name] not in known:
            problems.append(
                f"dòng {line}: mã cơ quan '{cells[name]}' ({name}) không có trong danh mục cơ quan"
            )
    if cells["part"] and cells["part"] not in PARTS:
        problems.append(f"dòng {line}: part '{cells['part']}' không hợp lệ (full hoặc partial)")
    try:
        day = date.fromisoformat(cells["from_date"]) if cells["from_date"] else None
    except ValueError:
        problems.append(f"dòng {line}: from_date '{cells['from_date']}' không phải ngày (yyyy-mm-dd)")
        day = None
    if problems or day is None:
        return None, problems
    return Succession(
        cells["predecessor_code"], cells["successor_code"], day, cells["part"], cells["note"] or None
    ), []


def read_successions(path: Path, known_codes: set[str]) -> list[Succession]:
    """Every row of the file; SuccessionFileError naming each problem when any row is bad."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise SuccessionFileError(f"{Path(path).name}: thiếu cột bắt buộc {', '.join(missing)}")
            rows = list(enumerate(reader, start=2))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise SuccessionFileError(f"{Path(path).name}: không đọc được tệp ({exc})") from exc
    out: list[Succession] = []
    problems: list[str] = []
    seen: set[tuple[str, str, date]] = set()
    for line, row in rows:
        item, found = _row(line, row, known_codes)
        problems += found
        if item is not None:
            key = (item.predecessor_code, item.successor_code, item.from_date)
            if key in seen:
                problems.append(f"dòng {line}: trùng dòng trước ({', '.join(map(str, key))})")
            seen.add(key)
            out.append(item)
    if problems:
        shown = "\n".join(f"- {p}" for p in problems[:MAX_PROBLEMS])
        more = f"\n… và {len(problems) - MAX_PROBLEMS} lỗi khác" if len(problems) > MAX_PROBLEMS else ""
        raise SuccessionFileError(
            f"{Path(path).name}: {len(problems)} lỗi, không nạp dòng nào:\n{shown}{more}"
        )
    return out


def import_successions(engine: Engine, path: Path) -> int:
    """Replace the stored successions by the file's; returns the number of rows stored."""
    with engine.begin() as conn:
        known = set(conn.execute(select(agencies.c.code)).scalars())
        items = read_successions(path, known)
        conn.execute(delete(agency_successions))
        if items:
            conn.execute(
                insert(agency_successions),
                [
                    {
                        "predecessor_code": s.predecessor_code,
                        "successor_code": s.successor_code,
                        "from_date": s.from_date,
                        "part": s.part,
                        "note": s.note,
                    }
                    for s in items
                ],
            )
        bump_data_state(conn, now_local())
    return len(items)


def successions_loaded(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(agency_successions.c.from_date).limit(1)).first() is not None
