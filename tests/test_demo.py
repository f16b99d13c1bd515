"""Demo dossier files: deterministic, streamed in files, and every row valid for the importer.

The checker below is written from importer/data/INTERCHANGE.md on its own (it does
not use the importer's validator), so the two can catch each other's mistakes.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from importer.demo import COLUMNS, write_demo_csv
from importer.demo_catalogue import COMMUNE, DEPARTMENTS, DISTRICT, GENERIC_DEPARTMENT

ROOT = Path(__file__).resolve().parent.parent
AGENCIES = ROOT / "importer" / "data" / "agencies.csv"
GEODATA = ROOT / "geodata" / "data" / "quang_nam"
TODAY = date(2026, 11, 27)
REFORM = date(2025, 7, 1)
LOCAL = datetime.fromisoformat("2026-01-01T00:00:00+07:00").tzinfo


def write(out: Path, dossiers: int = 3_000, seed: int = 7, **kwargs) -> list[Path]:
    return write_demo_csv(out, dossiers, seed, TODAY, AGENCIES, GEODATA, **kwargs)


def read_rows(paths: list[Path]) -> list[dict[str, str]]:
    rows = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            assert tuple(reader.fieldnames or ()) == COLUMNS
            for row in reader:
                assert None not in row, f"{path}: a row has more cells than the header"
                assert None not in row.values(), f"{path}: a row has fewer cells than the header"
                rows.append(row)
    return rows


def registry() -> dict[str, list[dict[str, str]]]:
    by_code: dict[str, list[dict[str, str]]] = {}
    with AGENCIES.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            by_code.setdefault(row["code"], []).append(row)
    return by_code


def agency_version(by_code: dict[str, list[dict[str, str]]], code: str, day: date) -> dict[str, str] | None:
    for version in by_code.get(code, []):
        starts = date.fromisoformat(version["valid_from"])
        ends = date.fromisoformat(version["valid_to"]) if version["valid_to"] else date.max
        if starts <= day <= ends:
            return version
    return None


def timestamp(value: str) -> datetime | None:
    if value == "":
        return None
    parsed = datetime.fromisoformat(value)
    assert parsed.utcoffset() == timedelta(hours=7), value
    return parsed


def main_date(row: dict[str, str]) -> date:
    """The date the agency must be valid on: reception, or submission when not received."""
    stamp = timestamp(row["received_at"]) or timestamp(row["submitted_at"])
    assert stamp is not None
    return stamp.date()


def rule_violations(row: dict[str, str], by_code: dict[str, list[dict[str, str]]]) -> list[str]:
    """The interchange rules a row breaks (empty when the row is valid)."""
    broken = []
    for column in ("dossier_code", "agency_code", "procedure_code", "channel", "status"):
        if row[column] == "":
            broken.append(f"missing {column}")
    status = int(row["status"])
    if row["channel"] not in ("1", "2", "3"):
        broken.append("channel")
    if not 1 <= status <= 10:
        broken.append("status")
    ts = {
        c: timestamp(row[c]) for c in ("submitted_at", "received_at", "due_at", "finished_at", "returned_at")
    }
    if status not in (1, 3) and (ts["received_at"] is None or ts["due_at"] is None):
        broken.append("received_at/due_at required")
    if status in (7, 8, 9, 10) and ts["finished_at"] is None:
        broken.append("finished_at required")
    if status == 10 and ts["returned_at"] is None:
        broken.append("returned_at required")
    if ts["received_at"] and ts["due_at"] and ts["received_at"] > ts["due_at"]:
        broken.append("received_at > due_at")
    chain = [ts[c] for c in ("received_at", "finished_at", "returned_at") if ts[c] is not None]
    if chain != sorted(chain):
        broken.append("received_at <= finished_at <= returned_at")
    if ts["submitted_at"] and ts["received_at"] and ts["submitted_at"] > ts["received_at"]:
        broken.append("submitted_at > received_at")
    flags = ("has_fee", "paid_online", "e_result", "digitized", "reused_data")
    if any(row[f] not in ("0", "1") for f in flags):
        broken.append("boolean")
    if row["paid_online"] == "1" and row["has_fee"] != "1":
        broken.append("paid_online without has_fee")
    if row["online_level"] not in ("", "full", "partial"):
        broken.append("online_level")
    if row["rating"] not in ("", "satisfied", "neutral", "unsatisfied"):
        broken.append("rating")
    if int(row["supplement_count"]) < 0 or float(row["supplement_days"]) < 0:
        broken.append("supplement")
    if agency_version(by_code, row["agency_code"], main_date(row)) is None:
        broken.append("agency not valid on its reception date")
    return broken


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    """20,000 dossiers: enough for shares and trends to be stable."""
    return read_rows(write(tmp_path_factory.mktemp("big"), 20_000, seed=11))


def test_same_seed_writes_byte_identical_files(tmp_path: Path) -> None:
    first = write(tmp_path / "a", rows_per_file=1_000)
    second = write(tmp_path / "b", rows_per_file=1_000)
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))


def test_different_seed_writes_different_rows(tmp_path: Path) -> None:
    first = read_rows(write(tmp_path / "a", seed=7))
    second = read_rows(write(tmp_path / "b", seed=8))
    assert first != second
    assert Counter(r["agency_code"] for r in first) != Counter(r["agency_code"] for r in second)


def test_file_size_does_not_change_the_rows(tmp_path: Path) -> None:
    split = read_rows(write(tmp_path / "a", rows_per_file=700))
    whole = read_rows(write(tmp_path / "b", rows_per_file=100_000))
    assert split == whole


def test_row_count_is_exact_and_files_split_at_rows_per_file(tmp_path: Path) -> None:
    paths = write(tmp_path, 3_001, rows_per_file=1_000)
    assert [p.name for p in paths] == [f"dossiers_000{i}.csv" for i in range(1, 5)]
    assert [len(read_rows([p])) for p in paths] == [1_000, 1_000, 1_000, 1]
    assert not list(tmp_path.glob("*.part"))


def test_files_are_utf8_with_crlf_line_ends(tmp_path: Path) -> None:
    data = write(tmp_path)[0].read_bytes()
    text = data.decode("utf-8")
    assert text.startswith(",".join(COLUMNS) + "\r\n")
    assert text.count("\r\n") == 3_001
    assert "\n" not in text.replace("\r\n", "")
    assert "Hộ tịch" in text  # Vietnamese diacritics written as UTF-8


def test_progress_reports_every_row_written(tmp_path: Path) -> None:
    calls: list[int] = []
    write(tmp_path, 60_000, progress=calls.append)
    assert sum(calls) == 60_000
    assert len(calls) >= 2  # regularly, not once at the end


def test_every_row_passes_the_interchange_rules(big: list[dict[str, str]]) -> None:
    by_code = registry()
    broken = {}
    for line, row in enumerate(big, start=2):
        problems = rule_violations(row, by_code)
        if problems:
            broken[line] = problems
    assert broken == {}
    assert len({r["dossier_code"] for r in big}) == len(big)


def test_updated_at_is_the_latest_timestamp_and_nothing_is_after_today(big: list[dict[str, str]]) -> None:
    end_of_today = datetime(TODAY.year, TODAY.month, TODAY.day, 23, 59, 59, tzinfo=LOCAL)
    for row in big:
        stamps = [timestamp(row[c]) for c in ("submitted_at", "received_at", "finished_at", "returned_at")]
        updated = timestamp(row["updated_at"])
        assert updated is not None
        assert all(s <= updated for s in stamps if s is not None), row
        assert updated <= end_of_today, row


def test_reform_date_separates_old_and_new_agencies(big: list[dict[str, str]]) -> None:
    by_code = registry()
    kinds_before, kinds_after = Counter(), Counter()
    for row in big:
        day = main_date(row)
        version = agency_version(by_code, row["agency_code"], day)
        assert version is not None
        new_commune = version["kind"] == "commune" and date.fromisoformat(version["valid_from"]) >= REFORM
        if day < REFORM:
            assert not new_commune, row
            kinds_before[version["kind"]] += 1
        else:
            assert version["kind"] == "department" or new_commune, row
            kinds_after[version["kind"]] += 1
    assert set(kinds_before) == {"department", "district", "commune"}
    assert set(kinds_after) == {"department", "commune"}


def test_departments_receive_35_to_45_percent(big: list[dict[str, str]]) -> None:
    by_code = registry()
    kinds = Counter(by_code[r["agency_code"]][0]["kind"] for r in big)
    assert 0.35 <= kinds["department"] / len(big) <= 0.45
    departments = Counter(
        r["agency_code"] for r in big if by_code[r["agency_code"]][0]["kind"] == "department"
    )
    assert max(departments.values()) > 10 * min(departments.values())  # unevenly


def test_new_commune_volumes_follow_population(big: list[dict[str, str]]) -> None:
    population = {}
    with (GEODATA / "crosswalk_old_to_2025.csv").open(encoding="utf-8") as fh:
        new_codes = {r["new_code"] for r in csv.DictReader(fh) if r["new_code"]}
    with (GEODATA / "communes.geojson").open(encoding="utf-8") as fh:
        for feature in json.load(fh)["features"]:
            population[str(feature["properties"]["code"])] = feature["properties"]["population"]
    assert new_codes <= set(population)
    counts = Counter(r["agency_code"] for r in big if r["received_at"] and main_date(r) >= REFORM)
    codes = sorted(population)
    correlation = np.corrcoef([population[c] for c in codes], [counts.get(c, 0) for c in codes])[0, 1]
    assert correlation > 0.8


def test_online_share_rises_from_2023_to_2026(big: list[dict[str, str]]) -> None:
    def online_share(year: int) -> float:
        rows = [r for r in big if main_date(r).year == year]
        return sum(r["channel"] == "2" for r in rows) / len(rows)

    assert 0.2 <= online_share(2023) <= 0.4
    assert 0.55 <= online_share(2026) <= 0.8
    postal = sum(r["channel"] == "3" for r in big) / len(big)
    assert 0.01 <= postal <= 0.06


def test_receptions_fall_in_working_hours_and_rarely_on_weekends(big: list[dict[str, str]]) -> None:
    received = [timestamp(r["received_at"]) for r in big if r["received_at"]]
    assert all(7 <= t.hour < 17 for t in received if t is not None)
    weekend = sum(t.weekday() >= 5 for t in received if t is not None) / len(received)
    assert weekend < 0.06


def test_old_dossiers_are_finished_and_recent_ones_include_overdue_pending(big: list[dict[str, str]]) -> None:
    end = datetime(TODAY.year, TODAY.month, TODAY.day, 23, 59, 59, tzinfo=LOCAL)
    old = [r for r in big if r["received_at"] and main_date(r) < TODAY - timedelta(days=120)]
    finished = sum(r["status"] in ("9", "10") for r in old) / len(old)
    assert finished > 0.96
    assert all(r["returned_at"] == "" or r["status"] == "10" for r in big)
    recent = [r for r in big if main_date(r) >= TODAY - timedelta(days=21)]
    pending = [r for r in recent if r["status"] in ("2", "4")]
    assert len(pending) / len(recent) > 0.1
    assert any(timestamp(r["due_at"]) < end for r in pending)  # already overdue
    statuses = Counter(r["status"] for r in big)
    assert {"1", "3", "5", "7", "8", "9", "10"} <= set(statuses)


def test_on_time_rate_is_realistic(big: list[dict[str, str]]) -> None:
    resolved = [r for r in big if r["status"] in ("9", "10")]
    late = sum(timestamp(r["finished_at"]).date() > timestamp(r["due_at"]).date() for r in resolved)
    assert 0.80 <= 1 - late / len(resolved) <= 0.97


def test_fee_and_digital_flags_are_plausible(big: list[dict[str, str]]) -> None:
    def rate(column: str, year: int) -> float:
        rows = [r for r in big if r["received_at"] and main_date(r).year == year]
        return sum(r[column] == "1" for r in rows) / len(rows)

    for column in ("paid_online", "e_result", "digitized", "reused_data"):
        assert rate(column, 2023) < rate(column, 2026), column
    assert 0.3 <= sum(r["has_fee"] == "1" for r in big) / len(big) <= 0.9
    rated = [r["rating"] for r in big if r["rating"]]
    assert 0.05 <= len(rated) / len(big) <= 0.4
    assert Counter(rated).most_common(1)[0][0] == "satisfied"


def test_stale_files_of_a_larger_run_are_removed(tmp_path: Path) -> None:
    write(tmp_path, 3_000, rows_per_file=500)
    paths = write(tmp_path, 1_000, rows_per_file=500)
    assert sorted(tmp_path.glob("dossiers_*.csv")) == paths
    assert len(read_rows(paths)) == 1_000


def test_procedure_codes_identify_one_procedure() -> None:
    catalogue = [*COMMUNE, *DISTRICT, *GENERIC_DEPARTMENT, *(p for ps in DEPARTMENTS.values() for p in ps)]
    by_code = Counter(p.code for p in catalogue)
    assert [code for code, n in by_code.items() if n > 1] == []
    assert all(p.legal_days >= 0 and p.weight > 0 for p in catalogue)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dossiers": 0}, "≥ 1"),
        ({"rows_per_file": 0}, "≥ 1"),
        ({"today": date(2022, 12, 31)}, "2023-01-01"),
    ],
)
def test_bad_arguments_are_refused_with_a_message(tmp_path: Path, kwargs: dict, message: str) -> None:
    args = {"dossiers": 10, "seed": 1, "today": TODAY, "agencies_file": AGENCIES, "geodata_dir": GEODATA}
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        write_demo_csv(tmp_path, **args)


def test_registry_without_a_required_column_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "agencies.csv"
    broken.write_text("code,name,unit_code,valid_from\nSNV,Sở Nội vụ,49,2020-01-01\n", "utf-8")
    with pytest.raises(ValueError, match="kind"):
        write_demo_csv(tmp_path / "out", 10, 1, TODAY, broken, GEODATA)
