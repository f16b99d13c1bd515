"""The demo procedure catalogue: sectors (lĩnh vực) and procedures (TTHC) per agency kind.

A small, realistic catalogue with Vietnamese names. Procedure codes follow the
national format (`x.xxxxxx`) but are illustrative: they were not checked against the
national procedure database (Cơ sở dữ liệu quốc gia về TTHC). Legal processing times
are in working days (ngày làm việc); 0 means "within the day" (trong ngày).
`weight` is the relative volume of a procedure within its catalogue; `late_factor`
scales how often it ends late (land procedures are slower than civil status);
`supplement_factor` scales how often a supplement is requested. The procedures themselves
are data: importer/data/demo_procedures.csv.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

FIELDS: dict[str, str] = {
    "HT": "Hộ tịch",
    "CT": "Chứng thực",
    "DD": "Đất đai",
    "XD": "Xây dựng",
    "DKKD": "Đăng ký kinh doanh",
    "LDTBXH": "Lao động - Thương binh và Xã hội",
    "GTVT": "Giao thông vận tải",
    "TP": "Tư pháp",
    "YT": "Y tế",
    "GDDT": "Giáo dục và Đào tạo",
    "NN": "Nông nghiệp và Phát triển nông thôn",
    "MT": "Tài nguyên và Môi trường",
    "VHTTDL": "Văn hóa, Thể thao và Du lịch",
    "CTH": "Công Thương",
    "NV": "Nội vụ",
    "TTTT": "Thông tin và Truyền thông",
    "TC": "Tài chính",
    "KHDT": "Kế hoạch và Đầu tư",
    "KHCN": "Khoa học và Công nghệ",
    "DT": "Công tác dân tộc",
    "TTR": "Thanh tra",
    "NGV": "Ngoại vụ",
    "KKT": "Khu kinh tế, khu công nghiệp",
    "VP": "Văn phòng",
}


@dataclass(frozen=True)
class Procedure:
    code: str
    field_code: str
    legal_days: int
    online_level: str  # "full" | "partial" | "" (not offered online)
    has_fee: bool
    weight: float
    late_factor: float
    supplement_factor: float
    name: str
    full_online_from: date | None = None  # a "partial" procedure became "full" online on this date

    @property
    def field_name(self) -> str:
        return FIELDS[self.field_code]


# Procedures that became full online (DVC trực tuyến toàn trình) during the demo period.
FULL_ONLINE_FROM: dict[str, date] = {
    "2.000815": date(2024, 7, 1),
    "2.000908": date(2024, 7, 1),
    "1.004203": date(2025, 7, 1),
}

CATALOGUE_FILE = Path(__file__).parent / "data" / "demo_procedures.csv"


def _load(path: Path) -> dict[str, tuple[Procedure, ...]]:
    """Catalogue name -> its procedures, in file order. A line of the file: catalogue
    (commune, district, generic_department, or a department's code), code, field_code,
    legal_days, online_level, has_fee (0/1), weight, late_factor, supplement_factor, name."""
    catalogues: dict[str, list[Procedure]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            procedure = Procedure(
                code=r["code"],
                field_code=r["field_code"],
                legal_days=int(r["legal_days"]),
                online_level=r["online_level"],
                has_fee=r["has_fee"] == "1",
                weight=float(r["weight"]),
                late_factor=float(r["late_factor"]),
                supplement_factor=float(r["supplement_factor"]),
                name=r["name"],
                full_online_from=FULL_ONLINE_FROM.get(r["code"]),
            )
            catalogues.setdefault(r["catalogue"], []).append(procedure)
    return {name: tuple(procedures) for name, procedures in catalogues.items()}


_CATALOGUES = _load(CATALOGUE_FILE)
COMMUNE = _CATALOGUES["commune"]
DISTRICT = _CATALOGUES["district"]
GENERIC_DEPARTMENT = _CATALOGUES["generic_department"]
DEPARTMENTS: dict[str, tuple[Procedure, ...]] = {
    name: procedures
    for name, procedures in _CATALOGUES.items()
    if name not in ("commune", "district", "generic_department")
}

# Relative yearly volume of each department (driving licences, criminal records,
# business and land registration dominate). Unknown codes get DEFAULT_DEPARTMENT_WEIGHT.
DEPARTMENT_WEIGHTS: dict[str, float] = {
    "SGTVT": 16,
    "STNMT": 12,
    "SKHDT": 9,
    "STP": 8,
    "SLDTBXH": 7,
    "SYT": 5,
    "SNNPTNT": 4,
    "SXD": 3,
    "SCT": 3,
    "SGDDT": 3,
    "SNV": 2,
    "SVHTTDL": 2,
    "STC": 2,
    "BQLKKT": 1.5,
    "STTTT": 1,
    "SKHCN": 1,
    "SNGV": 0.4,
    "VPUB": 0.3,
    "TTRA": 0.2,
    "BDT": 0.2,
    # from 01/3/2025 (Nghị định 45/2025/NĐ-CP): the merged departments
    "SNNMT": 16,
    "SDTTG": 0.2,
}
DEFAULT_DEPARTMENT_WEIGHT = 1.0


def department_catalogue(code: str) -> tuple[Procedure, ...]:
    return DEPARTMENTS.get(code, GENERIC_DEPARTMENT)


def two_tier_commune_catalogue() -> tuple[Procedure, ...]:
    """From 2025-07-01 communes also handle the former district-level procedures."""
    return COMMUNE + DISTRICT
