"""Survey results from a CSV file (kết quả điều tra xã hội học), all or nothing.

Columns (UTF-8, header row): unit_code, code, points — one row per unit and survey
sub-criterion of the year's index; points as 7.5 or "7,5". Every bad row is reported
by line; when there is any, nothing is applied.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from accounts.permissions import Actor
from scoring.excel_import import rejected_file_text
from scoring.survey_adjustments import set_survey_results
from scoring.units import scored_units
from scoring.versions import StoredVersion, list_versions
from scoring.workflow import points_problem
from vi_format import parse_points

COLUMNS = ("unit_code", "code", "points")


@dataclass
class SurveyReport:
    path: Path
    rows: int = 0
    units: int = 0
    changed: int = 0
    problems: list[str] = field(default_factory=list)

    def format_vi(self) -> str:
        if self.problems:
            return rejected_file_text(self.path, self.problems)
        return (
            f"Đã nhập kết quả điều tra xã hội học từ {self.path}: {self.rows} dòng, "
            f"{self.units} đơn vị, {self.changed} thay đổi."
        )


def _versions_by_unit(engine: Engine, year: int) -> dict[str, StoredVersion]:
    with engine.connect() as conn:
        out: dict[str, StoredVersion] = {}
        for version in (v for v in list_versions(conn) if v.year == year):
            for unit in scored_units(conn, version.group, year):
                out.setdefault(unit.code, version)
    return out


def import_survey_csv(engine: Engine, path: Path, year: int, actor: Actor) -> SurveyReport:
    report = SurveyReport(path)
    versions = _versions_by_unit(engine, year)
    results: dict[str, dict[str, float]] = defaultdict(dict)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                report.problems.append(f"dòng 1: thiếu cột {', '.join(missing)} (cần {', '.join(COLUMNS)})")
                return report
            for line, row in enumerate(reader, start=2):
                report.rows += 1
                unit, code, text = (str(row.get(c) or "").strip() for c in COLUMNS)
                version = versions.get(unit)
                if version is None:
                    report.problems.append(f"dòng {line}: đơn vị '{unit}' không được chấm điểm năm {year}")
                    continue
                sub = version.definition.sub_criterion(code)
                if sub is None or sub.source != "survey":
                    report.problems.append(f"dòng {line}: '{code}' không phải tiêu chí điều tra xã hội học")
                    continue
                try:
                    points = parse_points(text)
                except ValueError:
                    report.problems.append(f"dòng {line}: điểm '{text}' không phải là số")
                    continue
                problem = points_problem(sub, code, points)
                if problem:
                    report.problems.append(f"dòng {line}: {problem}")
                elif code in results[unit]:
                    report.problems.append(f"dòng {line}: đơn vị {unit}, tiêu chí {code} lặp lại")
                else:
                    results[unit][code] = points
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        report.problems.append(f"không đọc được tệp: {exc}")
    if report.problems:
        return report
    with engine.begin() as conn:
        for unit, values in results.items():
            report.changed += set_survey_results(conn, versions[unit], unit, values, actor, note=path.name)
    report.units = len(results)
    return report
