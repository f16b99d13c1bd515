"""Where and how dossiers are received (kênh tiếp nhận), per unit and period.

From agency_month_stats (dossiers received in the period's months): by channel — direct
at a one-stop desk (trực tiếp), online (trực tuyến), public postal service (bưu chính
công ích) — and by the desk that received them: the provincial Public Administration
Service Centre (departments' dossiers), district one-stop desks (district committees),
commune one-stop desks (commune committees). One grouped statement per call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, func, select

from db.schema import agencies, agency_month_stats
from dossier_stats.asof import asof_month_stats
from dossier_stats.bieu06.unit import ReportUnit
from dossier_stats.periods import Period

DESKS: tuple[tuple[str, str], ...] = (
    ("department", "Trung tâm Phục vụ hành chính công tỉnh"),
    ("district", "Bộ phận Một cửa cấp huyện"),
    ("commune", "Bộ phận Một cửa cấp xã"),
)
DESK_LABELS = dict(DESKS)
CHANNEL_LABELS = {"direct": "Trực tiếp", "online": "Trực tuyến", "postal": "Bưu chính công ích"}


@dataclass(frozen=True)
class ChannelCounts:
    direct: int = 0
    online: int = 0
    postal: int = 0

    @property
    def total(self) -> int:
        return self.direct + self.online + self.postal

    def share(self, channel: str) -> float | None:
        """Share of one channel ("direct", "online", "postal") in 0..1; None when nothing was received."""
        return getattr(self, channel) / self.total if self.total else None

    def __add__(self, other: ChannelCounts) -> ChannelCounts:
        return ChannelCounts(
            self.direct + other.direct, self.online + other.online, self.postal + other.postal
        )


@dataclass(frozen=True)
class ChannelReport:
    unit: ReportUnit
    period: Period
    by_desk: dict[str, ChannelCounts] = field(default_factory=dict)  # agency kind → counts
    as_of: date | None = None  # received up to this day (the period's last day once ended)

    @property
    def total(self) -> ChannelCounts:
        return sum(self.by_desk.values(), ChannelCounts())

    def desk(self, kind: str) -> ChannelCounts:
        return self.by_desk.get(kind, ChannelCounts())


def channel_report(
    conn: Connection, unit: ReportUnit, period: Period, as_of: date | None = None
) -> ChannelReport:
    """Dossiers newly received in the period by the unit's agencies, by desk and channel;
    with `as_of` before the period's end, those received from its first day to `as_of`.

    Every desk of DESKS is present (zeros when none received); other agency kinds, if a
    registry has any, are added under their own kind."""
    running = as_of is not None and as_of < period.end
    table = asof_month_stats(conn, as_of) if running else agency_month_stats  # type: ignore[arg-type]
    s = table.c
    query = (
        select(
            agencies.c.kind,
            func.coalesce(func.sum(s.received_direct), 0).label("direct"),
            func.coalesce(func.sum(s.received_online), 0).label("online"),
            func.coalesce(func.sum(s.received_postal), 0).label("postal"),
        )
        .select_from(table.join(agencies, agencies.c.id == s.agency_id))
        .where(s.month >= period.first_month, s.month <= period.last_month, *unit.agency_conditions())
        .group_by(agencies.c.kind)
    )
    by_desk = {kind: ChannelCounts() for kind, _ in DESKS}
    for r in conn.execute(query):
        by_desk[r.kind] = ChannelCounts(int(r.direct), int(r.online), int(r.postal))
    return ChannelReport(unit, period, by_desk, as_of if running else period.end)
