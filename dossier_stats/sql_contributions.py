"""The aggregate contributions of many new dossiers at once, as grouped SQL (PostgreSQL).

The same sums as `rules.monthly_contributions` (agency_month_stats) and
`index766.facts.accumulate` (agency_month_766, agency_procedure_month), written as
set-based SQL over a query of dossier facts (the columns of `index766.facts.Facts`), so
that the importer's staged path adds a whole file's new dossiers without a Python loop
over them. The Python functions are the reference: tests/test_sql_contributions.py
checks on random facts that both give the same deltas.

Month keys are YYYYMM integers. Per dossier that counts (status not 1 or 3, received):
- r = month received; fm = month it ended (resolved 9/10 or withdrawn 7 with a date);
- provincial rule: o = first month it is overdue at month end (month of due + 1 day, not
  before r), w = end of its within-deadline stretch (o, or fm when earlier);
- 766 rule: fm7 = month it ended under the 766 rule (also stopped, 8, with a date),
  paused7 = paused without such an end; late_from = first month it is late (r with more
  than one supplement, else month of the 766 deadline + 1 day), ok_end likewise.
Each contribution is a (month, column, ±1) at one of those months; the statements add
them per (agency, month).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Select
from sqlalchemy.dialects import postgresql

from db.schema_stats import MONTH_766_COLUMNS, PROCEDURE_MONTH_COLUMNS
from dossier_stats.aggregates import STAT_COLUMNS, AggregateBuffer
from dossier_stats.index766.facts import ENDED_766_STATUSES, IN_TIME_END_STATUSES, MAX_SUPPLEMENT_SHIFT
from dossier_stats.rules import NOT_COUNTED_STATUSES, PAUSED_STATUSES, RESOLVED_STATUSES, WITHDRAWN_STATUS


def _month(day: str) -> str:
    return f"(date_part('year', {day}) * 100 + date_part('month', {day}))::int"


def _sums(columns: Sequence[str]) -> str:
    """The outer sums, by name in the order of `columns` (the order `_add` reads them in)."""
    return ", ".join(f"sum({c})" for c in columns)


def _in(column: str, values: frozenset[int] | Sequence[int]) -> str:
    return f"{column} IN ({', '.join(str(v) for v in sorted(values))})"


_ENDS = f"(finished_on IS NOT NULL AND {_in('status', {*RESOLVED_STATUSES, WITHDRAWN_STATUS})})"
_RESOLVED = _in("status", RESOLVED_STATUSES)
_ENDS_766 = f"(finished_on IS NOT NULL AND {_in('status', ENDED_766_STATUSES)})"


def _deadline_766(due: str) -> str:
    return f"({due} + least({MAX_SUPPLEMENT_SHIFT}, ceil(greatest(0, supplement_days)))::int)"


_DAY_AFTER_766_DEADLINE = _deadline_766("coalesce(due_on, received_on)") + " + 1"
# Per counted dossier: the facts and the months its contributions fall in.
_DERIVED_CTES = f"""
counted AS (
    SELECT agency_id, procedure_code, status, channel, received_on, due_on, finished_on,
           supplement_days, online_offered, has_fee, paid_online, e_result, digitized,
           reused_data, unsatisfied, {_month("received_on")} AS r,
           CASE WHEN {_ENDS} THEN {_month("finished_on")} END AS fm,
           CASE WHEN {_ENDS_766} THEN {_month("finished_on")} END AS fm7,
           {_in("status", PAUSED_STATUSES)} AS paused,
           ({_in("status", PAUSED_STATUSES)} AND NOT {_ENDS_766}) AS paused7,
           supplement_count > 1 AS repeated
    FROM facts
    WHERE NOT {_in("status", NOT_COUNTED_STATUSES)} AND received_on IS NOT NULL
), months AS (
    SELECT *,
           greatest(r, {_month("coalesce(due_on, received_on) + 1")}) AS o,
           CASE WHEN repeated THEN r
                ELSE greatest(r, {_month(_DAY_AFTER_766_DEADLINE)}) END AS late_from
    FROM counted
), d AS (
    SELECT *,
           CASE WHEN fm IS NULL THEN o ELSE least(o, fm) END AS w,
           CASE WHEN fm7 IS NULL THEN late_from ELSE least(late_from, fm7) END AS ok_end
    FROM months
)"""
_TABLE = "contributing_dossiers"

_STATS = f"""
SELECT agency_id, month, {_sums(STAT_COLUMNS)}
FROM (
    SELECT agency_id, r AS month,
           (channel = 2)::int AS received_online, (channel NOT IN (2, 3))::int AS received_direct,
           (channel = 3)::int AS received_postal,
           0 AS resolved_early, 0 AS resolved_on_time, 0 AS resolved_late, 0 AS withdrawn,
           (NOT paused AND w > r)::int AS d_pending_within, 0 AS d_pending_overdue,
           paused::int AS d_pending_paused
    FROM {_TABLE}
    UNION ALL
    SELECT agency_id, fm, 0, 0, 0,
           ({_RESOLVED} AND finished_on < coalesce(due_on, finished_on))::int,
           ({_RESOLVED} AND finished_on = coalesce(due_on, finished_on))::int,
           ({_RESOLVED} AND finished_on > coalesce(due_on, finished_on))::int,
           (status = {WITHDRAWN_STATUS})::int,
           0, -(o < fm)::int, 0
    FROM {_TABLE} WHERE fm IS NOT NULL
    UNION ALL
    SELECT agency_id, w, 0, 0, 0, 0, 0, 0, 0, -1, 0, 0 FROM {_TABLE} WHERE NOT paused AND w > r
    UNION ALL
    SELECT agency_id, o, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0
    FROM {_TABLE} WHERE NOT paused AND (fm IS NULL OR o < fm)
) c
GROUP BY agency_id, month"""

_IN_TIME_766 = (
    f"({_in('status', IN_TIME_END_STATUSES)} OR (NOT repeated AND "
    f"finished_on <= {_deadline_766('coalesce(due_on, finished_on)')}))"
)
_MONTHS_766 = f"""
SELECT agency_id, month, {_sums(MONTH_766_COLUMNS)}
FROM (
    SELECT agency_id, r AS month, 1 AS received, (channel = 2)::int AS received_online,
           has_fee::int AS fee_received, (has_fee AND paid_online)::int AS paid_online,
           digitized::int AS digitized, reused_data::int AS reused_data,
           0 AS resolved, 0 AS e_result, 0 AS unsatisfied, 0 AS unsatisfied_ok,
           0 AS ended_ok, 0 AS ended_late,
           ((paused7 AND NOT repeated) OR (NOT paused7 AND ok_end > r))::int AS d_pending_ok,
           (paused7 AND repeated)::int AS d_pending_late
    FROM {_TABLE}
    UNION ALL
    SELECT agency_id, fm7, 0, 0, 0, 0, 0, 0,
           ({_RESOLVED})::int, ({_RESOLVED} AND e_result)::int, ({_RESOLVED} AND unsatisfied)::int,
           ({_RESOLVED} AND unsatisfied AND {_IN_TIME_766})::int,
           {_IN_TIME_766}::int, (NOT {_IN_TIME_766})::int,
           0, -(late_from < fm7)::int
    FROM {_TABLE} WHERE fm7 IS NOT NULL
    UNION ALL
    SELECT agency_id, ok_end, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0
    FROM {_TABLE} WHERE NOT paused7 AND ok_end > r
    UNION ALL
    SELECT agency_id, late_from, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
    FROM {_TABLE} WHERE NOT paused7 AND (fm7 IS NULL OR late_from < fm7)
) c
GROUP BY agency_id, month"""

_PROCEDURE_SUMS = {
    "received": "count(*)",
    "received_online": "sum((channel = 2)::int)",
    "online_offered": "sum(online_offered::int)",
    "fee_received": "sum(has_fee::int)",
    "paid_online": "sum((has_fee AND paid_online)::int)",
}
_PROCEDURES = f"""
SELECT agency_id, procedure_code, r, {", ".join(_PROCEDURE_SUMS[c] for c in PROCEDURE_MONTH_COLUMNS)}
FROM {_TABLE}
GROUP BY agency_id, procedure_code, r"""


def add_contributions(conn: Connection, facts: Select, buffer: AggregateBuffer) -> None:
    """Add to `buffer` the contributions of every dossier `facts` selects (its columns
    named as Facts' fields), as if each were new."""
    source = facts.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    # The facts and their months once, in a temporary table the three sums read.
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE {_TABLE} AS WITH facts AS ({source}), {_DERIVED_CTES} SELECT * FROM d"
    )
    try:
        for row in conn.exec_driver_sql(_STATS):
            _add(buffer.stats[(row[0], row[1])], STAT_COLUMNS, row[2:])
        for row in conn.exec_driver_sql(_MONTHS_766):
            _add(buffer.months[(row[0], row[1])], MONTH_766_COLUMNS, row[2:])
        for row in conn.exec_driver_sql(_PROCEDURES):
            _add(buffer.procedures[(row[0], row[1], row[2])], PROCEDURE_MONTH_COLUMNS, row[3:])
    finally:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {_TABLE}")


def _add(target: dict[str, int], columns: Sequence[str], values: Sequence[int]) -> None:
    for column, value in zip(columns, values, strict=True):
        target[column] += int(value)
