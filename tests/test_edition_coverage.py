"""Coverage of the city edition told honestly (issue 13): units without registry agencies
or dossiers are "chưa có dữ liệu" and left out of rankings, with a coverage note; loading a
registry and dossiers for two former Đà Nẵng wards through the command line fills them,
with no code change (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

import cli
from db.engine import make_engine
from db.schema import agencies
from dossier_stats.editions import edition_coverage, edition_level_kpis, with_data_only
from dossier_stats.periods import Period
from tests.import_fixtures import dossier, write_dossiers

DN = "da-nang-2025"
JUNE_2026 = Period("month", 2026, 6)
WARDS = {"20194": "Phường Hải Vân", "20197": "Phường Liên Chiểu"}  # former Đà Nẵng (48)


@pytest.fixture
def cli_db(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("APP_TODAY", "2026-07-15")
    assert cli.main(["setup", "-q"]) == 0  # shipped boundaries, editions, registry (Quảng Nam)
    return db_url


def _june_dossiers(code: str, count: int) -> list[dict[str, str]]:
    return [
        dossier(
            f"DN-{code}-{i}",
            agency_code=code,
            procedure_code="1.001",
            submitted_at="2026-06-02T08:00:00",
            received_at="2026-06-02T09:00:00",
            due_at="2026-06-12",
            finished_at="2026-06-05T10:00:00",
            updated_at="2026-06-05T10:00:00+07:00",
        )
        for i in range(count)
    ]


def test_two_former_da_nang_wards_are_filled_by_import_with_no_code_change(
    cli_db: str, tmp_path: Path
) -> None:
    engine = make_engine(cli_db)
    try:
        with engine.connect() as conn:
            before = edition_coverage(conn, JUNE_2026, DN)
        assert before.total == 94 and not before.with_data & set(WARDS)
        assert before.note.startswith(f"Số liệu của {len(before.with_data)}/94 đơn vị")

        registry = tmp_path / "agencies_dn.csv"
        registry.write_text(
            "code,name,kind,unit_code,valid_from,valid_to\n"
            + "".join(
                f"{code},Ủy ban nhân dân {name[0].lower()}{name[1:]},commune,{code},2025-07-01,\n"
                for code, name in WARDS.items()
            ),
            encoding="utf-8",
        )
        assert cli.main(["import-agencies", "-q", str(registry)]) == 0
        with engine.connect() as conn:
            stored = conn.execute(select(agencies.c.code).where(agencies.c.code.in_(list(WARDS)))).scalars()
            assert sorted(stored) == sorted(WARDS)
            assert not edition_coverage(conn, JUNE_2026, DN).with_data & set(
                WARDS
            )  # agencies, no dossiers yet

        rows = _june_dossiers("20194", 3) + _june_dossiers("20197", 2)
        assert cli.main(["import-dossiers", "-q", str(write_dossiers(tmp_path / "dn.csv", rows))]) == 0
        with engine.connect() as conn:
            after = edition_coverage(conn, JUNE_2026, DN)
            units = {u.code: u for u in edition_level_kpis(conn, JUNE_2026, DN)}
        assert after.with_data == before.with_data | set(WARDS)
        assert after.note.startswith(f"Số liệu của {len(before.with_data) + 2}/94 đơn vị")
        assert units["20194"].kpis.received_new == 3 and units["20197"].kpis.received_new == 2
        ranked = {u.code for u in with_data_only(list(units.values()), after)}
        assert ranked == set(after.with_data)  # units without data are not ranked
    finally:
        engine.dispose()
