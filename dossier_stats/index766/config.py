"""The 766 index (QĐ 766/QĐ-TTg): its groups, indicators and the configurable choices.

Six groups, 100 points (DOMAIN.md §3). Each indicator is computed from dossier data
(`source="dossiers"`, see index766.score) or imported per agency and period with
`cli.py import-indicators` (`source="imported"`, value = points 0..max).

Choices: every rule QĐ 766 leaves open is an option of the named rule set
(`rules.toml` beside this module, loaded at start by index766.ruleset; its name and
version are shown with every 766 figure). Index766Config holds them; the defaults
below equal the shipped file. The options and their defaults are explained in the
README's 766 section and in rules.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Source = Literal["dossiers", "imported"]


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    max_points: float


@dataclass(frozen=True)
class Indicator:
    key: str  # the name used in indicator CSV files for imported ones
    group: str
    label: str
    max_points: float
    source: Source


GROUPS: tuple[Group, ...] = (
    Group("publicity", "Công khai, minh bạch", 18),
    Group("timeliness", "Tiến độ, kết quả giải quyết", 20),
    Group("online", "Dịch vụ công trực tuyến", 12),
    Group("payment", "Thanh toán trực tuyến", 10),
    Group("satisfaction", "Mức độ hài lòng", 18),
    Group("digitization", "Số hóa hồ sơ", 22),
)
GROUP_BY_KEY = {g.key: g for g in GROUPS}

D, IMP = "dossiers", "imported"
INDICATORS: tuple[Indicator, ...] = (
    Indicator("procedures_announced_on_time", "publicity", "Công bố, công khai TTHC đúng hạn", 6, IMP),
    Indicator("published_on_time", "publicity", "Công khai TTHC trên CSDL quốc gia đúng hạn", 4, IMP),
    Indicator("published_complete", "publicity", "Công khai đầy đủ các thành phần TTHC", 2, IMP),
    Indicator("synced_realtime", "publicity", "Đồng bộ hồ sơ lên Cổng DVCQG theo thời gian thực", 6, IMP),
    Indicator("on_time", "timeliness", "Giải quyết trước hạn, đúng hạn và đang trong hạn", 20, D),
    Indicator("filed_online", "online", "Tỷ lệ hồ sơ nộp trực tuyến", 4, D),
    Indicator("procedures_online", "online", "Tỷ lệ TTHC cung cấp dịch vụ công trực tuyến", 4, D),
    Indicator("online_procedures_used", "online", "Tỷ lệ DVC trực tuyến có phát sinh hồ sơ trực tuyến", 4, D),
    Indicator("paid_online", "payment", "Tỷ lệ hồ sơ có phí được thanh toán trực tuyến (A)", 6, D),
    Indicator(
        "payment_integrated", "payment", "Tỷ lệ TTHC có phí đã tích hợp thanh toán trực tuyến (B)", 2, D
    ),
    Indicator("payment_used", "payment", "Tỷ lệ TTHC có phí phát sinh thanh toán trực tuyến (C)", 2.5, D),
    Indicator("complaints_on_time", "satisfaction", "Xử lý phản ánh, kiến nghị đúng hạn", 6, IMP),
    Indicator("complaint_satisfaction", "satisfaction", "Hài lòng về xử lý phản ánh, kiến nghị", 6, IMP),
    Indicator("dossier_satisfaction", "satisfaction", "Hài lòng về giải quyết hồ sơ", 6, D),
    Indicator("e_results", "digitization", "Cấp kết quả giải quyết điện tử", 6, D),
    Indicator("digitized", "digitization", "Số hóa hồ sơ", 4, D),
    Indicator("certified_copies", "digitization", "Chứng thực bản sao điện tử (cấp xã)", 2, IMP),
    Indicator("data_reused", "digitization", "Khai thác, sử dụng lại dữ liệu số hóa", 2, D),
    Indicator("citizen_data_store", "digitization", "Kết nối kho dữ liệu của công dân, tổ chức", 4, IMP),
    Indicator("population_data_dossiers", "digitization", "Hồ sơ sử dụng dữ liệu dân cư", 2, IMP),
    Indicator("population_data_procedures", "digitization", "TTHC kết nối dữ liệu dân cư", 2, IMP),
)
INDICATOR_BY_KEY = {i.key: i for i in INDICATORS}
IMPORTED_INDICATORS = {i.key: i for i in INDICATORS if i.source == "imported"}
PAYMENT_MAX = 10.0  # 6A + min(2, 2.5B) + 2.5C can reach 10.5: the group is capped at its maximum

NOTE_EMPTY = "không phát sinh"
NOTE_MISSING = "chưa có số liệu"


EmptyDenominator = Literal["zero", "full"]
SupplementDays = Literal["exact", "whole_days"]
StoppedStatus = Literal["end", "paused"]
DossierSatisfaction = Literal["one_denominator", "two_rates"]
TimelinessDenominator = Literal["handled", "received"]
Splits = Literal["project", "portal_table"]


@dataclass(frozen=True)
class Index766Config:
    """One rule set (rules.toml): its name, version and every open rule of QĐ 766."""

    name: str = "766 mặc định"
    version: str = "2026.1"
    # An indicator computed from dossiers whose denominator is empty (no fee-bearing dossier,
    # nothing received...): "zero" as the national portal (0 points), "full" (full marks).
    empty_denominator: EmptyDenominator = "zero"
    # Supplement time moves the deadline by the exact days, compared at date level
    # ("exact": due + ceil(days)), or by whole days rounded down ("whole_days").
    supplement_days: SupplementDays = "exact"
    # Status 8 (stopped): an end state dated by finished_at, in time like 7 ("end"), or
    # paused, pending within deadline for ever ("paused").
    stopped_status: StoppedStatus = "end"
    # Dossier satisfaction: handled dossiers neither late nor unsatisfied over dossiers
    # handled ("one_denominator", the portal's table), or 1 − late rate − unsatisfied rate
    # over two denominators ("two_rates": a late, unsatisfied dossier counts twice).
    dossier_satisfaction: DossierSatisfaction = "one_denominator"
    # Timeliness over dossiers handled in the period (received + carried over), or over
    # dossiers received in it ("received": can exceed 100 %, capped at 20 points).
    timeliness_denominator: TimelinessDenominator = "handled"
    # Online services and payment: "project" (our reading of unpublished splits: 4 + 4 + 4
    # and 6A + min(2, 2.5B) + 2.5C), or "portal_table" (all 12 points to full-online
    # dossiers over dossiers of full-online procedures; all 10 points to A).
    splits: Splits = "project"
    filed_online_full_at: float = 0.5
    procedures_online_full_at: float = 0.8
    online_used_full_at: float = 1.0
    reuse_full_at: float = 0.8
    satisfaction_full_at: float = 0.9
    # Split of the 12 online-services points ("project"): filed online, offered online, used online.
    online_split: tuple[float, float, float] = (4.0, 4.0, 4.0)
    # A fee-bearing procedure counts as integrated for online payment when one of its
    # dossiers was paid online within this many months up to the period's end.
    integration_window_months: int = 12
    # (lower bound, grade), highest first; the last one catches everything.
    grades: tuple[tuple[float, str], ...] = (
        (90.0, "Xuất sắc"),
        (80.0, "Tốt"),
        (65.0, "Khá"),  # assumed
        (50.0, "Trung bình"),  # assumed
        (0.0, "Yếu"),  # assumed
    )
    rank_decimals: int = 2

    def __post_init__(self) -> None:
        if abs(sum(self.online_split) - GROUP_BY_KEY["online"].max_points) > 1e-9:
            raise ValueError(f"online_split phải có tổng 12 điểm (nhận {self.online_split}).")
        bounds = [b for b, _ in self.grades]
        if bounds != sorted(bounds, reverse=True) or not bounds or bounds[-1] > 0:
            raise ValueError("grades: ngưỡng phải giảm dần và ngưỡng cuối là 0.")

    @property
    def label(self) -> str:
        """What every 766 figure is shown with: "Bộ quy tắc 766 mặc định, phiên bản 2026.1"."""
        return f"Bộ quy tắc {self.name}, phiên bản {self.version}"

    @property
    def options_text(self) -> str:
        """The options in force, in Vietnamese, for the rule line of every 766 export."""
        return "; ".join(OPTION_TEXTS[name][getattr(self, name)] for name in OPTION_TEXTS)

    @property
    def counted_by_tables(self) -> bool:
        """The incremental tables count dossiers under these options; other choices of
        supplement days, status 8 or the splits are counted by the direct scan."""
        return self.supplement_days == "exact" and self.stopped_status == "end" and self.splits == "project"


DEFAULT_CONFIG = Index766Config()


def grade_for(total: float, config: Index766Config = DEFAULT_CONFIG) -> str:
    """The grade of a total: the first threshold it reaches (thresholds are inclusive)."""
    for bound, label in config.grades:
        if total >= bound:
            return label
    return config.grades[-1][1]


ONLINE_KEYS = ("filed_online", "procedures_online", "online_procedures_used")
PORTAL_TABLE_POINTS = {
    "filed_online": 12.0,
    "procedures_online": 0.0,
    "online_procedures_used": 0.0,
    "paid_online": 10.0,
    "payment_integrated": 0.0,
    "payment_used": 0.0,
}


def max_points(key: str, config: Index766Config = DEFAULT_CONFIG) -> float:
    """An indicator's maximum under the config (the online split is configurable; the
    portal's table gives all 12 online points to full-online dossiers, all 10 payment
    points to A)."""
    if config.splits == "portal_table" and key in PORTAL_TABLE_POINTS:
        return PORTAL_TABLE_POINTS[key]
    if key in ONLINE_KEYS:
        return config.online_split[ONLINE_KEYS.index(key)]
    return INDICATOR_BY_KEY[key].max_points


OPTION_TEXTS: dict[str, dict[str, str]] = {
    "empty_denominator": {
        "zero": "mẫu số trống: 0 điểm (như Cổng DVCQG)",
        "full": "mẫu số trống: đủ điểm",
    },
    "supplement_days": {
        "exact": "thời gian bổ sung: đúng số ngày, so theo ngày",
        "whole_days": "thời gian bổ sung: số ngày làm tròn xuống",
    },
    "stopped_status": {
        "end": "hồ sơ dừng xử lý (8): kết thúc, như hồ sơ rút",
        "paused": "hồ sơ dừng xử lý (8): tạm dừng, trong hạn",
    },
    "dossier_satisfaction": {
        "one_denominator": "hài lòng về hồ sơ: một mẫu số, mỗi hồ sơ tính một lần",
        "two_rates": "hài lòng về hồ sơ: 100% − tỷ lệ quá hạn − tỷ lệ không hài lòng",
    },
    "timeliness_denominator": {
        "handled": "tiến độ: trên hồ sơ tiếp nhận và xử lý trong kỳ",
        "received": "tiến độ: trên hồ sơ tiếp nhận trong kỳ",
    },
    "splits": {
        "project": "chia điểm DVC trực tuyến 4+4+4 và thanh toán 6A+min(2; 2,5B)+2,5C (cách hiểu của dự án)",
        "portal_table": "chia điểm theo bảng công thức của Cổng (12 điểm hồ sơ trực tuyến, 10 điểm A)",
    },
}
