"""Imported 766 indicators of a period, by agency identity (issue 16).

Values imported with `cli.py import-indicators` are stored per code and period; they
belong to the agency identity — a department's code, or a district's or commune's code
and validity — never to a code alone, since every 2025 commune code reuses an old one.
An imported value counts for period P when it was imported for P itself; else, for a
quarter or a year, the mean of the values imported for its quarters (year) or months
within the agency's validity, noted "trung bình k/n tháng|quý"; else it is missing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from db.schema_stats import indicator_values
from dossier_stats.index766.config import IMPORTED_INDICATORS
from dossier_stats.index766.score import ImportedValue
from dossier_stats.periods import Period


@dataclass(frozen=True)
class AgencyInfo:
    id: int
    code: str
    name: str
    kind: str
    valid_from: date
    valid_to: date | None
    map_district_code: str | None
    map_commune_code: str | None

    def valid_in(self, period: Period) -> bool:
        return self.valid_from <= period.end and (self.valid_to is None or self.valid_to >= period.start)


def identity_key(agency: AgencyInfo) -> str:
    """The agency identity values belong to: a department's code (its versions are one
    department), else code@valid_from (district and commune codes are reused)."""
    return agency.code if agency.kind == "department" else f"{agency.code}@{agency.valid_from.isoformat()}"


def _overlaps(agency: AgencyInfo, start: date, end: date) -> bool:
    return agency.valid_from <= end and (agency.valid_to is None or agency.valid_to >= start)


def imported_for_period(
    conn: Connection, period: Period, infos: Sequence[AgencyInfo]
) -> dict[str, dict[str, ImportedValue]]:
    """Identity key (`identity_key`, or a province code) -> indicator -> value for the period.

    A stored value (code, period) belongs to the one version of the code valid during its
    period (every 2025 commune code reuses an old one: Q2 values of 20335 are Tân Thạnh's,
    Q3 values Bàn Thạch's). A period spanning a change splits by date: for 2025, the old
    commune takes the mean of its values for months or quarters up to 30/6, the new one
    from 1/7, each over the sub-periods it existed in. A value whose own period covers two
    versions of the code (refused at import since issue 16) belongs to neither."""
    iv = indicator_values.c
    rows = conn.execute(
        select(iv.agency_code, iv.period_key, iv.indicator, iv.value).where(
            iv.period_start >= period.start, iv.period_end <= period.end
        )
    ).all()
    versions: dict[str, list[AgencyInfo]] = defaultdict(list)
    for a in infos:
        versions[a.code].append(a)
    by_level: dict[tuple[str, str], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        sub = Period.parse(r.period_key)
        candidates = versions.get(r.agency_code)
        # no agency of that code: a province code, the province's own value
        owners = (
            {identity_key(a) for a in candidates if _overlaps(a, sub.start, sub.end)}
            if candidates
            else {r.agency_code}
        )
        if len(owners) == 1:
            by_level[(owners.pop(), r.indicator)][sub.kind].append(float(r.value))
    spans = {identity_key(a): a for a in infos}
    out: dict[str, dict[str, ImportedValue]] = defaultdict(dict)
    for (key, indicator), levels in by_level.items():
        value = _combine(period, levels, spans.get(key))
        if value is not None:
            out[key][indicator] = value
    return dict(out)


_SUB_LEVELS = {"year": (("quarter", "quý"), ("month", "tháng")), "quarter": (("month", "tháng"),)}


def _sub_periods(period: Period, kind: str, owner: AgencyInfo | None) -> int:
    """How many months or quarters of the period the owner existed in (all without owner)."""
    first, last = period.first_month_number, period.last_month_number
    if kind == "month":
        subs = [Period("month", period.year, m) for m in range(first, last + 1)]
    else:
        subs = [Period("quarter", period.year, q) for q in range((first + 2) // 3, last // 3 + 1)]
    if owner is None or owner.kind == "department":
        return len(subs)
    return sum(1 for sub in subs if _overlaps(owner, sub.start, sub.end))


def _combine(
    period: Period, levels: Mapping[str, list[float]], owner: AgencyInfo | None
) -> ImportedValue | None:
    exact = levels.get(period.kind)
    if exact:
        return ImportedValue(exact[0])
    for kind, word in _SUB_LEVELS.get(period.kind, ()):
        values = levels.get(kind)
        if values:
            expected = _sub_periods(period, kind, owner)
            return ImportedValue(sum(values) / len(values), f"trung bình {len(values)}/{expected} {word}")
    return None


def pooled_imported(
    own: Mapping[str, ImportedValue] | None, members: Sequence[Mapping[str, ImportedValue]]
) -> dict[str, ImportedValue]:
    """The unit's own values, else per indicator the mean over its scored members, a member
    without a value counting 0 as it does in the member's own score (a province never
    outscores every member on what they lack). No member with a value: missing."""
    out: dict[str, ImportedValue] = dict(own or {})
    for key in IMPORTED_INDICATORS:
        if key in out:
            continue
        values = [m[key].points for m in members if key in m]
        if values:
            note = f"trung bình {len(members)} cơ quan, {len(values)} có số liệu"
            if len(values) < len(members):
                note += f", {len(members) - len(values)} chưa có số liệu tính 0"
            out[key] = ImportedValue(sum(values) / len(members), note)
    return out
