"""Imported 766 values belong to the agency identity (code and validity), never to a code
alone (issue 16, bug 1), on SQLite and PostgreSQL with the shipped Quảng Nam registry,
where every one of the 78 communes of 1/7/2025 reuses the code of an old commune.

Old communes get 3 points of `procedures_announced_on_time` for 2025-Q2, new ones 5 for
2025-Q3; a value for the whole year 2025 under a reused code is refused at import.
"""

from __future__ import annotations

import csv
from datetime import date, datetime

import pytest
from sqlalchemy import select

from db.schema import agencies, quarantine
from dossier_stats.index766.imported import identity_key, imported_for_period
from dossier_stats.index766.results import index766_for_agencies, snapshot
from dossier_stats.periods import Period
from importer.dossiers import import_dossiers
from importer.indicators import import_indicators
from tests.import_fixtures import dossier, registry_database, write_dossiers

NOW = datetime(2025, 12, 20, 12, 0)
INDICATOR = "procedures_announced_on_time"
REFORM = date(2025, 7, 1)


def write_values(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["agency_code", "period", "indicator", "value"])
        w.writeheader()
        w.writerows(rows)
    return path


def _commune_dossier(code: str, agency: str, day: str) -> dict[str, str]:
    return dossier(
        code,
        agency_code=agency,
        procedure_code="PH",
        online_level="",
        channel="1",
        submitted_at=f"{day}T07:00:00",
        received_at=f"{day}T08:00:00",
        due_at=day,
        finished_at=f"{day}T15:00:00",
        has_fee="0",
        paid_online="0",
        e_result="0",
        updated_at="2025-12-01T00:00:00",
    )


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("identity766")
    with registry_database(request.param, tmp) as engine:
        with engine.connect() as conn:
            new_codes = sorted(
                conn.execute(
                    select(agencies.c.code).where(
                        agencies.c.kind == "commune", agencies.c.valid_from == REFORM
                    )
                ).scalars()
            )
        rows = [
            {"agency_code": c, "period": "2025-Q2", "indicator": INDICATOR, "value": "3"} for c in new_codes
        ]
        rows += [
            {"agency_code": c, "period": "2025-Q3", "indicator": INDICATOR, "value": "5"} for c in new_codes
        ]
        rows.append({"agency_code": "20335", "period": "2025", "indicator": INDICATOR, "value": "6"})
        summary = import_indicators(engine, write_values(tmp / "i.csv", rows), now=NOW)
        assert (summary.inserted, summary.quarantined) == (2 * len(new_codes), 1)
        # one dossier for old 20335 (Tân Thạnh) in Q2, one for new 20335 (Bàn Thạch) in Q3
        dossiers = [
            _commune_dossier("OLD1", "20335", "2025-05-05"),
            _commune_dossier("NEW1", "20335", "2025-08-05"),
        ]
        assert import_dossiers(engine, [write_dossiers(tmp / "d.csv", dossiers)], now=NOW).inserted == 2
        engine.new_codes = new_codes  # type: ignore[attr-defined]
        yield engine


def test_every_reused_code_has_its_values_on_the_right_agency_in_a_spanning_year(engine):
    year = Period.parse("2025")
    with engine.connect() as conn:
        snap = snapshot(conn, year)
        values = imported_for_period(conn, year, snap.agencies)
    assert len(engine.new_codes) == 78
    for code in engine.new_codes:
        versions = sorted((a for a in snap.agencies if a.code == code), key=lambda a: a.valid_from)
        assert len(versions) == 2, code  # the code is reused: an old and a new commune
        old, new = versions
        assert old.valid_to is not None and old.valid_to < REFORM <= new.valid_from
        # the year splits by date: Q2 is the old commune's, Q3 the new one's, each the
        # mean over the quarters it existed in (2 of the year's 4)
        old_value = values[identity_key(old)][INDICATOR]
        new_value = values[identity_key(new)][INDICATOR]
        assert (old_value.points, old_value.note) == (3, "trung bình 1/2 quý")
        assert (new_value.points, new_value.note) == (5, "trung bình 1/2 quý")
    assert "20335" not in values  # never under the bare code


def test_quarters_give_each_agency_its_own_value(engine):
    with engine.connect() as conn:
        q2 = {r.key: r for r in index766_for_agencies(conn, Period.parse("2025-Q2")) if r.code == "20335"}
        q3 = {r.key: r for r in index766_for_agencies(conn, Period.parse("2025-Q3")) if r.code == "20335"}
    (old,) = q2.values()  # only Tân Thạnh exists in Q2
    (new,) = q3.values()  # only Bàn Thạch in Q3
    assert old.name.endswith("Tân Thạnh") and new.name.endswith("Bàn Thạch")

    def announced(row):
        return next(i for i in row.score.group("publicity").indicators if i.key == INDICATOR).points

    assert (announced(old), announced(new)) == (3, 5)


def test_the_year_scores_the_old_and_new_commune_each_with_its_own_values(engine):
    with engine.connect() as conn:
        rows = [r for r in index766_for_agencies(conn, Period.parse("2025")) if r.code == "20335"]
    points = {
        r.name.removeprefix("Ủy ban nhân dân phường "): next(
            i for i in r.score.group("publicity").indicators if i.key == INDICATOR
        ).points
        for r in rows
    }
    assert points == {"Tân Thạnh": 3, "Bàn Thạch": 5}


def test_a_year_value_under_a_reused_code_is_quarantined_with_the_reason(engine):
    with engine.connect() as conn:
        rules = list(conn.execute(select(quarantine.c.rule, quarantine.c.message)))
    assert [r.rule for r in rules] == ["agency_ambiguous_in_period"]
    assert "Mã '20335' là 2 cơ quan khác nhau trong kỳ Năm 2025" in rules[0].message
