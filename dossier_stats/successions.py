"""Agencies over time: the successions of agency_successions (importer/successions.py).

A trend of a department follows its chain of `full` predecessors (Sở Tài chính from March
2025 includes, before that, Sở Kế hoạch và Đầu tư) and marks each break: the day a
predecessor merged into it, or it into the city's department (01/7/2025), including the
`partial` transfers (part of Sở Lao động - Thương binh và Xã hội into Sở Y tế).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, and_, or_, select

from db.schema import agencies
from db.schema_editions import agency_successions
from dossier_stats.periods import Period
from dossier_stats.rules import month_key
from vi_format import format_date


@dataclass(frozen=True)
class TrendBreak:
    month: int  # yyyymm of the first month after the break
    day: date
    text: str  # "01/03/2025: Sở Kế hoạch và Đầu tư → Sở Tài chính (Nghị định …)"


def _rows(conn: Connection) -> list:
    s = agency_successions.c
    return list(conn.execute(select(s.predecessor_code, s.successor_code, s.from_date, s.part, s.note)))


def chain_codes(conn: Connection, code: str) -> tuple[str, ...]:
    """The code and every code that continues into it through `full` successions, transitively."""
    rows = _rows(conn)
    found = [code]
    for current in found:
        for r in rows:
            if r.successor_code == current and r.part == "full" and r.predecessor_code not in found:
                found.append(r.predecessor_code)
    return tuple(found)


def successors_in_period(conn: Connection, period: Period) -> dict[str, str]:
    """Department codes with no version valid in the period -> the department valid in it that
    continues them through `full` successions, transitively (Sở Kế hoạch và Đầu tư, ended
    28/02/2025 -> Sở Tài chính): the one that holds their dossiers still open or finished in
    the period, so rankings count each such dossier once, for it. Codes without one: absent."""
    a = agencies.c
    valid_in = and_(a.valid_from <= period.end, or_(a.valid_to.is_(None), a.valid_to >= period.start))
    departments = select(a.code, valid_in.label("valid")).where(a.kind == "department")
    valid: set[str] = set()
    known: set[str] = set()
    for r in conn.execute(departments):
        known.add(r.code)
        if r.valid:
            valid.add(r.code)
    full: dict[str, str] = {}
    for r in sorted(_rows(conn), key=lambda r: r.from_date):
        if r.part == "full" and r.predecessor_code != r.successor_code:
            full.setdefault(r.predecessor_code, r.successor_code)
    out: dict[str, str] = {}
    for code in sorted(known - valid):
        current, seen = code, {code}
        while current not in valid and current in full and full[current] not in seen:
            current = full[current]
            seen.add(current)
        if current in valid:
            out[code] = current
    return out


def _names(conn: Connection, codes: set[str]) -> dict[str, str]:
    """Each code's earliest name (the predecessor as it was)."""
    out: dict[str, str] = {}
    query = select(agencies.c.code, agencies.c.name).where(agencies.c.code.in_(sorted(codes)))
    for r in conn.execute(query.order_by(agencies.c.valid_from.desc())):
        out[r.code] = r.name
    return out


def trend_breaks(conn: Connection, code: str, first_month: int, last_month: int) -> list[TrendBreak]:
    """Successions into the code's chain that take effect in [first_month, last_month]."""
    chain = set(chain_codes(conn, code))
    rows = [
        r
        for r in _rows(conn)
        if r.successor_code in chain and first_month <= month_key(r.from_date) <= last_month
    ]
    names = _names(conn, {r.predecessor_code for r in rows} | {r.successor_code for r in rows})
    out = []
    for r in sorted(rows, key=lambda r: (r.from_date, r.predecessor_code)):
        before = names.get(r.predecessor_code, r.predecessor_code)
        after = names.get(r.successor_code, r.successor_code)
        change = "một phần chuyển sang" if r.part == "partial" else "→"
        what = r.note or f"{before} {change} {after}"
        out.append(TrendBreak(month_key(r.from_date), r.from_date, f"{format_date(r.from_date)}: {what}"))
    return out
