"""Which administrative edition a Biểu 06 is reported in (issue 13).

A report is in the edition valid on its last day (a period spanning 01/7/2025 is reported
in the city's), and the footer says so. In an edition without districts (Thành phố Đà
Nẵng) the levels are the city's departments and the communes; the dossiers of the
abolished district committees (still pending, or in the part of the period before the
reform) are on a line of their own, "Hồ sơ của UBND cấp huyện (trước 01/7/2025)".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from dossier_stats.editions import EditionInfo, editions
from geodata.editions import edition_on
from vi_format import format_date

FORMER_DISTRICT = "former_district"


def short_date(day: date) -> str:
    """date(2025, 7, 1) -> "01/7/2025" (as the reform is written in Vietnamese texts)."""
    return f"{day.day:02d}/{day.month}/{day.year}"


@dataclass(frozen=True)
class ReportEdition:
    name: str  # "Thành phố Đà Nẵng (từ 01/7/2025)"
    unit_name: str  # "Thành phố Đà Nẵng"
    has_districts: bool
    valid_from: date

    @classmethod
    def of(cls, info: EditionInfo) -> ReportEdition:
        return cls(info.name, info.unit_name, info.has_districts, info.valid_from)

    @property
    def unit_kind(self) -> str:
        """ "thành phố" or "tỉnh": the word of the top level."""
        return "thành phố" if self.unit_name.lower().startswith("thành phố") else "tỉnh"

    def level_labels(self) -> dict[str, str]:
        return {
            "department": f"Cấp {self.unit_kind} — sở, ban, ngành",
            "district": "Cấp huyện",
            "commune": "Cấp xã",
            FORMER_DISTRICT: f"Hồ sơ của UBND cấp huyện (trước {short_date(self.valid_from)})",
        }

    def note(self, end: date) -> str:
        return (
            f"Đơn vị hành chính theo {self.name}: kỳ báo cáo được tính theo phiên bản có hiệu lực "
            f"vào ngày cuối kỳ ({format_date(end)})."
        )


def report_edition(conn: Connection, end: date) -> ReportEdition | None:
    """The edition valid on `end`, or None when the database has no editions."""
    found = editions(conn)
    return ReportEdition.of(edition_on(found, end)) if found else None
