"""Early warning (issue 14 item 5, cảnh báo sớm): the dossiers that fall due within the next
working days and are not resolved yet, per unit and as a list.

On day D with a window of N working days (1 or 2), a dossier is listed when it counts
(status not 1 or 3), has no end (not resolved 9/10 nor withdrawn 7 with a date), is not
paused (5, 6, 8: the applicant holds it, the clock is stopped) and its deadline (due_on)
lies from D to the N-th working day after D, both included (dossiers_stats/workdays.py:
weekends, public holidays and substituted days off of Việt Nam). Already overdue dossiers
are the overdue list's. Read from the partial index ix_dossiers_open_due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Connection, FromClause, func, select, text

from db.schema import agencies, dossiers
from dossier_stats.bieu06.query import OPEN_SQL, run_indexed
from dossier_stats.bieu06.unit import ReportUnit
from dossier_stats.dossier_list import LIST_COLUMNS
from dossier_stats.rules import NOT_COUNTED_STATUSES, PAUSED_STATUSES
from dossier_stats.workdays import add_working_days

WINDOWS = (1, 2)


@dataclass(frozen=True)
class Window:
    today: date
    working_days: int
    last_day: date  # the N-th working day after today

    @property
    def text(self) -> str:
        return (
            f"Hạn trả từ {self.today:%d/%m/%Y} đến {self.last_day:%d/%m/%Y} "
            f"({self.working_days} ngày làm việc tới)"
        )


def window(today: date, working_days: int = 2) -> Window:
    if working_days not in WINDOWS:
        raise ValueError(f"Cảnh báo cho 1 hoặc 2 ngày làm việc tới (nhận {working_days}).")
    return Window(today, working_days, add_working_days(today, working_days))


def _due_soon(when: Window) -> list[ColumnElement[bool]]:
    d = dossiers.c
    return [
        text(f"({OPEN_SQL})"),  # type: ignore[list-item]
        d.status.not_in(sorted(NOT_COUNTED_STATUSES | PAUSED_STATUSES)),
        d.due_on >= when.today,
        d.due_on <= when.last_day,
    ]


def due_soon_rows(unit: ReportUnit, when: Window) -> FromClause:
    """The unit's dossiers due in the window (columns of dossier_list.LIST_COLUMNS)."""
    ids = unit.agency_ids()
    scope = [] if ids is None else [dossiers.c.agency_id.in_(ids)]
    return select(*(dossiers.c[n] for n in LIST_COLUMNS)).where(*_due_soon(when), *scope).subquery("due_soon")


def due_soon_counts(
    conn: Connection, when: Window, level: str, district_code: str | None = None
) -> dict[str, int]:
    """{unit code: dossiers due in the window} for a level's units with any: "district"
    (every district), "commune" (the communes of `district_code`, or all), "department"."""
    a = agencies.c
    keys = {
        "district": (a.map_district_code, [a.map_district_code.is_not(None)]),
        "commune": (
            a.map_commune_code,
            [a.map_commune_code.is_not(None)]
            + ([a.map_district_code == district_code] if district_code is not None else []),
        ),
        "department": (a.code, [a.kind == "department"]),
    }
    if level not in keys:
        raise ValueError(f"Cấp không hợp lệ: {level!r}; chọn một trong: {', '.join(keys)}.")
    key, where = keys[level]
    query = (
        select(key.label("code"), func.count().label("n"))
        .select_from(dossiers.join(agencies, agencies.c.id == dossiers.c.agency_id))
        .where(*_due_soon(when), *where)
        .group_by(key)
    )
    return {r.code: int(r.n) for r in run_indexed(conn, query)}
