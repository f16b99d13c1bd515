"""Demo scoring data, so the dashboard has something to show: deterministic per seed.

For every unit of the year's versions (the shipped sample definitions are loaded first
when the year has none): a plausible self-assessment with evidence, locked by most
units; appraisal 1 for most locked units (some points cut), explanations for some cuts,
appraisal 2 for most appraised units; survey results for about two units in three;
a few bonus and penalty lines. Everything goes through the workflow functions, so the
history is filled too. A group that already has entries is left as it is.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, func, select

from accounts.permissions import Actor
from db.schema_scoring import scoring_entries
from scoring.loader import read_definition, shipped_files
from scoring.survey_adjustments import set_adjustments, set_survey_results
from scoring.units import ScoredUnit, scored_units
from scoring.versions import StoredVersion, list_versions, store_definition
from scoring.workflow import (
    Appraisal,
    Explanation,
    SelfAssessment,
    lock_self_assessment,
    set_appraisal1,
    set_appraisal2,
    set_explanation,
    set_self_assessment,
)

# Trusted processes (the demo writes as the command line does), named in the history.
UNIT_STAFF = Actor("Cán bộ đầu mối CCHC (dữ liệu mẫu)", system=True)
APPRAISER = Actor("Tổ thẩm định Sở Nội vụ (dữ liệu mẫu)", system=True)
LOADER = Actor("dữ liệu mẫu", system=True)


@dataclass
class DemoSummary:
    year: int
    loaded: list[str] = field(default_factory=list)  # groups whose sample definition was loaded
    skipped: list[str] = field(default_factory=list)  # groups that already had entries
    units: int = 0
    locked: int = 0
    appraised: int = 0
    final: int = 0
    surveyed: int = 0

    def format_vi(self) -> str:
        lines = [f"Dữ liệu chấm điểm mẫu năm {self.year}:"]
        if self.loaded:
            lines.append(f"  Đã nạp bộ tiêu chí mẫu: {', '.join(self.loaded)}")
        if self.skipped:
            lines.append(f"  Bỏ qua (đã có dữ liệu): {', '.join(self.skipped)}")
        lines += [
            f"  Đơn vị tự đánh giá        {self.units}",
            f"  Đã khóa tự đánh giá       {self.locked}",
            f"  Đã thẩm định lần 1        {self.appraised}",
            f"  Đã thẩm định lần 2        {self.final}",
            f"  Có kết quả điều tra XHH   {self.surveyed}",
        ]
        return "\n".join(lines)


def _quarter(value: float) -> float:
    """Round down to a multiple of 0.25 (how appraisers usually award points)."""
    return int(value * 4 + 1e-9) / 4


def _ensure_versions(conn: Connection, year: int, summary: DemoSummary) -> list[StoredVersion]:
    present = {v.group for v in list_versions(conn) if v.year == year}
    for path in shipped_files(year):
        definition, raw = read_definition(path)
        if definition.group not in present:
            store_definition(conn, definition, raw, str(path), LOADER)
            summary.loaded.append(definition.group_label)
    versions = [v for v in list_versions(conn) if v.year == year]
    if not versions:
        raise LookupError(f"Không có bộ chỉ số năm {year} (đã nạp hay kèm theo) để tạo dữ liệu mẫu.")
    return versions


def _has_entries(conn: Connection, version_id: int) -> bool:
    count = conn.execute(select(func.count()).where(scoring_entries.c.version_id == version_id)).scalar()
    return bool(count)


def _fill_unit(
    conn: Connection, version: StoredVersion, unit: ScoredUnit, rng: random.Random, s: DemoSummary
) -> None:
    definition = version.definition
    quality = rng.uniform(0.62, 0.97)
    subs = [x for x in definition.sub_criteria() if x.source == "assessment"]
    self_items = []
    for i, sub in enumerate(subs):
        share = min(1.0, max(0.0, quality + 0.06 + rng.gauss(0, 0.12)))
        day = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{version.year}"
        evidence = f"Văn bản số {rng.randint(10, 999)}/{unit.code}-VP ngày {day}"
        note = "Đã hoàn thành đúng kế hoạch" if i % 7 == 0 else None
        self_items.append(SelfAssessment(sub.code, _quarter(sub.max * share), evidence, note))
    set_self_assessment(conn, version, unit.code, self_items, UNIT_STAFF)
    s.units += 1
    if rng.random() < 0.92:
        lock_self_assessment(conn, version, unit.code, UNIT_STAFF)
        s.locked += 1
        if rng.random() < 0.85:
            _appraise(conn, version, unit, self_items, rng, s)
    if rng.random() < 0.7:
        survey = {
            x.code: round(x.max * min(1.0, max(0.4, quality + rng.gauss(0, 0.08))), 2)
            for x in definition.sub_criteria()
            if x.source == "survey"
        }
        set_survey_results(conn, version, unit.code, survey, APPRAISER, note="Điều tra xã hội học (mẫu)")
        s.surveyed += 1
    adjustments: dict[str, float | None] = {}
    if definition.bonus.lines and rng.random() < 0.15:
        adjustments[definition.bonus.lines[0].code] = definition.bonus.lines[0].max
    if definition.penalty.lines and rng.random() < 0.1:
        line = definition.penalty.lines[-1]
        adjustments[line.code] = line.max
    if adjustments:
        set_adjustments(conn, version, unit.code, adjustments, APPRAISER, note="Theo kết quả kiểm tra (mẫu)")


def _appraise(
    conn: Connection,
    version: StoredVersion,
    unit: ScoredUnit,
    self_items: list[SelfAssessment],
    rng: random.Random,
    s: DemoSummary,
) -> None:
    first = []
    for item in self_items:
        points = item.points or 0.0
        cut = rng.random() < 0.25 and points > 0
        value = _quarter(points * rng.uniform(0.4, 0.9)) if cut else points
        note = "Minh chứng chưa đầy đủ" if cut else None
        first.append(Appraisal(item.code, value, note))
    set_appraisal1(conn, version, unit.code, first, APPRAISER)
    s.appraised += 1
    cuts = [(a, sa) for a, sa in zip(first, self_items, strict=True) if a.points < (sa.points or 0)]
    explained = [(a, sa) for a, sa in cuts if rng.random() < 0.4]
    if explained:
        set_explanation(
            conn,
            version,
            unit.code,
            [Explanation(a.code, "Đơn vị bổ sung minh chứng kèm theo") for a, _ in explained],
            UNIT_STAFF,
        )
    if rng.random() < 0.75:
        restored = {a.code: sa.points for a, sa in explained if rng.random() < 0.5}
        final = [
            Appraisal(
                a.code,
                restored.get(a.code, a.points) or 0.0,
                "Chấp nhận giải trình" if a.code in restored else None,
            )
            for a in first
        ]
        set_appraisal2(conn, version, unit.code, final, APPRAISER)
        s.final += 1


def fill_demo(engine: Engine, year: int, seed: int = 42) -> DemoSummary:
    """Fill demo scoring data for `year` (see module docstring); returns what was done."""
    summary = DemoSummary(year)
    with engine.begin() as conn:
        versions = _ensure_versions(conn, year, summary)
    for version in versions:
        with engine.begin() as conn:
            if _has_entries(conn, version.id):
                summary.skipped.append(version.definition.group_label)
                continue
            for unit in scored_units(conn, version.group, year):
                rng = random.Random(f"{seed}:{year}:{version.group}:{unit.code}")
                _fill_unit(conn, version, unit, rng, summary)
    return summary
