"""Dossier KPIs per agency code for a period, for the units the PAR index scores.

Same semantics as dossier_stats.kpis (flows summed over the period's months, pending
stock up to its last month, carried over up to the month before; the default rules),
read from agency_month_stats in one grouped statement through the same helpers.
An agency code groups the versions of the agency that match: all versions of a kind
valid in the period (departments, district committees), or only those also valid on
a given day — so that a reused commune code (old 20335 until 2025-06-30, new 20335
from 2025-07-01) counts only the commune valid on that day.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, or_, select

from db.schema import agencies
from dossier_stats.kpis import Kpis, SourceFn, _stats_by, _valid_in, kpis_from_row, monthly_source
from dossier_stats.periods import Period


def agency_kpis(
    conn: Connection,
    period: Period,
    kind: str,
    *,
    valid_on: date | None = None,
    source: SourceFn = monthly_source,
) -> dict[str, Kpis]:
    """{agency code: KPIs} for the agencies of `kind` valid in the period (and on `valid_on`
    when given). Agencies without any monthly row are absent (read them as Kpis())."""
    where = [agencies.c.kind == kind, _valid_in(period)]
    if valid_on is not None:
        where += [
            agencies.c.valid_from <= valid_on,
            or_(agencies.c.valid_to.is_(None), agencies.c.valid_to >= valid_on),
        ]
    stats = _stats_by(source(period), agencies.c.code, where)
    return {row.key: kpis_from_row(row) for row in conn.execute(select(stats))}
