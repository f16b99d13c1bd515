"""What an import did, as counts, and its Vietnamese text for the command line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from importer.deferred_indexes import Deferral
from importer.runs import InterruptedRun, interrupted_lines
from vi_format import format_int

KIND_LABELS = {"dossiers": "hồ sơ", "agencies": "danh mục cơ quan", "handlers": "danh sách cán bộ xử lý"}


@dataclass
class ImportSummary:
    kind: str = "dossiers"  # dossiers | agencies | handlers (and indicators, which words its own)
    files: list[str] = field(default_factory=list)
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0  # updated_at older than the stored row: not applied
    repeats: int = 0  # records of a code the same file already holds (one counts, see dossiers)
    quarantined: int = 0  # rows (a row breaking several rules counts once)
    warnings: list[str] = field(default_factory=list)
    run_ids: list[int] = field(default_factory=list)
    quarantine_runs: list[int] = field(default_factory=list)  # runs that quarantined rows
    rule_counts: Counter[str] = field(default_factory=Counter)  # broken rule -> rows
    stale_examples: list[str] = field(default_factory=list)  # "file:line code", a few
    deferral: Deferral | None = None  # a bulk load: indexes dropped, rebuilt at the end
    interrupted: list[InterruptedRun] = field(default_factory=list)  # killed runs found and marked

    @property
    def changed(self) -> int:
        return self.inserted + self.updated

    def add(self, other: ImportSummary) -> None:
        self.files += other.files
        self.rows_read += other.rows_read
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.stale += other.stale
        self.repeats += other.repeats
        self.quarantined += other.quarantined
        self.warnings += other.warnings
        self.run_ids += other.run_ids
        self.quarantine_runs += other.quarantine_runs
        self.rule_counts.update(other.rule_counts)
        self.stale_examples += other.stale_examples[: max(0, 5 - len(self.stale_examples))]

    def run_message(self) -> str | None:
        """What the import_runs row says beside the counts."""
        parts = []
        if self.stale:
            parts.append(f"cũ hơn (không áp dụng): {self.stale}")
        if self.repeats:
            parts.append(f"lặp lại trong tệp: {self.repeats}")
        parts += self.warnings
        return "; ".join(parts) or None

    def format_vi(self, command: str = "python cli.py") -> str:
        what = KIND_LABELS.get(self.kind, KIND_LABELS["agencies"])
        names = ", ".join(self.files)
        lines = [f"Kết quả nhập {what} — {len(self.files)} tệp: {names}"]
        rows = [
            ("Số dòng đọc", self.rows_read),
            ("Thêm mới", self.inserted),
            ("Cập nhật", self.updated),
            ("Không đổi", self.unchanged),
        ]
        if self.kind == "dossiers":
            rows.append(("Cũ hơn dữ liệu đã có (không áp dụng)", self.stale))
            rows.append(("Lặp lại trong tệp (tính một lần, bản mới nhất)", self.repeats))
        rows.append(("Cách ly (vi phạm quy tắc)", self.quarantined))
        width = max(len(label) for label, _ in rows)
        lines += [f"  {label:<{width}}  {format_int(n):>10}" for label, n in rows]
        if self.stale_examples:
            lines.append("  Ví dụ dòng cũ hơn: " + "; ".join(self.stale_examples))
        if self.rule_counts:
            lines.append("Quy tắc bị vi phạm (số dòng):")
            lines += [f"  - {rule}: {format_int(n)}" for rule, n in self.rule_counts.most_common()]
        if self.deferral is not None and self.deferral.names:
            seconds = f"{self.deferral.rebuild_seconds:.1f}".replace(".", ",")
            lines.append(
                f"Nhập khối lớn: {len(self.deferral.names)} chỉ mục phụ của bảng hồ sơ được tạm bỏ "
                f"trong lúc nhập và dựng lại sau đó ({seconds} giây)."
            )
        lines += interrupted_lines(self.interrupted)
        if self.warnings:
            lines.append("Cảnh báo:")
            lines += [f"  - {w}" for w in self.warnings]
        if self.quarantine_runs:
            lines.append("Xem các dòng bị cách ly (thêm --out cach_ly.csv để xuất ra tệp CSV):")
            lines += [f"  {command} quarantine --run {r}" for r in self.quarantine_runs]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.format_vi()
